"""The story commands of the CLI: JSON field names, errors, extractive briefings and exports of every kind."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storylens.views.cli import app
from tests.test_views_data import XSS_TITLE, build_store


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "views.db"
    build_store(path)
    return path


def run(db: Path, *args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.stdout


def run_json(db: Path, *args: str) -> object:
    return json.loads(run(db, *args, "--json"))


def test_story_listings_use_the_documented_fields(db: Path) -> None:
    stories = run_json(db, "stories", "--lang", "he")
    assert [s["id"] for s in stories] == [1]
    assert {"id", "title", "time_span", "languages", "sources", "size"} <= set(stories[0])
    assert [s["id"] for s in run_json(db, "stories", "--since", "2025-05-16")] == [4, 1]
    story = run_json(db, "story", "1")
    assert set(story["articles"]) == {"ar", "en", "he"}
    assert set(story["articles"]["en"]) == {"Daily Courier", "Evening Post"}
    assert [day["date"] for day in story["timeline"]] == ["2025-05-17", "2025-05-18", "2025-05-19"]
    (line,) = run_json(db, "storylines")
    assert line["story_ids"] == [1, 4]
    detail = run_json(db, "storyline", "1")
    assert [s["id"] for s in detail["stories"]] == [1, 4]
    assert [(link["earlier"], link["later"]) for link in detail["links"]] == [(1, 4)]
    shown = CliRunner().invoke(app, ["storyline", "1", "--db", str(db)]).output
    assert "story 4 continues story 1" in shown


def test_entities_quotes_and_figures_json(db: Path) -> None:
    entities = run_json(db, "entities", "--story", "1")
    assert all(set(e) >= {"id", "name", "type", "variants"} for e in entities)
    assert all(set(v) == {"text", "lang", "count"} for e in entities for v in e["variants"])
    (quote,) = run_json(db, "quotes", "--story", "1")
    assert quote["speaker"] == "Stefano Bonaccini"
    assert all(set(v) == {"text", "lang", "article"} for v in quote["variants"])
    figures = run_json(db, "figures", "--story", "1")
    euros = next(f for f in figures if f["unit"] == "euros")
    assert euros["value"] == [5_000_000_000, 7_000_000_000]
    assert all(set(o) == {"text", "article", "source", "lang"} for f in figures for o in f["occurrences"])
    assert [f["discrepancy"] for f in figures if f["what"] == "killed"] == [True]
    entity = run_json(db, "entity", "סטפנו בונאצ'יני")
    assert entity["name"] == "Stefano Bonaccini" and entity["variants_by_language"]["he"][0]["count"] == 1


@pytest.mark.parametrize(
    "args", [("story", "99"), ("storyline", "9"), ("entity", "Nobody"), ("brief", "storyline:9"), ("brief", "x:1")]
)
def test_unknown_references_fail_in_one_line(db: Path, args: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*args, "--db", str(db)])
    assert result.exit_code == 1
    assert "error:" in result.output and len(result.output.strip().splitlines()) <= 2


def test_brief_is_extractive_and_cites_every_article(db: Path) -> None:
    brief = json.loads(run(db, "brief", "storyline:1", "--format", "json"))
    texts = {s["n"]: s for s in brief["sources"]}
    article_texts = {a["db_id"]: a["text"] for a in map(json.loads, run(db, "export").splitlines())}
    cited = {s["article"] for s in brief["sources"]}
    assert cited == {1, 2, 3, 4, 8}  # every article of the storyline's two stories
    statements = []
    for story in brief["stories"]:
        statements += [(r["text"].rstrip(" …"), r["cite"]) for r in story["reports"]]
        statements += [(s["text"], s["cite"]) for f in story["figures"] for s in f["statements"]]
        statements += [(s["text"], s["cite"]) for q in story["quotes"] for s in q["statements"]]
        statements += [(v["text"], n) for name in story["names"] for v in name["variants"] for n in v["cites"]]
    assert statements
    for text, number in statements:
        assert text in " ".join(article_texts[texts[number]["article"]].split()), (text, number)
    for source in brief["sources"]:
        assert source["url"] and source["published"] and source["lang"] and source["source"]


def test_brief_formats_and_since(db: Path) -> None:
    markdown = run(db, "brief", "1", "--format", "md", "--since", "2025-05-21")
    assert "## What changed since 2025-05-21" in markdown
    assert "changed figure, killed: “13” [4]" in markdown
    assert "## Sources" in markdown and "https://example.org/flood-ar" in markdown
    hostile = run(db, "brief", "story:3", "--format", "html")
    assert "<script" not in hostile.lower() and "&lt;script&gt;" in hostile
    hostile_md = run(db, "brief", "3", "--format", "md")
    assert "<script>" not in hostile_md and "\\<script\\>" in hostile_md
    assert XSS_TITLE not in hostile_md


def test_articles_export_keeps_its_fields_and_gains_story_and_storyline(db: Path, tmp_path: Path) -> None:
    rows = [json.loads(line) for line in run(db, "export", "--what", "articles").splitlines()]
    flood = next(r for r in rows if r["url"] == "https://example.org/flood-he")
    assert {"id", "db_id", "lang", "published", "source", "text", "offsets"} <= set(flood)
    assert (flood["story"], flood["storyline"]) == (1, 1)
    assert next(r for r in rows if r["url"] == "https://example.org/rates-fr")["storyline"] is None
    table = list(csv.DictReader(io.StringIO(run(db, "export", "--what", "figures", "--format", "csv"))))
    euros = [r for r in table if r["unit"] == "euros"]
    assert euros and {r["group_value"] for r in euros} == {"5000000000; 7000000000"}  # flat: no JSON in cells


@pytest.mark.parametrize(
    "args",
    [
        ["story", "99999999999999999999"],
        ["storyline", str(2**63)],
        ["quotes", "--story", str(2**64)],
        ["entity", "²"],
        ["brief", "²"],
        ["brief", "storyline:99999999999999999999"],
        ["show", "99999999999999999999"],
        ["show", "٣"],
    ],
)
def test_odd_ids_are_one_line_errors_not_tracebacks(db: Path, args: list[str]) -> None:
    result = CliRunner().invoke(app, [*args, "--db", str(db)])
    assert result.exit_code in (1, 2)
    assert isinstance(result.exception, SystemExit), result.exception


def test_csv_cells_that_a_spreadsheet_would_run_are_escaped() -> None:
    """OWASP CSV injection: text starting with = + - @ tab or CR gets a leading quote; numbers stay numbers."""
    from storylens.views.export import write_export

    hostile = ['=HYPERLINK("http://x.example","y")', "@SUM(A1)", "+1+2", "-2+3", "\tx", "\rx"]
    rows = [{"title": text, "value": -3} for text in hostile] + [{"title": "a = b", "value": 1.5}]
    stream = io.StringIO()
    write_export(iter(rows), "csv", stream)
    table = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert [r["title"] for r in table] == ["'" + text for text in hostile] + ["a = b"]
    assert [r["value"] for r in table] == ["-3"] * len(hostile) + ["1.5"]


@pytest.mark.parametrize("what", ["articles", "stories", "storylines", "entities", "mentions", "quotes", "figures"])
def test_every_kind_exports_to_parquet(db: Path, tmp_path: Path, what: str) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    target = tmp_path / f"{what}.parquet"
    run(db, "export", "--what", what, "--format", "parquet", "--output", str(target))
    flat = list(csv.DictReader(io.StringIO(run(db, "export", "--what", what, "--format", "csv"))))
    assert pq.read_table(target).num_rows == len(flat) > 0


def test_export_rejects_unknown_kinds_and_formats(db: Path) -> None:
    for args in (["--what", "people"], ["--format", "xlsx"]):
        result = CliRunner().invoke(app, ["export", *args, "--db", str(db)])
        assert result.exit_code == 2
