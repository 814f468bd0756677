"""Read local inputs (files, folders, stdin) into RawDocuments.

Plain text, JSON Lines (one article per line), JSON arrays and saved HTML pages. Every problem
with an input becomes an InputError naming it (and the line), so the rest of a batch goes on.
"""

from __future__ import annotations

import codecs
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from storylens.models import InputError, RawDocument

DEFAULT_MAX_BYTES = 20_000_000
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
KNOWN_FIELDS = ("id", "title", "text", "lang", "date", "source", "url")

ReadResult = RawDocument | InputError


def read_inputs(
    inputs: Iterable[str], *, max_bytes: int = DEFAULT_MAX_BYTES, encoding: str | None = None
) -> Iterator[ReadResult]:
    """Yield a RawDocument (or the InputError that stopped one) for every record in the inputs."""
    for name in inputs:
        if name == "-":
            yield from _read_stdin(max_bytes, encoding)
            continue
        path = Path(name)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path)))
            if not files:
                yield InputError(name, "folder holds no files")
            for file in files:
                yield from read_file(
                    file, key=str(Path(path.name) / file.relative_to(path)), max_bytes=max_bytes, encoding=encoding
                )
        elif path.is_file():
            yield from read_file(path, key=path.name, max_bytes=max_bytes, encoding=encoding)
        else:
            yield InputError(name, "no such file or folder")


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def read_file(path: Path, *, key: str, max_bytes: int, encoding: str | None) -> Iterator[ReadResult]:
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(origin, f"file is {size:,} bytes, over the {max_bytes:,}-byte cap (--max-bytes)")
        text = decode(path.read_bytes(), origin, encoding)
    except InputError as error:
        yield error
        return
    except OSError as error:
        yield InputError(origin, f"cannot read: {error.strerror or error}")
        return
    yield from parse_text(text, origin=origin, key=key, suffix=path.suffix.lower(), path=str(path))


def _read_stdin(max_bytes: int, encoding: str | None) -> Iterator[ReadResult]:
    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield InputError("<stdin>", f"input is over the {max_bytes:,}-byte cap (--max-bytes)")
        return
    try:
        text = decode(data, "<stdin>", encoding)
    except InputError as error:
        yield error
        return
    lines = [line for line in text.splitlines() if line.strip()]
    looks_jsonl = bool(lines) and all(line.lstrip().startswith("{") for line in lines)
    yield from parse_text(text, origin="<stdin>", key="stdin", suffix=".jsonl" if looks_jsonl else "", path=None)


def decode(data: bytes, origin: str, encoding: str | None) -> str:
    """Bytes to text: the given encoding, else UTF-8 (a BOM may say UTF-8 or UTF-16)."""
    if not data.strip():
        raise InputError(origin, "empty input")
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as error:
            raise InputError(origin, f"cannot decode as {encoding}: {error}") from error
    boms = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
    for bom, codec in boms:
        if data.startswith(bom):
            return data.decode(codec, errors="strict")
    if b"\x00" in data[:8192]:
        raise InputError(origin, "binary data, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(origin, f"not valid UTF-8 (byte {error.start:,}){_encoding_hint(data)}") from error


def _encoding_hint(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536]).best()
    if best is None:
        return "; pass --encoding"
    return f"; it looks like {best.encoding}: pass --encoding {best.encoding}"


def parse_text(text: str, *, origin: str, key: str, suffix: str, path: str | None) -> Iterator[ReadResult]:
    if suffix in JSONL_SUFFIXES:
        yield from _parse_jsonl(text, origin=origin, path=path)
    elif suffix == ".json":
        yield from _parse_json(text, origin=origin, path=path)
    elif suffix in HTML_SUFFIXES:
        from storylens.sources.html import parse_html

        try:
            yield parse_html(text, origin=origin, path=path)
        except InputError as error:
            yield error
    else:
        yield RawDocument(origin=origin, kind="text", text=text, path=path, metadata={"key": key})


def _parse_jsonl(text: str, *, origin: str, path: str | None) -> Iterator[ReadResult]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield InputError(where, f"malformed JSON ({error.msg} at column {error.colno})")
            continue
        try:
            yield record_document(record, origin=where, path=path)
        except InputError as error:
            yield error


def _parse_json(text: str, *, origin: str, path: str | None) -> Iterator[ReadResult]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        yield InputError(origin, f"malformed JSON ({error.msg} at line {error.lineno} column {error.colno})")
        return
    records = data if isinstance(data, list) else data.get("articles") if isinstance(data, dict) else None
    if not isinstance(records, list):
        yield InputError(origin, "JSON must be a list of articles or an object with an 'articles' list")
        return
    for index, record in enumerate(records, start=1):
        try:
            yield record_document(record, origin=f"{origin}[{index}]", path=path)
        except InputError as error:
            yield error


def record_document(record: Any, *, origin: str, path: str | None) -> RawDocument:
    """A JSON article record (``id``, ``title``, ``text``, ``lang``, ``date``, ``source``, ``url``)."""
    if not isinstance(record, dict):
        raise InputError(origin, "a JSON article must be an object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(origin, "no 'text' field with article text")
    fields = {name: record.get(name) for name in KNOWN_FIELDS}
    for name in ("title", "lang", "date", "source", "url"):
        if fields[name] is not None and not isinstance(fields[name], str):
            raise InputError(origin, f"field '{name}' must be a string")
    external_id = None if fields["id"] is None else str(fields["id"])
    return RawDocument(
        origin=origin,
        kind="jsonl",
        text=text,
        external_id=external_id,
        title=fields["title"] or None,
        lang=(fields["lang"] or "").strip().lower() or None,
        published=fields["date"] or None,
        source=fields["source"] or None,
        url=fields["url"] or None,
        path=path,
        metadata={k: v for k, v in record.items() if k not in KNOWN_FIELDS},
    )
