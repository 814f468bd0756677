"""Build the background language means that story clustering starts from in a small or new store.

Each language's mean vector is the mean embedding (default encoder, title+lead-sized passages) of running
text from the openly licensed NER corpora in ../shared/ner: Hebrew UD-IAHLT (wiki and Knesset, CC BY-SA 4.0),
Arabic NewsFANE newswire (CC BY-SA 3.0) and English UD EWT/PUD (CC BY-SA 4.0). No evaluation text is used.

    python scripts/build_language_means.py [--shared ../shared] [--out src/storylens/clustering/data]
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from storylens.encoders import get_encoder

PASSAGE_WORDS = 60  # about 120 tokens: the length of the title + lead that clustering embeds
PASSAGES_PER_LANGUAGE = 300
INVISIBLE = re.compile("[\u200e\u200f\ufeff]")


def conllu_sentences(path: Path) -> Iterator[str]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# text = "):
            yield line.removeprefix("# text = ")


def token_sentences(path: Path) -> Iterator[str]:
    """Sentences from a token-per-line file (token first, tag after a tab), blank lines or full stops ending them."""
    words: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        token = INVISIBLE.sub("", line.split("\t")[0]).strip()
        if token and not token.startswith("#"):
            words.append(token)
        if (not token or token in {".", "!", "?"}) and words:
            yield " ".join(words)
            words = []


def passages(sentences: Iterator[str], limit: int) -> list[str]:
    """Consecutive sentences joined into passages of about PASSAGE_WORDS words."""
    found, words = [], []
    for sentence in sentences:
        words.extend(sentence.split())
        if len(words) >= PASSAGE_WORDS:
            found.append(" ".join(words[:PASSAGE_WORDS]))
            words = []
            if len(found) == limit:
                break
    return found


def sources(ner: Path) -> dict[str, Iterator[str]]:
    def chain(*iterators: Iterator[str]) -> Iterator[str]:
        for iterator in iterators:
            yield from iterator

    return {
        "he": chain(*(conllu_sentences(p) for p in sorted((ner / "he").glob("*.conllu")))),
        "ar": token_sentences(ner / "ar" / "NewsFANE_Gold_2014_170K.txt"),
        "en": chain(*(conllu_sentences(p) for p in sorted((ner / "en").glob("*.iob2")))),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parents[1] / "src" / "storylens" / "clustering" / "data"
    )
    args = parser.parse_args()
    encoder = get_encoder()
    means, counts = {}, {}
    for lang, sentences in sources(args.shared / "ner").items():
        texts = passages(sentences, PASSAGES_PER_LANGUAGE)
        vectors = np.concatenate([encoder.encode(texts[i : i + 32]) for i in range(0, len(texts), 32)])
        means[lang] = vectors.mean(axis=0).astype(np.float32)
        counts[lang] = len(texts)
        print(f"{lang}: {len(texts)} passages")
    args.out.mkdir(parents=True, exist_ok=True)
    np.savez(args.out / "background_means.npz", **means)
    (args.out / "background_means.json").write_text(
        json.dumps(
            {
                "encoder": encoder.name,
                "passages": counts,
                "passage_words": PASSAGE_WORDS,
                "sources": {
                    "he": "UD Hebrew IAHLTwiki and IAHLTknesset dev/test (CC BY-SA 4.0), sentence text",
                    "ar": "NewsFANE Gold 2014 newswire (CC BY-SA 3.0), tokens rejoined",
                    "en": "UD English EWT and PUD (UNER annotations, CC BY-SA 4.0), sentence text",
                },
                "built_by": "scripts/build_language_means.py",
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
