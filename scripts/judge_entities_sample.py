"""Print reported entities for judging by hand: a reproducible random sample, or a score against gold.

Sample (for unseen news, judged by hand as right = a real person/organisation/place of that type and not
two different entities merged):

    storylens ingest ../shared/data/news_dev.jsonl --db /tmp/n.db
    python scripts/judge_entities_sample.py --db /tmp/n.db --size 50 --seed 31

Entities are ordered by type, name and variants before drawing, so the same store gives the same sample
whatever its entity ids. Each is printed with its variants and the text around up to two of its mentions.

Gold (the demo corpus):

    storylens ingest demo/articles --db /tmp/d.db
    python scripts/judge_entities_sample.py --db /tmp/d.db --gold demo/expected.json

prints the gold entities found (a reported variant has the link key of a gold variant, a Hebrew/Arabic
clitic prefix of up to two letters allowed) and every reported entity as ``gold`` (one gold entity, its
type), ``WRONG`` (merges gold entities, or the wrong type) or ``judge`` (no gold entity: judge it by hand).
Gold vessels have no type of their own in storylens, so their type is not checked.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
from pathlib import Path
from typing import Any

from storylens.extraction.linking import link_key
from storylens.store.db import Store
from storylens.store.reads import list_entities

CONTEXT_CHARS = 50
UNTYPED_GOLD = frozenset({"vessel"})


def _contexts(conn: sqlite3.Connection, entity_id: int, limit: int = 2) -> list[str]:
    rows = conn.execute(
        """SELECT substr(d.text, a.start + 1, a.end - a.start) AS text, m.start, m.end
           FROM mentions m JOIN articles a ON a.id = m.article_id JOIN documents d ON d.id = a.document_id
           WHERE m.entity_id = ? ORDER BY m.id LIMIT ?""",
        (entity_id, limit),
    ).fetchall()
    out = []
    for text, start, end in rows:
        before = text[max(0, start - CONTEXT_CHARS) : start]
        after = text[end : end + CONTEXT_CHARS]
        out.append(" ".join(f"{before}[[{text[start:end]}]]{after}".split()))
    return out


def _variants(entity: dict[str, Any]) -> str:
    return ", ".join(f"{v['text']}/{v['lang']}x{v['count']}" for v in entity["variants"])


def sample(store: Store, size: int, seed: int) -> None:
    entities = list_entities(store)
    entities.sort(key=lambda e: (e["type"], e["name"], _variants(e)))
    drawn = random.Random(seed).sample(entities, min(size, len(entities)))
    print(f"{len(drawn)} of {len(entities)} entities, seed {seed}")
    for n, entity in enumerate(drawn, start=1):
        print(f"{n:3d}. {entity['type']:12s} {entity['name']}  |  {_variants(entity)}")
        for context in _contexts(store.conn, entity["id"]):
            print(f"       {context}")


def _same_name(reported: str, known: str) -> bool:
    """Link keys equal, or equal once a Hebrew/Arabic clitic prefix (at most two letters) is left on."""
    return reported == known or (reported.endswith(known) and 0 < len(reported) - len(known) <= 2)


def score(store: Store, gold_path: Path) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))["entities"]
    keys = {g["name"]: [link_key(v) for vs in g["variants"].values() for v in vs] for g in gold}
    kinds = {g["name"]: g["type"] for g in gold}
    entities = list_entities(store)
    found: set[str] = set()
    wrong = judge = 0
    for entity in entities:
        owners = {
            name
            for name, variants in keys.items()
            for v in entity["variants"]
            if any(_same_name(link_key(v["text"]), k) for k in variants)
        }
        found |= owners
        if len(owners) > 1:
            verdict = "WRONG merges " + " + ".join(sorted(owners))
        elif owners:
            name = next(iter(owners))
            kind = kinds[name]
            verdict = "gold" if kind in UNTYPED_GOLD or kind == entity["type"] else f"WRONG type, is {kind}"
        else:
            verdict = "judge"
        wrong += verdict.startswith("WRONG")
        judge += verdict == "judge"
        print(f"  {entity['type']:12s} {entity['name']:28s} {verdict:8s} {_variants(entity)}")
        if verdict == "judge":
            for context in _contexts(store.conn, entity["id"], limit=1):
                print(f"       {context}")
    print(f"gold entities found {len(found)}/{len(gold)}; missing: {', '.join(sorted(set(keys) - found)) or '-'}")
    print(f"reported {len(entities)}, wrong by gold {wrong}, to judge {judge}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a store made by 'storylens ingest'")
    parser.add_argument("--size", type=int, default=50)
    parser.add_argument("--seed", type=int, default=31)
    parser.add_argument("--gold", type=Path, help="an expected.json with an 'entities' list: score against it")
    args = parser.parse_args()
    with Store(args.db, readonly=True) as store:
        if args.gold:
            score(store, args.gold)
        else:
            sample(store, args.size, args.seed)


if __name__ == "__main__":
    main()
