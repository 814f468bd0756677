"""Typed contracts passed between the pipeline stages.

sources -> RawDocument -> cleaning -> Part (with Segment spans) -> language/dates -> ArticleDraft -> store.
Every offset is a character offset into ``RawDocument.text``, which is stored verbatim.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

SegmentRole = Literal["header", "title", "body", "boilerplate"]
ArticleRole = Literal["article", "translation"]
DateMethod = Literal["declared", "header", "html-meta", "url", "text", "relative", "inferred", "unknown"]


class InputError(Exception):
    """A problem with one input that the user must see as a single line naming that input."""

    def __init__(self, origin: str, message: str) -> None:
        super().__init__(f"{origin}: {message}")
        self.origin = origin
        self.message = message

    def line(self) -> str:
        """``<input>[:line]: <reason>`` on one line: control, format (bidi) and line-separator characters
        are escaped, so a crafted file name can neither break the line nor reorder it on the terminal."""
        return f"{printable(self.origin)}: {printable(self.message)}"


class SkippedInput(InputError):
    """An input that holds no articles by design (e.g. a gold annotation file in a folder): a notice, not an error."""


UNPRINTABLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def printable(text: str) -> str:
    """``text`` with control, format (bidi marks, U+202E), line/paragraph separator and surrogate characters
    written as ``\\xNN`` / ``\\uNNNN`` escapes."""
    return "".join(
        (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}")
        if unicodedata.category(ch) in UNPRINTABLE_CATEGORIES
        else ch
        for ch in text
    )


@dataclass(frozen=True)
class RawDocument:
    """One input record exactly as read: a file, a JSON line, a fetched page or a feed entry."""

    origin: str  # path, URL or "<stdin>", with ":LINE" for a JSON line
    kind: Literal["text", "jsonl", "html", "url", "feed"]
    text: str  # verbatim decoded body text; all offsets point into this string
    external_id: str | None = None
    title: str | None = None
    lang: str | None = None  # declared by the input, if any
    published: str | None = None  # declared date string, if any
    source: str | None = None  # outlet name or host
    url: str | None = None
    path: str | None = None
    reference_date: dt.date | None = None  # a date known from outside the text (feed entry, HTTP header)
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Segment:
    """A span of ``RawDocument.text`` with the role cleaning gave it."""

    start: int
    end: int
    role: SegmentRole
    note: str = ""  # why cleaning gave it this role, e.g. "footer", "tag line", "date header"


@dataclass(frozen=True)
class Part:
    """One article (or translation) found inside a RawDocument by cleaning.

    ``start``/``end`` bound the article's text in the document (title included, header and
    trailing boilerplate excluded). ``segments`` covers the part's title, body and any
    boilerplate lines inside or right after it.
    """

    start: int
    end: int
    segments: tuple[Segment, ...]
    title: str | None = None
    source: str | None = None  # e.g. from a "Source: ..." line
    header_date: str | None = None  # raw date text found in a header line (" date 2025-12-03")
    translation_of: int | None = None  # index of the original part within the same document


@dataclass(frozen=True)
class LanguageGuess:
    lang: str  # ISO 639-1 where one exists, else ISO 639-3; "und" when unknown
    confidence: float


@dataclass(frozen=True)
class DateInfo:
    """A publication date and how it was found."""

    value: dt.date | None
    method: DateMethod
    evidence: str = ""  # the text the date was read from
    start: int | None = None  # offset of the evidence within the article text, when taken from it
