"""Reads behind facets and outlet comparisons: the language, source, URL and date of articles, per story or
in the whole store, and the entities each article names. The views count and group them (an outlet is read
from the source and URL by ``views/outlets.py``)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence

from storylens.store.articles import ID_CHUNK, chunks
from storylens.store.backend import dialect
from storylens.store.db import Store

FACT_COLUMNS = "a.id, a.lang, a.source, a.url, coalesce(a.published, a.inferred_date) AS published, a.title"


def story_article_facts(store: Store, story_ids: Sequence[int] | None = None) -> list[sqlite3.Row]:
    """(story_id, id, lang, source, url, published, title) of every clustered article, or of the given
    stories' (in publication order within a story)."""
    if story_ids is not None and len(story_ids) > ID_CHUNK:
        return [row for chunk in chunks(story_ids) for row in story_article_facts(store, chunk)]
    where, params = "1 = 1", list(story_ids or [])
    if story_ids is not None:
        where = f"sm.story_id IN ({','.join('?' * len(story_ids))})"
    return store.conn.execute(
        f"""SELECT sm.story_id, {FACT_COLUMNS} FROM story_members sm JOIN articles a ON a.id = sm.article_id
            WHERE {where} ORDER BY sm.story_id, published IS NULL, published, a.id""",
        params,
    ).fetchall()


def article_facts(
    store: Store, *, lang: str | None = None, since: dt.date | None = None, until: dt.date | None = None
) -> list[sqlite3.Row]:
    """(id, lang, source, url, published, title) of every stored article, newest first, filtered by language and
    publication date (an inferred date counts)."""
    where: list[str] = ["1 = 1"]
    params: list[object] = []
    if lang:
        where.append("a.lang = ?")
        params.append(lang)
    if since:
        where.append("coalesce(a.published, a.inferred_date) >= ?")
        params.append(since.isoformat())
    if until:
        where.append("coalesce(a.published, a.inferred_date) <= ?")
        params.append(until.isoformat())
    return store.conn.execute(
        f"""SELECT {FACT_COLUMNS} FROM articles a WHERE {" AND ".join(where)}
            ORDER BY coalesce(a.published, a.inferred_date) IS NULL, coalesce(a.published, a.inferred_date) DESC,
                     a.id DESC""",
        params,
    ).fetchall()


def source_inputs(store: Store) -> list[sqlite3.Row]:
    """Each distinct (source, URL up to its path) among stored articles: enough to name every outlet."""
    instr = dialect(store.conn).instr
    return store.conn.execute(
        f"""SELECT DISTINCT a.source,
                  CASE WHEN {instr}(a.url, '://') > 0
                       THEN substr(a.url, 1, {instr}(a.url, '://') + 2) ||
                            CASE WHEN {instr}(substr(a.url, {instr}(a.url, '://') + 3), '/') > 0
                                 THEN substr(substr(a.url, {instr}(a.url, '://') + 3), 1,
                                             {instr}(substr(a.url, {instr}(a.url, '://') + 3), '/') - 1)
                                 ELSE substr(a.url, {instr}(a.url, '://') + 3) END
                       ELSE a.url END AS url
           FROM articles a"""
    ).fetchall()


def article_entities(store: Store, article_ids: Sequence[int]) -> list[sqlite3.Row]:
    """(article_id, id, name, type): each entity each given article names, once per article."""
    if len(article_ids) > ID_CHUNK:
        return [row for chunk in chunks(article_ids) for row in article_entities(store, chunk)]
    if not article_ids:
        return []
    return store.conn.execute(
        f"""SELECT DISTINCT m.article_id, e.id, e.name, e.type FROM mentions m JOIN entities e ON e.id = m.entity_id
            WHERE m.article_id IN ({",".join("?" * len(article_ids))})""",
        list(article_ids),
    ).fetchall()
