"""Entity linking storage: mention rows to link, the entities an ingest touches, and linked entities written back.

An entity's anchors are the link evidence of its names (lexicon ids, place ids, skeletons, keys). After an ingest
only the entities sharing an anchor with the new mentions, and those named in the new articles' stories, are
relinked (``touched_mentions``); ``regroup_all`` still relinks everything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from storylens.store.articles import chunks
from storylens.store.backend import Connection, Row

_MENTIONS = """SELECT m.id, m.article_id, m.start, m."end", m.text, m.type, m.lang, sm.story_id
               FROM mentions m LEFT JOIN story_members sm ON sm.article_id = m.article_id"""


def all_mentions(conn: Connection) -> list[Row]:
    """Every stored mention with its story."""
    return conn.execute(f"{_MENTIONS} ORDER BY m.id").fetchall()


def article_mentions(conn: Connection, article_ids: Sequence[int]) -> list[Row]:
    rows: list[Row] = []
    for chunk in chunks(list(article_ids)):
        rows += conn.execute(f"{_MENTIONS} WHERE m.article_id IN ({','.join('?' * len(chunk))})", chunk).fetchall()
    return rows


def touched_mentions(
    conn: Connection, article_ids: Sequence[int], anchors: Iterable[str]
) -> tuple[list[Row], set[int]]:
    """Mentions to relink after ``article_ids`` were extracted: theirs, every mention of the stories they are in,
    and every mention of an entity with one of ``anchors`` or named in those stories; and those entities' ids."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS relink_anchors (anchor TEXT PRIMARY KEY)")
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS relink_articles (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM relink_anchors")
    conn.execute("DELETE FROM relink_articles")
    conn.executemany("INSERT INTO relink_anchors VALUES (?) ON CONFLICT DO NOTHING", [(a,) for a in anchors])
    conn.executemany("INSERT INTO relink_articles VALUES (?) ON CONFLICT DO NOTHING", [(a,) for a in article_ids])
    conn.execute(
        """INSERT INTO relink_articles SELECT sm.article_id FROM story_members sm WHERE sm.story_id IN
           (SELECT s.story_id FROM story_members s JOIN relink_articles r ON r.id = s.article_id)
           ON CONFLICT DO NOTHING"""
    )
    entities = {
        row[0]
        for row in conn.execute(
            """SELECT ea.entity_id FROM entity_anchors ea JOIN relink_anchors r ON r.anchor = ea.anchor
               UNION SELECT m.entity_id FROM mentions m JOIN relink_articles r ON r.id = m.article_id
               WHERE m.entity_id IS NOT NULL"""
        )
    }
    rows = conn.execute(
        f"""{_MENTIONS} WHERE m.article_id IN (SELECT id FROM relink_articles)
            OR m.entity_id IN ({",".join(map(str, sorted(entities))) or "NULL"}) ORDER BY m.id"""
    ).fetchall()
    return rows, entities


def save_entity(
    conn: Connection, key: str, name: str, kind: str, romanised: bool, mention_ids: list[int], anchors: set[str]
) -> int:
    """Insert or update the entity with this key, point its mentions at it and replace its anchors."""
    conn.execute(
        """INSERT INTO entities (name, type, key, romanised) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO UPDATE
           SET name = excluded.name, type = excluded.type, romanised = excluded.romanised""",
        (name, kind, key, int(romanised)),
    )
    entity_id = int(conn.execute("SELECT id FROM entities WHERE key = ?", (key,)).fetchone()[0])
    conn.executemany("UPDATE mentions SET entity_id = ? WHERE id = ?", [(entity_id, m) for m in mention_ids])
    conn.execute("DELETE FROM entity_anchors WHERE entity_id = ?", (entity_id,))
    conn.executemany(
        "INSERT INTO entity_anchors VALUES (?, ?) ON CONFLICT DO NOTHING", [(a, entity_id) for a in sorted(anchors)]
    )
    return entity_id


def drop_unused_entities(conn: Connection, entity_ids: Iterable[int] | None = None) -> None:
    """Delete entities no mention names (among ``entity_ids``, or all)."""
    unused = "NOT EXISTS (SELECT 1 FROM mentions m WHERE m.entity_id = entities.id)"
    if entity_ids is None:
        conn.execute(f"DELETE FROM entities WHERE {unused}")
        return
    for chunk in chunks(sorted(entity_ids)):
        conn.execute(f"DELETE FROM entities WHERE id IN ({','.join('?' * len(chunk))}) AND {unused}", chunk)


def relink_quote_speakers(conn: Connection, article_ids: Iterable[int] | None = None) -> None:
    """Quotes take the entity of their speaker mention (in these articles, or all)."""
    update = """UPDATE quotes SET speaker_entity_id = (
                    SELECT m.entity_id FROM mentions m WHERE m.article_id = quotes.article_id
                    AND m.start = quotes.speaker_start AND m."end" = quotes.speaker_end ORDER BY m.id LIMIT 1)"""
    if article_ids is None:
        conn.execute(update)
        return
    for chunk in chunks(sorted(set(article_ids))):
        conn.execute(f"{update} WHERE article_id IN ({','.join('?' * len(chunk))})", chunk)
