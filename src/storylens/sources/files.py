"""Read local inputs (files, folders, stdin) into RawDocuments.

Plain text, JSON Lines (one article per line), JSON arrays and saved HTML pages. Every problem
with an input becomes an InputError naming it (and the line), so the rest of a batch goes on. In a folder,
``include``/``exclude`` globs choose the files, and a JSON file that holds no articles (a gold annotation
file, say) becomes a SkippedInput notice rather than an error.
"""

from __future__ import annotations

import codecs
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from storylens.models import InputError, RawDocument, SkippedInput
from storylens.sources.checks import DEFAULT_MAX_CHARS, MAX_JSON_DEPTH, checked, json_depth

DEFAULT_MAX_BYTES = 20_000_000
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
KNOWN_FIELDS = ("id", "title", "text", "lang", "date", "source", "url")

ReadResult = RawDocument | InputError
# The most common encodings first: charset_normalizer often cannot tell single-byte encodings apart on a
# short text, and then the likeliest one is the one to suggest (Latin-1 text reads the same as cp1252).
COMMON_ENCODINGS = ("cp1252", "latin_1", "iso8859_15", "cp1251", "cp1255", "cp1256", "iso8859_8", "iso8859_6")


def read_inputs(
    inputs: Iterable[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_chars: int = DEFAULT_MAX_CHARS,
    encoding: str | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> Iterator[ReadResult]:
    """Yield a RawDocument (or the InputError that stopped one) for every record in the inputs.

    In folders, only files matching one of ``include`` (all when empty) and none of ``exclude`` are read; a
    glob matches the file name or its path inside the folder (``*.jsonl``, ``2024/*``)."""
    yield from checked(_read_all(inputs, max_bytes, encoding, include, exclude), max_chars)


def _read_all(
    inputs: Iterable[str], max_bytes: int, encoding: str | None, include: Sequence[str], exclude: Sequence[str]
) -> Iterator[ReadResult]:
    for name in inputs:
        if name == "-":
            yield from _read_stdin(max_bytes, encoding)
            continue
        path = Path(name)
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not _hidden(p.relative_to(path))
                and _chosen(p.relative_to(path).as_posix(), include, exclude)
            )
            if not files:
                yield InputError(
                    name, "folder holds no files" + (" matching --include/--exclude" if include or exclude else "")
                )
            for file in files:
                yield from read_file(
                    file,
                    key=str(Path(path.name) / file.relative_to(path)),
                    max_bytes=max_bytes,
                    encoding=encoding,
                    in_folder=True,
                )
        elif path.is_file():
            yield from read_file(path, key=path.name, max_bytes=max_bytes, encoding=encoding)
        else:
            yield InputError(name, "no such file or folder")


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def _chosen(relative: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    def matches(pattern: str) -> bool:
        return fnmatch(relative, pattern) or fnmatch(relative.rsplit("/", 1)[-1], pattern)

    return (not include or any(map(matches, include))) and not any(map(matches, exclude))


def read_file(
    path: Path, *, key: str, max_bytes: int, encoding: str | None, in_folder: bool = False
) -> Iterator[ReadResult]:
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
    results = parse_text(text, origin=origin, key=key, suffix=path.suffix.lower(), path=str(path))
    yield from (_as_skipped(result) if in_folder else result for result in results)


def _as_skipped(result: ReadResult) -> ReadResult:
    """In a folder, a file that holds no articles by design is skipped with a notice, not an error."""
    if isinstance(result, NotArticles):
        return SkippedInput(result.origin, result.message)
    return result


class NotArticles(InputError):
    """A JSON file that parses but holds no article records (e.g. a gold annotation object)."""


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
    lines = [line for line in text.split("\n") if line.strip()]
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
            try:
                return data.decode(codec, errors="strict")
            except UnicodeDecodeError as error:
                raise InputError(
                    origin,
                    f"starts with a {codec.upper().removesuffix('-SIG')} byte order mark but is not valid "
                    f"{codec.upper().removesuffix('-SIG')} (byte {error.start:,}: {error.reason})",
                ) from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(origin, f"binary data, not text (a NUL byte at byte {nul:,})")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(origin, f"not valid UTF-8 (byte {error.start:,}){_encoding_hint(data)}") from error


def _encoding_hint(data: bytes) -> str:
    """Which encoding to pass: charset_normalizer's least chaotic guesses, the most common of them first."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data[:65536]))
    if not matches:
        return "; pass --encoding"
    least = min(m.chaos for m in matches)
    tied = [name for m in matches if m.chaos == least for name in (m.encoding, *m.could_be_from_charset)]
    ranked = sorted(dict.fromkeys(tied), key=lambda n: COMMON_ENCODINGS.index(n) if n in COMMON_ENCODINGS else 99)
    others = f" (or {', '.join(ranked[1:3])})" if len(ranked) > 1 else ""
    return f"; it looks like {ranked[0]}{others}: pass --encoding {ranked[0]}"


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
    """One record per line; lines end only at ``\\n`` (U+2028 or U+0085 inside a JSON string is text).

    A file whose every line is a JSON object without a ``text`` field holds no articles (NotArticles)."""
    results: list[ReadResult] = []
    objects_without_text = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            record = _load_json(line, where)
            objects_without_text += isinstance(record, dict) and "text" not in record
            results.append(record_document(record, origin=where, path=path))
        except InputError as error:
            results.append(error)
    if results and objects_without_text == len(results):
        yield NotArticles(origin, "not articles: no line is a JSON object with a 'text' field")
        return
    yield from results


def _parse_json(text: str, *, origin: str, path: str | None) -> Iterator[ReadResult]:
    try:
        data = _load_json(text, origin)
    except InputError as error:
        yield error
        return
    records = data if isinstance(data, list) else data.get("articles") if isinstance(data, dict) else None
    if not isinstance(records, list):
        yield NotArticles(origin, "not articles: JSON must be a list of articles or an object with an 'articles' list")
        return
    if records and all(isinstance(r, dict) and "text" not in r for r in records):
        yield NotArticles(origin, "not articles: no record is an object with a 'text' field")
        return
    for index, record in enumerate(records, start=1):
        try:
            yield record_document(record, origin=f"{origin}[{index}]", path=path)
        except InputError as error:
            yield error


def _load_json(text: str, origin: str) -> Any:
    """Parsed JSON, or an InputError: malformed, or nested deeper than ``MAX_JSON_DEPTH``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}" if error.lineno > 1 else f"column {error.colno}"
        raise InputError(origin, f"malformed JSON ({error.msg} at {where})") from None
    except RecursionError:
        raise InputError(origin, f"JSON nested deeper than {MAX_JSON_DEPTH} levels") from None
    if json_depth(data) > MAX_JSON_DEPTH:
        raise InputError(origin, f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    return data


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
