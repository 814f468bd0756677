"""Unicode-script facts about text: which writing systems its letters use and which languages fit them.

The letters each language forbids or requires are language knowledge and live in the language profiles
(``storylens/lang/<code>/profile.json``). The language detector combines these facts with fastText's
statistical guess, so that a text is only ever given a language that is written in the text's own script,
and so that letters a language never uses (or always uses) can overrule a statistical guess on short or
confusable text.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache

from babel.core import get_global

from storylens.lang import all_profiles

# First word(s) of a Unicode character name -> ISO 15924 script code.
# Kana and Han are one bucket: Japanese mixes them, Chinese uses Han alone.
_UNICODE_NAME_TO_SCRIPT = {
    "LATIN": "Latn",
    "CYRILLIC": "Cyrl",
    "ARABIC": "Arab",
    "HEBREW": "Hebr",
    "GREEK": "Grek",
    "CJK": "Hani",
    "HIRAGANA": "Hani",
    "KATAKANA": "Hani",
    "HANGUL": "Hang",
    "DEVANAGARI": "Deva",
    "BENGALI": "Beng",
    "GEORGIAN": "Geor",
    "ARMENIAN": "Armn",
    "TAMIL": "Taml",
    "TELUGU": "Telu",
    "KANNADA": "Knda",
    "MALAYALAM": "Mlym",
    "GUJARATI": "Gujr",
    "GURMUKHI": "Guru",
    "ORIYA": "Orya",
    "SINHALA": "Sinh",
    "THAI": "Thai",
    "LAO": "Laoo",
    "KHMER": "Khmr",
    "MYANMAR": "Mymr",
    "TIBETAN": "Tibt",
    "ETHIOPIC": "Ethi",
    "THAANA": "Thaa",
    "MONGOLIAN": "Mong",
    "SYRIAC": "Syrc",
}

# CLDR writes a language's likely script with finer codes than a character can show.
_CLDR_SCRIPT_TO_SCRIPT = {"Hans": "Hani", "Hant": "Hani", "Jpan": "Hani", "Kore": "Hang"}

# fastText labels that CLDR's likely-subtags table does not know.
_SCRIPT_OF_UNKNOWN_LABELS = {
    "sh": "Latn",
    "als": "Latn",
    "eml": "Latn",
    "diq": "Latn",
    "bcl": "Latn",
    "mhr": "Cyrl",
    "bxr": "Cyrl",
    "gom": "Deva",
    "bh": "Deva",
    "pnb": "Arab",
}

# The language to fall back on when a script's letters are all the evidence there is.
DEFAULT_LANGUAGE_OF_SCRIPT = {
    "Latn": "en",
    "Cyrl": "ru",
    "Arab": "ar",
    "Hebr": "he",
    "Grek": "el",
    "Hani": "zh",
    "Hang": "ko",
    "Deva": "hi",
    "Beng": "bn",
    "Geor": "ka",
    "Armn": "hy",
    "Taml": "ta",
    "Telu": "te",
    "Knda": "kn",
    "Mlym": "ml",
    "Gujr": "gu",
    "Guru": "pa",
    "Orya": "or",
    "Sinh": "si",
    "Thai": "th",
    "Laoo": "lo",
    "Khmr": "km",
    "Mymr": "my",
    "Tibt": "bo",
    "Ethi": "am",
    "Thaa": "dv",
    "Mong": "mn",
    "Syrc": "syc",
}


@dataclass(frozen=True)
class LetterRule:
    """Letters that decide whether a language can be the language of a text.

    ``forbidden``: letters outside the language's alphabet; more than a trace of them rules it out.
    ``required``: when set, the text must contain at least one of these letters (or markers).
    """

    forbidden: str = ""
    required: tuple[str, ...] = ()


def _letter_rules() -> dict[str, LetterRule]:
    """The letter rules of every language profile that has one (``forbidden_letters``, ``required_markers``)."""
    return {
        profile.code: LetterRule(profile.forbidden_letters, profile.required_markers)
        for profile in all_profiles()
        if profile.forbidden_letters or profile.required_markers
    }


# Yiddish needs its ligatures, points or function words; Arabic proper never uses the Persian/Urdu/Kurdish/Pashto
# letter forms; the Cyrillic alphabets differ by a few letters; Japanese needs kana, which Chinese never uses.
LETTER_RULES: dict[str, LetterRule] = _letter_rules()

# Forbidden letters are tolerated up to this share of all letters (a quoted foreign name).
FORBIDDEN_LETTER_TOLERANCE = 0.01


@cache
def script_of_character(character: str) -> str | None:
    """ISO 15924 code of a letter's script, or None for non-letters and unlisted scripts."""
    if not character.isalpha():
        return None
    words = unicodedata.name(character, "").split()
    if words and words[0] in ("FULLWIDTH", "HALFWIDTH"):
        words = words[1:]
    return _UNICODE_NAME_TO_SCRIPT.get(words[0]) if words else None


@cache
def script_of_language(language: str) -> str:
    """The script a language is usually written in (CLDR likely subtags), as a character-level code."""
    if language in _SCRIPT_OF_UNKNOWN_LABELS:
        return _SCRIPT_OF_UNKNOWN_LABELS[language]
    likely = get_global("likely_subtags").get(language)
    if likely is None:
        return "Latn"
    script = likely.split("_")[1]
    return _CLDR_SCRIPT_TO_SCRIPT.get(script, script)


@dataclass(frozen=True)
class ScriptProfile:
    """How many letters a text has and how they split across scripts."""

    letter_count: int
    counts: dict[str, int]

    @property
    def dominant(self) -> str | None:
        return max(self.counts, key=self.counts.__getitem__) if self.counts else None

    @property
    def dominant_share(self) -> float:
        dominant = self.dominant
        return self.counts[dominant] / self.letter_count if dominant and self.letter_count else 0.0


def script_profile(text: str) -> ScriptProfile:
    """Count the letters of ``text`` per script (letters of unlisted scripts count only in the total)."""
    counts: Counter[str] = Counter()
    letter_count = 0
    for character in text:
        if character.isalpha():
            letter_count += 1
            script = script_of_character(character)
            if script is not None:
                counts[script] += 1
    return ScriptProfile(letter_count, dict(counts))


def letters_allow(language: str, text: str, letter_count: int) -> bool:
    """Whether the letters of ``text`` are compatible with ``language`` (see LETTER_RULES)."""
    rule = LETTER_RULES.get(language)
    if rule is None:
        return True
    if rule.required and not any(marker in text for marker in rule.required):
        return False
    if rule.forbidden:
        forbidden_count = sum(text.count(letter) for letter in rule.forbidden)
        if forbidden_count > max(0, FORBIDDEN_LETTER_TOLERANCE * letter_count):
            return False
    return True
