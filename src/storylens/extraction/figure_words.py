"""The word tables figures are read with: number, scale and unit words, range and approximation words, months.

``lexicon()`` merges the ``figure_words`` and ``numbers`` of the generic and every language profile (``lang/``)
into one ``FigureLexicon``; ``stem_in`` finds a word or its stem after a clitic prefix in one of its tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from babel import Locale

from storylens.lang import all_profiles, normalise, prefix_splits, tokenize
from storylens.lang.profile import word_table


@dataclass(frozen=True)
class FigureLexicon:
    number_words: dict[str, float]
    hundreds: dict[str, float]
    scales: dict[str, float]
    units: dict[tuple[str, ...], str]
    currency_symbols: dict[str, str]
    per_period: dict[tuple[str, ...], str]
    range_to: frozenset[str]
    range_and: frozenset[str]
    range_from: frozenset[str]
    approximate: frozenset[str]
    label_before: frozenset[str]
    year_before: frozenset[str]
    time_words: frozenset[str]
    function_words: frozenset[str]
    months: frozenset[str]
    weekdays: frozenset[str]  # CLDR day names: Arabic al-ithnayn (Monday) is no "two"
    square_before: frozenset[str]
    square_after: frozenset[str]
    definite_prefixes: frozenset[str]
    weekday_heads: frozenset[str]
    conjunction_clitics: frozenset[str]
    range_between: frozenset[str]
    approximate_clitics: tuple[str, ...]
    fraction_definite: tuple[str, ...]


def phrase(words: str) -> tuple[str, ...]:
    return tuple(token.norm for token in tokenize(words))


def _weekday_words() -> frozenset[str]:
    return frozenset(
        " ".join(phrase(name))
        for locale in ("en", "ar", "he")
        for name in Locale.parse(locale).days["format"]["wide"].values()
    )


def _month_words() -> frozenset[str]:
    words: set[str] = set()
    for locale in ("en", "ar", "ar_SY", "he"):
        for width in ("wide", "abbreviated"):
            for name in Locale.parse(locale).months["format"][width].values():
                words.update(phrase(name))
    return frozenset(w for w in words if len(w) > 2 and w not in {"may", "mar"})


def _numbers(kind: str) -> dict[str, float]:
    """Number words of ``kind`` of every language profile, by normalised word."""
    return {normalise(word): value for p in all_profiles() for word, value in p.number_words(kind).items()}


@cache
def lexicon() -> FigureLexicon:
    """The ``figure_words`` and ``numbers`` of the generic and every language profile, merged."""

    def raw(key: str) -> list[Any]:
        return word_table("figure_words", key)

    def words(key: str) -> frozenset[str]:
        return frozenset(" ".join(phrase(w)) for w in raw(key))

    return FigureLexicon(
        number_words=_numbers("number_words"),
        hundreds=_numbers("hundreds"),
        scales=_numbers("scales"),
        units={phrase(w): unit for unit, forms in raw("units") for w in forms},
        currency_symbols={normalise(k): v for k, v in raw("currency_symbols")},
        per_period={phrase(w): period for period, forms in raw("per_period") for w in forms},
        range_to=words("range_to"),
        range_and=words("range_and"),
        range_from=words("range_from"),
        approximate=words("approximate"),
        label_before=words("label_before"),
        year_before=words("year_before"),
        time_words=words("time_words"),
        function_words=words("function_words"),
        months=_month_words(),
        weekdays=_weekday_words(),
        square_before=words("square_before"),
        square_after=words("square_after"),
        definite_prefixes=frozenset(normalise(w) for w in raw("definite_prefixes")),
        weekday_heads=words("weekday_heads"),
        conjunction_clitics=frozenset(normalise(w) for w in raw("conjunction_clitics")),
        range_between=words("range_between"),
        approximate_clitics=tuple(normalise(w) for w in raw("approximate_clitics")),
        fraction_definite=tuple(normalise(w) for w in raw("fraction_definite")),
    )


def stem_in(norm: str, table: dict[str, float] | frozenset[str]) -> str | None:
    """``norm`` itself if it is in ``table``, else its stem after a clitic prefix, else None."""
    if norm in table:
        return norm
    return next((stem for _, stem in prefix_splits(norm) if stem in table), None)
