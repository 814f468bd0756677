"""Read the date many news sites print in an article's URL path: /2025/04/21/, /20250531/, -20260122, /2025/02/.

Only the path is read (query strings carry tracking and search dates). A complete date is year, month and day
with separators or as eight digits; year and month alone ("/2025/02/blog-post.html") is a partial date that
restricts other evidence without inventing a day.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from storylens.dates.absolute import EARLIEST_YEAR, LATEST_YEAR, make_date

_YEAR = r"(?P<year>(?:19|20)\d\d)"
SEPARATED_DATE = re.compile(rf"(?<![\w]){_YEAR}(?P<sep>[/_.-])(?P<month>[01]?\d)(?P=sep)(?P<day>[0-3]?\d)(?!\d)")
COMPACT_DATE = re.compile(rf"(?<![^/_.-]){_YEAR}(?P<month>[01]\d)(?P<day>[0-3]\d)(?![^/_.-])")
YEAR_MONTH = re.compile(rf"/{_YEAR}/(?P<month>[01]?\d)(?:/|$)")


@dataclass(frozen=True)
class UrlDate:
    """What a URL's path says of the date: a complete ``value``, or only ``year_month``; ``text`` is the match."""

    value: dt.date | None
    year_month: tuple[int, int]
    text: str


def url_date(url: str | None) -> UrlDate | None:
    """The date in ``url``'s path, complete when one is written there, else year and month; None when neither."""
    if not url:
        return None
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        return None
    for pattern in (SEPARATED_DATE, COMPACT_DATE):
        for match in pattern.finditer(path):
            value = make_date(int(match["year"]), int(match["month"]), int(match["day"]))
            if value is not None:
                return UrlDate(value, (value.year, value.month), match.group())
    for match in YEAR_MONTH.finditer(path):
        year, month = int(match["year"]), int(match["month"])
        if EARLIEST_YEAR <= year <= LATEST_YEAR and 1 <= month <= 12:
            return UrlDate(None, (year, month), match.group().strip("/"))
    return None
