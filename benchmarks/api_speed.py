"""How fast the story endpoint answers for a 100-article story in a store of 100,000 articles.

Synthetic rows are inserted directly (executemany): 100,000 articles in 1,000 stories of 100 articles, each
article with 3 mentions, a quote and a figure. Then ``GET /api/stories/{id}`` is timed through FastAPI's
TestClient, and the query plans of the story queries are printed to show they use indexes.

    python benchmarks/api_speed.py [--articles 100000] [--story-size 100] [--runs 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from storylens.store.db import Store
from storylens.views.web import create_app

LANGS = ("en", "ar", "he", "fr", "de")
WORDS = ["river", "flood", "council", "vote", "bank", "rate", "storm", "election", "minister", "port", "fire"]


def fill(path: Path, articles: int, story_size: int) -> None:
    stories = articles // story_size
    with Store(path) as store:
        conn = store.conn
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO storylines (id, title) VALUES (?, '')", [(i,) for i in range(1, stories // 10 + 2)]
        )
        conn.executemany(
            "INSERT INTO stories (id, storyline_id) VALUES (?, ?)", [(s, s // 10 + 1) for s in range(1, stories + 1)]
        )
        conn.executemany(
            "INSERT INTO entities (id, name, type, key) VALUES (?, ?, 'person', ?)",
            [(e, f"Person {e}", f"person {e}") for e in range(1, 5001)],
        )
        now = "2025-05-20T08:00:00+00:00"
        start = dt.date(2024, 1, 1)
        documents, rows, members, mentions, quotes, figures = [], [], [], [], [], []
        for a in range(1, articles + 1):
            story = (a - 1) // story_size + 1
            words = " ".join(WORDS[(a * k) % len(WORDS)] for k in range(1, 60))
            text = f'Headline {a}\n\nPerson {story} said "we act now" as {a % 90} people left. {words}.'
            lang = LANGS[a % len(LANGS)]
            day = (start + dt.timedelta(days=story % 500 + a % 5)).isoformat()
            documents.append((a, f"doc{a}", "text", f"sha{a}", text, now))
            rows.append(
                (
                    a,
                    a,
                    1,
                    f"doc{a}",
                    "article",
                    0,
                    len(text),
                    f"hash{a}",
                    f"Headline {a}",
                    lang,
                    0.9,
                    day,
                    "declared",
                    f"Outlet {a % 40}",
                )
            )
            members.append((a, story, 0.8, json.dumps({"similarity": 0.8})))
            name_at = text.index("Person")
            mentions.extend((a, story + k, name_at, name_at + 6, f"Person {story}", "person", lang) for k in range(3))
            quote_at = text.index("we act")
            quotes.append((a, story, quote_at, quote_at + 11, "we act now", "direct"))
            figures.append((a, story, 0, 2, str(a % 90), a % 90, a % 90, "people"))
        conn.executemany(
            "INSERT INTO documents (id, origin, kind, sha256, text, ingested_at) VALUES (?,?,?,?,?,?)", documents
        )
        conn.executemany(
            """INSERT INTO articles (id, document_id, part, key, role, start, end, content_hash, title, lang,
               lang_confidence, published, date_method, source) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            rows,
        )
        conn.executemany(
            "INSERT INTO story_members (article_id, story_id, similarity, reasons) VALUES (?,?,?,?)", members
        )
        conn.executemany(
            "INSERT INTO mentions (article_id, entity_id, start, end, text, type, lang) VALUES (?,?,?,?,?,?,?)",
            mentions,
        )
        conn.executemany(
            "INSERT INTO quote_groups (id, story_id) VALUES (?, ?)", [(s, s) for s in range(1, stories + 1)]
        )
        conn.executemany(
            "INSERT INTO quotes (article_id, group_id, start, end, text, kind) VALUES (?,?,?,?,?,?)", quotes
        )
        conn.executemany(
            "INSERT INTO figure_groups (id, story_id, unit, discrepancy) VALUES (?, ?, 'people', 1)",
            [(s, s) for s in range(1, stories + 1)],
        )
        conn.executemany(
            "INSERT INTO figures (article_id, group_id, start, end, text, value_low, value_high, unit)"
            " VALUES (?,?,?,?,?,?,?,?)",
            figures,
        )
        conn.commit()
        conn.execute("ANALYZE")


def show_plans(path: Path, story_id: int) -> None:
    checks = {
        "story members": (
            "SELECT a.id FROM story_members sm JOIN articles a ON a.id = sm.article_id "
            "JOIN documents d ON d.id = a.document_id WHERE sm.story_id = ?",
            (story_id,),
        ),
        "story entities": (
            "SELECT e.id FROM mentions m JOIN entities e ON e.id = m.entity_id WHERE m.article_id IN "
            "(SELECT article_id FROM story_members WHERE story_id = ?)",
            (story_id,),
        ),
        "story figures": (
            "SELECT f.id FROM figures f WHERE f.article_id IN "
            "(SELECT article_id FROM story_members WHERE story_id = ?)",
            (story_id,),
        ),
    }
    with Store(path, readonly=True) as store:
        for label, (sql, params) in checks.items():
            plan = [row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
            print(f"  {label}: {' | '.join(plan)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--story-size", type=int, default=100)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        began = time.perf_counter()
        fill(path, args.articles, args.story_size)
        print(f"filled {args.articles} articles in {time.perf_counter() - began:.1f} s")
        client = TestClient(create_app(path, encoder_spec="none"))
        story_id = args.articles // args.story_size // 2
        assert client.get(f"/api/stories/{story_id}").json()["size"] == args.story_size
        timings = []
        for _ in range(args.runs):
            began = time.perf_counter()
            response = client.get(f"/api/stories/{story_id}")
            timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200
        print(
            f"GET /api/stories/{story_id} ({args.story_size} articles, {len(response.content) / 1024:.0f} KiB): "
            f"median {statistics.median(timings):.1f} ms, max {max(timings):.1f} ms over {args.runs} runs"
        )
        print("query plans:")
        show_plans(path, story_id)
        began = time.perf_counter()
        client.get("/api/stories", params={"limit": 50})
        print(f"GET /api/stories?limit=50: {(time.perf_counter() - began) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
