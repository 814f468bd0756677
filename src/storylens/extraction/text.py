"""Tokens with offsets, script-aware normalisation keys and clitic handling for he/ar/en text.

Nothing here alters the original text: tokens carry ``start``/``end`` offsets into it and a
separate ``norm`` key used only for look-ups.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_HEBREW_LETTER = "\u05d0-\u05ea"
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_HEBREW_MARKS = re.compile("[\u0591-\u05c7]")
_HEBREW_QUOTE_MARKS = {"״": '"', "׳": "'"}  # gershayim and geresh as the ASCII marks most text and word lists use
_HEBREW_QUOTES = str.maketrans(_HEBREW_QUOTE_MARKS)
_ALEF_FORMS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", **_HEBREW_QUOTE_MARKS})

HYPHENS = "-\u2010\u2011"  # the hyphen-minus, the hyphen and the non-breaking hyphen (Severo‑Kurilsk)
_MARKS = "\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
_HEBREW_WORD = f"[{_HEBREW_LETTER}][{_HEBREW_LETTER}{_MARKS}]*"
_WORD = rf"[^\W\d_](?:[^\W\d_]|[{_MARKS}])*"
TOKEN_RE = re.compile(
    r"\d+(?:[.,٫٬]\d+)*"  # numbers in any script's decimal digits
    rf"|{_HEBREW_WORD}(?:[\"'״׳]{_HEBREW_WORD})*(?:(?<=[גזצץתח])['׳](?![{_HEBREW_LETTER}]))?"
    rf"|{_WORD}(?:(?:['’](?!s\b)|[{HYPHENS}](?=[A-Za-z])){_WORD})*"
    r"|\S",
)

HEBREW_PREFIXES = "בהולמשכ"
ARABIC_PREFIXES = ("وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
ARABIC_SUFFIXES = (
    "تين",
    "تان",
    "هما",
    "يون",
    "يين",
    "يه",
    "ية",
    "ات",
    "ين",
    "ون",
    "ان",
    "ها",
    "هم",
    "نا",
    "كم",
    "وا",
    "ة",
    "ه",
    "ي",
)
HEBREW_SUFFIXES = ("יהם", "יהן", "יו", "יה", "ים", "ות", "הם", "הן", "נו", "כם", "ן", "ם", "ו", "ה", "י", "ת")
ARABIC_FUTURE = "س"
HEBREW_RE = re.compile(f"[{_HEBREW_LETTER}]")
ARABIC_RE = re.compile("[\u0600-\u06ff]")
LATIN_RE = re.compile("[A-Za-z]")


@dataclass(frozen=True, slots=True)
class Token:
    """One word, number or punctuation mark of the original text."""

    start: int
    end: int
    text: str
    norm: str

    @property
    def is_word(self) -> bool:
        return self.text[0].isalpha()

    @property
    def is_number(self) -> bool:
        return self.text[0].isdigit()


@lru_cache(maxsize=100_000)
def normalise(word: str) -> str:
    """A look-up key: case-folded, without Arabic/Hebrew diacritics, with Arabic letter variants unified."""
    word = _ARABIC_MARKS.sub("", word)
    word = _HEBREW_MARKS.sub("", word)
    return unicodedata.normalize("NFKC", word).translate(_ALEF_FORMS).casefold()


def plain(word: str) -> str:
    """A word as dictionaries spell it: case-folded, without diacritics, letters kept (أ stays أ), Hebrew
    gershayim and geresh as the ASCII quote marks word lists use (דו״ח -> דו"ח)."""
    word = _HEBREW_MARKS.sub("", _ARABIC_MARKS.sub("", word)).translate(_HEBREW_QUOTES)
    return unicodedata.normalize("NFKC", word).casefold()


def tokenize(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group(), normalise(m.group())) for m in TOKEN_RE.finditer(text)]


def script_of(word: str) -> str:
    """'he', 'ar' or 'latin' (anything else) for a word, by its first letter of a known script."""
    if HEBREW_RE.search(word):
        return "he"
    if ARABIC_RE.search(word):
        return "ar"
    return "latin"


@lru_cache(maxsize=100_000)
def prefix_splits(norm: str) -> tuple[tuple[str, str], ...]:
    """Candidate (clitic prefix, stem) splits of a normalised word, longest prefix first, stem >= 2 letters.

    Hebrew allows chains of one-letter prefixes (ו+ב+ה...); Arabic uses the usual proclitics.
    The caller decides whether a split is right (e.g. only when the stem is a known name).
    """
    splits: list[tuple[str, str]] = []
    if HEBREW_RE.match(norm):
        for size in range(1, 4):
            head, stem = norm[:size], norm[size:]
            if len(stem) < 2 or any(ch not in HEBREW_PREFIXES for ch in head):
                break
            splits.append((head, stem.lstrip("-")))
        splits.reverse()
    elif ARABIC_RE.match(norm):
        splits = [(p, norm[len(p) :]) for p in ARABIC_PREFIXES if norm.startswith(p) and len(norm) - len(p) >= 2]
    return tuple(splits)


@lru_cache(maxsize=100_000)
def inflection_stems(norm: str) -> tuple[str, ...]:
    """Stems (>= 3 letters) of a normalised Hebrew/Arabic word without its clitic prefixes, the Arabic future
    prefix and/or an inflection suffix: سيجتمع -> يجتمع, وفدنا -> وفد, בשטחן -> שטח. Empty for other scripts."""
    if HEBREW_RE.match(norm):
        suffixes = HEBREW_SUFFIXES
    elif ARABIC_RE.match(norm):
        suffixes = ARABIC_SUFFIXES
    else:
        return ()
    heads = [stem for _, stem in prefix_splits(norm)]
    heads += [head[1:] for head in (norm, *heads) if head.startswith(ARABIC_FUTURE) and len(head) > 4]
    stems = set(heads)
    for head in (norm, *heads):
        stems.update(head[: -len(suffix)] for suffix in suffixes if head.endswith(suffix))
    return tuple(sorted(stem for stem in stems if len(stem) >= 3))


def surface_length(text: str, norm_length: int) -> int:
    """How many characters of ``text`` normalise to its first ``norm_length`` key characters (marks included)."""
    for size in range(len(text) + 1):
        if len(normalise(text[:size])) >= norm_length:
            while size < len(text) and not normalise(text[size]):
                size += 1
            return size
    return len(text)


def digit_value(number: str) -> float | None:
    """The value of a digit token such as '1,000', '3.5', '٢٥' or '1٬250٫5'; None if it is malformed."""
    digits = "".join(str(unicodedata.decimal(ch)) if ch.isdigit() else ch for ch in number)
    digits = digits.replace("٬", ",").replace("٫", ".")
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", digits):
        return float(digits.replace(",", ""))
    if re.fullmatch(r"\d+(?:\.\d+)?", digits):
        return float(digits)
    if re.fullmatch(r"\d+,\d{1,2}", digits):  # decimal comma
        return float(digits.replace(",", "."))
    return None


SENTENCE_END_RE = re.compile(  # an ellipsis followed by a lower-case word goes on with the same sentence
    r"(?<=[.!?؟])(?<!\.\.)(?<!…)\s+|(?:(?<=\.\.)|(?<=…))\s+(?![a-z])|\n+"
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence or line; good enough for scoping cues and speakers."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in SENTENCE_END_RE.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans
