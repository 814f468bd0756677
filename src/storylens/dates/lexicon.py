"""Month, weekday and relative-day words per language, taken from dateparser's language data.

dateparser ships inflected and regional forms (Russian genitive months, Hebrew months with the
be- prefix, Levantine Arabic months under its ``ar-SY``/``ar-LB``/... locales); this module turns
them into folded lookup tables. ``fold`` makes spelling variants meet: case, diacritics,
the letter folds of the language profiles (Arabic hamza/alef forms, Persian letters), tatweel and
zero-width characters. Relative-day words dateparser lacks ("last night") and the clitic letters glued
to a date word come from the language profiles (``relative_days``, the one-letter clitics).
"""

from __future__ import annotations

import dataclasses
import importlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from storylens.lang import fold_letters, get_profile, strip_marks

MONTH_KEYS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Languages searched when the caller does not know the text's language.
DEFAULT_LANGUAGES = ("en", "ar", "he", "ru", "uk", "fa", "fr", "de", "es", "it", "pt", "tr")

_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060\ufeff]")
_RELATIVE_DAY_KEY = re.compile(r"^(?:(\d+) day ago|in (\d+) day)$")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower-case ``text`` and strip what varies between spellings of the same word."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).casefold()
    stripped = "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")
    stripped = strip_marks(fold_letters(unicodedata.normalize("NFC", stripped)))
    return " ".join(re.sub(r"[^\w\s]", " ", stripped).split())


@dataclass(frozen=True)
class Lexicon:
    """Folded word -> value tables for one language (or a union of languages)."""

    months: dict[str, int]  # folded month name -> 1..12
    weekdays: dict[str, int]  # folded weekday name -> 0 (Monday)..6
    weak_weekdays: frozenset[str]  # short forms ("wed", Hebrew revi'i) trusted only in context
    relative_days: dict[str, int]  # folded word -> days from the publication day
    connectors: frozenset[str]  # words allowed between day, month and year ("de", "of", "the")
    day_words: frozenset[str]  # the word "day" (Arabic yawm) that may stand before a weekday
    prefixes: str  # clitic letters that may be stripped from a word's start
    date_order: str  # "DMY", "MDY" or "YMD" for ambiguous numeric dates; "" when unknown
    longest_phrase: int  # most words in any entry
    first_words: frozenset[str]  # first word of every entry, to skip other words quickly

    def may_start_entry(self, word: str) -> bool:
        """Whether folded ``word`` (or it without a clitic prefix) can begin an entry."""
        return word in self.first_words or (len(word) > 2 and word[0] in self.prefixes and word[1:] in self.first_words)

    def lookup(self, table: dict[str, int], phrase: str) -> int | None:
        """Value of folded ``phrase`` in ``table``, trying once more without a clitic prefix."""
        if phrase in table:
            return table[phrase]
        if len(phrase) > 2 and phrase[0] in self.prefixes:
            return table.get(phrase[1:])
        return None


def _language_data(lang: str) -> dict[str, Any] | None:
    try:
        module = importlib.import_module(f"dateparser.data.date_translation_data.{lang}")
    except ImportError:
        return None
    info: dict[str, Any] = module.info
    return info


def supported_language(lang: str) -> bool:
    """Whether dateparser has data for ``lang`` (a code such as "ar", "he", "zh-Hant")."""
    return _language_data(lang) is not None


def _variants(info: dict[str, Any], key: str) -> list[str]:
    """Every form dateparser lists for ``key`` in the language and its regional locales."""
    forms = list(info.get(key, []))
    for regional in info.get("locale_specific", {}).values():
        forms.extend(regional.get(key, []))
    return forms


def _first_words(entries: list[str]) -> frozenset[str]:
    return frozenset(entry.split()[0] for entry in entries if entry)


def _add_unambiguous(table: dict[str, int], clashes: set[str], word: str, value: int) -> None:
    if word in clashes:
        return
    if table.get(word, value) != value:
        del table[word]
        clashes.add(word)
        return
    table[word] = value


