"""Ingest end to end through the CLI: the samples give exactly the gold articles, safely and idempotently."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storylens.pipeline import Ingestor
from storylens.sources.files import read_inputs
from storylens.store.db import Store
from storylens.views.cli import app

from .conftest import DEMO, shared_path

runner = CliRunner()


def run(*args: str, input: str | bytes | None = None):
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


def exported(db: Path) -> list[dict]:
    result = run("export", "--format", "jsonl", "--db", str(db))
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def sample_files(seeds: Path) -> list[str]:
    return [str(path) for path in sorted(seeds.glob("*.txt"))]


def line_span(text: str, start: int, end: int) -> tuple[int, int]:
    """1-based first and last line of a character span."""
    first = text[:start].count("\n") + 1
    last = text[: len(text[:end].rstrip())].count("\n") + 1
    return first, last


def assert_gold_articles(folder: Path, expected: dict, rows: list[dict]) -> None:
    """Every stored article is one gold article or translation (same lines, role, language, date), and back."""
    gold = [(doc, seg) for doc in expected["documents"] for seg in doc["segments"] if seg["role"] != "boilerplate"]
    assert len(rows) == len(gold)
    by_file: dict[str, list[dict]] = {}
    for row in rows:
        by_file.setdefault(Path(row["path"]).name, []).append(row)
    for doc, segment in gold:
        if "line" in doc:  # a JSON Lines record: its gold lines count lines of the record's text
            candidates = [row for row in by_file[doc["file"]] if row["id"] == doc["id"]]
        else:
            text = (folder / doc["file"]).read_text(encoding="utf-8")
            end_line = segment["end"] or len(text.rstrip().split("\n"))
            candidates = [
                row
                for row in by_file[doc["file"]]
                if line_span(text, row["offsets"]["start"], row["offsets"]["end"]) == (segment["start"], end_line)
            ]
        assert len(candidates) == 1, (doc["file"], segment, [r["offsets"] for r in by_file[doc["file"]]])
        row = candidates[0]
        assert (row["role"], row["lang"]) == (segment["role"], segment["lang"]), (doc["file"], segment)
        if segment["role"] == "article" and segment["published"]:
            assert row["published"] == segment["published"], (doc["file"], segment, row["date_method"])
        elif segment["role"] == "article":  # no date of its own: unknown, or inferred later from its story
            assert row["published"] is None or row["date_method"] == "inferred", (doc["file"], row["date_method"])
        if segment["role"] == "translation":
            original = next(r for r in by_file[doc["file"]] if r["role"] == "article")
            assert row["translation_of"] == original["id"]
        if segment.get("title"):
            assert row["title"] == segment["title"]


@pytest.fixture(scope="module")
def samples_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five samples ingested once through the CLI; tests that change the store work on a copy."""
    db = tmp_path_factory.mktemp("samples") / "samples.db"
    result = run("ingest", *sample_files(shared_path("seeds")), "--db", str(db))
    assert result.exit_code == 0, result.output
    return db


def test_samples_give_the_gold_articles(seeds: Path, expected: dict, samples_db: Path) -> None:
    rows = exported(samples_db)
    assert_gold_articles(seeds, expected, rows)
    sources = [row["source"] for row in rows if row["source"]]
    assert any("سكاي نيوز عربية" in source for source in sources)


