"""Each bad input found by the issue-13 probe gives exactly one ``error: <input>[:line]: <reason>`` line, and
the rest of the batch is stored."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from storylens.models import InputError, RawDocument, SkippedInput
from storylens.sources.checks import MAX_JSON_DEPTH
from storylens.sources.files import read_inputs
from storylens.views.cli import app

runner = CliRunner()
GOOD = {"id": "good", "text": "The harbour reopened on Friday after eight months of repairs, the council said."}


def ingest(*args: str) -> tuple[int, list[str], list[str]]:
    result = runner.invoke(app, ["ingest", *args], catch_exceptions=False)
    lines = result.stderr.splitlines()
    return (
        result.exit_code,
        [ln for ln in lines if ln.startswith("error:")],
        [ln for ln in lines if ln.startswith("skipped:")],
    )


def read(path: Path, **options) -> list[RawDocument | InputError]:
    return list(read_inputs([str(path)], **options))


def test_a_lone_surrogate_is_one_error_and_the_next_line_is_stored(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "s", "text": "broken \\ud800 text"}\n' + json.dumps(GOOD) + "\n", encoding="utf-8")
    code, errors, _ = ingest(str(path), "--db", str(tmp_path / "s.db"))
    assert code == 1
    assert len(errors) == 1 and "a.jsonl:1" in errors[0] and "surrogate" in errors[0], errors
    listed = runner.invoke(app, ["articles", "--json", "--db", str(tmp_path / "s.db")])
    assert [row["id"] for row in json.loads(listed.stdout)] == ["good"]


def test_deep_json_is_refused_without_recursion(tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text("[" * 1000 + "]" * 1000, encoding="utf-8")
    (tmp_path / "deeper.jsonl").write_text("[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    nested: dict = {"id": "n", "text": "An article with nested metadata."}
    cursor = nested
    for _ in range(MAX_JSON_DEPTH + 1):
        cursor["m"] = {}
        cursor = cursor["m"]
    (tmp_path / "meta.jsonl").write_text(json.dumps(nested) + "\n", encoding="utf-8")
    results = read(tmp_path)
    assert all(isinstance(r, InputError) and "nested deeper" in r.message for r in results), results
    assert len(results) == 3


def test_broken_byte_order_marks_are_decoding_errors(tmp_path: Path) -> None:
    (tmp_path / "utf8.txt").write_bytes(b"\xef\xbb\xbfsome text \xff\xfe more")
    (tmp_path / "utf16.txt").write_bytes(b"\xff\xfeh\x00i\x00!")
    results = read(tmp_path)
    assert [type(r) for r in results] == [InputError, InputError]
    assert "UTF-16" in results[0].message and "UTF-8" in results[1].message


def test_json_lines_split_only_at_newline(tmp_path: Path) -> None:
    text = "First part\u2028still the same record\u0085and the same again, about the council budget."
    path = tmp_path / "a.jsonl"
    path.write_text(
        json.dumps({"id": "x", "text": text}, ensure_ascii=False) + "\n\n" + '{"id": "broken"\n', encoding="utf-8"
    )
    first, second = read(path)
    assert isinstance(first, RawDocument) and first.text == text
    assert isinstance(second, InputError) and second.origin.endswith("a.jsonl:3")


def test_nul_is_refused_never_cut(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text('{"id": "n", "text": "before\\u0000after"}\n', encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"plain words " * 1000 + b"\x00 and the rest")
    first, second = read(tmp_path)
    assert isinstance(first, InputError) and "NUL" in first.message
    assert isinstance(second, InputError) and "NUL byte at byte 12,000" in second.message


def test_pipeline_errors_are_printed_not_only_counted(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<html><head><title>t</title></head><body><script>x()</script></body></html>", encoding="utf-8")
    code, errors, _ = ingest(str(path), "--db", str(tmp_path / "s.db"))
    assert code == 1 and len(errors) == 1 and "page.html" in errors[0] and "no article text" in errors[0], errors
    text = tmp_path / "only-boilerplate.txt"
    text.write_text("\u00a9 2024 All rights reserved", encoding="utf-8")
    code, errors, _ = ingest(str(text), "--db", str(tmp_path / "s.db"))
    assert code == 1 and len(errors) == 1 and "only-boilerplate.txt" in errors[0], errors


def test_file_names_cannot_forge_or_reorder_lines(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "evil\nerror: forged \u202ename.txt").write_text("", encoding="utf-8")
    code, errors, _ = ingest(str(folder), "--db", str(tmp_path / "s.db"))
    assert code == 1 and len(errors) == 1, errors
    assert "\\x0aerror: forged \\u202ename.txt" in errors[0] and "\u202e" not in errors[0]


def test_latin1_hint_names_a_western_encoding(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Caf\xe9 cr\xe8me br\xfbl\xe9e est d\xe9licieuse, dit le chef.".encode("latin-1"))
    (error,) = read(path)
    hint = re.search(r"pass --encoding (\S+)", error.message)
    assert hint and hint.group(1) in {"cp1252", "latin_1", "iso8859_15"}, error.message
    (doc,) = read(path, encoding=hint.group(1))
    assert "cr\u00e8me" in doc.text


def test_article_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(
        json.dumps({"id": "long", "text": "word " * 400}) + "\n" + json.dumps(GOOD) + "\n", encoding="utf-8"
    )
    first, second = read(path, max_chars=1000)
    assert isinstance(first, InputError) and "2,000 characters, over the 1,000-character cap" in first.message
    assert isinstance(second, RawDocument)


def test_include_exclude_and_not_article_files(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    (folder / "gold").mkdir(parents=True)
    (folder / "news.jsonl").write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    (folder / "gold" / "stories.json").write_text(json.dumps({"stories": {"s1": ["good"]}}), encoding="utf-8")
    (folder / "gold" / "labels.jsonl").write_text('{"id": "good", "story": "s1"}\n', encoding="utf-8")
    (folder / "gold" / "labels.json").write_text('[{"id": "good", "story": "s1"}]', encoding="utf-8")
    (folder / "notes.md").write_text("Notes about the data set, not an article.", encoding="utf-8")
    results = read(folder, exclude=["*.md"])
    assert [type(r) for r in results] == [SkippedInput, SkippedInput, SkippedInput, RawDocument]
    assert [type(r) for r in read(folder, include=["*.jsonl"], exclude=["gold/*"])] == [RawDocument]
    code, errors, skipped = ingest(str(folder), "--include", "*.json*", "--db", str(tmp_path / "s.db"))
    assert code == 0 and not errors and len(skipped) == 3, (errors, skipped)
    assert all(line.count("\n") == 0 and "not articles" in line for line in skipped)
    named = read(folder / "gold" / "stories.json")  # named on the command line: an error, not a notice
    assert [type(r) for r in named] == [type(named[0])] and not isinstance(named[0], SkippedInput)
