"""Reads of quote groups and figure groups, each with its occurrences in publication order."""

from __future__ import annotations

from collections import Counter

from storylens.analysis.coverage import UNKNOWN_SOURCE, figure_value
from storylens.store.db import Store
from storylens.store.read_model import FigureGroup, QuoteGroup
from storylens.store.reads.common import grouped, story_article_filter


def list_quote_groups(store: Store, *, story_id: int | None = None) -> list[QuoteGroup]:
    """Quote groups: who said it (``speaker``) and each outlet's wording, ``{text, lang, article}``; groups
    with an unnamed speaker come last."""
    article_filter, params = story_article_filter(story_id, "q.article_id")
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
    for (kind, key), members in grouped(rows).items():
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
    return [QuoteGroup.model_validate(group) for group in groups]


def list_figure_groups(store: Store, *, story_id: int | None = None) -> list[FigureGroup]:
    """Figure groups: ``value`` (the most reported), ``unit``, ``what`` (the measure), ``occurrences`` in publication
    order, ``discrepancy`` (same-day values differ) and ``updated`` (the value changes from day to day).
    A figure in no group (stated by one article) is listed alone with ``id`` None."""
    article_filter, params = story_article_filter(story_id, "f.article_id")
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
    for (kind, key), members in grouped(rows).items():
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
    return [FigureGroup.model_validate(group) for group in groups]
