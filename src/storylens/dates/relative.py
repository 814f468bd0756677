"""Relative day expressions ("yesterday (Wednesday)", Arabic "al-yawm al-arbi'a'" (today Wednesday), Hebrew
"emesh" (last night), "on Tuesday").

Semantics: a ``RelativeMention`` describes an *event* day relative to the unknown *publication*
day. ``days_offset`` is that event day minus the publication day ("yesterday" = -1) and
``weekday`` is the event day's weekday when the text names one (0 = Monday). A mention that
has both fixes the publication day's weekday, which with a reference date (a day on or shortly
after publication, e.g. a feed or fetch date) fixes the publication date; ``event_date`` then
turns any mention into a calendar date once the publication date is known.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from dataclasses import dataclass

from storylens.dates.lexicon import Lexicon, fold, lexicon_for
from storylens.lang import punctuation

WORD = re.compile(r"[^\W\d_]+")
PHRASE_GAP = re.compile(r"\s+")
# What may stand between a relative word and the weekday naming it: "today (Wednesday)", Arabic
# "ams, al-thulatha'" (yesterday, Tuesday): spaces and the profiles' gap marks.
WEEKDAY_GAP = re.compile("[\\s" + "".join(re.escape(mark) for mark in punctuation("gap_marks")) + "]*")


@dataclass(frozen=True)
class RelativeMention:
    """A relative day expression and its character span in the text it was found in."""

    start: int
    end: int
    text: str
    days_offset: int | None  # event day minus publication day; None for a bare weekday
    weekday: int | None  # event day's weekday, 0 = Monday; None when not named

    @property
    def publication_weekday(self) -> int | None:
        """Weekday of the publication day, when the mention fixes it."""
        if self.days_offset is None or self.weekday is None:
            return None
        return (self.weekday - self.days_offset) % 7


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    folded: str


def _phrase_at(
    text: str, words: list[_Word], index: int, table: dict[str, int], lexicon: Lexicon
) -> tuple[int, int] | None:
    """(value, words used) of the longest entry of ``table`` starting at ``words[index]``."""
    if not lexicon.may_start_entry(words[index].folded):
        return None
    for size in range(min(lexicon.longest_phrase, len(words) - index), 0, -1):
        chunk = words[index : index + size]
        if any(not PHRASE_GAP.fullmatch(text[a.end : b.start]) for a, b in itertools.pairwise(chunk)):
            continue
        value = lexicon.lookup(table, " ".join(word.folded for word in chunk))
        if value is not None:
            return value, size
    return None


def _is_weak(words: list[_Word], lexicon: Lexicon) -> bool:
    phrase = " ".join(word.folded for word in words)
    unprefixed = phrase[1:] if phrase[0] in lexicon.prefixes else phrase
    return phrase in lexicon.weak_weekdays or unprefixed in lexicon.weak_weekdays


def _weekday_after(text: str, words: list[_Word], index: int, lexicon: Lexicon) -> tuple[int, int] | None:
    """(weekday, index past it) of a weekday right after ``words[index - 1]``."""
    previous_end = words[index - 1].end
    if index < len(words) and words[index].folded in lexicon.day_words:
        if not WEEKDAY_GAP.fullmatch(text[previous_end : words[index].start]):
            return None
        previous_end = words[index].end
        index += 1
    if index >= len(words) or not WEEKDAY_GAP.fullmatch(text[previous_end : words[index].start]):
        return None
    found = _phrase_at(text, words, index, lexicon.weekdays, lexicon)
    if found is None:
        return None
    return found[0], index + found[1]


def _in_parentheses(text: str, start: int, end: int) -> bool:
    return text[:start].rstrip().endswith("(") and text[end:].lstrip().startswith(")")


def relative_mentions(text: str, lang: str | None = None) -> list[RelativeMention]:
    """Relative day words and weekday names in ``text``, in order of position."""
    lexicon = lexicon_for(lang)
    words = [_Word(m.start(), m.end(), fold(m.group())) for m in WORD.finditer(text)]
    mentions: list[RelativeMention] = []
    index = 0
    while index < len(words):
        relative = _phrase_at(text, words, index, lexicon.relative_days, lexicon)
        if relative is not None:
            days, size = relative
            after = _weekday_after(text, words, index + size, lexicon)
            weekday, next_index = after if after is not None else (None, index + size)
            mentions.append(_mention(text, words[index].start, words[next_index - 1].end, days, weekday))
            index = next_index
            continue
        weekday_found = _phrase_at(text, words, index, lexicon.weekdays, lexicon)
        if weekday_found is not None:
            weekday, size = weekday_found
            start, end = words[index].start, words[index + size - 1].end
            if not _is_weak(words[index : index + size], lexicon) or _in_parentheses(text, start, end):
                mentions.append(_mention(text, start, end, None, weekday))
            index += size
            continue
        index += 1
    return mentions


def _mention(text: str, start: int, end: int, days: int | None, weekday: int | None) -> RelativeMention:
    if end < len(text) and text[end] == ")" and "(" in text[start:end]:
        end += 1
    return RelativeMention(start, end, text[start:end], days, weekday)


def latest_on_weekday(weekday: int, not_after: dt.date) -> dt.date:
    """The latest date on or before ``not_after`` that falls on ``weekday``."""
    return not_after - dt.timedelta(days=(not_after.weekday() - weekday) % 7)


def event_date(mention: RelativeMention, published: dt.date) -> dt.date | None:
    """Calendar date of the event day ``mention`` refers to, given the publication date.

    A bare weekday is read as the latest such day on or before publication (news reports what
    happened); a relative word is counted from publication.
    """
    if mention.days_offset is not None:
        return published + dt.timedelta(days=mention.days_offset)
    if mention.weekday is not None:
        return latest_on_weekday(mention.weekday, published)
    return None


def publication_weekday(mentions: list[RelativeMention]) -> tuple[int, RelativeMention] | None:
    """The publication weekday most mentions agree on, with the first mention that says it."""
    pinned = [mention for mention in mentions if mention.publication_weekday is not None]
    if not pinned:
        return None
    votes = Counter(mention.publication_weekday for mention in pinned)
    best = max(votes.values())
    first = next(mention for mention in pinned if votes[mention.publication_weekday] == best)
    weekday = first.publication_weekday
    assert weekday is not None
    return weekday, first
