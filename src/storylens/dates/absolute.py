"""Find complete calendar dates (day, month and year) in text, with their offsets.

A small grammar over the original characters: day-month-year and month-day-year with month
names from ``lexicon`` (combined forms such as Arabic "tishrin al-thani/nufambir", November, must agree), numeric
dates (ISO, dotted, slashed) and CJK dates. Any Unicode decimal digits count (Arabic-Indic,
Persian, Devanagari). An ordinal ("3rd") is read only when a month and a year stand next to it.
Partial dates (month and year only) are reported separately so a caller never invents a day.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from storylens.dates.lexicon import Lexicon, fold

EARLIEST_YEAR = 1900
LATEST_YEAR = 2100

_DAY = r"(?<!\d)(?P<day>\d{1,2})"
_YEAR = r"(?P<year>\d{4})(?!\d)"
_ORDINAL = r"(?:st|nd|rd|th|er|e|º|ª)?"
# A month phrase: up to four words (combined forms, connectors) with no digits inside.
_MONTH_PHRASE = r"(?P<month>[^\W\d_][^\d\n]{0,40}?)"
_SEPARATORS = r"[\s,.\-–/]*"

DAY_MONTH_YEAR = re.compile(rf"{_DAY}{_ORDINAL}\.?{_SEPARATORS}{_MONTH_PHRASE}{_SEPARATORS}{_YEAR}")
MONTH_DAY_YEAR = re.compile(
    rf"(?<![^\W\d_])(?P<month>[^\W\d_]+\.?(?:[ \t]+[^\W\d_]+\.?){{0,2}})[ \t]+{_DAY}{_ORDINAL},?[ \t]+{_YEAR}"
)
YEAR_FIRST_NUMERIC = re.compile(
    r"(?<![\d.])(?P<year>\d{4})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?![\d])"
)
DAY_FIRST_NUMERIC = re.compile(
    rf"(?<![\d.])(?P<first>\d{{1,2}})(?P<sep>[-/.])(?P<second>\d{{1,2}})(?P=sep){_YEAR}(?![.]\d)"
)
CJK = re.compile(r"(?P<year>\d{4})\s*[年년]\s*(?P<month>\d{1,2})\s*[月월]\s*(?P<day>\d{1,2})\s*[日일]")
YEAR_MONTH = re.compile(r"(?<![\d.])(?P<year>\d{4})[-/.](?P<month>\d{1,2})(?![-/.]?\d)")
MONTH_YEAR = re.compile(rf"(?P<month>[^\W\d_]+(?:[ \t]+[^\W\d_]+)?)[\s,.]*{_YEAR}")


@dataclass(frozen=True)
class DateMatch:
    """A complete date found in a text, and the span of text it was read from."""

    value: dt.date
    start: int
    end: int
    text: str


def make_date(year: int, month: int, day: int) -> dt.date | None:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def month_of_phrase(phrase: str, lexicon: Lexicon) -> int | None:
    """Month named by ``phrase``; combined forms ("Nov./Tishrin") must name the same month."""
    words = [word for word in fold(phrase).split() if word not in lexicon.connectors]
    if not words or len(words) > 4:
        return None
    found: list[int] = []
    position = 0
    while position < len(words):
        for size in range(min(len(words) - position, 2), 0, -1):
            month = lexicon.lookup(lexicon.months, " ".join(words[position : position + size]))
            if month is not None:
                found.append(month)
                position += size
                break
        else:
            return None
    return found[0] if len(set(found)) == 1 else None


def _trailing_month(phrase: str, lexicon: Lexicon) -> tuple[int, int] | None:
    """(month, offset into phrase) of the shortest tail of ``phrase`` that names a month."""
    starts = [match.start() for match in re.finditer(r"[^\W\d_]+", phrase)]
    for start in reversed(starts):
        month = month_of_phrase(phrase[start:], lexicon)
        if month is not None:
            return month, start
    return None


def _numeric_day_month(first: int, second: int, separator: str, lexicon: Lexicon) -> tuple[int, int] | None:
    """(day, month) of an ``a<sep>b<sep>yyyy`` date; None when the order cannot be known."""
    if first > 12 or second > 12:
        return (first, second) if second <= 12 else (second, first) if first <= 12 else None
    if first == second or separator == ".":
        return first, second  # dotted dates are day-first wherever they are written
    if lexicon.date_order.startswith("D"):
        return first, second
    if lexicon.date_order.startswith("M"):
        return second, first
    return None


def find_dates(text: str, lexicon: Lexicon, limit: int | None = None) -> list[DateMatch]:
    """Complete dates in ``text[:limit]``, in order of position, without overlaps."""
    window = text if limit is None else text[:limit]
    found: list[DateMatch] = []

    def add(value: dt.date | None, start: int, end: int) -> None:
        if value is not None:
            found.append(DateMatch(value, start, end, window[start:end]))

    for match in DAY_MONTH_YEAR.finditer(window):
        month = month_of_phrase(match["month"], lexicon)
        if month is not None:
            add(make_date(int(match["year"]), month, int(match["day"])), match.start(), match.end())
    for match in MONTH_DAY_YEAR.finditer(window):
        tail = _trailing_month(match["month"], lexicon)
        if tail is not None:
            month, offset = tail
            value = make_date(int(match["year"]), month, int(match["day"]))
            add(value, match.start("month") + offset, match.end())
    for pattern in (YEAR_FIRST_NUMERIC, CJK):
        for match in pattern.finditer(window):
            value = make_date(int(match["year"]), int(match["month"]), int(match["day"]))
            add(value, match.start(), match.end())
    for match in DAY_FIRST_NUMERIC.finditer(window):
        order = _numeric_day_month(int(match["first"]), int(match["second"]), match["sep"], lexicon)
        if order is not None:
            add(make_date(int(match["year"]), order[1], order[0]), match.start(), match.end())
    return _without_overlaps(found)


def _without_overlaps(matches: list[DateMatch]) -> list[DateMatch]:
    kept: list[DateMatch] = []
    for match in sorted(matches, key=lambda item: (item.start, -(item.end - item.start))):
        if kept and match.start < kept[-1].end:
            continue
        kept.append(match)
    return kept


def find_year_month(text: str, lexicon: Lexicon) -> tuple[int, int] | None:
    """(year, month) of a partial date such as "2025-06" or "June 2025", when no day is given."""
    for match in YEAR_MONTH.finditer(text):
        year, month = int(match["year"]), int(match["month"])
        if EARLIEST_YEAR <= year <= LATEST_YEAR and 1 <= month <= 12:
            return year, month
    for match in MONTH_YEAR.finditer(text):
        tail = _trailing_month(match["month"], lexicon)
        year = int(match["year"])
        if tail is not None and EARLIEST_YEAR <= year <= LATEST_YEAR:
            return year, tail[0]
    return None
