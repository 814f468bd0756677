"""Reads about stories and storylines: lists with filters, summaries, a story's articles, and the detail
that a story page, the API and a briefing show."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from storylens.analysis.coverage import (
    UNKNOWN_SOURCE,
    changes_since,
    exclusives,
    figure_matrix,
    group_articles,
    timeline,
)
from storylens.store.backend import dialect
from storylens.store.db import Store
from storylens.store.read_model import (
    StoryArticle,
    StoryDetail,
    StorylineDetail,
    StorylineSummary,
    StorySummary,
    TimeSpan,
)
from storylens.store.reads.articles import (
    ARTICLE_SUMMARY,
    article_summary,
    membership,
    story_members_evidence,
    story_mention_spans,
)
from storylens.store.reads.common import json_list, marks, storyline_links
from storylens.store.reads.entities import list_entities, story_entity_mentions
from storylens.store.reads.groups import list_figure_groups, list_quote_groups

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
                "languages": sorted(json_list(row["languages"])),
                "sources": sorted(s or UNKNOWN_SOURCE for s in json_list(row["sources"])),
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
) -> list[StorySummary]:
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
        where.append(f"s.id IN ({marks(len(ids))})")
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
    return [StorySummary.model_validate(story) for story in stories]


def story_summary(store: Store, story_id: int) -> StorySummary | None:
    found = _story_rows(store, "s.id = ?", [story_id])
    return StorySummary.model_validate(found[0]) if found else None


def story_articles(
    store: Store, story_id: int, *, with_text: bool = False, verbose: bool = False
) -> list[StoryArticle]:
    """The story's articles in publication order, each with why it belongs to the story (names and numbers
    said as written only ``with_text``; the numbers behind it when ``verbose``)."""
    text = ", substr(d.text, a.start + 1, a.end - a.start) AS text" if with_text else ""
    rows = store.conn.execute(
        f"""SELECT {ARTICLE_SUMMARY}{text}, sm.similarity, sm.reasons
            FROM story_members sm JOIN articles a ON a.id = sm.article_id JOIN documents d ON d.id = a.document_id
            WHERE sm.story_id = ? ORDER BY a.published IS NULL, a.published, a.id""",
        (story_id,),
    )
    found = []
    members = story_members_evidence(store, story_id)
    mentions = story_mention_spans(store, story_id) if with_text else {}
    for row in rows:
        reasons = json.loads(row["reasons"] or "{}")
        data = article_summary(row) | {"similarity": row["similarity"], "reasons": reasons}
        data |= membership(store, data, reasons, row["similarity"], members, mentions, verbose=verbose)
        found.append(StoryArticle.model_validate(data))
    return found


def story_detail(
    store: Store, story_id: int, *, since: dt.date | None = None, verbose: bool = False
) -> StoryDetail | None:
    """Everything a story page, the API and a briefing show about one story (``verbose``: with the numbers
    behind why each article is in it)."""
    found = _story_rows(store, "s.id = ?", [story_id])
    if not found:
        return None
    story = found[0]
    articles = story_articles(store, story_id, with_text=True, verbose=verbose)
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
        exclusives=exclusives(story_entity_mentions(store, article_ids), articles, quotes, figures),
    )
    if since is not None:
        story["changes"] = changes_since(articles, quotes, figures, since)
    return StoryDetail.model_validate(story)


def list_storylines(store: Store) -> list[StorylineSummary]:
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
        StorylineSummary(
            id=row["id"],
            title=row["title"],
            stories=row["stories"],
            time_span=TimeSpan(first=row["span_first"], last=row["span_last"]),
            languages=sorted(json_list(row["languages"])),
            size=row["size"],
        )
        for row in rows
    ]


def storyline_detail(store: Store, storyline_id: int, *, since: dt.date | None = None) -> StorylineDetail | None:
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
        "links": storyline_links(store, "storyline_id = ?", storyline_id),
    }
    if since is not None:
        changed = []
        for story in members:
            detail = story_detail(store, story["id"], since=since)
            assert detail is not None and detail.changes is not None
            if any(detail.changes[kind] for kind in ("articles", "quotes", "figures")):
                changed.append({"story": story["id"], "title": story["title"]} | dict(detail.changes))
        data["changes"] = {"since": since.isoformat(), "stories": changed}
    return StorylineDetail.model_validate(data)
