"""Evidence keys: rare names and specific numbers that match across languages and scripts.

A key is a plain string. Names become consonant skeletons of their Latin transliteration, so Putin,
Putin in he/ar/ru script give ``w:BTN``; numbers with two or more significant digits become their digits
in ASCII, so 1,400 / 1.400 / Arabic-Indic 1400 give ``n:14``. To keep short skeletons from matching ordinary words
(Hebrew putin and bitahon "security" are close), a word only gives keys when it is rare in its language
(wordfreq) and its skeleton has at least three consonants. In cased scripts a capital letter inside a
sentence already marks a name, so only very common words are dropped there.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from wordfreq import available_languages, zipf_frequency

from storylens.lang import all_profiles, ascii_digits, skeleton, strip_prefixes
from storylens.lang.words import number_pattern

__all__ = ["evidence_keys", "skeleton"]  # skeleton: kept importable here for other branches (lives in lang)

MAX_ZIPF = 4.5  # caseless scripts: more common than about once in 30,000 words is not a name worth matching on
MAX_ZIPF_CAPITALISED = 6.0  # cased scripts, capitalised mid-sentence: drop only the very common (once per 1,000)
MIN_SKELETON = 3
MIN_SIGNIFICANT_DIGITS = 2
YEARS = range(1900, 2101)  # a year is shared by every story of that year: no evidence

WORD = re.compile(rf"[^\W\d_]+(?:['’{''.join(p.apostrophes for p in all_profiles())}][^\W\d_]+)*")
SENTENCE_MARKS = ".!?:;"  # a word after one of these (or after a line break) starts a sentence
FILLER = re.compile(r"[\s\"'«»“”„()\[\]-]")  # what may stand between that mark and the word
NUMBER = re.compile(number_pattern("\u00a0\u202f"))
UNSPACED_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN")

# wordfreq needs extra tokenizers (MeCab, jieba) for these; their words give no keys here anyway.
WORDFREQ_LANGUAGES = frozenset(available_languages()) - {"ja", "ko", "zh"}


def evidence_keys(text: str, lang: str) -> set[str]:
    """Keys for the rare names (``w:SKELETON``) and specific numbers (``n:DIGITS``) in ``text``."""
    keys = {f"n:{digits}" for digits in map(_significant_digits, NUMBER.findall(text)) if digits}
    previous_end = 0
    for match in WORD.finditer(text):
        sentence_start = _starts_sentence(text, previous_end, match.start())
        keys.update(_word_keys(match.group(), lang, sentence_start))
        previous_end = match.end()
    return keys


def _starts_sentence(text: str, gap_start: int, position: int) -> bool:
    """Whether the word at ``position`` starts a sentence: only filler (spaces, quotes, brackets, dashes)
    stands between it and the start of the text, a line break or a sentence mark.

    Looks back only over the filler before the word, never past the previous word (which ends in a letter,
    not filler), so the whole text is read once: linear time."""
    index = position
    while index > gap_start and FILLER.match(text, index - 1):
        index -= 1
        if text[index] == "\n":
            return True
    return index == 0 or text[index - 1] in SENTENCE_MARKS


def _significant_digits(number: str) -> str:
    digits = "".join(ch for ch in ascii_digits(number) if ch.isdigit())
    if number.isdigit() and len(digits) == 4 and int(digits) in YEARS:
        return ""
    significant = digits.lstrip("0").rstrip("0")
    return significant if len(significant) >= MIN_SIGNIFICANT_DIGITS else ""


@lru_cache(maxsize=200_000)
def _word_keys(word: str, lang: str, sentence_start: bool) -> frozenset[str]:
    if _unspaced(word):
        return frozenset()
    cased = word.lower() != word.upper()
    if cased and not word[0].isupper():
        return frozenset()
    base_lang = lang.split("-")[0].lower()
    if not cased and base_lang not in WORDFREQ_LANGUAGES:
        return frozenset()  # rarity is the only name signal in a caseless script: without a word list, none
    limit = MAX_ZIPF_CAPITALISED if cased and not sentence_start else MAX_ZIPF
    forms = _forms(word, lang)
    if max(_zipf(form, lang) for form in forms) >= limit:
        return frozenset()
    skeletons = (skeleton(form) for form in forms)
    return frozenset(f"w:{bones}" for bones in skeletons if len(bones) >= MIN_SKELETON)


def _forms(word: str, lang: str) -> list[str]:
    """The word and, in languages that join prefixes to words, the word without each possible prefix."""
    stripped = strip_prefixes(word, lang)
    return [word, *(form for form in stripped if len(form) >= 3)]


def _zipf(word: str, lang: str) -> float:
    """Zipf frequency in the language's word list; a cased language without one borrows English's.

    The small lists hold every word common enough to reach ``MAX_ZIPF`` and load several times faster."""
    base = lang.split("-")[0].lower()
    return zipf_frequency(word, base if base in WORDFREQ_LANGUAGES else "en", wordlist="small")


def _unspaced(word: str) -> bool:
    return any(unicodedata.name(ch, "").startswith(UNSPACED_SCRIPTS) for ch in word)
