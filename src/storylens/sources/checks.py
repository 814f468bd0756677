"""Checks every input record passes before the pipeline sees it, each failure one InputError naming the input.

- Text must be valid Unicode: a lone surrogate (``\\ud800`` in JSON) cannot be stored as UTF-8.
- Text must not hold NUL: SQLite and many tools cut text at NUL, so it would be stored silently shortened.
- An article is at most ``max_chars`` characters (``--max-chars``): every stage is linear in the text
  length, but a very long record is more likely a dump than an article.
- JSON is nested at most ``MAX_JSON_DEPTH`` levels: an article record is flat.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from storylens.models import InputError, RawDocument

DEFAULT_MAX_CHARS = 1_000_000  # characters per article (one JSON record, text file or page)
MAX_JSON_DEPTH = 64
STRING_FIELDS = ("text", "title", "external_id", "lang", "published", "source", "url", "path")


def checked(results: Iterable[RawDocument | InputError], max_chars: int) -> Iterator[RawDocument | InputError]:
    """The results with every RawDocument that fails a check replaced by its InputError."""
    for result in results:
        if isinstance(result, RawDocument):
            try:
                check_document(result, max_chars)
            except InputError as error:
                yield error
                continue
        yield result


def check_document(doc: RawDocument, max_chars: int = DEFAULT_MAX_CHARS) -> None:
    """Raise the InputError for the first problem with ``doc`` (see the module doc)."""
    if len(doc.text) > max_chars:
        raise InputError(
            doc.origin, f"article is {len(doc.text):,} characters, over the {max_chars:,}-character cap (--max-chars)"
        )
    for name in STRING_FIELDS:
        value = getattr(doc, name)
        if isinstance(value, str):
            _check_string(value, doc.origin, name)
    for key, value in _strings(doc.metadata):
        _check_string(value, doc.origin, f"metadata {key}")


def _check_string(value: str, origin: str, name: str) -> None:
    nul = value.find("\x00")
    if nul >= 0:
        raise InputError(origin, f"{name} holds a NUL character (U+0000) at character {nul:,}; it would be cut there")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InputError(
            origin, f"{name} holds a lone surrogate (U+{ord(value[error.start]):04X}), which is not valid Unicode"
        ) from None


def _strings(value: Any) -> Iterator[tuple[str, str]]:
    """Every string (keys included) in a JSON value, without recursion."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            yield where or "value", item
        elif isinstance(item, dict):
            for key, inner in item.items():
                yield "key", str(key)
                stack.append((str(key), inner))
        elif isinstance(item, list):
            stack.extend((where, inner) for inner in item)


def json_depth(value: Any) -> int:
    """How deeply lists and objects nest in a parsed JSON value, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_JSON_DEPTH:  # deeper is already too deep: no need to walk on
                stack.extend((inner, depth + 1) for inner in (item.values() if isinstance(item, dict) else item))
    return deepest
