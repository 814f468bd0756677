"""Entities named in two or more scripts (Latin, Hebrew, Arabic, other) in an ingested database, and a seeded
random sample of them to judge by hand.

    PYTHONPATH=src /work/venv/bin/python benchmarks/entity_scripts.py /tmp/lex.db [--sample 30] [--seed 10]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from storylens.lang import script_of
from storylens.store import reads
from storylens.store.db import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--sample", type=int, default=30)
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args()
    store = Store(args.db)
    entities = reads.list_entities(store)
    mixed = [e for e in entities if len({script_of(v["text"]) for v in e["variants"]}) >= 2]
    print(f"entities {len(entities)}, named in 2+ scripts {len(mixed)}")
    for entity in random.Random(args.seed).sample(mixed, min(args.sample, len(mixed))):
        variants = ", ".join(f"{v['text']} ({v['lang']} {v['count']})" for v in entity["variants"])
        print(f"- {entity['name']} [{entity['type']}]: {variants}")


if __name__ == "__main__":
    main()
