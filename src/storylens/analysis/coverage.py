"""How a story's coverage compares across languages and outlets, from plain rows (no database): articles
grouped by language and outlet, the timeline, the figure matrix, what one language or outlet alone reports,
and what changed since a date.

Rows are the dicts of the read model (``storylens.store.reads``): articles with ``id``, ``lang``, ``source``,
``published``, ``ingested_at``; quote groups with ``variants``; figure groups with ``occurrences``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol, TypeVar


class Readable(Protocol):
    """A row read by field name: a dict, or a row of the read model (``storylens.store.read_model``)."""

    def __getitem__(self, name: str, /) -> Any: ...


R = TypeVar("R", bound=Readable)

UNKNOWN_SOURCE = "unknown outlet"


def figure_value(low: float, high: float) -> float | list[float]:
    """A figure's value as shown: one number, or ``[low, high]`` for a range."""
    return _number(low) if low == high else [_number(low), _number(high)]


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def group_articles(articles: Iterable[R]) -> dict[str, dict[str, list[R]]]:
    """Articles grouped by language, then by outlet (both sorted)."""
    grouped: dict[str, dict[str, list[R]]] = defaultdict(lambda: defaultdict(list))
    for article in articles:
        grouped[article["lang"]][article["source"] or UNKNOWN_SOURCE].append(article)
    return {lang: dict(sorted(by_source.items())) for lang, by_source in sorted(grouped.items())}


def timeline(articles: Iterable[Readable]) -> list[dict[str, Any]]:
    """Per publication date (unknown dates last): the articles published that day."""
    days: dict[str | None, list[Readable]] = defaultdict(list)
    for article in articles:
        days[article["published"]].append(article)
    order = sorted(days, key=lambda day: (day is None, day or ""))
    return [
        {"date": day, "articles": [{"id": a["id"], "lang": a["lang"], "source": a["source"]} for a in days[day]]}
        for day in order
    ]


def figure_matrix(figures: Sequence[Readable], articles: Sequence[Readable]) -> dict[str, Any]:
    """Rows: figure groups; columns: the story's outlets, each in its language; cells: what each reports."""
    columns = sorted({(a["lang"], a["source"] or UNKNOWN_SOURCE) for a in articles})
    rows = []
    for group in figures:
        cells: dict[tuple[str, str], list[Readable]] = defaultdict(list)
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
    mentions: Sequence[Mapping[str, Any]],
    articles: Sequence[Readable],
    quotes: Sequence[Readable],
    figures: Sequence[Readable],
) -> dict[str, list[dict[str, Any]]]:
    """What one language's (or one outlet's) articles report that the story's other articles do not.

    ``mentions`` are the story's linked mentions (``article_id`` and the entity's ``id``, ``name``, ``type``).
    For each language and each outlet: the entities only it names, the figures only it states and the
    quotes only it carries. Empty when the story has a single language (or outlet).
    """
    where_article = {a["id"]: a for a in articles}
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
    articles: Sequence[Readable],
    quotes: Sequence[Readable],
    figures: Sequence[Readable],
    since: dt.date,
) -> dict[str, Any]:
    """Articles and quotes stored on or after ``since``, and figures that are new or now stated differently."""
    start = since.isoformat()

    def is_new(item: Readable) -> bool:
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
