"""Consonant skeletons of names, comparable across Latin, Hebrew and Arabic script.

Putin / פוטין / بوتين -> "btn"; h and ḥ (ح, ח) are no consonant, as Latin spelling drops them (Hamas / حماس ->
"ms"), and a Hebrew ח also reads as kh (k), so a name may have two skeletons.
"""

from __future__ import annotations

import re

from anyascii import anyascii

from storylens.extraction.text import normalise, script_of

_HEBREW_CONSONANTS = str.maketrans(
    {
        "א": "",
        "ב": "b",
        "ג": "g",
        "ד": "d",
        "ה": "",
        "ו": "",
        "ז": "z",
        "ח": "H",
        "ט": "t",
        "י": "",
        "כ": "k",
        "ך": "k",
        "ל": "l",
        "מ": "m",
        "ם": "m",
        "נ": "n",
        "ן": "n",
        "ס": "s",
        "ע": "",
        "פ": "b",
        "ף": "b",
        "צ": "s",
        "ץ": "s",
        "ק": "k",
        "ר": "r",
        "ש": "s",
        "ת": "t",
        "'": "",
        '"': "",
    }
)
_ARABIC_CONSONANTS = str.maketrans(
    {
        "ا": "",
        "ء": "",
        "ؤ": "",
        "ئ": "",
        "ع": "",
        "ه": "",
        "و": "",
        "ي": "",
        "ب": "b",
        "ت": "t",
        "ث": "s",
        "ج": "g",
        "ح": "",
        "خ": "k",
        "د": "d",
        "ذ": "d",
        "ر": "r",
        "ز": "z",
        "س": "s",
        "ش": "s",
        "ص": "s",
        "ض": "d",
        "ط": "t",
        "ظ": "z",
        "غ": "g",
        "ف": "b",
        "ق": "k",
        "ك": "k",
        "ل": "l",
        "م": "m",
        "ن": "n",
        "پ": "b",
        "چ": "s",
        "ڤ": "b",
        "گ": "g",
    }
)
_LATIN_DIGRAPHS = [
    ("sch", "s"),
    ("sh", "s"),
    ("ch", "k"),
    ("kh", "k"),
    ("ph", "b"),
    ("th", "t"),
    ("ts", "s"),
    ("tz", "s"),
    ("zh", "g"),
    ("dzh", "g"),
    ("x", "ks"),
]
_LATIN_CONSONANTS = str.maketrans(
    {
        "a": "",
        "e": "",
        "i": "",
        "o": "",
        "u": "",
        "y": "",
        "w": "",
        "h": "",
        "'": "",
        "p": "b",
        "f": "b",
        "v": "b",
        "c": "k",
        "q": "k",
        "j": "g",
    }
)


def _word_skeletons(word: str) -> tuple[str, ...]:
    """A word's consonant skeletons: one, or two for a Hebrew ח, which writes both kh (k) and h (no consonant)."""
    script = script_of(word)
    if script == "he":
        word = re.sub(r"[זג]['׳]", "g", word).replace("צ'", "s")
        skeleton = word.translate(_HEBREW_CONSONANTS)
    elif script == "ar":
        skeleton = word.translate(_ARABIC_CONSONANTS)
    else:
        word = anyascii(word).lower()
        for digraph, sound in _LATIN_DIGRAPHS:
            word = word.replace(digraph, sound)
        skeleton = word.translate(_LATIN_CONSONANTS)
    # ts is one sound (Donetsk / دونيتسك); s and z trade places across scripts (Lines / لاينز)
    skeleton = re.sub(r"[^a-zH]", "", skeleton).replace("ts", "s").replace("z", "s")
    readings = (skeleton.replace("H", "k"), skeleton.replace("H", ""))
    return tuple(dict.fromkeys(re.sub(r"(.)\1+", r"\1", reading) for reading in readings))


def link_key(text: str) -> str:
    """Script-preserving key: normalised words, without the Arabic article on each word."""
    words = [w[2:] if w.startswith("ال") and len(w) > 4 else w for w in normalise(text).split()]
    return " ".join(words)


def skeletons(text: str) -> tuple[str, ...]:
    """Consonant skeletons of a name, comparable across Latin, Hebrew and Arabic script: h and ḥ (ح, ח) are
    no consonant, as Latin spelling drops them (Hamas / حماس), and a Hebrew ח may also read as kh (k)."""
    words = [_word_skeletons(w) for w in link_key(text).split()]
    readings = (" ".join(filter(None, (w[min(n, len(w) - 1)] for w in words))) for n in range(2))
    return tuple(dict.fromkeys(readings))


def skeleton(text: str) -> str:
    """The first of a name's ``skeletons`` (a Hebrew ח read as k)."""
    return skeletons(text)[0]
