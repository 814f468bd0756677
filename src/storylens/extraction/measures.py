"""What a figure counts: a label from the measure-noun lexicon, never a neighbouring word.

The measure nouns of each language are the ``measure_nouns`` of its profile (``lang/<code>/profile.json``);
the language-independent part (the generic measure, the cumulative measures, unit labels) is
``data/figure_measures.json``.

The label is the measure whose noun stands in the figure's clause, at most ``WINDOW_AFTER`` words after the
number (800 killed, Hebrew 800 harugim, Arabic 800 qatil) or ``WINDOW_BEFORE`` words before it (death toll rose to 800,
Arabic irtafa'a adad al-qatla ila 800); the nearest wins, and the generic measure (people) only when no other measure
is there. The window stops at clause punctuation and at another number, which has its own nouns. A figure
with a unit of its own (percent, dollars, hours, kilometres) is labelled by that unit, whatever nouns stand
near it (88 years old is no death toll); this is also the generic fallback for languages without measure
nouns. A count with no measure noun in reach gets no label rather than a neighbouring word.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from storylens.lang import Token, all_profiles, prefix_splits, tokenize

WINDOW_AFTER = 3  # words after the number: "800 people were killed"
WINDOW_BEFORE = 5  # words before it: "the death toll has risen to 800"
MAX_PHRASE = 3
CLAUSE_BREAKS = frozenset('.,;:!?()[]"«»“”\u060c\u061b\u061f')


@dataclass(frozen=True)
class MeasureLexicon:
    phrases: dict[tuple[str, ...], str]  # normalised words -> measure
    generic: str
    cumulative: frozenset[str]
    unit_labels: dict[str, str]


@cache
def measure_lexicon() -> MeasureLexicon:
    raw = json.loads(resources.files("storylens.extraction").joinpath("data/figure_measures.json").read_text())
    phrases = {
        tuple(t.norm for t in tokenize(word)): measure
        for profile in all_profiles()
        for measure, words in profile.measure_nouns.items()
        for word in words
    }
    return MeasureLexicon(phrases, raw["generic"], frozenset(raw["cumulative"]), dict(raw["unit_labels"]))


def is_cumulative(measure: str | None) -> bool:
    """A toll that grows while a story unfolds (dead, injured...): a rise over time is an update."""
    return measure is not None and measure in measure_lexicon().cumulative


def _forms(token: Token) -> set[str]:
    return {token.norm, *(stem for _, stem in prefix_splits(token.norm))}


def _match_at(tokens: Sequence[Token], k: int, lex: MeasureLexicon) -> str | None:
    """The measure whose phrase starts at token k (longest phrase first), if any."""
    for size in range(MAX_PHRASE, 0, -1):
        if k + size > len(tokens):
            continue
        rest = tuple(t.norm for t in tokens[k + 1 : k + size])
        for head in _forms(tokens[k]):
            measure = lex.phrases.get((head, *rest))
            if measure is not None:
                return measure
    return None


def _window(tokens: Sequence[Token], start: int, step: int, words: int) -> list[tuple[int, int]]:
    """(distance in words, token index) of the words from ``start`` going ``step``, within one clause."""
    found: list[tuple[int, int]] = []
    k, distance = start, 0
    while 0 <= k < len(tokens) and distance < words:
        token = tokens[k]
        if token.text in CLAUSE_BREAKS or token.is_number:
            break
        if token.is_word:
            distance += 1
            found.append((distance, k))
        k += step
    return found


def measure_of(tokens: Sequence[Token], first: int, last: int, unit: str | None) -> str | None:
    """The label of the figure spanning tokens ``first``..``last`` (its unit words included)."""
    lex = measure_lexicon()
    if unit in lex.unit_labels:  # a quantity with its own unit (88 years, $5 trillion) is measured by it
        return lex.unit_labels[unit]
    candidates: list[tuple[bool, int, int, str]] = []  # (generic, distance, after-first order, measure)
    for k in range(first, last + 1):  # the unit phrase itself may be a measure noun ("800 killed")
        measure = _match_at(tokens, k, lex) if tokens[k].is_word else None
        if measure is not None:
            candidates.append((measure == lex.generic, 0, 0, measure))
    for side, (step, words, origin) in enumerate(((1, WINDOW_AFTER, last + 1), (-1, WINDOW_BEFORE, first - 1))):
        for distance, k in _window(tokens, origin, step, words):
            measure = _match_at(tokens, k, lex)
            if measure is not None:
                candidates.append((measure == lex.generic, distance, side, measure))
    return min(candidates)[3] if candidates else None
