"""Read-only queries behind every view: stories, storylines, entities, quotes, figures, search and exports.

Each function takes an open :class:`~storylens.store.db.Store` and returns plain, JSON-ready dicts, so the
CLI, the HTTP API, the web pages and the briefings show the same data. Nothing here writes.

Conventions:
- ``article`` fields hold the article's numeric id (``storylens show ID`` and ``/api/articles/ID`` accept it).
- A figure value is a number, or ``[low, high]`` for a range.
- "What changed since DATE" counts what was *stored* on or after DATE (``documents.ingested_at``, UTC): an
  analyst coming back to a story has not seen those items, even when an outlet published them earlier,
  and publication dates can be unknown. Listing filters (``since``/``until`` on stories) use publication dates.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from storylens.store.articles import get_article, public_id
from storylens.store.backend import dialect
from storylens.store.db import Store, row_id

UNKNOWN_SOURCE = "unknown outlet"
RRF_K = 60  # reciprocal rank fusion constant (Cormack et al. 2009)


def _marks(count: int) -> str:
    return ",".join("?" * count)


def _json_list(value: str | None) -> list[Any]:
    return [item for item in json.loads(value or "[]") if item is not None]


def figure_value(low: float, high: float) -> float | list[float]:
    """A figure's value as shown: one number, or ``[low, high]`` for a range."""
    return _number(low) if low == high else [_number(low), _number(high)]


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


# ---------------------------------------------------------------- articles


ARTICLE_SUMMARY = """
    a.id, a.key, a.part, a.title, a.lang, coalesce(a.published, a.inferred_date) AS published, a.source, a.url,
    a.role, a.translation_of, d.ingested_at, a.external_id, a.content_hash, d.origin,
    CASE WHEN a.published IS NULL AND a.inferred_date IS NOT NULL THEN 'inferred' ELSE a.date_method END AS date_method
"""


def _article_summary(row: sqlite3.Row) -> dict[str, Any]:
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


def article_detail(store: Store, article_id: int) -> dict[str, Any] | None:
    """One article with its text, its story (and why it belongs there), mentions, quotes and figures."""
    row = store.conn.execute(
        f"""SELECT {ARTICLE_SUMMARY}, substr(d.text, a.start + 1, a.end - a.start) AS text,
                   sm.story_id, sm.similarity, sm.reasons
            FROM articles a JOIN documents d ON d.id = a.document_id
            LEFT JOIN story_members sm ON sm.article_id = a.id WHERE a.id = ?""",
        (article_id,),
    ).fetchone()
    if row is None:
        return None
    data = _article_summary(row)
    reasons = json.loads(row["reasons"]) if row["reasons"] else {}
    data["story"] = row["story_id"]
    data["similarity"] = row["similarity"]
    data["reasons"] = reasons
    data["why"] = explain_membership(reasons, row["similarity"]) if row["story_id"] else []
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
    return data


def article_by_ref(store: Store, ref: str) -> dict[str, Any] | None:
    """`article_detail` for the id the views show (key, ``key#N``, ``a-`` short id) or a row id."""
    article = get_article(store, ref)
    return article_detail(store, article.id) if article else None


def articles_by_ids(store: Store, ids: Sequence[int], *, with_text: bool = False) -> dict[int, dict[str, Any]]:
    """Summaries (and optionally texts) of the given articles, keyed by id."""
    if not ids:
        return {}
    text = ", substr(d.text, a.start + 1, a.end - a.start) AS text" if with_text else ""
    rows = store.conn.execute(
        f"""SELECT {ARTICLE_SUMMARY}{text}, sm.story_id FROM articles a JOIN documents d ON d.id = a.document_id
            LEFT JOIN story_members sm ON sm.article_id = a.id WHERE a.id IN ({_marks(len(ids))})""",
        list(ids),
    )
    found = {}
    for row in rows:
        found[row["id"]] = _article_summary(row) | {"story": row["story_id"]}
    return found


# ---------------------------------------------------------------- why an article belongs to its story


