"""The matchers for page furniture in news text, built from the cue words of every language profile.

The cue words live in the language profiles (``storylens/lang/<code>/profile.json``, key ``cues``), so a
language is added by adding its profile. Cues are written naturally;
they and the lines they are matched against go through the same ``normalize`` (case, Arabic hamza
and diacritics, Hebrew points), so Arabic "iqra' aydan" ("read also") with hamzas and
tanween also matches it written without them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache

from babel.dates import get_day_names, get_month_names

from storylens.lang import all_profiles, fold_letters, strip_marks


def _cues(kind: str) -> dict[str, list[str]]:
    """Language code -> the opening phrases of one kind of furniture line, from every language profile."""
    return {profile.code: list(profile.cues[kind]) for profile in all_profiles() if kind in profile.cues}


# Words that open a line naming where the article came from: "Source: Reuters".
SOURCE_CUES = _cues("source")
# Words that open a keyword/tag line: "Tags: Putin, Ukraine".
TAG_CUES = _cues("tags")
# Words that open a "read also" / related-links line or header.
RELATED_CUES = _cues("related")
# Phrases found anywhere in a copyright line.
COPYRIGHT_CUES = _cues("copyright")
COPYRIGHT_SIGNS = re.compile(r"©|\(c\)\s*(?:19|20)\d\d|\b(?:19|20)\d\d\s*\(c\)", re.IGNORECASE)

# Words that open a share/follow/subscribe line.
SOCIAL_CUES = _cues("social")
# Words that open a byline: Arabic "katabat: ..." ("written by"). In Latin script only English "by", and only
# before a capitalised name ("byline_before_capital"): "Von der Leyen ...", "Di Maio ...", "Por qué ..." open
# headlines too.
BYLINE_CUES = _cues("byline")
BYLINE_LATIN_CUES = [cue for cues in _cues("byline_before_capital").values() for cue in cues]
# Words that open a publication/update date line: "Published: 3 December 2025".
PUBLISHED_CUES = _cues("published")
# Words, besides month and weekday names, that may stand in a line holding nothing but a date.
DATE_LINE_WORDS = [word for profile in all_profiles() for word in profile.date_line_words]
# Locales whose month and weekday names make up date-only lines.
# Arabic month names differ by region: Egypt/Gulf (ar), Levant and Iraq (ar_SY, ar_IQ), Maghreb (ar_MA, ar_DZ).
DATE_LINE_LOCALES = [locale for profile in all_profiles() for locale in profile.date_line_locales]
# One-letter clitics glued to a month name (Hebrew be-yanuar "in January", Arabic li-disambir "for December").
GLUED_DATE_PREFIXES = "".join(dict.fromkeys(letter for p in all_profiles() for letter in p.prefix_letter_set))

# The metadata header some inputs carry at the very start: " date 2025-12-03 ", " date 2025-06".
METADATA_HEADER = re.compile(
    r"[ \t]*(?:date|published|pubdate)[ \t]*:?[ \t]+"
    r"(?P<date>\d{4}(?:-\d{1,2}(?:-\d{1,2}(?:T\d{1,2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?)"
    r"(?=\s|$)",
    re.IGNORECASE,
)

# A dateline naming the agency at the start of an article's first paragraph:
# "LONDON (Reuters) -", Arabic "Limassol - «Mediterranean News Agency»:", Arabic
# "Capitals \" agencies \":".
DATELINE_AGENCY = re.compile(
    r"^(?P<place>[^\W\d_][^\W\d_ .'’-]*(?:[ .'’-]+[^\W\d_]+){0,2})[ ,]*(?:[-–—][ ]*)?"
    r"[(«\"“]\s*(?P<agency>[^()«»\"“”\n:]{2,40}?)\s*[)»\"”]\s*[:\-–—]"
)

_NAME_PUNCTUATION = "".join(dict.fromkeys(".'" + "".join(profile.apostrophes for profile in all_profiles())))
_ZERO_WIDTH = "\u200c\u200d\u200e\u200f"
# After a cue: a colon-like mark, a dash that is not a hyphen inside a word ("Follow-up"), or the line end.
_SEPARATOR = r"\s*(?:[:：|»>]|[-–—](?!\w)|$)"


def normalize(text: str) -> tuple[str, list[int]]:
    """Lowercase ``text``, drop combining marks, tatweel and zero-width marks, and fold letter variants
    (``lang.fold_letters``); also return each output character's index in ``text``, so that a match in the
    normalized text maps back to original offsets."""
    characters: list[str] = []
    origins: list[int] = []
    for index, character in enumerate(text):
        if unicodedata.category(character) == "Mn" or not strip_marks(character) or character in _ZERO_WIDTH:
            continue
        for lowered in fold_letters(character).lower():
            characters.append(lowered)
            origins.append(index)
    return "".join(characters), origins


def normalized(text: str) -> str:
    return normalize(text)[0]


def _alternation(cues: dict[str, list[str]]) -> str:
    phrases = {normalized(cue) for language_cues in cues.values() for cue in language_cues}
    # Longest first, so that "read also" wins over "read"; spaces match any run of spaces.
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(re.escape(phrase).replace(r"\ ", r"\s+") for phrase in ordered)


def _opening(cues: dict[str, list[str]]) -> re.Pattern[str]:
    """A cue at the start of a line (after any bullets or brackets), ending at a separator or line end."""
    return re.compile(rf"^[^\w]*(?:{_alternation(cues)}){_SEPARATOR}")


SOURCE_LINE = _opening(SOURCE_CUES)
TAG_LINE = _opening(TAG_CUES)
RELATED_LINE = _opening(RELATED_CUES)
SOCIAL_LINE = _opening(SOCIAL_CUES)
PUBLISHED_LINE = re.compile(rf"^[^\w]*(?:{_alternation(PUBLISHED_CUES)})(?:\s*[:：\-–—|]+\s*|\s+)(?=.*\d)")
BYLINE_LINE = re.compile(rf"^[^\w]*(?:{_alternation(BYLINE_CUES)})\s*[:：]")
# Matched against the original line: the name after the cue must be capitalised.
BYLINE_LATIN_LINE = re.compile(rf"^[^\w]*(?i:{'|'.join(BYLINE_LATIN_CUES)})\s+[A-ZÀ-Þ]")
PUBLISHED_ANYWHERE = re.compile(rf"(?:{_alternation(PUBLISHED_CUES)})")
COPYRIGHT_PHRASE = re.compile(rf"(?:{_alternation(COPYRIGHT_CUES)})")


@cache
def date_words() -> frozenset[str]:
    """Month and weekday names (wide and abbreviated) in DATE_LINE_LOCALES, plus DATE_LINE_WORDS."""
    words: set[str] = {normalized(word) for word in DATE_LINE_WORDS}
    for locale in DATE_LINE_LOCALES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                names: Iterable[str] = [
                    *get_month_names(width, context, locale).values(),
                    *get_day_names(width, context, locale).values(),
                ]
                # Some names are two words (Arabic kanun al-thani, January): each word counts.
                words.update(word.strip(_NAME_PUNCTUATION) for name in names for word in normalized(name).split())
    return frozenset(words)
