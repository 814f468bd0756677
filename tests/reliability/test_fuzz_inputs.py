"""Fuzz: generated JSON Lines, text and HTML files (valid, broken and hostile) through reading, cleaning,
language, dates and the store. Every input gives documents or one-line errors, never a traceback, and the
store stays intact with the earlier articles unchanged. The encoder and the article stages are left out
to keep the run short; ``test_bad_input.py`` runs the whole CLI on each known bad input."""

from __future__ import annotations

import codecs
import json
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from storylens.models import InputError, RawDocument
from storylens.pipeline import Ingestor
from storylens.sources.files import read_inputs
from storylens.store.db import Store

# Pieces the probe found hostile, mixed with words in three scripts (Hebrew and Arabic as escapes).
HOSTILE = [
    "\ud800",
    "\udfff",
    "\x00",
    "\u2028",
    "\u2029",
    "\u0085",
    "\r",
    "\n",
    "\r\n",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\x1b[31m",
    '"',
    "\\",
    "{",
    "}",
    "[",
    "]",
    "<",
    ">",
    "&amp;",
    "<p>",
    "</p>",
    "<script>",
    "<br>",
    "\t",
    "2024-03-12",
    "12.3.2024",
    "1,400",
    "\u0661\u0664\u0660\u0660",
    "Source:",
    "Translation:",
    "...",
    "\u00a9",
]
WORDS = [
    "council",
    "harbour",
    "Minister",
    "Ventresca",
    "said",
    "on",
    "Friday",
    "budget",
    "the",
    "\u05d4\u05de\u05de\u05e9\u05dc\u05d4",
    "\u05d0\u05de\u05e8",
    "\u0627\u0644\u062d\u0643\u0648\u0645\u0629",
    "\u0642\u0627\u0644",
    ".",
    ",",
    " ",
    " ",
    "\n\n",
]
words = st.sampled_from(WORDS)  # mostly words, so that some inputs get through to the store
pieces = st.lists(st.one_of(words, words, words, words, st.sampled_from(HOSTILE), st.text(max_size=8)), max_size=40)
pieces = pieces.map("".join)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), pieces)
records = st.one_of(
    st.fixed_dictionaries(
        {"text": pieces},
        optional={
            "id": scalars,
            "title": scalars,
            "lang": scalars,
            "date": scalars,
            "url": scalars,
            "source": scalars,
            "extra": st.recursive(scalars, lambda inner: st.lists(inner, max_size=3), max_leaves=5),
        },
    ),
    st.recursive(
        scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(pieces, inner, max_size=3), max_leaves=8
    ),
)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=True)


jsonl = st.lists(st.one_of(records.map(_json), pieces), min_size=1, max_size=4).map("\n".join)
html = st.tuples(pieces, pieces, st.sampled_from(["", ' lang="he"', ' lang="x-"', ' lang="\u202e"'])).map(
    lambda p: f"<html{p[2]}><head><title>{p[0]}</title></head><body><article><p>{p[1]}</p></article></body></html>"
)
bodies = st.one_of(
    st.tuples(st.just(".jsonl"), jsonl),
    st.tuples(st.just(".json"), st.one_of(st.lists(records).map(_json), pieces)),
    st.tuples(st.just(".txt"), pieces),
    st.tuples(st.sampled_from([".html", ".htm"]), st.one_of(html, pieces)),
)
ENCODINGS = ["utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1255"]


def _encoded(text: str, encoding: str, tail: bytes) -> bytes:
    data = text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf") else "replace")
    if encoding == "utf-16" and not data.startswith(codecs.BOM_UTF16_LE + codecs.BOM_UTF16_BE):
        data = data[:2] + data[2:]
    return data + tail


inputs = st.tuples(bodies, st.sampled_from(ENCODINGS), st.binary(max_size=3), pieces.map(lambda s: s[:20]))

SEED = {"id": "seed", "title": "Harbour reopens", "text": "The harbour reopened on Friday, the council said."}


def _rows(db: Path) -> tuple[str, list[tuple]]:
    with sqlite3.connect(db) as connection:
        (check,) = connection.execute("PRAGMA integrity_check").fetchone()
        seed = connection.execute("SELECT * FROM articles ORDER BY id LIMIT 1").fetchall()
    return check, seed


def test_fuzzed_inputs_give_one_line_errors_and_an_intact_store() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "fuzz.db"
        seed_file = Path(folder) / "seed.jsonl"
        seed_file.write_text(json.dumps(SEED) + "\n", encoding="utf-8")
        with Store(db) as store:
            report = Ingestor(store).ingest(read_inputs([str(seed_file)]), run_stages=False)
        assert report.new_articles == 1
        before = _rows(db)
        assert before[0] == "ok"
        seen = {"cases": 0, "documents": 0, "errors": 0}

        @settings(settings.get_profile("reliability"))
        @given(inputs)
        def check(case: tuple) -> None:
            (suffix, body), encoding, tail, name = case
            seen["cases"] += 1
            safe_name = "".join(ch for ch in name if ch not in "/\x00") or "x"
            path = Path(folder) / "in" / (safe_name + suffix)
            path.parent.mkdir(exist_ok=True)
            try:
                path.write_bytes(_encoded(body, encoding, tail))
            except (OSError, UnicodeEncodeError):  # a name the file system refuses: not what is under test
                return
            try:
                results = list(read_inputs([str(path.parent)], max_bytes=100_000, max_chars=20_000))
                for result in results:
                    assert isinstance(result, RawDocument | InputError)
                    if isinstance(result, InputError):
                        line = result.line()
                        assert "\n" not in line and "\u202e" not in line and "\x1b" not in line, line
                with Store(db) as store:
                    report = Ingestor(store).ingest(results, run_stages=False)
                for error in report.errors:
                    assert "\n" not in error.line()
                seen["documents"] += report.new_articles + report.duplicates
                seen["errors"] += len(report.errors)
            finally:
                path.unlink()
            assert _rows(db) == before

        check()
        assert seen["cases"] >= settings.get_profile("reliability").max_examples, seen
        assert seen["documents"] > 0 and seen["errors"] > 0, seen  # the cases reach both outcomes
        print(seen)
