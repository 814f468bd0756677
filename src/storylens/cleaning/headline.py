"""An article's title when its input gives none: the first headline-like line its body bears out, else its lead.

A headline repeats what the article reports, so its words come back in the text below it; page furniture
(a byline, a show's name, a site's tagline, a section label, a photo credit) does not. A candidate is one of
the article's first lines (furniture and date lines are already taken out by cleaning) that is shaped like a
title (short, not ending a sentence, at least ``MIN_WORDS`` words), does not open with a dateline (running
text wrapped after "KABUL, Afghanistan —"), does not close with a bracketed credit ("(Shutterstock)") and holds
no clock time; it is taken when at least ``MIN_SUPPORT`` of its words, and ``MIN_SUPPORT_SHARE`` of them,
recur in the text after it. With no such line, the title is the lead: the first sentence of the body without
its dateline, cut at a word after ``LEAD_CHARS`` characters. Words are compared normalised and with the
clitic prefixes of their script's profile taken off, so Hebrew and Arabic words match their prefixed forms.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from storylens.cleaning.cues import DATELINE_AGENCY
from storylens.cleaning.lines import BODY_MIN_CHARS, Line, date_line_value, is_body_like, is_title_like
from storylens.lang import normalise, prefix_splits, sentences

HEADLINE_LINES = 8  # a headline is looked for among the article's first lines
MIN_WORDS = 3  # a lone label ("Menu", a photographer's name) is not a headline
MIN_WORD_LETTERS = 3  # shorter words (articles, prepositions) are not compared
MIN_SUPPORT = 2
MIN_SUPPORT_SHARE = 0.3
SUPPORT_CHARS = 4000  # the text after a candidate that is searched for its words
LEAD_CHARS = 120

_LEADING = " -–—/|:•·"  # stray marks a line may start with (a cut "source /", a list dash)
_LETTERS = re.compile(r"[^\W\d_]+")
_CLOCK = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")
_CREDIT = re.compile(r"\(\s*[^()]{1,40}\)\s*$")  # "(Shutterstock)", "(MENAFN- Jordan News Agency)"
# An upper-case place (and a region) then a dash: "KABUL, Afghanistan —", "GAZA CITY -".
_DATELINE = re.compile(r"^[^\W\d_a-z]{2,}(?:[ ,.'’][^\W\d_]*){0,4}?[ ,]*\s[—–-]\s")
# Before a lead: a place and date closed by an agency in brackets ("Amman, May 20 (Petra) --"), or one word and
# a colon ("BRASILIA:", a place or a label).
_LEAD_DATELINE = re.compile(r"^(?:[^()\n]{0,40}?\([^()\n]{2,20}\)\s*[-–—]{1,2}|[^\W\d_]+\s?:)\s")


def choose_title(lines: Sequence[Line], text: str, marked: Line | None = None) -> str | None:
    """The headline of an article whose content lines (title and body, in order) are ``lines`` in ``text``;
    ``marked`` is a line cleaning already took for its title (first, and followed by running text), which
    needs only one of its words to recur."""
    for line in lines[:HEADLINE_LINES]:
        needed, share = (1, 0.0) if line == marked else (MIN_SUPPORT, MIN_SUPPORT_SHARE)
        if _headline_shaped(line) and _supported(line.text, text[line.end : line.end + SUPPORT_CHARS], needed, share):
            return line.text.strip(_LEADING)
    return None


def lead_title(lines: Sequence[Line]) -> str:
    """The first sentence of the body (after any dateline, without a closing credit), cut at a word after
    ``LEAD_CHARS`` characters; the body is the first long line, else the first body-like line, else the first."""
    head = lines[:HEADLINE_LINES]
    body = next(
        (line.text for line in head if len(line.text) >= BODY_MIN_CHARS),
        next((line.text for line in head if is_body_like(line)), lines[0].text if lines else ""),
    )
    dateline = DATELINE_AGENCY.match(body) or _DATELINE.match(body) or _LEAD_DATELINE.match(body)
    if dateline is not None:
        body = body[dateline.end() :]
    body = body.strip(_LEADING)
    first = next((text for text in sentences(body) if len(_LETTERS.findall(text)) >= MIN_WORDS), body)
    sentence = _CREDIT.sub("", first).strip(_LEADING)
    if len(sentence) <= LEAD_CHARS:
        return sentence
    return sentence[:LEAD_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:—-") + "…"


def _headline_shaped(line: Line) -> bool:
    return (
        is_title_like(line)
        and len(line.words) >= MIN_WORDS
        and date_line_value(line) is None
        and not _DATELINE.match(line.text)
        and not DATELINE_AGENCY.match(line.text)
        and not _CREDIT.search(line.text)
        and not _CLOCK.search(line.text)
    )


def _supported(candidate: str, following: str, needed: int, share: float) -> bool:
    """Whether enough of the candidate's words recur in the text after it."""
    words = {_stem(word) for word in _LETTERS.findall(candidate) if len(word) >= MIN_WORD_LETTERS}
    if not words:
        return False
    later = {_stem(word) for word in _LETTERS.findall(following) if len(word) >= MIN_WORD_LETTERS}
    found = len(words & later)
    return found >= needed and found >= share * len(words)


def _stem(word: str) -> str:
    """The normalised word without a clitic prefix of its script (the longest leaving a stem of 3+ letters)."""
    norm = normalise(word)
    return next((stem for _, stem in prefix_splits(norm) if len(stem) >= MIN_WORD_LETTERS), norm)