def explain_membership(reasons: dict[str, Any], similarity: float | None = None) -> list[str]:
    """The clustering stage's reasons for an assignment, as short plain sentences.

    Reads an ``explanation`` sentence if the stage stored one, the evidence terms (``similarity``,
    ``shared_keys``, ``gap_days``; at the top level or under ``best``), ``runner_up`` and ``opened``; any other
    key is shown as "key: value".
    """
    said: list[str] = [reasons["explanation"]] if isinstance(reasons.get("explanation"), str) else []
    evidence = reasons["best"] if isinstance(reasons.get("best"), dict) else reasons
    if reasons.get("opened") or reasons.get("seed"):
        said.append("it was the first article of this story")
    score = evidence.get("similarity", similarity)
    if isinstance(score, int | float) and not reasons.get("opened"):
        said.append(f"its title and lead read like the story's other articles (similarity {score:.2f})")
    shared = evidence.get("shared_keys")
    if shared:
        items = shared if isinstance(shared, list) else [shared]
        said.append("it names the same " + ", ".join(_key_label(item) for item in items))
    gap = evidence.get("gap_days")
    if isinstance(gap, int | float):
        said.append(
            f"it was published {gap:g} day{'s' if gap != 1 else ''} outside the story's dates"
            if gap
            else "it was published within the story's dates"
        )
    runner = reasons.get("runner_up")
    if isinstance(runner, dict) and (runner.get("story_id") or runner.get("story")) is not None:
        other = f"story {runner.get('story_id', runner.get('story'))}"
        fit = runner.get("score", runner.get("similarity"))
        said.append(f"the next closest was {other}" + (f" (score {fit:.2f})" if isinstance(fit, int | float) else ""))
    shown = {
        "explanation",
        "best",
        "opened",
        "seed",
        "similarity",
        "shared_keys",
        "gap_days",
        "runner_up",
        "story_id",
        "item_id",
        "threshold",
        "score",
        "key_bonus",
        "time_penalty",
    }
    for key, value in reasons.items():
        if key not in shown and value not in (None, "", [], {}):
            said.append(f"{key.replace('_', ' ')}: {_key_label(value)}")
    return said


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
        "storyline_links": _storyline_links(store, "? IN (earlier, later)", story_id),
    }


def _storyline_links(store: Store, where: str, value: int) -> list[dict[str, Any]]:
    """Stored storyline links matching ``where`` (one parameter), each with its reasons."""
    rows = store.conn.execute(
        f"SELECT earlier, later, reasons FROM storyline_links WHERE {where} ORDER BY earlier, later", (value,)
    )
    return [{"earlier": r["earlier"], "later": r["later"], **json.loads(r["reasons"])} for r in rows]


