"""Quote marks and quote words: the words between paired quote marks (a straight " between two Hebrew letters is
gershayim, not a quote mark), a quoted name, complementizers, and the ``quote_words`` tables of the language
profiles merged. ``quotes.py`` reads quotes with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from storylens.extraction.records import Mention
from storylens.lang import all_profiles, get_profile, normalise
from storylens.lang.profile import punctuation, word_table

PAIRED_MARKS = {"«": "»", "“": "”", "„": "“", "‘": "’", "‹": "›"}
OPENING_MARKS = frozenset([*PAIRED_MARKS, '"'])
HEBREW_LETTER = re.compile(f"[{get_profile('he').letters}]")  # a quote mark between two is gershayim


@dataclass(frozen=True)
class QuoteWords:
    complementizers: frozenset[str]
    complementizer_prefixes: frozenset[str]  # Hebrew she- ("that") on the clause's first word
    clause_punctuation: frozenset[str]
    clause_stops: frozenset[str]
    breaks: frozenset[str]  # marks that cut a speaker from a verb: sentence ends, colons, semicolons
    gap_words: frozenset[str]
    subject_after_verb_scripts: frozenset[str]
    speaker_after_cues: frozenset[str]
    apposition_marks: frozenset[str]
    not_subjects: frozenset[str]


@cache
def quote_words() -> QuoteWords:
    """The ``quote_words`` of the generic and every language profile, merged."""

    def marks(key: str) -> frozenset[str]:
        return frozenset(word_table("quote_words", key))

    def words(key: str) -> frozenset[str]:
        return frozenset(normalise(w) for w in word_table("quote_words", key))

    stops = marks("clause_stops")
    return QuoteWords(
        complementizers=words("complementizers"),
        complementizer_prefixes=words("complementizer_prefixes"),
        clause_punctuation=marks("clause_punctuation"),
        clause_stops=stops,
        breaks=stops | frozenset(".!:" + punctuation("question_marks")),
        gap_words=words("speaker_gap_words"),
        subject_after_verb_scripts=frozenset(p.code for p in all_profiles() if p.quote_words.get("subject_after_verb")),
        speaker_after_cues=words("speaker_after_cues"),
        apposition_marks=marks("apposition_marks"),
        not_subjects=words("not_subjects"),
    )


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the words inside each pair of quote marks, on one line."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    closer = ""
    for i, ch in enumerate(text):
        if ch == "\n":
            open_at = None
        elif open_at is None and ch in OPENING_MARKS:
            if ch == '"' and _is_gershayim(text, i):
                continue
            open_at, closer = i, PAIRED_MARKS.get(ch, '"')
        elif open_at is not None and ch == closer and not (ch == '"' and _is_gershayim(text, i)):
            spans.append((open_at + 1, i))
            open_at = None
    return spans


def _is_gershayim(text: str, i: int) -> bool:
    return 0 < i < len(text) - 1 and bool(HEBREW_LETTER.match(text[i - 1]) and HEBREW_LETTER.match(text[i + 1]))


def complementizer_letters(norm: str) -> int | None:
    """How many letters of this word are its complementizer before the clause: all of a complementizer word
    (that, Hebrew ki), those of a complementizer prefix (Hebrew she-hu, "that he"); None for other words."""
    words = quote_words()
    if norm in words.complementizers:
        return len(norm)
    prefix = next((p for p in words.complementizer_prefixes if norm.startswith(p) and len(norm) > len(p) + 2), None)
    return None if prefix is None else len(prefix)


def is_quoted_name(text: str, span: tuple[int, int], mentions: list[Mention]) -> bool:
    """Is the quoted span a name (CNN in quote marks), not a statement?"""
    inner = text[span[0] : span[1]]
    start = span[0] + len(inner) - len(inner.lstrip())
    end = span[0] + len(inner.rstrip())
    return any(m.start <= start and end <= m.end for m in mentions)
