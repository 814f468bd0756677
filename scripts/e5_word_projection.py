"""Build the e5 word-vector projections the name taggers read (``data/e5_words_<lang>.npz``).

Usage: PYTHONPATH=src python scripts/e5_word_projection.py [--langs he ar en] [--words 30000] [--dims 64]

The vocabulary of each language is wordfreq's ``top_n_list`` (its most frequent words; no NER corpus, so no test
split's words are favoured), plus each word with a capital first letter where the script has case (names are
written so). Each word's vector is the mean of its e5 piece embeddings (``storylens.encoders.e5_vocab``); a PCA
(numpy SVD) keeps ``--dims`` components, whitened (each divided by its standard deviation), and k-means
(scikit-learn, fixed seed) groups the projected vectors at each size of ``SIZES``. Takes about a minute a language.
"""

from __future__ import annotations

import argparse
from io import BytesIO
from pathlib import Path

import numpy as np
import wordfreq
from sklearn.cluster import KMeans

from storylens.encoders.e5_vocab import e5_vocab

DATA = Path(__file__).resolve().parents[1] / "src" / "storylens" / "extraction" / "data"
SIZES = (64, 512)


def build(lang: str, size: int, dims: int) -> Path:
    words = wordfreq.top_n_list(lang, size)
    words += [w[:1].upper() + w[1:] for w in words if w[:1].upper() != w[:1]]
    vocab = e5_vocab()
    matrix = np.vstack([vocab.word_vector(w) for w in words]).astype(np.float64)
    mean = matrix.mean(axis=0)
    _, singular, components = np.linalg.svd(matrix - mean, full_matrices=False)
    components = components[:dims]
    scale = singular[:dims] / np.sqrt(len(matrix) - 1)
    projected = (matrix - mean) @ components.T / scale
    arrays = {
        "mean": mean.astype(np.float32),
        "components": components.astype(np.float32),
        "scale": scale.astype(np.float32),
    }
    for k in SIZES:
        arrays[f"centroids{k}"] = (
            KMeans(n_clusters=k, n_init=1, random_state=0).fit(projected).cluster_centers_.astype(np.float32)
        )
    buffer = BytesIO()
    np.savez_compressed(buffer, **arrays)
    path = DATA / f"e5_words_{lang}.npz"
    path.write_bytes(buffer.getvalue())
    print(f"{lang}: {len(words)} words, explained variance of {dims} components", end=" ")
    print(f"{(singular[:dims] ** 2).sum() / (singular**2).sum():.2f}")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--langs", nargs="+", default=["he", "ar", "en"])
    parser.add_argument("--words", type=int, default=30000, help="wordfreq's top words per language")
    parser.add_argument("--dims", type=int, default=64, help="PCA components kept")
    args = parser.parse_args()
    for lang in args.langs:
        print(build(lang, args.words, args.dims))


if __name__ == "__main__":
    main()
