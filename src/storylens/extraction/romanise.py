"""Readable Latin display names for Arabic- and Hebrew-script names that have no Latin variant.

Neither script writes short vowels, so only written long vowels become vowels: و -> u (w at the start
or before a vowel letter), ي -> i (y likewise), ا -> a; the Arabic article ال is dropped and ة is a.
Hebrew: ו -> o, י -> i, א and a final ה -> a, ב/כ/פ inside a word -> v/kh/f, and the geresh marks foreign
sounds (ג' -> j, ז' -> zh, צ' -> ch).
"""

from __future__ import annotations

import re

from anyascii import anyascii

from storylens.extraction.text import ARABIC_RE, HEBREW_RE, plain

_ARABIC = {
    "ب": "b",
    "ت": "t",
    "ث": "th",
    "ج": "j",
    "ح": "h",
    "خ": "kh",
    "د": "d",
    "ذ": "dh",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "sh",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "z",
    "غ": "gh",
    "ف": "f",
    "ق": "q",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "ة": "a",
    "ى": "a",
    "پ": "p",
    "چ": "ch",
    "ڤ": "v",
    "گ": "g",
    "ا": "a",
    "أ": "a",
    "إ": "i",
    "آ": "a",
    "ٱ": "a",
    "ع": "",
    "ء": "",
    "ئ": "",
    "ؤ": "",
}
_ARABIC_VOWEL_LETTERS = frozenset("اأإآوي")
_HEBREW = {
    "א": "",
    "ב": "b",
    "ג": "g",
    "ד": "d",
    "ה": "h",
    "ז": "z",
    "ח": "kh",
    "ט": "t",
    "כ": "k",
    "ך": "kh",
    "ל": "l",
    "מ": "m",
    "ם": "m",
    "נ": "n",
    "ן": "n",
    "ס": "s",
    "ע": "",
    "פ": "p",
    "ף": "f",
    "צ": "ts",
    "ץ": "ts",
    "ק": "k",
    "ר": "r",
    "ש": "sh",
    "ת": "t",
}
_HEBREW_SOFT = {"ב": "v", "כ": "kh", "פ": "f"}  # inside a word, without dagesh
_HEBREW_GERESH = {"ג": "j", "ז": "zh", "צ": "ch", "ץ": "ch", "ת": "th"}
_GERESH = frozenset("'׳")


def _arabic_word(word: str) -> str:
    if word.startswith("ال") and len(word) > 3:
        word = word[2:]
    out = []
    for i, ch in enumerate(word):
        following = word[i + 1] if i + 1 < len(word) else ""
        if ch in "وي":
            consonant = i == 0 or following in _ARABIC_VOWEL_LETTERS
            out.append(("w" if ch == "و" else "y") if consonant else ("u" if ch == "و" else "i"))
        else:
            out.append(_ARABIC.get(ch, anyascii(ch)))
    return "".join(out)


def _hebrew_word(word: str) -> str:
    out = []
    for i, ch in enumerate(word):
        following = word[i + 1] if i + 1 < len(word) else ""
        if ch in _GERESH or ch in '"״':
            continue
        if following in _GERESH and ch in _HEBREW_GERESH:
            out.append(_HEBREW_GERESH[ch])
        elif ch == "ו":
            out.append("v" if i == 0 or following == "ו" else "" if word[i - 1] == "ו" else "o")
        elif ch == "י":
            out.append("y" if i == 0 or (following and following in "וי") else "" if word[i - 1] == "י" else "i")
        elif ch == "א" or (ch == "ה" and i == len(word) - 1):
            out.append("a")
        elif i > 0 and ch in _HEBREW_SOFT:
            out.append(_HEBREW_SOFT[ch])
        else:
            out.append(_HEBREW.get(ch, anyascii(ch)))
    return "".join(out)


def romanise(name: str) -> str:
    """A Latin display form of a name in any script, capitalised word by word."""
    words = []
    for word in plain(name).split():
        if ARABIC_RE.search(word):
            latin = _arabic_word(word)
        elif HEBREW_RE.search(word):
            latin = "-".join(_hebrew_word(part) for part in word.split("-"))
        else:
            latin = anyascii(word)
        latin = re.sub(r"([aiu])\1+", r"\1", latin)
        words.append(latin[:1].upper() + latin[1:])
    return " ".join(w for w in words if w)
