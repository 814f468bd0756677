"""Helpers the read modules share: placeholders, JSON lists, story filters, grouping, storyline links."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from storylens.store.db import Store


def marks(count: int) -> str:
    return ",".join("?" * count)


def json_list(value: str | None) -> list[Any]:
    return [item for item in json.loads(value or "[]") if item is not None]


def story_article_filter(story_id: int | None, column: str) -> tuple[str, list[Any]]:
    if story_id is None:
        return "", []
    return f" AND {column} IN (SELECT article_id FROM story_members WHERE story_id = ?)", [story_id]


def grouped(rows: Iterable[sqlite3.Row]) -> dict[tuple[str, int], list[sqlite3.Row]]:
    """Rows by their group; a row without a group is a group of its own."""
    groups: dict[tuple[str, int], list[sqlite3.Row]] = {}
    for row in rows:
        key = ("group", row["group_id"]) if row["group_id"] is not None else ("single", row["id"])
        groups.setdefault(key, []).append(row)
    return groups


def storyline_links(store: Store, where: str, value: int) -> list[dict[str, Any]]:
    """Stored storyline links matching ``where`` (one parameter), each with its reasons."""
    rows = store.conn.execute(
        f"SELECT earlier, later, reasons FROM storyline_links WHERE {where} ORDER BY earlier, later", (value,)
    )
    return [{"earlier": r["earlier"], "later": r["later"], **json.loads(r["reasons"])} for r in rows]
