"""``LanguageProfile``: what storylens knows about one language, read from ``lang/<code>/profile.json``.

A profile is data, not code: adding a language means adding a folder with a ``profile.json``. Every field
is optional in the file; a missing field takes the value of ``lang/generic/profile.json``, the fallback for
languages without a folder of their own (Russian, Chinese, an unknown code), which has no clitics, no letter
folds and no skeleton rules, so such text never goes down the Hebrew or Arabic path.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

GENERIC = "generic"
_PACKAGE = "storylens.lang"


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True, slots=True, eq=False)
class LanguageProfile:
    """One language's letters, clitics, number words and cue words (see ``lang/README.md`` for each field).

    Profiles are made once per code and compared by identity (``get_profile`` caches them)."""

    code: str  # ISO 639-1 code, or "generic"
    script: str | None = None  # ISO 15924 script code of the language's letters
    letters: str = ""  # regular-expression class body of the script's letters ("" for no script test)
    marks: str = ""  # class body of the combining marks look-up keys drop (points, harakat, tatweel)
    letter_folds: Mapping[str, str] = field(default_factory=dict)  # one letter's spelling variants (hamza alif -> alif)
    lookup_folds: Mapping[str, str] = field(default_factory=dict)  # merged in look-up keys only (ta marbuta -> ha)
    punctuation_folds: Mapping[str, str] = field(default_factory=dict)  # script punctuation -> ASCII (gershayim -> ")
    prefix_letters: str = ""  # one-letter clitics that chain before a word (Hebrew ve- + be- + ha-)
    max_prefix_chain: int = 0  # at most this many chained prefix letters
    clitic_prefixes: tuple[str, ...] = ()  # whole clitic prefixes (Arabic wa-l-, bi-l-, wa-), besides the chains
    clitic_suffixes: tuple[str, ...] = ()  # inflection and possessive suffixes, longest first
    future_prefix: str = ""  # a verb prefix marking the future (Arabic sa-)
    skeleton_letters: Mapping[str, str] = field(default_factory=dict)  # letters replaced before transliteration
    name_skeleton_pieces: tuple[tuple[str, str], ...] = ()  # letter+mark pieces replaced first in name skeletons
    name_consonants: Mapping[str, str] = field(default_factory=dict)  # letter -> consonant class of name skeletons
    article: str = ""  # the definite article written as a prefix (Arabic al-), dropped in link and look-up keys
    article_min_word: int = 0  # only from words longer than this many letters
    hidden_article: Mapping[str, str] = field(default_factory=dict)  # after these prefixes an unwritten article
    prefix_joiners: str = ""  # marks that may stand between a clitic prefix and a name (Hebrew maqaf, "-")
    romanisation: Mapping[str, Any] = field(default_factory=dict)  # letter tables of display romanisations
    name_cues: Mapping[str, Any] = field(default_factory=dict)  # titles, reporting verbs, place/organisation nouns
    quote_words: Mapping[str, Any] = field(default_factory=dict)  # complementizers, gap words, clause marks
    grammar: Mapping[str, Any] = field(default_factory=dict)  # articles, conjunction clitics, noun/adjective endings
    figure_words: Mapping[str, Any] = field(default_factory=dict)  # units, currencies, range and approximation words
    event_words: Mapping[str, Any] = field(default_factory=dict)  # event kind (judicial, anniversary) -> its words
    measure_nouns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # measure -> nouns that label a figure
    primary_for_script: bool = False  # words in ``letters`` with no language given are read as this language
    word_joiners: str = ""  # marks that join two words of the script into one token (Hebrew gershayim: tsa"l, the IDF)
    geresh_letters: str = ""  # letters a final apostrophe may follow inside a word (Hebrew gimel', tsadi')
    apostrophes: str = ""  # the apostrophes that may end such a word
    number_separators: Mapping[str, str] = field(default_factory=dict)  # script decimal/group marks -> "." / ","
    numbers: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # number_words, hundreds, scales
    cues: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # page-furniture kind -> opening phrases
    date_line_words: tuple[str, ...] = ()  # words besides month/day names that stand in a date-only line
    date_line_locales: tuple[str, ...] = ()  # CLDR locales whose month/day names make date-only lines
    relative_days: Mapping[str, int] = field(default_factory=dict)  # "last night" -> -1, beyond dateparser's
    forbidden_letters: str = ""  # letters outside the alphabet: more than a trace rules the language out
    required_markers: tuple[str, ...] = ()  # the text must hold one of these (letters or words) to be this language
    sentence_language: str = "en"  # the language sentencex splits this language's sentences as
    punctuation: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # kind -> the script's marks of it

    @property
    def prefixes(self) -> tuple[str, ...]:
        """Every clitic prefix (chains of prefix letters and whole prefixes), longest first."""
        return _prefixes(self)

    @property
    def prefix_letter_set(self) -> str:
        """The one-letter clitics: the prefix letters and the one-letter whole prefixes."""
        return self.prefix_letters + "".join(p for p in self.clitic_prefixes if len(p) == 1)

    def number_words(self, kind: str = "number_words") -> Mapping[str, float]:
        """Number words of one ``kind``: "number_words" (one..ninety), "hundreds" or "scales" (thousand...)."""
        return self.numbers.get(kind, {})


@cache
def _prefixes(profile: LanguageProfile) -> tuple[str, ...]:
    chains = {""}
    found: set[str] = set(profile.clitic_prefixes)
    for _ in range(profile.max_prefix_chain):
        chains = {chain + letter for chain in chains for letter in profile.prefix_letters}
        found |= chains
    return tuple(sorted(found, key=lambda p: (-len(p), p)))


def _read(code: str) -> dict[str, Any] | None:
    path = resources.files(_PACKAGE).joinpath(code, "profile.json")
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _build(data: Mapping[str, Any]) -> LanguageProfile:
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name.startswith("_") or name == "about":
            continue
        if name == "cues":
            value = _frozen({kind: tuple(phrases) for kind, phrases in value.items()})
        elif name == "numbers":
            value = _frozen({kind: _frozen(words) for kind, words in value.items()})
        elif isinstance(value, list):
            value = tuple(value)
        elif isinstance(value, dict):
            value = _frozen(value)
        values[name] = value
    return LanguageProfile(**values)


def base_code(lang: str | None) -> str:
    """ "he" for "he", "HE", "he-IL" or "he_IL"; "" for none."""
    return (lang or "").replace("_", "-").split("-")[0].lower()


def get_profile(lang: str | None) -> LanguageProfile:
    """The profile of ``lang`` (any case, regional tags ignored); the generic profile for a language without one.

    One object per base code, so "he", "HE" and "he-IL" give the same profile."""
    return _profile(base_code(lang))


@cache
def _profile(code: str) -> LanguageProfile:
    generic = _read(GENERIC) or {}
    own = _read(code) if code and code != GENERIC and code.isalpha() else None
    if own is None:
        return _build({**generic, "code": code or GENERIC, "sentence_language": code or "en"})
    return _build({**generic, "sentence_language": code, **own})


@cache
def profile_codes() -> tuple[str, ...]:
    """Codes of the languages with a folder of their own."""
    root = resources.files(_PACKAGE)
    return tuple(sorted(e.name for e in root.iterdir() if e.name != GENERIC and e.joinpath("profile.json").is_file()))


def all_profiles() -> Iterator[LanguageProfile]:
    """Every language's own profile, in code order."""
    return (get_profile(code) for code in profile_codes())


def word_table(table: str, kind: str) -> list[Any]:
    """The entries of ``kind`` in the word table ``table`` (``name_cues``, ``quote_words``, ``measure_nouns``)
    of the generic profile and every language's own, in that order (a mapping gives its items): these tables
    serve text of any language."""
    found: list[Any] = []
    for profile in (get_profile(GENERIC), *all_profiles()):
        value = getattr(profile, table).get(kind)
        if isinstance(value, Mapping):
            found.extend(value.items())
        elif value is not None:
            found.extend(value)
    return found


@cache
def punctuation(kind: str) -> str:
    """The punctuation marks of ``kind`` in every profile, generic first, each once: ``line_ends`` (a line
    ending in one reads as the end of a sentence or clause), ``quote_marks``, ``gap_marks`` (what may stand
    between two words read together, besides spaces: "today (Wednesday)"), ``commas``, ``semicolons``,
    ``question_marks``."""
    return "".join(dict.fromkeys(word_table("punctuation", kind)))
