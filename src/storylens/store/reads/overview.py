"""Reads across the whole store: filter facets, memberships, export rows and counts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from storylens.analysis.coverage import UNKNOWN_SOURCE
from storylens.store.db import Store
from storylens.store.read_model import Row
from storylens.store.reads.entities import iter_mentions, list_entities
from storylens.store.reads.groups import list_figure_groups, list_quote_groups
from storylens.store.reads.stories import list_stories, list_storylines, storyline_detail


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
    """Rows to export for ``stories``, ``storylines``, ``entities``, ``quotes`` or ``figures``: the API's
    shapes as plain data."""
    rows: Iterable[Row | dict[str, Any]]
    if what == "stories":
        rows = list_stories(store, limit=None)
    elif what == "storylines":
        rows = _storylines_with_stories(store)
    elif what == "entities":
        rows = list_entities(store)
    elif what == "mentions":
        rows = iter_mentions(store)
    elif what == "quotes":
        rows = list_quote_groups(store)
    elif what == "figures":
        rows = list_figure_groups(store)
    else:
        raise ValueError(f"cannot export {what!r}")
    for row in rows:
        yield row.model_dump(exclude_unset=True) if isinstance(row, Row) else row


def _storylines_with_stories(store: Store) -> Iterator[dict[str, Any]]:
    for line in list_storylines(store):
        detail = storyline_detail(store, line.id)
        assert detail is not None
        yield line.model_dump() | {"story_ids": [s.id for s in detail.stories]}


def story_counts(store: Store) -> tuple[int, int]:
    """How many stories and storylines the store holds."""
    row = store.conn.execute("SELECT (SELECT count(*) FROM stories), (SELECT count(*) FROM storylines)").fetchone()
    return int(row[0]), int(row[1])