@lru_cache(maxsize=64)
def _single_language(lang: str) -> Lexicon | None:
    info = _language_data(lang)
    if info is None:
        return None
    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    relative: dict[str, int] = {}
    clashes: set[str] = set()
    for number, key in enumerate(MONTH_KEYS, start=1):
        for form in _variants(info, key):
            _add_unambiguous(months, clashes, fold(form), number)
    weak: set[str] = set()
    for number, key in enumerate(WEEKDAY_KEYS):
        forms = {fold(form) for form in _variants(info, key)} - {""}
        longest = max((len(form) for form in forms), default=0)
        for form in forms:
            _add_unambiguous(weekdays, clashes, form, number)
            if len(form) < 0.8 * longest:
                weak.add(form)
    for key, forms in info.get("relative-type", {}).items():
        match = _RELATIVE_DAY_KEY.match(key)
        if match:
            days = -int(match.group(1)) if match.group(1) else int(match.group(2))
            for form in forms:
                _add_unambiguous(relative, clashes, fold(form), days)
    profile = get_profile(lang)
    for form, days in profile.relative_days.items():
        relative[fold(form)] = days
    connectors = frozenset(fold(word) for word in info.get("skip", []) if fold(word))
    entries = [*months, *weekdays, *relative]
    return Lexicon(
        first_words=_first_words(entries),
        months=months,
        weekdays=weekdays,
        weak_weekdays=frozenset(weak),
        relative_days=relative,
        connectors=connectors,
        day_words=frozenset(fold(word) for word in info.get("day", []) if fold(word)),
        prefixes=profile.prefix_letter_set,
        date_order=str(info.get("date_order", "")),
        longest_phrase=max((len(entry.split()) for entry in entries), default=1),
    )


def _merge(parts: list[Lexicon], date_order: str, prefixes: str) -> Lexicon:
    """Union of ``parts``; earlier parts win a clash for their own words, later ones lose it."""

    def merged(tables: list[dict[str, int]]) -> dict[str, int]:
        result: dict[str, int] = {}
        for table in tables:
            for word, value in table.items():
                result.setdefault(word, value)
        return result

    return Lexicon(
        first_words=frozenset().union(*(part.first_words for part in parts)),
        months=merged([part.months for part in parts]),
        weekdays=merged([part.weekdays for part in parts]),
        weak_weekdays=frozenset().union(*(part.weak_weekdays for part in parts)),
        relative_days=merged([part.relative_days for part in parts]),
        connectors=frozenset().union(*(part.connectors for part in parts)),
        day_words=frozenset().union(*(part.day_words for part in parts)),
        prefixes=prefixes,
        date_order=date_order,
        longest_phrase=max(part.longest_phrase for part in parts),
    )


def _union_without_clashes(parts: list[Lexicon]) -> Lexicon:
    """Union of ``parts`` where a word that means different things in two languages is dropped."""
    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    relative: dict[str, int] = {}
    clashes: set[str] = set()
    for part in parts:
        for target, table in ((months, part.months), (weekdays, part.weekdays), (relative, part.relative_days)):
            for word, value in table.items():
                _add_unambiguous(target, clashes, word, value)
    prefixes = "".join(dict.fromkeys("".join(part.prefixes for part in parts)))
    union = _merge(parts, "", prefixes)
    return dataclasses.replace(union, months=months, weekdays=weekdays, relative_days=relative)


@lru_cache(maxsize=64)
def lexicon_for(lang: str | None) -> Lexicon:
    """Words for ``lang`` (falling back to its base code) plus English, which news pages mix in.

    With no language, a union of common news languages without words that clash between them.
    """
    if lang is None:
        parts = [part for code in DEFAULT_LANGUAGES if (part := _single_language(code)) is not None]
        return _union_without_clashes(parts)
    own = _single_language(lang) or _single_language(lang.split("-")[0].split("_")[0].lower())
    english = _single_language("en")
    assert english is not None  # dateparser always ships English
    if own is None:
        return lexicon_for(None)
    return _merge([own, english], own.date_order, own.prefixes)
