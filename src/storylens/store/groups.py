"""What the extraction stage reads and writes to group quotes and figures story by story."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable


def story_quotes(conn: sqlite3.Connection, story_id: int | None) -> list[sqlite3.Row]:
    """The quotes of a story's articles (None: articles in no story), with each article's language."""
    return conn.execute(
        """SELECT q.*, a.lang FROM quotes q JOIN articles a ON a.id = q.article_id
           LEFT JOIN story_members sm ON sm.article_id = q.article_id WHERE sm.story_id IS ? ORDER BY q.id""",
        (story_id,),
    ).fetchall()


def story_figures(conn: sqlite3.Connection, story_id: int | None) -> list[sqlite3.Row]:
    """The figures of a story's articles, with each article's language and publication date."""
    return conn.execute(
        """SELECT f.*, a.lang, a.published FROM figures f JOIN articles a ON a.id = f.article_id
           LEFT JOIN story_members sm ON sm.article_id = f.article_id WHERE sm.story_id IS ? ORDER BY f.id""",
        (story_id,),
    ).fetchall()


def clear_story_groups(conn: sqlite3.Connection, story_id: int | None) -> None:
    """Drop a story's quote and figure groups (their members' group ids become NULL)."""
    conn.execute("DELETE FROM quote_groups WHERE story_id IS ?", (story_id,))
    conn.execute("DELETE FROM figure_groups WHERE story_id IS ?", (story_id,))


def clear_all_groups(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM quote_groups")
    conn.execute("DELETE FROM figure_groups")


def add_quote_group(
    conn: sqlite3.Connection, story_id: int | None, speaker_entity_id: int | None, quote_ids: Iterable[int]
) -> int:
    group_id = conn.execute(
        "INSERT INTO quote_groups (story_id, speaker_entity_id) VALUES (?, ?)", (story_id, speaker_entity_id)
    ).lastrowid
    assert group_id is not None
    conn.executemany("UPDATE quotes SET group_id = ? WHERE id = ?", [(group_id, i) for i in quote_ids])
    return group_id


def add_figure_group(
    conn: sqlite3.Connection,
    story_id: int | None,
    *,
    unit: str | None,
    measure: str | None,
    discrepancy: bool,
    updated: bool,
    figure_ids: Iterable[int],
) -> int:
    group_id = conn.execute(
        "INSERT INTO figure_groups (story_id, unit, what, discrepancy, updated) VALUES (?, ?, ?, ?, ?)",
        (story_id, unit or "", measure or "", discrepancy, updated),
    ).lastrowid
    assert group_id is not None
    conn.executemany("UPDATE figures SET group_id = ? WHERE id = ?", [(group_id, i) for i in figure_ids])
    return group_id
