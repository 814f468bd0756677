"""Dates stage: an article's publication date, and the relative day expressions in its text.

``find_publication_date`` returns the *publication* date (a ``DateInfo`` with the method and
evidence); ``relative_mentions`` lists the *event* days the text refers to relative to
publication ("yesterday (Wednesday)"), which ``event_date`` turns into calendar dates once the
publication date is known, so a later stage can also infer a missing publication date from the
dates of the story an article joins.
"""

from storylens.dates.absolute import DateMatch, find_dates
from storylens.dates.publication import find_publication_date, parse_date_string
from storylens.dates.relative import RelativeMention, event_date, publication_weekday, relative_mentions

__all__ = [
    "DateMatch",
    "RelativeMention",
    "event_date",
    "find_dates",
    "find_publication_date",
    "parse_date_string",
    "publication_weekday",
    "relative_mentions",
]