def test_demo_corpus_gives_its_gold_articles(db_path: Path) -> None:
    expected = json.loads((DEMO / "expected.json").read_text(encoding="utf-8"))
    result = run("ingest", str(DEMO / "articles"), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert_gold_articles(DEMO / "articles", expected, exported(db_path))


def test_boilerplate_is_not_in_any_article(seeds: Path, expected: dict, samples_db: Path) -> None:
    texts = "\n".join(row["text"] for row in exported(samples_db))
    for doc in expected["documents"]:
        lines = (seeds / doc["file"]).read_text(encoding="utf-8").split("\n")
        for segment in doc["segments"]:
            if segment["role"] == "boilerplate":
                for line in lines[segment["start"] - 1 : segment["end"] or len(lines)]:
                    if line.strip():
                        assert line.strip() not in texts


def test_original_text_is_stored_verbatim(seeds: Path, samples_db: Path) -> None:
    with sqlite3.connect(samples_db) as conn:
        stored = {Path(path).name: text for path, text in conn.execute("SELECT path, text FROM documents")}
    for file in seeds.glob("*.txt"):
        assert stored[file.name] == file.read_text(encoding="utf-8")
    for row in exported(samples_db):
        document = stored[Path(row["path"]).name]
        assert document[row["offsets"]["start"] : row["offsets"]["end"]] == row["text"]


def test_ingesting_twice_changes_nothing(seeds: Path, samples_db: Path, db_path: Path) -> None:
    shutil.copy(samples_db, db_path)
    first = exported(db_path)
    again = run("ingest", *sample_files(seeds), "--db", str(db_path), "--json")
    assert again.exit_code == 0
    summary = json.loads(again.stdout)
    assert summary["new"] == 0 and summary["duplicates"] == summary["read"]
    assert exported(db_path) == first


@pytest.mark.parametrize("name", ["itn_dev.jsonl", "news_dev.jsonl"])
def test_jsonl_sets_keep_their_ids(name: str, db_path: Path) -> None:
    path = shared_path("data", name)
    gold_ids = [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    with Store(db_path) as store:  # storage only: the later stages have tests of their own
        report = Ingestor(store).ingest(read_inputs([str(path)]))
    assert not report.errors
    ids = {row["id"].split("#")[0] for row in exported(db_path)}
    assert ids == set(gold_ids)


def test_listing_and_show(samples_db: Path) -> None:
    db_path = samples_db
    listed = json.loads(run("articles", "--lang", "he", "--json", "--db", str(db_path)).stdout)
    assert listed and all(row["lang"] == "he" for row in listed)
    since = json.loads(run("articles", "--since", "2025-12-01", "--json", "--db", str(db_path)).stdout)
    assert since and all(row["published"] >= "2025-12-01" for row in since)
    shown = json.loads(run("show", listed[0]["id"], "--json", "--db", str(db_path)).stdout)
    assert shown["text"] and shown["segments"] and shown["date_method"]
    assert run("show", "no-such-article", "--db", str(db_path)).exit_code == 1
    stats = json.loads(run("stats", "--json", "--db", str(db_path)).stdout)
    assert stats["articles"] == len(exported(db_path))


def test_stdin_text_and_jsonl(db_path: Path) -> None:
    text = "Storm closes the harbour\n\nThe harbour of the town was closed on Monday after a storm damaged two piers."
    result = run("ingest", "-", "--db", str(db_path), input=text)
    assert result.exit_code == 0, result.output
    line = json.dumps({"id": "x-1", "text": "Rain floods three streets in the old city, officials said.", "lang": "en"})
    result = run("ingest", "-", "--db", str(db_path), input=line + "\n")
    assert result.exit_code == 0, result.output
    assert {row["id"] for row in exported(db_path)} >= {"x-1"}


def test_jsonl_record_without_a_date_is_dated_from_its_url(db_path: Path) -> None:
    record = {
        "id": "u-1",
        "lang": "en",
        "url": "https://example.org/world/2025/03/28/quake-hits-city",
        "text": "A strong earthquake struck the city, officials said. Rescuers searched the rubble.",
    }
    assert run("ingest", "-", "--db", str(db_path), input=json.dumps(record) + "\n").exit_code == 0
    (row,) = [row for row in exported(db_path) if row["id"] == "u-1"]
    assert (row["published"], row["date_method"]) == ("2025-03-28", "url")


def test_bad_inputs_get_one_line_errors_and_leave_the_store_intact(tmp_path: Path, db_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(
        "Bridge reopens after repairs\n\nThe old bridge over the river reopened on Friday "
        "after eight months of repairs, the city council said.",
        encoding="utf-8",
    )
    assert run("ingest", str(good), "--db", str(db_path)).exit_code == 0
    before = exported(db_path)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("", encoding="utf-8")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (bad / "latin1.txt").write_bytes("Caf\xe9 cr\xe8me br\xfbl\xe9e est d\xe9licieuse.".encode("latin-1"))
    (bad / "broken.jsonl").write_text(
        '{"id": "a", "text": "Valid line about a new school opening in town."}\n{"id": "b", "text": \n',
        encoding="utf-8",
    )
    (bad / "huge.txt").write_text("word " * 50_000, encoding="utf-8")
    result = runner.invoke(
        app, ["ingest", str(bad), str(tmp_path / "missing.txt"), "--db", str(db_path), "--max-bytes", "100000"]
    )
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert "Traceback" not in result.output
    for name, reason in [
        ("empty.txt", "empty"),
        ("binary.txt", "binary"),
        ("latin1.txt", "UTF-8"),
        ("broken.jsonl:2", "malformed JSON"),
        ("huge.txt", "cap"),
        ("missing.txt", "no such"),
    ]:
        assert any(name in line and reason in line for line in errors), (name, errors)
    after = exported(db_path)
    assert [row for row in after if row["id"] == "a"]
    assert [row for row in after if row["id"] != "a"] == before


def test_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    result = runner.invoke(app, ["articles", "--db", str(junk)])
    assert result.exit_code == 1
    assert "not a usable storylens database" in result.stderr


def test_a_killed_ingest_leaves_whole_documents_and_readers_keep_working(tmp_path: Path, db_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(400):
        (folder / f"{number:03}.txt").write_text(
            f"Harbour report number {number}\n\nThe harbour master counted {number} ships today and said the "
            f"weather was calm.\n\nSource: Harbour Gazette\n",
            encoding="utf-8",
        )
    script = (
        "import sys; from storylens.pipeline import Ingestor; from storylens.sources.files import read_inputs;"
        "from storylens.store.db import Store; Ingestor(Store(sys.argv[1])).ingest(read_inputs([sys.argv[2]]))"
    )
    process = subprocess.Popen([sys.executable, "-c", script, str(db_path), str(folder)])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.2)
        if db_path.exists():
            with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as reader:  # a reader during the write
                stored = reader.execute("SELECT count(*) FROM documents").fetchone()[0] if _has_tables(reader) else 0
            if stored >= 20:
                break
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        orphans = conn.execute(
            "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.document_id = d.id)"
        ).fetchone()[0]
    assert 0 < documents < 400 and orphans == 0
    with Store(db_path) as store:
        report = Ingestor(store).ingest(read_inputs([str(folder)]))
    assert report.duplicates == documents and report.new_articles == 400 - documents


def _has_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'documents'").fetchone()[0] == 1
