"""Reads about articles: one article with its mentions, quotes and figures; summaries by id; its story and
what it shares with the story's other articles."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from storylens.analysis.coverage import figure_value
from storylens.analysis.why import (
    WhyContext,
    explain_membership,
    explain_numbers,
    holders,
    shared_keys,
    sharing,
    written_keys,
)
from storylens.store.articles import get_article, public_id
from storylens.store.db import Store
from storylens.store.read_model import ArticleDetail, ArticleInStory
from storylens.store.reads.common import marks, storyline_links

ARTICLE_SUMMARY = """
    a.id, a.key, a.part, a.title, a.lang, coalesce(a.published, a.inferred_date) AS published, a.source, a.url,
    a.role, a.translation_of, d.ingested_at, a.external_id, a.content_hash, d.origin,
    CASE WHEN a.published IS NULL AND a.inferred_date IS NOT NULL THEN 'inferred' ELSE a.date_method END AS date_method
"""


def article_summary(row: sqlite3.Row) -> dict[str, Any]:
    data = {
        "id": row["id"],
        "key": public_id(row["key"], row["part"], row["external_id"], row["origin"], row["content_hash"]),
        "title": row["title"],
        "lang": row["lang"],
        "published": row["published"],
        "date_method": row["date_method"],
        "source": row["source"],
        "url": row["url"],
        "role": row["role"],
        "translation_of": row["translation_of"],
        "ingested_at": row["ingested_at"],
    }
    if "text" in row.keys():  # noqa: SIM118 - sqlite3.Row has keys() but no __contains__ for names
        data["text"] = row["text"]
    return data


def article_detail(store: Store, article_id: int, *, verbose: bool = False) -> ArticleDetail | None:
    """One article with its text, its story (and why it belongs there, with the numbers when ``verbose``),
    mentions, quotes and figures."""
    row = store.conn.execute(
        f"""SELECT {ARTICLE_SUMMARY}, substr(d.text, a.start + 1, a.end - a.start) AS text,
                   sm.story_id, sm.similarity, sm.reasons
            FROM articles a JOIN documents d ON d.id = a.document_id
            LEFT JOIN story_members sm ON sm.article_id = a.id WHERE a.id = ?""",
        (article_id,),
    ).fetchone()
    if row is None:
        return None
    data = article_summary(row)
    reasons = json.loads(row["reasons"]) if row["reasons"] else {}
    data["story"] = row["story_id"]
    data["similarity"] = row["similarity"]
    data["reasons"] = reasons
    data["mentions"] = [
        dict(r)
        for r in store.conn.execute(
            """SELECT m.start, m."end", m.text, m.type, m.entity_id AS entity, e.name AS entity_name
               FROM mentions m LEFT JOIN entities e ON e.id = m.entity_id WHERE m.article_id = ? ORDER BY m.start""",
            (article_id,),
        )
    ]
    data["quotes"] = [
        dict(r)
        for r in store.conn.execute(
            """SELECT start, "end", text, kind, cue, speaker_text, group_id AS "group" FROM quotes
               WHERE article_id = ? ORDER BY start""",
            (article_id,),
        )
    ]
    data["figures"] = [
        {
            "start": r["start"],
            "end": r["end"],
            "text": r["text"],
            "value": figure_value(r["value_low"], r["value_high"]),
            "unit": r["unit"],
            "what": r["what"],
            "group": r["group_id"],
        }
        for r in store.conn.execute("SELECT * FROM figures WHERE article_id = ? ORDER BY start", (article_id,))
    ]
    if row["story_id"] is None:
        return ArticleDetail.model_validate(data | {"why": []})
    members = story_members_evidence(store, row["story_id"])
    spans = {article_id: [(m["start"], m["end"], m["entity_name"] or m["text"]) for m in data["mentions"]]}
    data |= membership(store, data, reasons, row["similarity"], members, spans, verbose=verbose)
    return ArticleDetail.model_validate(data)


def membership(
    store: Store,
    article: dict[str, Any],
    reasons: dict[str, Any],
    similarity: float | None,
    members: list[tuple[int, frozenset[str], str | None]],
    mentions: dict[int, list[tuple[int, int, str]]],
    *,
    verbose: bool = False,
) -> dict[str, Any]:
    """``why`` (and ``why_numbers`` when ``verbose``) for one article of a story: its shared keys said as the
    article writes them (needs its ``text``), how many of the story's articles share them, whether the story
    is one day's news, and a translation's original by its public id."""
    keys = shared_keys(reasons)
    dates = {published for _, _, published in members}
    member_keys = {member: held for member, held, _ in members}
    original = reasons.get("translation_of")
    found = articles_by_ids(store, [original]) if isinstance(original, int) else {}
    context = WhyContext(
        words=written_keys(article.get("text") or "", article["lang"], keys, mentions.get(article["id"], [])),
        held=holders(keys, article["id"], member_keys),
        sharing=sharing(keys, article["id"], member_keys) or None,
        original=found[original].key if original in found else None,
        same_day=len(dates) == 1 and None not in dates,
    )
    said = {"why": explain_membership(reasons, similarity, context)}
    return said | {"why_numbers": explain_numbers(reasons, similarity)} if verbose else said


def story_members_evidence(store: Store, story_id: int) -> list[tuple[int, frozenset[str], str | None]]:
    """Each article of a story: (id, its evidence keys, its publication date or None)."""
    rows = store.conn.execute(
        """SELECT sm.article_id, k.keys, a.published FROM story_members sm JOIN articles a ON a.id = sm.article_id
           LEFT JOIN article_keys k ON k.article_id = sm.article_id WHERE sm.story_id = ?""",
        (story_id,),
    )
    return [(row[0], frozenset(json.loads(row[1] or "[]")), row[2]) for row in rows]


def story_mention_spans(store: Store, story_id: int) -> dict[int, list[tuple[int, int, str]]]:
    """Per article of a story: its mentions as (start, end, entity name or text as written)."""
    rows = store.conn.execute(
        """SELECT m.article_id, m.start, m."end", coalesce(e.name, m.text) FROM mentions m
           JOIN story_members sm ON sm.article_id = m.article_id LEFT JOIN entities e ON e.id = m.entity_id
           WHERE sm.story_id = ? ORDER BY m.article_id, m.start""",
        (story_id,),
    )
    spans: dict[int, list[tuple[int, int, str]]] = {}
    for article_id, start, end, name in rows:
        spans.setdefault(article_id, []).append((start, end, name))
    return spans


def article_by_ref(store: Store, ref: str, *, verbose: bool = False) -> ArticleDetail | None:
    """`article_detail` for the id the views show (key, ``key#N``, ``a-`` short id) or a row id."""
    article = get_article(store, ref)
    return article_detail(store, article.id, verbose=verbose) if article else None


def articles_by_ids(store: Store, ids: Sequence[int], *, with_text: bool = False) -> dict[int, ArticleInStory]:
    """Summaries (and optionally texts) of the given articles, keyed by id."""
    if not ids:
        return {}
    text = ", substr(d.text, a.start + 1, a.end - a.start) AS text" if with_text else ""
    rows = store.conn.execute(
        f"""SELECT {ARTICLE_SUMMARY}{text}, sm.story_id FROM articles a JOIN documents d ON d.id = a.document_id
            LEFT JOIN story_members sm ON sm.article_id = a.id WHERE a.id IN ({marks(len(ids))})""",
        list(ids),
    )
    found = {}
    for row in rows:
        found[row["id"]] = ArticleInStory.model_validate(article_summary(row) | {"story": row["story_id"]})
    return found


def article_story(store: Store, article_id: int) -> sqlite3.Row | None:
    """The story an article is in (``story_id``, ``reasons`` as stored JSON, ``title``), or None."""
    return store.conn.execute(
        """SELECT sm.story_id, sm.reasons, s.title FROM story_members sm JOIN stories s ON s.id = sm.story_id
           WHERE sm.article_id = ?""",
        (article_id,),
    ).fetchone()


def article_gold_rows(store: Store) -> list[sqlite3.Row]:
    """Every article's ``id``, ``lang``, document ``metadata`` (JSON) and ``story_id`` (None if in no story)."""
    return store.conn.execute(
        """SELECT a.id, a.lang, d.metadata, sm.story_id FROM articles a JOIN documents d ON d.id = a.document_id
           LEFT JOIN story_members sm ON sm.article_id = a.id"""
    ).fetchall()


def story_evidence(store: Store, article_id: int, story_id: int) -> dict[str, Any]:
    """What an article shares with the other articles of its story (its own translations aside): the
    canonical entities both name, the figure groups both report, and how the story links into its storyline."""
    others = """JOIN articles oa ON oa.id = other.article_id AND oa.id NOT IN (?, coalesce(?, -1))
                AND coalesce(oa.translation_of, -1) != ?"""
    translation_of = store.conn.execute("SELECT translation_of FROM articles WHERE id = ?", (article_id,)).fetchone()
    original = translation_of[0] if translation_of else None
    entities = store.conn.execute(
        f"""SELECT e.id, e.name, e.type, count(DISTINCT other.article_id) AS articles FROM mentions m
            JOIN entities e ON e.id = m.entity_id
            JOIN mentions other ON other.entity_id = m.entity_id {others}
            JOIN story_members so ON so.article_id = other.article_id AND so.story_id = ?
            WHERE m.article_id = ? GROUP BY e.id ORDER BY articles DESC, e.name""",
        (article_id, original, article_id, story_id, article_id),
    ).fetchall()
    figures = store.conn.execute(
        f"""SELECT min(f.text) AS text, min(f.unit) AS unit, max(g.discrepancy) AS discrepancy,
                   count(DISTINCT other.article_id) AS articles
            FROM figures f JOIN figure_groups g ON g.id = f.group_id
            JOIN figures other ON other.group_id = f.group_id {others}
            WHERE f.article_id = ? GROUP BY f.group_id ORDER BY articles DESC, text""",
        (article_id, original, article_id, article_id),
    ).fetchall()
    return {
        "entities": [
            {"id": r["id"], "name": r["name"], "type": r["type"], "other_articles": r["articles"]} for r in entities
        ],
        "figures": [
            {
                "text": r["text"],
                "unit": r["unit"] or None,
                "discrepancy": bool(r["discrepancy"]),
                "other_articles": r["articles"],
            }
            for r in figures
        ],
        "storyline_links": storyline_links(store, "? IN (earlier, later)", story_id),
    }
