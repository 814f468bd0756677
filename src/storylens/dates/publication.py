"""Decide an article's publication date from the evidence one input offers.

Sources, most trusted first: a declared date (input field), a header/date line found by
cleaning, HTML metadata, a complete date near the start of the text, relative expressions
("today (Wednesday)") resolved against a reference date. A partial date (year and month only)
never becomes a day: it restricts the other sources and is kept as evidence.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import unicodedata
from typing import Literal

import dateparser

from storylens.dates.absolute import DateMatch, find_dates, find_year_month, make_date
from storylens.dates.lexicon import Lexicon, lexicon_for, supported_language
from storylens.dates.relative import latest_on_weekday, publication_weekday, relative_mentions
from storylens.models import DateInfo, DateMethod

TEXT_WINDOW = 600  # characters at the start of the text searched for a dateline
# A reference date (feed, fetch) may lag publication by a time-zone day.
REFERENCE_LEEWAY = dt.timedelta(days=1)

DATEPARSER_SETTINGS = {
    "PREFER_DATES_FROM": "past",
    "STRICT_PARSING": True,
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
}

YearMonth = tuple[int, int]


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit (Arabic-Indic, Persian, ...) as 0-9; lengths are kept."""
    return re.sub(r"\d", lambda match: str(unicodedata.decimal(match.group())), text)


def parse_date_string(value: str, lang: str | None = None) -> dt.date | None:
    """The complete date a short date string states, or None (partial, garbage, several readings)."""
    text = ascii_digits(value.strip())
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    matches = find_dates(text, lexicon_for(lang))
    if matches:
        return matches[0].value
    return _dateparser_date(text, lang)


def _dateparser_date(text: str, lang: str | None) -> dt.date | None:
    languages = list(dict.fromkeys([lang, "en"])) if lang and supported_language(lang) else None
    try:
        parsed = dateparser.parse(text, languages=languages, settings=DATEPARSER_SETTINGS)
    except (ValueError, OverflowError):
        return None
    if parsed is None:
        return None
    return make_date(parsed.year, parsed.month, parsed.day)


def _agrees(value: dt.date, partial: YearMonth | None, reference: dt.date | None) -> bool:
    if partial is not None and (value.year, value.month) != partial:
        return False
    return reference is None or value <= reference + REFERENCE_LEEWAY


def _text_date(text: str, lexicon: Lexicon, partial: YearMonth | None, reference: dt.date | None) -> DateMatch | None:
    for match in find_dates(text, lexicon, TEXT_WINDOW):
        if _agrees(match.value, partial, reference):
            return match
    return None


def find_publication_date(
    text: str,
    *,
    declared: str | None = None,
    declared_method: Literal["declared", "html-meta"] = "declared",
    header: str | None = None,
    reference: dt.date | None = None,
    lang: str | None = None,
) -> DateInfo:
    """Publication date of the article ``text`` and how it was found; never raises on bad input.

    ``declared`` is a date string the input declared (``declared_method`` says whether it came
    from the record itself or from HTML metadata, which ranks below a header line); ``header``
    the raw header/date line cleaning found; ``reference`` a date on or shortly after
    publication known from outside the text (feed entry, fetch date). Offsets (``start``) point
    into ``text`` and are given only for evidence read from it.
    """
    lexicon = lexicon_for(lang)
    strings: list[tuple[str | None, DateMethod]] = [(header, "header")]
    if declared_method == "declared":
        strings.insert(0, (declared, "declared"))
    else:
        strings.append((declared, "html-meta"))
    partial: tuple[YearMonth, str] | None = None
    for raw, method in strings:
        if not raw or not raw.strip():
            continue
        value = parse_date_string(raw, lang)
        if value is not None:
            return DateInfo(value, method, raw.strip())
        year_month = find_year_month(ascii_digits(raw), lexicon)
        if year_month is not None and partial is None:
            partial = (year_month, raw.strip())
    year_month = partial[0] if partial else None

    match = _text_date(text, lexicon, year_month, reference)
    if match is not None:
        return DateInfo(match.value, "text", match.text, match.start)

    mentions = relative_mentions(text, lang)
    pinned = publication_weekday(mentions)
    if pinned is not None:
        weekday, mention = pinned
        if reference is not None:
            value = latest_on_weekday(weekday, reference + REFERENCE_LEEWAY)
            if _agrees(value, year_month, None):
                return DateInfo(value, "relative", mention.text, mention.start)
        return DateInfo(None, "unknown", mention.text, mention.start)
    if partial is not None:
        return DateInfo(None, "unknown", partial[1])
    if mentions:
        return DateInfo(None, "unknown", mentions[0].text, mentions[0].start)
    return DateInfo(None, "unknown")
