"""Lines of a document with their offsets, and the shape tests cleaning makes on them.

A line here is the stripped content of one non-blank physical line: ``text[start:end]`` never starts
or ends with whitespace. The shape tests (title-like, body-like, date-only) look only at one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storylens.cleaning.cues import GLUED_DATE_PREFIXES, PUBLISHED_ANYWHERE, PUBLISHED_LINE, date_words, normalize
from storylens.lang import punctuation

_NON_BLANK_LINE = re.compile(r"[^\r\n]*\S[^\r\n]*")
_WORD = re.compile(r"\w+")
_LETTER_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_END = punctuation("line_ends")  # . ! … : ; , and the scripts' own (lang profiles)
_CLOSERS = "\"'”’»)]}›“"
_BULLET = re.compile(r"^(?:[-–—•*·▪►]|\d{1,2}[.)])\s")
_YEAR_OR_NUMERIC_DATE = re.compile(r"\b(?:1[89]|20)\d\d\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")

# A title is at most this long; longer first lines are paragraphs.
TITLE_MAX_CHARS = 200
TITLE_MAX_WORDS = 25
TITLE_MIN_CHARS = 6
# A line this long (or ending a sentence) reads as running text.
BODY_MIN_CHARS = 80
BODY_MIN_WORDS = 12
# Footer, link and date lines are at most this many words.
SHORT_LINE_MAX_WORDS = 10
SHORT_LINE_MAX_CHARS = 120


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str

    @property
    def words(self) -> list[str]:
        return _WORD.findall(self.text)


def split_lines(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    """The non-blank lines of ``text[start:end]``, stripped, with offsets into ``text``."""
    lines = []
    for match in _NON_BLANK_LINE.finditer(text, start, len(text) if end is None else end):
        content = match.group()
        left = len(content) - len(content.lstrip())
        right = len(content.rstrip())
        lines.append(Line(match.start() + left, match.start() + right, content[left:right]))
    return lines


def ends_sentence(line: Line) -> bool:
    stripped = line.text.rstrip(_CLOSERS + " ")
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def is_bullet(line: Line) -> bool:
    return bool(_BULLET.match(line.text))


def is_short(line: Line) -> bool:
    return len(line.words) <= SHORT_LINE_MAX_WORDS and len(line.text) <= SHORT_LINE_MAX_CHARS


def is_title_like(line: Line) -> bool:
    """Short, not ending a sentence, not a list item: a headline or a subheading (not a lone label)."""
    return (
        TITLE_MIN_CHARS <= len(line.text) <= TITLE_MAX_CHARS
        and (len(line.words) >= 2 or " " not in line.text)
        and len(line.words) <= TITLE_MAX_WORDS
        and not ends_sentence(line)
        and not is_bullet(line)
        and any(character.isalpha() for character in line.text)
    )


def is_body_like(line: Line) -> bool:
    """Running text: a long line, or one that ends a sentence."""
    return (
        len(line.text) >= BODY_MIN_CHARS
        or len(line.words) >= BODY_MIN_WORDS
        or (ends_sentence(line) and len(line.words) >= 3)
    )


def date_line_value(line: Line) -> str | None:
    """If the line holds only a date (after an optional "Published:"-like cue), the raw date text."""
    if len(line.words) > SHORT_LINE_MAX_WORDS + 4 or not _YEAR_OR_NUMERIC_DATE.search(line.text):
        return None
    folded, origins = normalize(line.text)
    leading_cue = PUBLISHED_LINE.match(folded)
    remainder = PUBLISHED_ANYWHERE.sub(" ", folded)
    known = date_words()
    if not all(_is_date_word(word, known) for word in _LETTER_WORD.findall(remainder)):
        return None
    value_start = origins[leading_cue.end()] if leading_cue and leading_cue.end() < len(origins) else 0
    return line.text[value_start:].strip() or None


def _is_date_word(word: str, known: frozenset[str]) -> bool:
    # Letter runs are taken without digits, so "3rd" leaves the ordinal suffix "rd" behind.
    return (
        word in known
        or word in ("st", "nd", "rd", "th", "er", "e", "го")
        or (word[0] in GLUED_DATE_PREFIXES and word[1:] in known)
    )
