"""Reads about entities and mentions: lists with written variants, one entity with its stories and the
entities named beside it, every mention (exports) and the articles writing each variant (briefings)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from storylens.store.db import Store, row_id
from storylens.store.read_model import EntityDetail, EntitySummary
from storylens.store.reads.common import marks, story_article_filter


def list_entities(store: Store, *, story_id: int | None = None, limit: int | None = None) -> list[EntitySummary]:
    """Entities (most mentioned first), each with its written variants per language: ``{text, lang, count}``."""
    article_filter, params = story_article_filter(story_id, "m.article_id")
    rows = store.conn.execute(
        f"""SELECT e.id, e.name, e.type, e.romanised, m.text, m.lang, count(*) AS n,
                   count(DISTINCT m.article_id) AS articles
            FROM mentions m JOIN entities e ON e.id = m.entity_id
            WHERE 1 = 1{article_filter}
            GROUP BY e.id, m.text, m.lang""",
        params,
    )
    entities: dict[int, dict[str, Any]] = {}
    for row in rows:
        entity = entities.setdefault(
            row["id"],
            {
                "id": row["id"],
                "name": row["name"],
                "type": row["type"],
                "romanised": bool(row["romanised"]),
                "variants": [],
                "mentions": 0,
            },
        )
        entity["variants"].append({"text": row["text"], "lang": row["lang"], "count": row["n"]})
        entity["mentions"] += row["n"]
    ordered = sorted(entities.values(), key=lambda e: (-e["mentions"], e["name"].casefold()))
    for entity in ordered:
        entity["variants"].sort(key=lambda v: (v["lang"], -v["count"], v["text"]))
    return [EntitySummary.model_validate(entity) for entity in (ordered[:limit] if limit else ordered)]


def find_entity(store: Store, ref: str | int) -> EntityDetail | None:
    """An entity by id, name or any written variant (case-insensitive)."""
    text = str(ref).strip()
    row = None
    if row_id(text) is not None:
        row = store.conn.execute("SELECT id FROM entities WHERE id = ?", (row_id(text),)).fetchone()
    if row is None:
        row = store.conn.execute("SELECT id FROM entities WHERE lower(name) = lower(?) ORDER BY id", (text,)).fetchone()
    if row is None:
        row = store.conn.execute(
            """SELECT entity_id AS id FROM mentions WHERE lower(text) = lower(?) AND entity_id IS NOT NULL
               GROUP BY entity_id ORDER BY count(*) DESC, entity_id LIMIT 1""",
            (text,),
        ).fetchone()
    return entity_detail(store, row["id"]) if row else None


def entity_detail(store: Store, entity_id: int) -> EntityDetail | None:
    """An entity with its variants per language, the stories naming it and the entities named beside it."""
    from storylens.store.reads.stories import list_stories  # here: a story's detail reads its entities

    row = store.conn.execute("SELECT id, name, type, romanised FROM entities WHERE id = ?", (entity_id,)).fetchone()
    if row is None:
        return None
    variants = [
        {"text": r["text"], "lang": r["lang"], "count": r["n"]}
        for r in store.conn.execute(
            "SELECT text, lang, count(*) AS n FROM mentions WHERE entity_id = ? GROUP BY text, lang"
            " ORDER BY lang, n DESC, text",
            (entity_id,),
        )
    ]
    by_language: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for variant in variants:
        by_language[variant["lang"]].append(variant)
    co_mentioned = [
        {"id": r["id"], "name": r["name"], "type": r["type"], "articles": r["n"]}
        for r in store.conn.execute(
            """SELECT e.id, e.name, e.type, count(DISTINCT other.article_id) AS n
               FROM mentions own JOIN mentions other ON other.article_id = own.article_id
               JOIN entities e ON e.id = other.entity_id
               WHERE own.entity_id = ? AND other.entity_id != ?
               GROUP BY e.id ORDER BY n DESC, e.name LIMIT 50""",
            (entity_id, entity_id),
        )
    ]
    return EntityDetail.model_validate(
        {
            "id": row["id"],
            "name": row["name"],
            "type": row["type"],
            "romanised": bool(row["romanised"]),  # the name is a romanisation (no English or Latin-script name known)
            "variants": variants,
            "variants_by_language": dict(sorted(by_language.items())),
            "stories": list_stories(store, entity=entity_id, limit=None),
            "co_mentioned": co_mentioned,
        }
    )


def iter_mentions(store: Store) -> Iterator[dict[str, Any]]:
    """Every stored mention, in article order: its text as written, offsets, type, language and entity."""
    rows = store.conn.execute(
        """SELECT m.article_id, m.start, m."end", m.text, m.type, m.lang, m.entity_id, e.name AS entity_name
           FROM mentions m LEFT JOIN entities e ON e.id = m.entity_id ORDER BY m.article_id, m.start"""
    )
    for row in rows:
        yield {
            "article": row["article_id"],
            "start": row["start"],
            "end": row["end"],
            "text": row["text"],
            "type": row["type"],
            "lang": row["lang"],
            "entity": row["entity_id"],
            "entity_name": row["entity_name"],
        }


def mention_articles(store: Store, article_ids: Sequence[int]) -> dict[tuple[int, str, str], list[int]]:
    """(entity id, text as written, language) -> the articles that write it so, for the given articles."""
    if not article_ids:
        return {}
    rows = store.conn.execute(
        f"""SELECT DISTINCT entity_id, text, lang, article_id FROM mentions
            WHERE entity_id IS NOT NULL AND article_id IN ({marks(len(article_ids))}) ORDER BY article_id""",
        list(article_ids),
    )
    found: dict[tuple[int, str, str], list[int]] = defaultdict(list)
    for row in rows:
        found[(row["entity_id"], row["text"], row["lang"])].append(row["article_id"])
    return dict(found)


def story_entity_mentions(store: Store, article_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The distinct (article, entity) pairs the given articles name: ``article_id``, entity ``id``, ``name``,
    ``type``."""
    rows = (
        store.conn.execute(
            f"""SELECT DISTINCT m.article_id, e.id, e.name, e.type FROM mentions m JOIN entities e ON e.id = m.entity_id
                WHERE m.article_id IN ({marks(len(article_ids))})""",
            list(article_ids),
        ).fetchall()
        if article_ids
        else []
    )
    return [dict(row) for row in rows]
