"""What the storyline stage reads (story summaries, entity names) and writes (storylines and their links): for
every story, or for the stories near those that changed (``story_ids``), and the storylines around them."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from storylens.store.articles import chunks
from storylens.store.backend import Connection

StoryRow = tuple[int, bytes | None, str, str | None, str | None]  # id, centroid, core keys (JSON), first, last date


def entity_names(conn: Connection, entity_ids: Iterable[int] | None = None) -> dict[str, str]:
    """Entity id (as text) -> canonical name, for these entities (None: all)."""
    return {
        str(row[0]): row[1]
        for where, params in _in("id", None if entity_ids is None else sorted(set(entity_ids)))
        for row in conn.execute(f"SELECT id, name FROM entities WHERE {where}", params)
    }


def _in(column: str, ids: Sequence[int] | None) -> list[tuple[str, list[int]]]:
    """One (condition, parameters) per chunk of ``ids``; no condition for None (every row)."""
    if ids is None:
        return [("1 = 1", [])]
    return [(f"{column} IN ({','.join('?' * len(chunk))})", list(chunk)) for chunk in chunks(sorted(set(ids)))]


def story_sizes(conn: Connection, story_ids: Sequence[int] | None = None) -> dict[int, int]:
    """Story id -> how many of its members are articles (not translations), for these stories (None: all)."""
    sizes: dict[int, int] = {}
    for where, params in _in("sm.story_id", story_ids):
        sizes.update(
            conn.execute(
                f"""SELECT sm.story_id, count(*) FROM story_members sm
                    JOIN articles a ON a.id = sm.article_id AND a.role = 'article'
                    WHERE {where} GROUP BY sm.story_id""",
                params,
            ).fetchall()
        )
    return sizes


def story_entity_counts(
    conn: Connection, entity_types: Sequence[str], story_ids: Sequence[int] | None = None
) -> dict[int, Counter[str]]:
    """Story id -> entity id (as text) -> how many of its articles name that entity, for these entity types and
    stories (None: all)."""
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for where, params in _in("sm.story_id", story_ids):
        rows = conn.execute(
            f"""SELECT sm.story_id, m.entity_id, count(DISTINCT m.article_id) FROM mentions m
                JOIN articles a ON a.id = m.article_id AND a.role = 'article'
                JOIN story_members sm ON sm.article_id = m.article_id
                JOIN entities e ON e.id = m.entity_id AND e.type IN ({",".join("?" * len(entity_types))})
                WHERE {where} GROUP BY sm.story_id, m.entity_id""",
            (*entity_types, *params),
        )
        for story_id, entity_id, count in rows:
            counts[story_id][str(entity_id)] = count
    return counts


def story_rows(conn: Connection, story_ids: Sequence[int] | None = None) -> list[StoryRow]:
    """Every story's (or these stories') id, stored centroid (float32 bytes or None), core keys (JSON) and first
    and last dates, by id."""
    rows = [
        (row[0], row[1], row[2], row[3], row[4])
        for where, params in _in("id", story_ids)
        for row in conn.execute(
            f"SELECT id, centroid, core_keys, first_date, last_date FROM stories WHERE {where} ORDER BY id", params
        )
    ]
    return sorted(rows, key=lambda row: row[0])


def stories_between(conn: Connection, ranges: Sequence[tuple[str, str]]) -> list[int]:
    """Dated stories whose span meets one of these (first, last) ISO date ranges, by id. Overlapping ranges are
    asked as one (the stories that changed in a batch are mostly near each other): one look-up on the last-date
    index each, rather than one per story, each reading every story that began before its range ended."""
    merged: list[list[str]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    found: set[int] = set()
    for low, high in merged:
        rows = conn.execute("SELECT id FROM stories WHERE last_date >= ? AND first_date <= ?", (low, high))
        found.update(row[0] for row in rows)
    return sorted(found)


def storyline_neighbourhood(conn: Connection, story_ids: Sequence[int]) -> tuple[set[int], set[int]]:
    """The storylines these stories are in (or are linked in, or named after: a dropped story's too), and every
    story of those storylines with these stories."""
    linked = set(story_ids) | {story for link in links_touching(conn, story_ids) for story in link[:2]}
    lines = {
        row[0]
        for where, params in _in("id", sorted(linked))
        for sql in (
            f"SELECT storyline_id FROM stories WHERE {where} AND storyline_id IS NOT NULL",
            f"SELECT id FROM storylines WHERE {where}",
        )
        for row in conn.execute(sql, params)
    }
    members = linked | {
        row[0]
        for where, params in _in("storyline_id", sorted(lines))
        for row in conn.execute(f"SELECT id FROM stories WHERE {where}", params)
    }
    return lines, members


def links_touching(conn: Connection, story_ids: Sequence[int]) -> list[tuple[int, int, str]]:
    """Stored links (earlier, later, reasons as JSON text) with either story among these."""
    found: dict[tuple[int, int], str] = {}
    for column in ("earlier", "later"):
        for where, params in _in(column, story_ids):
            rows = conn.execute(f"SELECT earlier, later, reasons FROM storyline_links WHERE {where}", params)
            found.update(((row[0], row[1]), row[2]) for row in rows)
    return sorted((earlier, later, reasons) for (earlier, later), reasons in found.items())


def rewrite_storylines(
    conn: Connection,
    story_ids: Sequence[int],
    old_lines: Iterable[int],
    groups: Iterable[Iterable[int]],
    links: Iterable[tuple[int, int, str]],
) -> None:
    """Replace the storylines of these stories (``old_lines``, which hold no other story) and the links touching
    them by ``groups`` (each a storyline, numbered and titled after its first story) and ``links`` (earlier,
    later, reasons as JSON text), which join only these stories."""
    for column in ("earlier", "later"):
        for where, params in _in(column, story_ids):
            conn.execute(f"DELETE FROM storyline_links WHERE {where}", params)
    for where, params in _in("id", story_ids):
        conn.execute(f"UPDATE stories SET storyline_id = NULL WHERE {where}", params)
    for where, params in _in("id", sorted(set(old_lines))):
        conn.execute(f"DELETE FROM storylines WHERE {where}", params)
    line_of = _insert_groups(conn, groups)
    conn.executemany(
        "INSERT INTO storyline_links (earlier, later, storyline_id, reasons) VALUES (?, ?, ?, ?)",
        [(earlier, later, line_of[earlier], reasons) for earlier, later, reasons in links],
    )


def _insert_groups(conn: Connection, groups: Iterable[Iterable[int]]) -> dict[int, int]:
    """Store each group of story ids as a storyline numbered and titled after its first story; story -> line."""
    line_of: dict[int, int] = {}
    for group in groups:
        members = list(group)
        line_id = min(members)
        title = conn.execute("SELECT title FROM stories WHERE id = ?", (line_id,)).fetchone()[0]
        conn.execute("INSERT INTO storylines (id, title) VALUES (?, ?)", (line_id, title))
        conn.executemany("UPDATE stories SET storyline_id = ? WHERE id = ?", [(line_id, s) for s in members])
        line_of.update(dict.fromkeys(members, line_id))
    return line_of


def replace_storylines(
    conn: Connection, groups: Iterable[Iterable[int]], links: Iterable[tuple[int, int, dict[str, Any]]]
) -> None:
    """Drop every storyline and store these: each group of story ids is one storyline, numbered and titled after
    its first story; each link is (earlier story, later story, reasons)."""
    conn.execute("UPDATE stories SET storyline_id = NULL")
    conn.execute("DELETE FROM storyline_links")
    conn.execute("DELETE FROM storylines")
    line_of = _insert_groups(conn, groups)
    conn.executemany(
        "INSERT INTO storyline_links (earlier, later, storyline_id, reasons) VALUES (?, ?, ?, ?)",
        [
            (earlier, later, line_of[earlier], json.dumps(reasons, ensure_ascii=False))
            for earlier, later, reasons in links
        ],
    )