def _key_label(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')} {_key_label(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_key_label(v) for v in value)
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


# ---------------------------------------------------------------- stories


SPAN_FIRST = "coalesce(min(a.published), s.first_date)"  # a story's span (written out: PostgreSQL's HAVING and
SPAN_LAST = "coalesce(max(a.published), s.last_date)"  # ORDER BY expressions do not see column aliases)


def _story_rows(store: Store, where: str, params: list[Any], order_limit: str = "") -> list[dict[str, Any]]:
    languages = dialect(store.conn).json_array_distinct("a.lang")
    sources = dialect(store.conn).json_array_distinct("coalesce(a.source, '')")
    rows = store.conn.execute(
        f"""SELECT s.id, s.title AS stored_title, s.storyline_id, sl.title AS storyline_title,
                   {SPAN_FIRST} AS span_first, {SPAN_LAST} AS span_last,
                   count(a.id) AS size, {languages} AS languages, {sources} AS sources,
                   (SELECT a2.title || '\x1f' || a2.lang
                    FROM story_members sm2 JOIN articles a2 ON a2.id = sm2.article_id
                    WHERE sm2.story_id = s.id AND a2.title IS NOT NULL AND a2.title != ''
                    ORDER BY sm2.similarity DESC NULLS LAST, a2.published NULLS FIRST, a2.id LIMIT 1) AS lead
            FROM stories s
            LEFT JOIN storylines sl ON sl.id = s.storyline_id
            LEFT JOIN story_members sm ON sm.story_id = s.id
            LEFT JOIN articles a ON a.id = sm.article_id
            WHERE {where}
            GROUP BY s.id, sl.id {order_limit}""",
        params,
    ).fetchall()
    stories = []
    for row in rows:
        lead_title, _, lead_lang = (row["lead"] or "").partition("\x1f")
        stories.append(
            {
                "id": row["id"],
                "title": row["stored_title"] or lead_title or f"story {row['id']}",
                "title_lang": None if row["stored_title"] else (lead_lang or None),
                "time_span": {"first": row["span_first"], "last": row["span_last"]},
                "languages": sorted(_json_list(row["languages"])),
                "sources": sorted(s or UNKNOWN_SOURCE for s in _json_list(row["sources"])),
                "size": row["size"],
                "storyline": row["storyline_id"],
                "storyline_title": row["storyline_title"],
            }
        )
    return stories


def list_stories(
    store: Store,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    lang: str | None = None,
    source: str | None = None,
    entity: int | None = None,
    storyline: int | None = None,
    ids: Sequence[int] | None = None,
    limit: int | None = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Stories, newest first: id, title, time span, languages, sources, size.

    ``since``/``until`` keep stories whose publication span reaches into that range; ``lang``, ``source``
    and ``entity`` keep stories with at least one such article; ``storyline`` keeps that storyline's stories;
    ``ids`` keeps the given stories in that order.
    """
    where: list[str] = ["1 = 1"]
    params: list[Any] = []
    member = "s.id IN (SELECT sm1.story_id FROM story_members sm1 JOIN articles a1 ON a1.id = sm1.article_id WHERE {})"
    if lang:
        where.append(member.format("a1.lang = ?"))
        params.append(lang)
    if source:
        where.append(member.format("coalesce(a1.source, '') = ?"))
        params.append("" if source == UNKNOWN_SOURCE else source)
    if entity is not None:
        where.append(
            "s.id IN (SELECT sm1.story_id FROM mentions m JOIN story_members sm1 ON sm1.article_id = m.article_id"
            " WHERE m.entity_id = ?)"
        )
        params.append(entity)
    if storyline is not None:
        where.append("s.storyline_id = ?")
        params.append(storyline)
    if ids is not None:
        where.append(f"s.id IN ({_marks(len(ids))})")
        params.extend(ids)
    having = []
    if since:
        having.append(f"{SPAN_LAST} >= ?")
        params.append(since.isoformat())
    if until:
        having.append(f"{SPAN_FIRST} <= ?")
        params.append(until.isoformat())
    order = " HAVING " + " AND ".join(having) if having else ""
    order += f" ORDER BY {SPAN_LAST} IS NULL, {SPAN_LAST} DESC, s.id DESC"
    if limit is not None:
        order += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    stories = _story_rows(store, " AND ".join(where), params, order)
    if ids is not None:
        position = {story_id: index for index, story_id in enumerate(ids)}
        stories.sort(key=lambda story: position[story["id"]])
    return stories


def story_summary(store: Store, story_id: int) -> dict[str, Any] | None:
    found = _story_rows(store, "s.id = ?", [story_id])
    return found[0] if found else None


def story_articles(store: Store, story_id: int, *, with_text: bool = False) -> list[dict[str, Any]]:
    """The story's articles in publication order, each with why it belongs to the story."""
    text = ", substr(d.text, a.start + 1, a.end - a.start) AS text" if with_text else ""
    rows = store.conn.execute(
        f"""SELECT {ARTICLE_SUMMARY}{text}, sm.similarity, sm.reasons
            FROM story_members sm JOIN articles a ON a.id = sm.article_id JOIN documents d ON d.id = a.document_id
            WHERE sm.story_id = ? ORDER BY a.published IS NULL, a.published, a.id""",
        (story_id,),
    )
    found = []
    for row in rows:
        reasons = json.loads(row["reasons"] or "{}")
        why = explain_membership(reasons, row["similarity"])
        found.append(_article_summary(row) | {"similarity": row["similarity"], "reasons": reasons, "why": why})
    return found


def group_articles(articles: Iterable[dict[str, Any]]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Articles grouped by language, then by outlet (both sorted)."""
    grouped: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for article in articles:
        grouped[article["lang"]][article["source"] or UNKNOWN_SOURCE].append(article)
    return {lang: dict(sorted(by_source.items())) for lang, by_source in sorted(grouped.items())}


def timeline(articles: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per publication date (unknown dates last): the articles published that day."""
    days: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for article in articles:
        days[article["published"]].append(article)
    order = sorted(days, key=lambda day: (day is None, day or ""))
    return [
        {"date": day, "articles": [{"id": a["id"], "lang": a["lang"], "source": a["source"]} for a in days[day]]}
        for day in order
    ]


def story_detail(store: Store, story_id: int, *, since: dt.date | None = None) -> dict[str, Any] | None:
    """Everything a story page, the API and a briefing show about one story."""
    story = story_summary(store, story_id)
    if story is None:
        return None
    articles = story_articles(store, story_id, with_text=True)
    article_ids = [a["id"] for a in articles]
    entities = list_entities(store, story_id=story_id)
    quotes = list_quote_groups(store, story_id=story_id)
    figures = list_figure_groups(store, story_id=story_id)
    story.update(
        articles=articles,
        by_language={
            lang: {src: [a["id"] for a in items] for src, items in by_src.items()}
            for lang, by_src in group_articles(articles).items()
        },
        timeline=timeline(articles),
        entities=entities,
        quotes=quotes,
        figures=figures,
        figure_matrix=figure_matrix(figures, articles),
        exclusives=exclusives(store, article_ids, articles, quotes, figures),
    )
    if since is not None:
        story["changes"] = changes_since(articles, quotes, figures, since)
    return story


# ---------------------------------------------------------------- storylines


def list_storylines(store: Store) -> list[dict[str, Any]]:
    """Storylines, most recently active first: id, title, stories, time span, languages, size."""
    rows = store.conn.execute(
        f"""SELECT sl.id, sl.title, count(DISTINCT s.id) AS stories, count(a.id) AS size,
                  min(a.published) AS span_first, max(a.published) AS span_last,
                  {dialect(store.conn).json_array_distinct("a.lang")} AS languages
           FROM storylines sl
           LEFT JOIN stories s ON s.storyline_id = sl.id
           LEFT JOIN story_members sm ON sm.story_id = s.id
           LEFT JOIN articles a ON a.id = sm.article_id
           GROUP BY sl.id ORDER BY max(a.published) IS NULL, max(a.published) DESC, sl.id DESC"""
    )
    return [
        {
            "id": row["id"],
            "title": row["title"],
            "stories": row["stories"],
            "time_span": {"first": row["span_first"], "last": row["span_last"]},
            "languages": sorted(_json_list(row["languages"])),
            "size": row["size"],
        }
        for row in rows
    ]


def storyline_detail(store: Store, storyline_id: int, *, since: dt.date | None = None) -> dict[str, Any] | None:
    """A storyline with its stories in time order (and, with ``since``, what each gained since then)."""
    row = store.conn.execute("SELECT id, title FROM storylines WHERE id = ?", (storyline_id,)).fetchone()
    if row is None:
        return None
    members = list_stories(store, storyline=storyline_id, limit=None)
    members.sort(key=lambda s: (s["time_span"]["first"] is None, s["time_span"]["first"] or "", s["id"]))
    title = row["title"] or (members[0]["title"] if members else f"storyline {storyline_id}")
    data: dict[str, Any] = {
        "id": row["id"],
        "title": title,
        "time_span": {
            "first": min((s["time_span"]["first"] for s in members if s["time_span"]["first"]), default=None),
            "last": max((s["time_span"]["last"] for s in members if s["time_span"]["last"]), default=None),
        },
        "languages": sorted({lang for s in members for lang in s["languages"]}),
        "size": sum(s["size"] for s in members),
        "stories": members,
        "links": _storyline_links(store, "storyline_id = ?", storyline_id),
    }
    if since is not None:
        changed = []
        for story in members:
            detail = story_detail(store, story["id"], since=since)
            assert detail is not None
            if any(detail["changes"][kind] for kind in ("articles", "quotes", "figures")):
                changed.append({"story": story["id"], "title": story["title"]} | detail["changes"])
        data["changes"] = {"since": since.isoformat(), "stories": changed}
    return data


# ---------------------------------------------------------------- entities


def _story_article_filter(story_id: int | None, column: str) -> tuple[str, list[Any]]:
    if story_id is None:
        return "", []
    return f" AND {column} IN (SELECT article_id FROM story_members WHERE story_id = ?)", [story_id]


def list_entities(store: Store, *, story_id: int | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """Entities (most mentioned first), each with its written variants per language: ``{text, lang, count}``."""
    article_filter, params = _story_article_filter(story_id, "m.article_id")
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
    return ordered[:limit] if limit else ordered


def find_entity(store: Store, ref: str | int) -> dict[str, Any] | None:
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


def entity_detail(store: Store, entity_id: int) -> dict[str, Any] | None:
    """An entity with its variants per language, the stories naming it and the entities named beside it."""
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
    return {
        "id": row["id"],
        "name": row["name"],
        "type": row["type"],
        "romanised": bool(row["romanised"]),  # the name is a romanisation (no English or Latin-script name known)
        "variants": variants,
        "variants_by_language": dict(sorted(by_language.items())),
        "stories": list_stories(store, entity=entity_id, limit=None),
        "co_mentioned": co_mentioned,
    }


# ---------------------------------------------------------------- quotes and figures


def _grouped(rows: Iterable[sqlite3.Row]) -> dict[tuple[str, int], list[sqlite3.Row]]:
    """Rows by their group; a row without a group is a group of its own."""
    groups: dict[tuple[str, int], list[sqlite3.Row]] = {}
    for row in rows:
        key = ("group", row["group_id"]) if row["group_id"] is not None else ("single", row["id"])
        groups.setdefault(key, []).append(row)
    return groups


def list_quote_groups(store: Store, *, story_id: int | None = None) -> list[dict[str, Any]]:
    """Quote groups: who said it (``speaker``) and each outlet's wording, ``{text, lang, article}``; groups
    with an unnamed speaker come last."""
    article_filter, params = _story_article_filter(story_id, "q.article_id")
    rows = store.conn.execute(
        f"""SELECT q.id, q.group_id, q.article_id, q.text, q.kind, q.cue, q.speaker_text, q.start, q.end,
                   a.lang, a.source, a.published, d.ingested_at, sm.story_id,
                   coalesce(ge.id, qe.id) AS speaker_id, coalesce(ge.name, qe.name) AS speaker_name
            FROM quotes q JOIN articles a ON a.id = q.article_id JOIN documents d ON d.id = a.document_id
            LEFT JOIN story_members sm ON sm.article_id = q.article_id
            LEFT JOIN quote_groups g ON g.id = q.group_id
            LEFT JOIN entities ge ON ge.id = g.speaker_entity_id
            LEFT JOIN entities qe ON qe.id = q.speaker_entity_id
            WHERE 1 = 1{article_filter}
            ORDER BY a.published IS NULL, a.published, q.article_id, q.start""",
        params,
    )
    groups = []
    for (kind, key), members in _grouped(rows).items():
        first = members[0]
        speaker = next((m["speaker_name"] for m in members if m["speaker_name"]), None) or next(
            (m["speaker_text"] for m in members if m["speaker_text"]), None
        )
        groups.append(
            {
                "id": key if kind == "group" else None,
                "story": first["story_id"],
                "speaker": speaker,
                "speaker_id": next((m["speaker_id"] for m in members if m["speaker_id"]), None),
                "languages": sorted({m["lang"] for m in members}),
                "sources": sorted({m["source"] or UNKNOWN_SOURCE for m in members}),
                "variants": [
                    {
                        "text": m["text"],
                        "lang": m["lang"],
                        "article": m["article_id"],
                        "source": m["source"],
                        "published": m["published"],
                        "kind": m["kind"],
                        "cue": m["cue"],
                        "start": m["start"],
                        "end": m["end"],
                        "ingested_at": m["ingested_at"],
                    }
                    for m in members
                ],
            }
        )
    groups.sort(key=lambda g: (g["speaker"] is None, -len(g["variants"]), g["variants"][0]["published"] or ""))
    return groups


def list_figure_groups(store: Store, *, story_id: int | None = None) -> list[dict[str, Any]]:
    """Figure groups: ``value`` (the most reported), ``unit``, ``what`` (the measure), ``occurrences`` in publication
    order, ``discrepancy`` (same-day values differ) and ``updated`` (the value changes from day to day).
    A figure in no group (stated by one article) is listed alone with ``id`` None."""
    article_filter, params = _story_article_filter(story_id, "f.article_id")
    rows = store.conn.execute(
        f"""SELECT f.id, f.group_id, f.article_id, f.text, f.value_low, f.value_high, f.unit, f.what, f.start, f.end,
                   g.unit AS group_unit, g.what AS group_what, g.discrepancy, g.updated,
                   a.lang, a.source, a.published, d.ingested_at, sm.story_id
            FROM figures f JOIN articles a ON a.id = f.article_id JOIN documents d ON d.id = a.document_id
            LEFT JOIN story_members sm ON sm.article_id = f.article_id
            LEFT JOIN figure_groups g ON g.id = f.group_id
            WHERE 1 = 1{article_filter}
            ORDER BY a.published IS NULL, a.published, f.article_id, f.start""",
        params,
    )
    groups = []
    for (kind, key), members in _grouped(rows).items():
        first = members[0]
        counts = Counter((m["value_low"], m["value_high"]) for m in members)
        low, high = counts.most_common(1)[0][0]  # ties: the earliest article's value (rows are in time order)
        groups.append(
            {
                "id": key if kind == "group" else None,
                "story": first["story_id"],
                "value": figure_value(low, high),
                "unit": first["group_unit"] or first["unit"],
                "what": first["group_what"] or first["what"],
                "discrepancy": bool(first["discrepancy"]) if kind == "group" else False,
                "updated": bool(first["updated"]) if kind == "group" else False,
                "occurrences": [
                    {
                        "text": m["text"],
                        "article": m["article_id"],
                        "source": m["source"],
                        "lang": m["lang"],
                        "value": figure_value(m["value_low"], m["value_high"]),
                        "differs": (m["value_low"], m["value_high"]) != (low, high),
                        "published": m["published"],
                        "start": m["start"],
                        "end": m["end"],
                        "ingested_at": m["ingested_at"],
                    }
                    for m in members
                ],
            }
        )
    groups.sort(key=lambda g: (not g["discrepancy"], -len(g["occurrences"]), g["unit"] or ""))
    return groups


def figure_matrix(figures: Sequence[dict[str, Any]], articles: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Rows: figure groups; columns: the story's outlets, each in its language; cells: what each reports."""
    columns = sorted({(a["lang"], a["source"] or UNKNOWN_SOURCE) for a in articles})
    rows = []
    for group in figures:
        cells: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for occurrence in group["occurrences"]:
            cells[(occurrence["lang"], occurrence["source"] or UNKNOWN_SOURCE)].append(occurrence)
        rows.append(
            {
                "figure": group["id"],
                "value": group["value"],
                "unit": group["unit"],
                "what": group["what"],
                "discrepancy": group["discrepancy"],
                "updated": group["updated"],
                "cells": [
                    [
                        {"text": o["text"], "value": o["value"], "article": o["article"], "differs": o["differs"]}
                        for o in cells.get(column, [])
                    ]
                    for column in columns
                ],
            }
        )
    return {"columns": [{"lang": lang, "source": source} for lang, source in columns], "rows": rows}


def exclusives(
    store: Store,
    article_ids: Sequence[int],
    articles: Sequence[dict[str, Any]],
    quotes: Sequence[dict[str, Any]],
    figures: Sequence[dict[str, Any]],
) -> dict[str, list[dict[str, Any]]]:
    """What one language's (or one outlet's) articles report that the story's other articles do not.

    For each language and each outlet: the entities only it names, the figures only it states and the
    quotes only it carries. Empty when the story has a single language (or outlet).
    """
    where_article = {a["id"]: a for a in articles}
    mentions = (
        store.conn.execute(
            f"""SELECT DISTINCT m.article_id, e.id, e.name, e.type FROM mentions m JOIN entities e ON e.id = m.entity_id
                WHERE m.article_id IN ({_marks(len(article_ids))})""",
            list(article_ids),
        ).fetchall()
        if article_ids
        else []
    )
    result: dict[str, list[dict[str, Any]]] = {}
    for facet, side_of in (
        ("by_language", lambda a: a["lang"]),
        ("by_source", lambda a: a["source"] or UNKNOWN_SOURCE),
    ):
        sides = sorted({side_of(a) for a in articles})
        if len(sides) < 2:
            result[facet] = []
            continue
        entity_sides: dict[int, set[str]] = defaultdict(set)
        entity_info: dict[int, dict[str, Any]] = {}
        for row in mentions:
            entity_sides[row["id"]].add(side_of(where_article[row["article_id"]]))
            entity_info[row["id"]] = {"id": row["id"], "name": row["name"], "type": row["type"]}
        entries = []
        for side in sides:
            only_entities = [entity_info[e] for e, seen in entity_sides.items() if seen == {side}]
            only_figures = [
                {
                    "figure": g["id"],
                    "value": g["value"],
                    "unit": g["unit"],
                    "what": g["what"],
                    "occurrences": g["occurrences"],
                }
                for g in figures
                if {side_of(where_article[o["article"]]) for o in g["occurrences"]} == {side}
            ]
            only_quotes = [
                {"quote_group": g["id"], "speaker": g["speaker"], "variants": g["variants"]}
                for g in quotes
                if {side_of(where_article[v["article"]]) for v in g["variants"]} == {side}
            ]
            if only_entities or only_figures or only_quotes:
                entries.append(
                    {
                        "side": side,
                        "entities": sorted(only_entities, key=lambda e: e["name"].casefold()),
                        "figures": only_figures,
                        "quotes": only_quotes,
                    }
                )
        result[facet] = entries
    return result


def changes_since(
    articles: Sequence[dict[str, Any]],
    quotes: Sequence[dict[str, Any]],
    figures: Sequence[dict[str, Any]],
    since: dt.date,
) -> dict[str, Any]:
    """Articles and quotes stored on or after ``since``, and figures that are new or now stated differently."""
    start = since.isoformat()

    def is_new(item: dict[str, Any]) -> bool:
        return (item["ingested_at"] or "") >= start

    new_quotes = [
        {"quote_group": g["id"], "speaker": g["speaker"], "variants": [v for v in g["variants"] if is_new(v)]}
        for g in quotes
        if any(is_new(v) for v in g["variants"])
    ]
    changed_figures = []
    for group in figures:
        fresh = [o for o in group["occurrences"] if is_new(o)]
        before = [o for o in group["occurrences"] if not is_new(o)]
        if not fresh:
            continue
        old_values = list({json.dumps(o["value"]): o["value"] for o in before}.values())
        novel = [o for o in fresh if o["value"] not in old_values]
        if before and not novel:
            continue
        changed_figures.append(
            {
                "figure": group["id"],
                "unit": group["unit"],
                "what": group["what"],
                "status": "changed" if before else "new",
                "before": old_values,
                "now": [o["value"] for o in fresh],
                "occurrences": novel or fresh,
            }
        )
    return {
        "since": start,
        "basis": "ingested_at",
        "articles": [a["id"] for a in articles if is_new(a)],
        "quotes": new_quotes,
        "figures": changed_figures,
    }


# ---------------------------------------------------------------- search


def has_text_index(store: Store) -> bool:
    return dialect(store.conn).has_text_index(store.conn)


HIT_START, HIT_END = "\ue000", "\ue001"  # private-use marks around matched words in snippets


def search_text(store: Store, query: str, *, limit: int = 50) -> list[dict[str, Any]]:
    """Articles whose title or text match every word of ``query`` (best first), with a marked snippet."""
    words = [word for word in query.split() if any(ch.isalnum() for ch in word)]
    if not words or not has_text_index(store):
        return []
    rows = dialect(store.conn).text_search(store.conn, words, limit, (HIT_START, HIT_END))
    return [{"id": row["id"], "snippet": row["snippet"]} for row in rows]


def stored_encoders(store: Store) -> dict[str, int]:
    """Encoder names with stored vectors, and how many articles each has embedded."""
    return dict(store.conn.execute("SELECT encoder, count(*) FROM embeddings GROUP BY encoder").fetchall())


def store_encoder(store: Store) -> str | None:
    """The name of the encoder the store was built with: the one that embedded the most articles."""
    counts = stored_encoders(store)
    return max(counts, key=lambda name: (counts[name], name)) if counts else None


def vector_stamp(store: Store, encoder: str) -> tuple[int, int]:
    """(count, largest article id) of an encoder's stored vectors: changes whenever vectors are added."""
    row = store.conn.execute(
        "SELECT count(*), coalesce(max(article_id), 0) FROM embeddings WHERE encoder = ?", (encoder,)
    ).fetchone()
    return int(row[0]), int(row[1])


def load_vectors(store: Store, encoder: str) -> tuple[np.ndarray, np.ndarray]:
    """(article ids, float32 matrix with one L2-normalised row each) stored for an encoder."""
    rows = store.conn.execute(
        "SELECT article_id, vector FROM embeddings WHERE encoder = ? ORDER BY article_id", (encoder,)
    ).fetchall()
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    matrix = np.vstack([np.frombuffer(row[1], dtype=np.float32) for row in rows])
    return ids, matrix


def nearest(ids: np.ndarray, matrix: np.ndarray, query: np.ndarray, limit: int) -> list[tuple[int, float]]:
    """The ``limit`` stored vectors closest to ``query`` by cosine similarity, best first."""
    if len(ids) == 0:
        return []
    scores = matrix @ np.asarray(query, dtype=np.float32).reshape(-1)
    count = min(limit, len(ids))
    best = np.argpartition(-scores, count - 1)[:count]
    best = best[np.argsort(-scores[best])]
    return [(int(ids[i]), float(scores[i])) for i in best]


def fuse_rankings(*rankings: Sequence[int]) -> list[int]:
    """Reciprocal rank fusion: items ranked well by several lists first."""
    scores: dict[int, float] = defaultdict(float)
    for ranking in rankings:
        for rank, item in enumerate(ranking):
            scores[item] += 1.0 / (RRF_K + rank + 1)
    return sorted(scores, key=lambda item: -scores[item])


# ---------------------------------------------------------------- facets and exports


def facets(store: Store) -> dict[str, list[str]]:
    """The languages and outlets present among clustered articles (for filter menus)."""
    langs = [
        r[0]
        for r in store.conn.execute(
            "SELECT DISTINCT a.lang FROM articles a JOIN story_members sm ON sm.article_id = a.id ORDER BY a.lang"
        )
    ]
    sources = [
        r[0] or UNKNOWN_SOURCE
        for r in store.conn.execute(
            "SELECT DISTINCT a.source FROM articles a JOIN story_members sm ON sm.article_id = a.id"
            " ORDER BY a.source NULLS FIRST"
        )
    ]
    return {"languages": langs, "sources": sorted(set(sources))}


def article_memberships(store: Store) -> dict[int, tuple[int, int | None]]:
    """article id -> (story id, storyline id) for every clustered article."""
    rows = store.conn.execute(
        "SELECT sm.article_id, sm.story_id, s.storyline_id FROM story_members sm JOIN stories s ON s.id = sm.story_id"
    )
    return {row[0]: (row[1], row[2]) for row in rows}


def iter_export(store: Store, what: str) -> Iterator[dict[str, Any]]:
    """Rows to export for ``stories``, ``storylines``, ``entities``, ``quotes`` or ``figures``."""
    if what == "stories":
        yield from list_stories(store, limit=None)
    elif what == "storylines":
        for line in list_storylines(store):
            detail = storyline_detail(store, line["id"])
            assert detail is not None
            yield line | {"story_ids": [s["id"] for s in detail["stories"]]}
    elif what == "entities":
        yield from list_entities(store)
    elif what == "mentions":
        yield from iter_mentions(store)
    elif what == "quotes":
        yield from list_quote_groups(store)
    elif what == "figures":
        yield from list_figure_groups(store)
    else:
        raise ValueError(f"cannot export {what!r}")


def iter_mentions(store: Store) -> Iterator[dict[str, Any]]:
    """Every stored mention, in article order: its text as written, offsets, type, language and entity."""
    rows = store.conn.execute(
        """SELECT m.article_id, m.start, m.end, m.text, m.type, m.lang, m.entity_id, e.name AS entity_name
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
            WHERE entity_id IS NOT NULL AND article_id IN ({_marks(len(article_ids))}) ORDER BY article_id""",
        list(article_ids),
    )
    found: dict[tuple[int, str, str], list[int]] = defaultdict(list)
    for row in rows:
        found[(row["entity_id"], row["text"], row["lang"])].append(row["article_id"])
    return dict(found)


def story_counts(store: Store) -> tuple[int, int]:
    """How many stories and storylines the store holds."""
    row = store.conn.execute("SELECT (SELECT count(*) FROM stories), (SELECT count(*) FROM storylines)").fetchone()
    return int(row[0]), int(row[1])
