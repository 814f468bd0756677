"""Facets with counts, what only one language or outlet reports, and who covers a story (per outlet and country).

Facets count stories (or articles) per language, outlet and month, like datasette's facets: over the rows the
other filters keep. "Only in one language or outlet" treats each fact once: an entity by its id, a quote by its
group, a figure by its value, so a number stated in four languages is exclusive to none of them; articles
without a known outlet are left out of the outlet comparison. Coverage lists, per outlet (a host name, see
``outlets.py``) and per country, the articles, languages and figures each gives, and the outlets of the store
that do not report the story.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from storylens.store import facets as facet_store
from storylens.store import reads
from storylens.store.db import Store
from storylens.store.read_model import StoryView
from storylens.views.outlets import Outlet, OutletRegistry

FACETS = ("language", "outlet", "month")


def _month(published: str | None) -> str:
    return published[:7] if published else "unknown"


def facet_counts(
    groups: Iterable[tuple[Any, Iterable[Any]]], registry: OutletRegistry
) -> dict[str, list[dict[str, Any]]]:
    """Per facet, ``{value, label, count}`` most frequent first: how many groups (a story, or an article as a
    group of one) have a row with each value. Rows carry lang, source, url and published."""
    counts: dict[str, Counter[str]] = {facet: Counter() for facet in FACETS}
    labels: dict[str, str] = {}
    for _, rows in groups:
        seen: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            seen["language"].add(row["lang"] or "und")
            seen["month"].add(_month(row["published"]))
            outlet = registry.outlet(row["source"], row["url"])
            if outlet is not None:
                seen["outlet"].add(outlet.key)
                labels[outlet.key] = outlet.name
        for facet, values in seen.items():
            counts[facet].update(values)
    return {
        facet: [
            {"value": value, "label": labels.get(value, value), "count": count}
            for value, count in sorted(counts[facet].items(), key=lambda item: (-item[1], item[0]))
        ]
        for facet in FACETS
    }


def story_facets(
    store: Store,
    stories: Sequence[dict[str, Any]],
    registry: OutletRegistry,
    outlet: str | None = None,
    title_lang: str | None = None,
) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """The stories with an article from ``outlet`` (all when None) and the facet counts over them; with
    ``title_lang``, each story titled by its first headline in that language, where it has one."""
    rows: dict[int, list[Any]] = defaultdict(list)
    for row in facet_store.story_article_facts(store, [s["id"] for s in stories]):
        rows[row["story_id"]].append(row)
    if outlet:
        stories = [s for s in stories if any(_outlet_key(registry, r) == outlet for r in rows[s["id"]])]
    if title_lang:
        for story in stories:
            headline = next((r["title"] for r in rows[story["id"]] if r["lang"] == title_lang and r["title"]), None)
            if headline and story["title_lang"] != title_lang:
                story.update(title=headline, title_lang=title_lang)
    return list(stories), facet_counts(((s["id"], rows[s["id"]]) for s in stories), registry)


def article_list(
    store: Store, registry: OutletRegistry, *, outlet: str | None = None, **filters: Any
) -> tuple[list[int], dict[str, list[dict[str, Any]]]]:
    """Article ids, newest first, filtered by language, dates and outlet, and the facet counts over them."""
    rows = facet_store.article_facts(store, **filters)
    if outlet:
        rows = [r for r in rows if _outlet_key(registry, r) == outlet]
    return [r["id"] for r in rows], facet_counts(((r["id"], [r]) for r in rows), registry)


def _outlet_key(registry: OutletRegistry, row: Any) -> str | None:
    found = registry.outlet(row["source"], row["url"])
    return found.key if found else None


# ---------------------------------------------------------------- one story


def figure_key(value: Any) -> str:
    """A figure value as a fact (a number or a range), whatever its unit, language or group."""
    return json.dumps(value)


def exclusives(
    store: Store,
    articles: Sequence[Any],
    quotes: Sequence[Any],
    figures: Sequence[Any],
    registry: OutletRegistry,
) -> dict[str, list[dict[str, Any]]]:
    """What one language's (or one known outlet's) articles report that no other's do, each fact once.

    An entity counts by its id, a quote by its group; a figure group is shared when its articles span two
    sides or another side states one of its values in any group (so a number reported in four languages, even
    in four groups, belongs to none of them). Articles without a known outlet take no side among outlets.
    """
    outlets = {a["id"]: registry.outlet(a["source"], a["url"]) for a in articles}
    language: Callable[[int], str | None] = {a["id"]: a["lang"] for a in articles}.get

    def outlet_key(article: int) -> str | None:
        found = outlets.get(article)
        return found.key if found else None

    names = {o.key: o.name for o in outlets.values() if o}
    mentions = facet_store.article_entities(store, [a["id"] for a in articles])
    result: dict[str, list[dict[str, Any]]] = {}
    for facet, side_of in (("by_language", language), ("by_source", outlet_key)):
        sides = sorted({side for a in articles if (side := side_of(a["id"]))})
        result[facet] = [] if len(sides) < 2 else _entries(sides, mentions, quotes, figures, side_of)
        if facet == "by_source":
            for entry in result[facet]:
                entry["name"] = names.get(entry["side"], entry["side"])
    return result


def _sides(articles: Iterable[int], side_of: Callable[[int], str | None]) -> set[str]:
    return {side for article in articles if (side := side_of(article))}


def _entries(
    sides: list[str],
    mentions: Sequence[Any],
    quotes: Sequence[Any],
    figures: Sequence[Any],
    side_of: Callable[[int], str | None],
) -> list[dict[str, Any]]:
    entity_sides: dict[int, set[str]] = defaultdict(set)
    entities: dict[int, dict[str, Any]] = {}
    for row in mentions:
        entity_sides[row["id"]] |= _sides([row["article_id"]], side_of)
        entities[row["id"]] = {"id": row["id"], "name": row["name"], "type": row["type"]}
    value_sides: dict[str, set[str]] = defaultdict(set)
    for group in figures:
        for o in group["occurrences"]:
            value_sides[figure_key(o["value"])] |= _sides([o["article"]], side_of)
    figure_sides = {
        group["id"]: _sides((o["article"] for o in group["occurrences"]), side_of).union(
            *(value_sides[figure_key(o["value"])] for o in group["occurrences"])
        )
        for group in figures
    }
    entries: list[dict[str, Any]] = []
    for side in sides:
        only_entities = [entities[e] for e, seen in entity_sides.items() if seen == {side}]
        only_figures: dict[str, dict[str, Any]] = {}
        for g in figures:
            if figure_sides[g["id"]] == {side}:
                key = json.dumps(sorted(figure_key(o["value"]) for o in g["occurrences"]))
                only_figures.setdefault(
                    key,
                    {
                        "figure": g["id"],
                        "value": g["value"],
                        "unit": g["unit"],
                        "what": g["what"],
                        "occurrences": g["occurrences"],
                    },
                )
        only_quotes = [
            {"quote_group": g["id"], "speaker": g["speaker"], "variants": g["variants"]}
            for g in quotes
            if _sides((v["article"] for v in g["variants"]), side_of) == {side}
        ]
        if only_entities or only_figures or only_quotes:
            entries.append(
                {
                    "side": side,
                    "entities": sorted(only_entities, key=lambda e: e["name"].casefold()),
                    "figures": list(only_figures.values()),
                    "quotes": only_quotes,
                }
            )
    return entries


def coverage(store: Store, articles: Sequence[Any], figures: Sequence[Any], registry: OutletRegistry) -> dict[str, Any]:
    """Who reports the story: per outlet (articles, languages, first date, the figures it gives) and per
    country; the store's other outlets that do not report it; how many articles have no known outlet."""
    per_outlet: dict[str, dict[str, Any]] = {}
    unknown = 0
    for article in articles:
        outlet = registry.outlet(article["source"], article["url"])
        if outlet is None:
            unknown += 1
            continue
        entry = per_outlet.setdefault(outlet.key, outlet.as_dict() | {"articles": [], "languages": [], "first": None})
        entry["articles"].append(article["key"])
        if article["lang"] not in entry["languages"]:
            entry["languages"].append(article["lang"])
        if article["published"] and (entry["first"] is None or article["published"] < entry["first"]):
            entry["first"] = article["published"]
    keys = {a["id"]: registry.outlet(a["source"], a["url"]) for a in articles}
    for entry in per_outlet.values():
        entry["figures"] = []
    for group in figures:
        given: dict[str, list[Any]] = defaultdict(list)
        for o in group["occurrences"]:
            found = keys.get(o["article"])
            if found and o["value"] not in given[found.key]:
                given[found.key].append(o["value"])
        for key, values in given.items():
            per_outlet[key]["figures"].append(
                {"figure": group["id"], "what": group["what"] or group["unit"], "values": values}
            )
    reporting = sorted(per_outlet.values(), key=lambda e: (e["first"] is None, e["first"] or "", e["name"].casefold()))
    others = _store_outlets(store, registry)
    silent = sorted((o for key, o in others.items() if key not in per_outlet), key=lambda o: o.name.casefold())
    countries: dict[str, dict[str, Any]] = {}
    for entry in reporting:
        country = countries.setdefault(
            entry["country"] or "", {"country": entry["country"], "reporting": [], "silent": []}
        )
        country["reporting"].append(entry["name"])
    for outlet in silent:
        country = countries.setdefault(outlet.country or "", {"country": outlet.country, "reporting": [], "silent": []})
        country["silent"].append(outlet.name)
    return {
        "outlets": reporting,
        "not_reporting": [o.as_dict() for o in silent],
        "countries": sorted(
            countries.values(), key=lambda c: (c["country"] is None, -len(c["reporting"]), c["country"] or "")
        ),
        "unknown_outlet_articles": unknown,
    }


def _store_outlets(store: Store, registry: OutletRegistry) -> dict[str, Outlet]:
    found: dict[str, Outlet] = {}
    for row in facet_store.source_inputs(store):
        outlet = registry.outlet(row["source"], row["url"])
        if outlet is not None:
            found.setdefault(outlet.key, outlet)
    return found


def story_view(
    store: Store, story_id: int, registry: OutletRegistry, *, since: Any = None, verbose: bool = False
) -> StoryView | None:
    """``reads.story_detail`` with exclusives counted once per fact and the coverage by outlet and country."""
    detail = reads.story_detail(store, story_id, since=since, verbose=verbose)
    if detail is None:
        return None
    story = detail.model_dump(exclude_unset=True)
    story["exclusives"] = exclusives(store, detail.articles, detail.quotes, detail.figures, registry)
    story["coverage"] = coverage(store, detail.articles, detail.figures, registry)
    return StoryView.model_validate(story)
