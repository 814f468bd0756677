"""Readable Latin display names for Arabic- and Hebrew-script names that have no Latin variant.

Neither script writes short vowels, so only written long vowels become vowels: Arabic waw -> u (w at the start
or before a vowel letter), ya -> i (y likewise), alif -> a; the Arabic article al- is dropped and ta marbuta
is a. Hebrew: vav -> o, yod -> i, alef and a final he -> a, bet/kaf/pe inside a word -> v/kh/f, and the geresh
marks foreign sounds (gimel+geresh -> j, zayin+geresh -> zh, tsadi+geresh -> ch).

The tables are data: the ``romanisation`` field of each script's profile (``lang/he``, ``lang/ar``):
``letters`` (letter -> Latin), ``inner_letters`` (inside a word), ``final_letters`` (at its end),
``geresh_letters`` (before one of ``geresh_marks``), ``silent`` marks, ``glides`` (letters read as a consonant
at the start or before one of ``consonant_before``, else as a vowel, or as nothing after the same letter when
``doubled_silent``), ``article_min_word`` (drop the profile's ``article`` from longer words) and
``hyphen_parts`` (romanise the parts of a hyphenated word apart).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from anyascii import anyascii

from storylens.lang import LanguageProfile, all_profiles, plain


@cache
def _romanisers() -> tuple[tuple[re.Pattern[str], LanguageProfile], ...]:
    """The profiles with a romanisation, in code order (a word with any Arabic letter is read as Arabic)."""
    return tuple((re.compile(f"[{p.letters}]"), p) for p in all_profiles() if p.romanisation and p.letters)


def _glide(word: str, i: int, rule: Mapping[str, Any]) -> str:
    following = word[i + 1] if i + 1 < len(word) else ""
    if i == 0 or (following and following in rule["consonant_before"]):
        return str(rule["consonant"])
    if rule.get("doubled_silent") and word[i - 1] == word[i]:
        return ""
    return str(rule["vowel"])


def _word(word: str, profile: LanguageProfile) -> str:
    table = profile.romanisation
    min_word = table.get("article_min_word")
    if min_word is not None and profile.article and word.startswith(profile.article) and len(word) > min_word:
        word = word[len(profile.article) :]
    letters, inner, final = table["letters"], table.get("inner_letters", {}), table.get("final_letters", {})
    geresh, geresh_marks, silent = (
        table.get("geresh_letters", {}),
        table.get("geresh_marks", ""),
        table.get("silent", ""),
    )
    glides = table.get("glides", {})
    out = []
    for i, ch in enumerate(word):
        following = word[i + 1] if i + 1 < len(word) else ""
        if ch in silent:
            continue
        if following and following in geresh_marks and ch in geresh:
            out.append(geresh[ch])
        elif ch in glides:
            out.append(_glide(word, i, glides[ch]))
        elif ch in final and i == len(word) - 1:
            out.append(final[ch])
        elif i > 0 and ch in inner:
            out.append(inner[ch])
        else:
            out.append(letters.get(ch, anyascii(ch)))
    return "".join(out)


def _romanise_word(word: str) -> str:
    for letters, profile in _romanisers():
        if letters.search(word):
            if profile.romanisation.get("hyphen_parts"):
                return "-".join(_word(part, profile) for part in word.split("-"))
            return _word(word, profile)
    return anyascii(word)


def romanise(name: str) -> str:
    """A Latin display form of a name in any script, capitalised word by word."""
    words = []
    for word in plain(name).split():
        latin = re.sub(r"([aiu])\1+", r"\1", _romanise_word(word))
        words.append(latin[:1].upper() + latin[1:])
    return " ".join(w for w in words if w)
