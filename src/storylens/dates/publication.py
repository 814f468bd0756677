"""Decide an article's publication date from the evidence one input offers.

Sources, most trusted first: a declared date (input field), a header/date line found by
cleaning, HTML metadata, a date in the article's URL path, a complete date near the start of the
text, relative expressions ("today (Wednesday)") resolved against a reference date. A partial date (year and month only)
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
from storylens.dates.lexicon import DEFAULT_LANGUAGES, lexicon_for, supported_language
from storylens.dates.relative import WORD, latest_on_weekday, publication_weekday, relative_mentions
from storylens.dates.url import url_date
from storylens.models import DateInfo, DateMethod

TEXT_WINDOW = 600  # characters at the start of the text searched for a dateline
DATELINE_LEAD_WORDS = 3  # words that may precede a dateline on its line: "Moscow,", "Published:"
CLOCK_DISTANCE = 20  # characters between a date and a clock time printed with it
TODAY_DISTANCE = 30  # characters between a date and a "today" expression naming it
YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
# What may follow a dateline: the line's end, a bracket, dash or bar, a sentence's end, each
# possibly after one short word ("GMT", "г.").
_DATELINE_STOP = r"(?:$|[(\[\-–—|•·]|\.(?:\s|$))"
DATELINE_END = re.compile(
    rf"[ \t]*(?:{_DATELINE_STOP}|[^\W\d_]{{1,4}}\.(?:\s|$)|[^\W\d_]{{1,4}}[ \t]*{_DATELINE_STOP})", re.MULTILINE
)
CLOCK_TIME = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?![\d])")
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
    for parser in (dt.datetime.fromisoformat, email.utils.parsedate_to_datetime):
        try:
            stamp = parser(text)
        except (TypeError, ValueError, IndexError):
            continue
        return make_date(stamp.year, stamp.month, stamp.day)
    lexicon = lexicon_for(lang)
    matches = find_dates(text, lexicon)
    if matches:
        return matches[0].value
    if find_year_month(text, lexicon) is not None:
        return None  # a month without a day: nothing more to read
    return _dateparser_date(text, lang)


def _dateparser_date(text: str, lang: str | None) -> dt.date | None:
    """dateparser's reading of a date written with words, for forms the grammar lacks.

    Only for strings with a four-digit year and a word: dateparser reads "yesterday" against
    the clock and guesses the order of an ambiguous "1/2/2025".
    """
    if not (YEAR.search(text) and WORD.search(text)):
        return None
    known = [lang] if lang and supported_language(lang) else list(DEFAULT_LANGUAGES)
    languages = list(dict.fromkeys([*known, "en"]))
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


def _is_dateline(text: str, match: DateMatch, today_spans: list[tuple[int, int]]) -> bool:
    """Whether ``match`` reads as the article's own date rather than an event in a sentence.

    It does when it opens its line (a place, a label or a weekday may stand before it) and is
    numeric, ends the line or meets a dash, bracket or bar ("Moscow, 3 December 2025 (Reuters) -",
    unlike "On 3 December 2025, the court ruled"); when a clock time stands next to it; or when
    a "today" expression names it ("today, 21 April 2025").
    """
    line_start = text.rfind("\n", 0, match.start) + 1
    opens_line = len(WORD.findall(text, line_start, match.start)) <= DATELINE_LEAD_WORDS
    numeric = WORD.search(match.text) is None  # "2025-12-03", "02.12.2025": stamps, not prose
    if opens_line and (numeric or DATELINE_END.match(text, match.end)):
        return True
    near = text[max(line_start, match.start - CLOCK_DISTANCE) : match.end + CLOCK_DISTANCE]
    if CLOCK_TIME.search(near):
        return True
    return any(
        0 <= match.start - end <= TODAY_DISTANCE or 0 <= start - match.end <= TODAY_DISTANCE
        for start, end in today_spans
    )


def _text_date(text: str, lang: str | None, partial: YearMonth | None, reference: dt.date | None) -> DateMatch | None:
    """The earliest dateline-like date near the start of ``text`` (later ones are updates or
    a page's "today" banner)."""
    candidates = [
        match for match in find_dates(text, lexicon_for(lang), TEXT_WINDOW) if _agrees(match.value, partial, reference)
    ]
    if not candidates:
        return None
    window = text[: candidates[-1].end + TODAY_DISTANCE]
    today_spans = [(m.start, m.end) for m in relative_mentions(window, lang) if m.days_offset == 0]
    datelines = [match for match in candidates if _is_dateline(text, match, today_spans)]
    return min(datelines, key=lambda match: (match.value, match.start), default=None)


def find_publication_date(
    text: str,
    *,
    declared: str | None = None,
    declared_method: Literal["declared", "html-meta"] = "declared",
    header: str | None = None,
    url: str | None = None,
    reference: dt.date | None = None,
    lang: str | None = None,
) -> DateInfo:
    """Publication date of the article ``text`` and how it was found; never raises on bad input.

    ``declared`` is a date string the input declared (``declared_method`` says whether it came
    from the record itself or from HTML metadata, which ranks below a header line); ``header``
    the raw header/date line cleaning found; ``url`` the article's address; ``reference`` a date on or shortly after
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

    in_url = url_date(url)
    if in_url is not None and in_url.value is not None and _agrees(in_url.value, year_month, reference):
        return DateInfo(in_url.value, "url", in_url.text)
    if in_url is not None and in_url.value is None and partial is None:
        partial = (in_url.year_month, in_url.text)
        year_month = in_url.year_month

    match = _text_date(text, lang, year_month, reference)
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
