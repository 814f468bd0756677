"""Identity checks for refactors that must not change results.

``tables DB``: each stage table of a SQLite store as (row count, hash of its sorted rows), as JSON; two stores
built from the same inputs by two versions of the code should print the same.
``items OLD.pkl NEW.pkl``: two gold caches (``gold_cache.py``) item by item (id, language, date, keys, vector
bytes); pickles of frozensets differ between processes, so the files are not compared byte by byte.

Run (once per version, with PYTHONPATH pointing at its src/):
    PYTHONPATH=src python -m storylens ingest --db /tmp/s.db ../shared/data/news_dev.jsonl
    PYTHONPATH=src python benchmarks/store_identity.py tables /tmp/s.db
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sqlite3
import sys

import numpy as np

TABLES = (
    "embeddings", "article_keys", "stories", "story_members", "mentions", "entities", "entity_anchors", "quotes",
    "figures", "quote_groups", "figure_groups", "storylines", "storyline_links", "article_stages", "stage_rebuilds",
    "alerts",
)  # fmt: skip


def _digest(rows: list[object]) -> tuple[int, str]:
    texts = sorted(repr(tuple(row)) for row in rows)  # type: ignore[arg-type]
    return len(texts), hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]


def tables(db: str) -> dict[str, tuple[int, str]]:
    conn = sqlite3.connect(db)
    found = {table: _digest(conn.execute(f"SELECT * FROM {table}").fetchall()) for table in TABLES}
    found["articles.inferred"] = _digest(conn.execute("SELECT id, inferred_date, inferred_evidence FROM articles"))
    return found


def items(old: str, new: str) -> str:
    with open(old, "rb") as first, open(new, "rb") as second:
        a, b = pickle.load(first), pickle.load(second)
    if len(a) != len(b):
        return f"{len(a)} vs {len(b)} items"
    differ = [
        x.id
        for x, y in zip(a, b, strict=True)
        if (x.id, x.lang, x.date, x.keys) != (y.id, y.lang, y.date, y.keys) or not np.array_equal(x.vector, y.vector)
    ]
    return f"{len(a)} items, {len(differ)} differ {differ[:5]}"


if __name__ == "__main__":
    if sys.argv[1] == "tables":
        print(json.dumps(tables(sys.argv[2]), indent=0))
    else:
        print(items(sys.argv[2], sys.argv[3]))
