"""Stage progress: which article stages each article has completed, and unfinished whole-store rebuilds.

A stage marks its articles done inside the transaction that holds its writes (``Store.stage_batch``), so after
any interruption an article either has a stage's results and its mark, or neither; the pipeline then runs each
stage over the articles that lack it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from storylens.store.backend import Connection

if TYPE_CHECKING:
    from storylens.store.db import Store


_CURSOR = "(SELECT coalesce(max(c.done_through), 0) FROM stage_cursors c WHERE c.stage = ?)"
_LACKING = """FROM articles a WHERE a.id > {cursor} AND NOT EXISTS
              (SELECT 1 FROM article_stages s WHERE s.stage = ? AND s.article_id = a.id)"""


def mark_done(conn: Connection, stage: str, article_ids: Sequence[int] | None) -> None:
    """Record that ``stage`` has completed these articles (None: every stored article), and move the stage's
    cursor (every article up to it is done) up to the first article still lacking it."""
    if article_ids is None:
        conn.execute(
            """INSERT INTO article_stages (stage, article_id) SELECT ?, id FROM articles WHERE true
           ON CONFLICT DO NOTHING""",
            (stage,),
        )
    else:
        conn.executemany(
            "INSERT INTO article_stages (stage, article_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [(stage, int(article_id)) for article_id in article_ids],
        )
    first = conn.execute(f"SELECT min(a.id) {_LACKING.format(cursor=_CURSOR)}", (stage, stage)).fetchone()
    if first is not None and first[0] is not None:
        done_through = first[0] - 1
    else:
        done_through = conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
    conn.execute(
        """INSERT INTO stage_cursors (stage, done_through) VALUES (?, ?)
           ON CONFLICT (stage) DO UPDATE SET done_through = excluded.done_through""",
        (stage, done_through),
    )


def lacking(store: Store, stage: str) -> list[int]:
    """Ids of the stored articles that ``stage`` has not completed, in id order (those above its cursor)."""
    rows = store.conn.execute(f"SELECT a.id {_LACKING.format(cursor=_CURSOR)} ORDER BY a.id", (stage, stage))
    return [row[0] for row in rows]


def completed(store: Store) -> dict[str, int]:
    """How many articles each stage has completed."""
    rows = store.conn.execute("SELECT stage, count(*) FROM article_stages GROUP BY stage ORDER BY stage")
    return dict(rows.fetchall())


def request_rebuilds(conn: Connection, stages: Iterable[str]) -> None:
    conn.executemany(
        "INSERT INTO stage_rebuilds (stage) VALUES (?) ON CONFLICT DO NOTHING", [(stage,) for stage in stages]
    )


def rebuild_requested(store: Store, stage: str) -> bool:
    return store.conn.execute("SELECT 1 FROM stage_rebuilds WHERE stage = ?", (stage,)).fetchone() is not None


def rebuild_done(conn: Connection, stage: str) -> None:
    conn.execute("DELETE FROM stage_rebuilds WHERE stage = ?", (stage,))
