"""Recognising page furniture line by line: source, tag, read-also, copyright, share and site-name lines.

Each test looks at one line. Whether a line that is merely short and plain (a site name, a byline)
is furniture depends on its neighbours and is decided by ``articles``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from storylens.cleaning.cues import (
    BYLINE_LATIN_LINE,
    BYLINE_LINE,
    COPYRIGHT_PHRASE,
    COPYRIGHT_SIGNS,
    RELATED_LINE,
    SOCIAL_LINE,
    SOURCE_LINE,
    TAG_LINE,
    normalize,
)
from storylens.cleaning.lines import Line, ends_sentence, is_short
from storylens.lang.sentences import SENTENCE_TERMINAL
from storylens.language.scripts import script_profile

FurnitureKind = Literal["source", "tags", "related", "copyright", "credit", "social", "byline", "site"]

# Kinds that close an article: what follows them, if it is running text, is another article.
ARTICLE_ENDING_KINDS: frozenset[FurnitureKind] = frozenset({"source", "tags", "copyright"})

# A copyright, share or byline line is at most this many words; longer lines are prose about those topics.
COPYRIGHT_MAX_WORDS = 25
SOCIAL_MAX_WORDS = 8
BYLINE_MAX_WORDS = 8
# A line of keywords without a cue: many words, several of them repeated, no sentence punctuation.
REPEATED_WORDS_MIN_WORDS = 8
REPEATED_WORDS_MAX_DISTINCT_SHARE = 0.5
REPEATED_WORDS_MIN_TOP_COUNT = 3
REPEATED_WORDS_MIN_LETTERS = 3  # shorter words (articles, particles) repeat in any sentence
# Site handles written in Latin inside a non-Latin line ("syriahomenews") are at least this long.
HANDLE_MIN_LETTERS = 4

_ADDRESS = re.compile(
    r"https?://|www\.|\b[\w-]+@[\w-]+\.\w+|\b[a-z0-9][\w-]*\.(?:com|net|org|info|news|tv|co|io|me|[a-z]{2})\b",
    re.IGNORECASE,
)
_LOWERCASE_LATIN_WORD = re.compile(rf"(?<![\w.])[a-z][a-z0-9_]{{{HANDLE_MIN_LETTERS - 1},}}(?![\w.])")
_SENTENCE_PUNCTUATION = SENTENCE_TERMINAL


@dataclass(frozen=True)
class Furniture:
    kind: FurnitureKind
    note: str
    value: str | None = None  # the source name of a source line


def classify(line: Line) -> Furniture | None:
    """The furniture a line is, judged from the line alone; None for ordinary text."""
    folded, origins = normalize(line.text)
    word_count = len(line.words)
    if TAG_LINE.match(folded):
        return Furniture("tags", "tag line")
    if RELATED_LINE.match(folded):
        return Furniture("related", "read-also link")
    source = SOURCE_LINE.match(folded)
    if source and is_short(line):
        value = line.text[origins[source.end()] :] if source.end() < len(origins) else ""
        return Furniture("source", "source line", value.strip(" \t)]}»\"'") or None)
    if word_count <= COPYRIGHT_MAX_WORDS and COPYRIGHT_PHRASE.search(folded):
        return Furniture("copyright", "copyright line")
    if word_count <= COPYRIGHT_MAX_WORDS and COPYRIGHT_SIGNS.search(line.text):
        return Furniture("credit", "copyright sign or photo credit")
    if (
        word_count <= BYLINE_MAX_WORDS
        and not ends_sentence(line)
        and (BYLINE_LINE.match(folded) or BYLINE_LATIN_LINE.match(line.text))
    ):
        return Furniture("byline", "byline")
    if word_count <= SOCIAL_MAX_WORDS and SOCIAL_LINE.match(folded):
        return Furniture("social", "share/follow line")
    if is_repeated_words(line):
        return Furniture("tags", "repeated-word keyword line")
    if is_short(line) and not ends_sentence(line) and names_a_site(line):
        return Furniture("site", "site name or address")
    return None


def is_repeated_words(line: Line) -> bool:
    """A keyword list: many words, a few of them repeated several times, no sentence punctuation."""
    words = [word.lower() for word in line.words if len(word) >= REPEATED_WORDS_MIN_LETTERS and not word.isdigit()]
    if len(words) < REPEATED_WORDS_MIN_WORDS or _SENTENCE_PUNCTUATION.search(line.text):
        return False
    top_count = Counter(words).most_common(1)[0][1]
    distinct_share = len(set(words)) / len(words)
    return top_count >= REPEATED_WORDS_MIN_TOP_COUNT and distinct_share <= REPEATED_WORDS_MAX_DISTINCT_SHARE


def names_a_site(line: Line) -> bool:
    """A web address, or a lowercase Latin handle inside a line otherwise written in another script."""
    if _ADDRESS.search(line.text):
        return True
    without_handles = _LOWERCASE_LATIN_WORD.sub(" ", line.text)
    return without_handles != line.text and script_profile(without_handles).dominant not in (None, "Latn")
