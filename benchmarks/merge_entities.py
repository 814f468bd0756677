"""Lexicon entities named in each gold article's opening, for the story merge benchmark (cached per set).

Each article's opening (title and the first ``OPENING_CHARS`` characters, as the store keeps them) goes through
the extraction stage's mention finder (``extract_mentions``) and each person, organisation or place mention is
read by the name lexicon (``lexicon.resolve``): the ids it gives are the same in Hebrew, Arabic and English,
so two stories can share (or conflict on) a place across scripts. Kept in ``benchmarks/.cache``.

Run: PYTHONPATH=src:benchmarks python benchmarks/merge_entities.py [--with-dev3]  (fills the cache)
"""

from __future__ import annotations

import argparse
import pickle
from pathlib import Path

from gold_cache import CACHE, _fingerprint, gold_path, sets, stored_articles

from storylens.extraction.mentions.resolve import extract_mentions
from storylens.lexicon.resolve import resolve

ROOT = Path(__file__).resolve().parents[1]
OPENING_CHARS = 600


def entities(name: str, data: Path) -> dict[str, frozenset[str]]:
    """Gold article id -> the lexicon ids of the people, organisations and places its opening names."""
    cached = CACHE / f"{name}-entities-{_fingerprint(gold_path(name, data))}.pkl"
    if cached.exists():
        return pickle.loads(cached.read_bytes())
    found = {}
    for article_id, article in stored_articles(name, data).items():
        opening = ((article.title or "") + "\n" + article.text[:OPENING_CHARS]).strip()
        ids: set[str] = set()
        for mention in extract_mentions(opening, article.lang or "und"):
            ids |= {f"{mention.type}:{i}" for i in resolve(mention.text, mention.type).ids}
        found[article_id] = frozenset(ids)
    cached.write_bytes(pickle.dumps(found))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--with-dev3", action="store_true")
    args = parser.parse_args()
    for name in sets(args.with_dev3):
        found = entities(name, args.data)
        named = sum(1 for ids in found.values() if ids)
        print(f"{name}: {named} of {len(found)} articles name lexicon entities")


if __name__ == "__main__":
    main()
