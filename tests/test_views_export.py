"""Exports: flat CSV (one row per occurrence, no JSON in cells, BOM with --excel), JSON in the API's shapes,
and a one-line error for parquet without pyarrow."""

from __future__ import annotations

import builtins
import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storylens.views.cli import app
from storylens.views.web import create_app
from tests.test_views_data import build_store

KINDS = ["articles", "stories", "storylines", "entities", "mentions", "quotes", "figures"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "views.db"
    build_store(path)
    return path


def export(db: Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["export", *args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.stdout


def jsonl(db: Path, what: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in export(db, "--what", what).splitlines()]


@pytest.mark.parametrize("what", KINDS)
def test_csv_is_flat(db: Path, what: str) -> None:
    rows = list(csv.DictReader(io.StringIO(export(db, "--what", what, "--format", "csv"))))
    assert rows
    for row in rows:
        for value in row.values():
            assert not (value.startswith(("[", "{")) and value.endswith(("]", "}"))), (what, value)


def test_csv_has_one_row_per_occurrence_with_the_public_article_id(db: Path) -> None:
    articles = {a["db_id"]: a["id"] for a in jsonl(db, "articles")}
    for what, field in (("quotes", "variants"), ("figures", "occurrences")):
        groups = jsonl(db, what)
        rows = list(csv.DictReader(io.StringIO(export(db, "--what", what, "--format", "csv"))))
        assert len(rows) == sum(len(g[field]) for g in groups)
        expected = sorted(articles[o["article"]] for g in groups for o in g[field])
        assert sorted(r["article"] for r in rows) == expected
    mentions = list(csv.DictReader(io.StringIO(export(db, "--what", "mentions", "--format", "csv"))))
    assert {m["article"] for m in mentions} <= set(articles.values())
    entities = jsonl(db, "entities")
    spellings = list(csv.DictReader(io.StringIO(export(db, "--what", "entities", "--format", "csv"))))
    assert len(spellings) == sum(len(e["variants"]) for e in entities)
    stories = list(csv.DictReader(io.StringIO(export(db, "--what", "stories", "--format", "csv"))))
    assert {s["time_span.first"] for s in stories} == {s["time_span"]["first"] for s in jsonl(db, "stories")}


def test_excel_csv_starts_with_a_bom_and_keeps_hebrew_and_arabic(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "quotes.csv"
    export(db, "--what", "quotes", "--format", "csv", "--excel", "--output", str(target))
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    texts = {v["text"] for g in jsonl(db, "quotes") for v in g["variants"]}
    assert {r["text"] for r in rows} == texts
    assert {r["lang"] for r in rows} >= {"ar", "he"}
    assert not export(db, "--what", "quotes", "--format", "csv").startswith("\ufeff")
    bad = CliRunner().invoke(app, ["export", "--excel", "--db", str(db)])
    assert bad.exit_code == 2


def test_parquet_without_pyarrow_is_a_one_line_error(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_pyarrow(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pyarrow" or name.startswith("pyarrow."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    result = CliRunner().invoke(app, ["export", "--format", "parquet", "--db", str(db)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    (line,) = result.output.strip().splitlines()
    assert "pyarrow" in line


@pytest.mark.parametrize(
    ("what", "route"),
    [
        ("stories", "/api/stories?_size=500"),
        ("entities", "/api/entities?_size=500"),
        ("quotes", "/api/quotes"),
        ("figures", "/api/figures"),
    ],
)
def test_json_export_has_the_api_shapes(db: Path, what: str, route: str) -> None:
    client = TestClient(create_app(db), base_url="http://localhost")
    exported = json.loads(export(db, "--what", what, "--format", "json"))
    assert exported == jsonl(db, what)
    api = client.get(route).json()
    assert exported == api["rows"] and api["total"] == len(exported) and api["next"] is None
