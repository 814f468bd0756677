"""Exports: JSON Lines or a JSON array in the same shapes as the API, and flat CSV or Parquet tables.

Flat tables have one row per article, story, storyline, entity spelling, mention, quote occurrence or figure
occurrence: a group's fields repeat on each of its occurrences (``quote_group``/``figure_group``), nested
objects become dotted columns (``time_span.first``), lists of plain values are joined with ``; ``, and articles
are named by the one id every view shows. No cell holds JSON.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from storylens.store import reads
from storylens.store.articles import list_articles
from storylens.store.db import Store
from storylens.store.read_model import json_default
from storylens.views.serialize import article_dict

EXPORT_KINDS = ("articles", "stories", "storylines", "entities", "mentions", "quotes", "figures")
# The list of occurrences a row of each kind is split into in flat tables, and the prefix of their columns.
OCCURRENCES = {"entities": ("variants", "variant"), "quotes": ("variants", ""), "figures": ("occurrences", "")}
GROUP_ID = {"quotes": "quote_group", "figures": "figure_group", "entities": "entity"}
LIST_SEPARATOR = "; "
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PARQUET_MISSING = "parquet export needs pyarrow: pip install 'storylens[parquet]' (or use --format csv)"


class ExportError(Exception):
    """An export that cannot be written (a missing optional library); the message is one line."""


def export_rows(store: Store, what: str) -> Iterator[dict[str, Any]]:
    """Rows of one kind; articles keep the ``storylens articles --json`` fields and gain story and storyline."""
    if what != "articles":
        yield from reads.iter_export(store, what)
        return
    memberships = reads.article_memberships(store)
    for article in list_articles(store):
        story_id, storyline_id = memberships.get(article.id, (None, None))
        yield article_dict(store, article, with_text=True) | {"story": story_id, "storyline": storyline_id}


def flat_rows(store: Store, what: str, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One flat row per occurrence (see the module docstring), articles named by their public id."""
    field, prefix = OCCURRENCES.get(what, ("", ""))
    table: list[dict[str, Any]] = []
    for row in rows:
        group = _flatten({k: v for k, v in row.items() if k != field})
        if what in GROUP_ID:
            group = {GROUP_ID[what]: group.pop("id"), **group}
        children = (row.get(field) or [{}]) if field else [{}]
        for child in children:
            occurrence = {(f"{prefix}_{k}" if prefix else k): v for k, v in _flatten(child).items()}
            shared = {(f"group_{k}" if k in occurrence else k): v for k, v in group.items()}
            table.append(shared | occurrence)
    keys = _article_keys(store, table)
    for row in table:
        for column in ("article", "translation_of"):
            if isinstance(row.get(column), int):
                row[column] = keys.get(row[column], row[column])
    mixed = {k for k in {k for row in table for k in row} if len({_kind(row.get(k)) for row in table} - {None}) > 1}
    for row in table:
        for column in mixed & row.keys():
            if row[column] is not None:
                row[column] = str(row[column])  # one type per column (a figure's value may be a range)
    return table


def _kind(value: Any) -> type | None:
    if value is None:
        return None
    return float if isinstance(value, int | float) and not isinstance(value, bool) else type(value)


def _article_keys(store: Store, table: list[dict[str, Any]]) -> dict[int, str]:
    ids = sorted({row["article"] for row in table if isinstance(row.get("article"), int)})
    return {article_id: item["key"] for article_id, item in reads.articles_by_ids(store, ids).items()}


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat |= _flatten(value, f"{name}.")
        elif isinstance(value, list):
            plain = [v for v in value if not isinstance(v, dict | list)]
            flat[name] = LIST_SEPARATOR.join(str(v) for v in plain) if len(plain) == len(value) else len(value)
        else:
            flat[name] = value
    return flat


def csv_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet will not run: text starting with = + - @ tab or CR gets a leading single
    quote (OWASP, CSV injection). Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


@dataclass(frozen=True)
class Exporter:
    """One export format: ``flat`` formats get one row per occurrence (no nesting), ``binary`` ones a byte stream.
    Plugins register more in the ``storylens.exporters`` entry point group (see ``storylens.plugins``)."""

    name: str
    flat: bool
    binary: bool
    write: Callable[[list[dict[str, Any]], IO[Any], bool], None]


def _write_jsonl(rows: list[dict[str, Any]], stream: IO[Any], excel: bool) -> None:
    for row in rows:
        stream.write(json.dumps(row, ensure_ascii=False, default=json_default) + "\n")


def _write_json(rows: list[dict[str, Any]], stream: IO[Any], excel: bool) -> None:
    stream.write(json.dumps(rows, ensure_ascii=False, indent=2, default=json_default) + "\n")


def _write_csv(rows: list[dict[str, Any]], stream: IO[Any], excel: bool) -> None:
    if excel:
        stream.write("\ufeff")
    fields = list(dict.fromkeys(key for row in rows for key in row))
    writer = csv.DictWriter(stream, fieldnames=fields)
    writer.writeheader()
    writer.writerows({key: csv_cell(value) for key, value in row.items()} for row in rows)


def _write_parquet(rows: list[dict[str, Any]], stream: IO[Any], excel: bool) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as error:
        raise ExportError(PARQUET_MISSING) from error
    pq.write_table(pa.Table.from_pylist(rows), stream)


JSONL = Exporter("jsonl", flat=False, binary=False, write=_write_jsonl)
JSON = Exporter("json", flat=False, binary=False, write=_write_json)
CSV = Exporter("csv", flat=True, binary=False, write=_write_csv)
PARQUET = Exporter("parquet", flat=True, binary=True, write=_write_parquet)


def exporter(name: str) -> Exporter:
    """The exporter registered under ``name`` (built-in or a plugin's)."""
    from storylens.plugins import PluginError, plugin

    try:
        found = plugin("exporters", name)
    except PluginError as error:
        raise ExportError(str(error)) from error
    return found  # type: ignore[no-any-return]


def export_formats() -> tuple[str, ...]:
    from storylens.plugins import registered

    return tuple(registered("exporters"))


def write_export(rows: Iterable[dict[str, Any]], output_format: str, stream: IO[Any], *, excel: bool = False) -> int:
    """Write rows (already flat for flat formats) as JSON Lines, a JSON array, CSV (``excel``: with a UTF-8 byte
    order mark, so spreadsheets read Hebrew and Arabic right), Parquet or a plugin's format; returns the count."""
    table = list(rows)
    exporter(output_format).write(table, stream, excel)
    return len(table)
