"""Consonant skeletons of names, comparable across Latin, Hebrew and Arabic script.

Putin (Hebrew pwtyn, Arabic bwtyn) -> "btn"; h and the pharyngeal h (Arabic ha, Hebrew het) are no consonant,
as Latin spelling drops them (Hamas -> "ms"), and a Hebrew het also reads as kh (k), so a name may have two
skeletons. The letter tables are data: ``name_skeleton_pieces`` and ``name_consonants`` of the script's
profile (``lang/he``, ``lang/ar``), and the ``names`` table of ``lang/skeleton.json`` for every other script
(transliterated to Latin with anyascii first).
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from anyascii import anyascii

from storylens.lang import get_profile, normalise, script_of
from storylens.lang.profile import all_profiles


@cache
def _script_table(script: str) -> tuple[tuple[tuple[str, str], ...], dict[int, str]] | None:
    profile = get_profile(script)
    if script == "latin" or not profile.name_consonants:
        return None
    return tuple((a, b) for a, b in profile.name_skeleton_pieces), str.maketrans(dict(profile.name_consonants))


@cache
def _latin_table() -> tuple[tuple[tuple[str, str], ...], dict[int, str]]:
    raw = json.loads(resources.files("storylens.lang").joinpath("skeleton.json").read_text(encoding="utf-8"))
    names = raw["names"]
    return tuple((a, b) for a, b in names["digraphs"]), str.maketrans(names["consonants"])


def _word_skeletons(word: str) -> tuple[str, ...]:
    """A word's consonant skeletons: one, or two for a Hebrew het, which writes both kh (k) and h (none)."""
    table = _script_table(script_of(word))
    if table is None:
        word = anyascii(word).lower()
        table = _latin_table()
    pieces, consonants = table
    for piece, sound in pieces:
        word = word.replace(piece, sound)
    skeleton = word.translate(consonants)
    # ts is one sound (Donetsk); s and z trade places across scripts (Lines, Arabic laynz)
    skeleton = re.sub(r"[^a-zH]", "", skeleton).replace("ts", "s").replace("z", "s")
    readings = (skeleton.replace("H", "k"), skeleton.replace("H", ""))
    return tuple(dict.fromkeys(re.sub(r"(.)\1+", r"\1", reading) for reading in readings))


@cache
def _articles() -> tuple[tuple[str, int], ...]:
    return tuple((p.article, p.article_min_word) for p in all_profiles() if p.article)


def _without_article(word: str) -> str:
    for article, min_word in _articles():
        if word.startswith(article) and len(word) > min_word:
            return word[len(article) :]
    return word


def link_key(text: str) -> str:
    """Script-preserving key: normalised words, without the definite article (profile ``article``) on each word."""
    return " ".join(_without_article(w) for w in normalise(text).split())


def skeletons(text: str) -> tuple[str, ...]:
    """Consonant skeletons of a name, comparable across Latin, Hebrew and Arabic script: h and the pharyngeal
    h are no consonant, as Latin spelling drops them (Hamas), and a Hebrew het may also read as kh (k)."""
    words = [_word_skeletons(w) for w in link_key(text).split()]
    readings = (" ".join(filter(None, (w[min(n, len(w) - 1)] for w in words))) for n in range(2))
    return tuple(dict.fromkeys(readings))


def skeleton(text: str) -> str:
    """The first of a name's ``skeletons`` (a Hebrew het read as k)."""
    return skeletons(text)[0]
