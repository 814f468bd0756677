"""What the storyline stage reads (story summaries, entity names) and writes (storylines and their links)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from storylens.store.backend import Connection

StoryRow = tuple[int, bytes | None, str, str | None, str | None]  # id, centroid, core keys (JSON), first, last date


def entity_names(conn: Connection) -> dict[str, str]:
    """Entity id (as text) -> canonical name."""
    return {str(row[0]): row[1] for row in conn.execute("SELECT id, name FROM entities")}


def story_sizes(conn: Connection) -> dict[int, int]:
    """Story id -> how many of its members are articles (not translations)."""
    return dict(
        conn.execute(
            """SELECT sm.story_id, count(*) FROM story_members sm
           JOIN articles a ON a.id = sm.article_id AND a.role = 'article' GROUP BY sm.story_id"""
        ).fetchall()
    )


def story_entity_counts(conn: Connection, entity_types: Sequence[str]) -> dict[int, Counter[str]]:
    """Story id -> entity id (as text) -> how many of its articles name that entity, for these entity types."""
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    rows = conn.execute(
        f"""SELECT sm.story_id, m.entity_id, count(DISTINCT m.article_id) FROM mentions m
            JOIN articles a ON a.id = m.article_id AND a.role = 'article'
            JOIN story_members sm ON sm.article_id = m.article_id
            JOIN entities e ON e.id = m.entity_id AND e.type IN ({",".join("?" * len(entity_types))})
            GROUP BY sm.story_id, m.entity_id""",
        tuple(entity_types),
    )
    for story_id, entity_id, count in rows:
        counts[story_id][str(entity_id)] = count
    return counts


def story_rows(conn: Connection) -> list[StoryRow]:
    """Every story's id, stored centroid (float32 bytes or None), core keys (JSON) and first and last dates."""
    return [
        (row[0], row[1], row[2], row[3], row[4])
        for row in conn.execute("SELECT id, centroid, core_keys, first_date, last_date FROM stories ORDER BY id")
    ]


def replace_storylines(
    conn: Connection, groups: Iterable[Iterable[int]], links: Iterable[tuple[int, int, dict[str, Any]]]
) -> None:
    """Drop every storyline and store these: each group of story ids is one storyline, numbered and titled after
    its first story; each link is (earlier story, later story, reasons)."""
    conn.execute("UPDATE stories SET storyline_id = NULL")
    conn.execute("DELETE FROM storylines")
    line_of: dict[int, int] = {}
    for group in groups:
        members = list(group)
        line_id = min(members)
        title = conn.execute("SELECT title FROM stories WHERE id = ?", (line_id,)).fetchone()[0]
        conn.execute("INSERT INTO storylines (id, title) VALUES (?, ?)", (line_id, title))
        conn.executemany("UPDATE stories SET storyline_id = ? WHERE id = ?", [(line_id, s) for s in members])
        line_of.update(dict.fromkeys(members, line_id))
    conn.executemany(
        "INSERT INTO storyline_links (earlier, later, storyline_id, reasons) VALUES (?, ?, ?, ?)",
        [
            (earlier, later, line_of[earlier], json.dumps(reasons, ensure_ascii=False))
            for earlier, later, reasons in links
        ],
    )
