"""What a figure counts: a label from the measure-noun lexicon, never a neighbouring word.

The measure nouns of each language are the ``measure_nouns`` of its profile (``lang/<code>/profile.json``);
the language-independent part (the generic measure, the cumulative measures, unit labels) is
``data/figure_measures.json``.

The label is the measure whose noun stands in the figure's clause, at most ``WINDOW_AFTER`` words after the
number (800 killed, Hebrew 800 harugim, Arabic 800 qatil) or ``WINDOW_BEFORE`` words before it (death toll rose to 800,
Arabic irtafa'a adad al-qatla ila 800); the nearest wins, and the generic measure (people) only when no other measure
is there, also ``WEAK_WINDOW_AFTER`` words after it (eight people tied to the group were killed); a role
(passengers, soldiers) yields likewise to a toll in reach (32 passengers survived). The window
stops at clause punctuation and at another number (digits or number words), which has its own nouns. A figure
with a unit of its own (percent, dollars, hours, kilometres) is labelled by that unit, whatever nouns stand
near it (88 years old is no death toll); this is also the generic fallback for languages without measure
nouns. A count with no measure noun in reach gets no label rather than a neighbouring word.

Two neighbours belong to another number: a measure noun right after a number (7.8-magnitude quake kills 500:
magnitude is 7.8's), and a coordinated measure after the figure when a number of its own follows it (Arabic
"qutila 14 shakhsan wa-usiba 450", 14 killed and 450 injured: "and injured" is 450's). A coordinated measure is
a conjunction ("and") or a word with a conjunction clitic (Arabic wa-, Hebrew ve-) on a measure noun.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from storylens.extraction.figure_words import lexicon as number_lexicon
from storylens.extraction.figure_words import stem_in
from storylens.lang import Token, all_profiles, normalise, prefix_splits, tokenize
from storylens.lang.profile import punctuation, word_table

WINDOW_AFTER = 3  # words after the number: "800 people were killed"
WINDOW_BEFORE = 5  # words before it: "the death toll has risen to 800"
WEAK_WINDOW_AFTER = 5  # words after it for a measure that outranks the generic one: "8 people tied to X were killed"
MAX_PHRASE = 3
CLAUSE_BREAKS = frozenset(
    '.,;:!?()[]"«»“”' + punctuation("commas") + punctuation("semicolons") + punctuation("question_marks")
)


@dataclass(frozen=True)
class MeasureLexicon:
    phrases: dict[tuple[str, ...], str]  # normalised words -> measure
    generic: str
    cumulative: frozenset[str]
    person_counts: frozenset[str]  # measures that count people in some role: the dead, voters...
    roles: frozenset[str]  # who is counted (passengers, soldiers): a toll in the clause outranks them
    unit_labels: dict[str, str]
    unit_scales: dict[str, tuple[str, float]]  # unit -> (dimension, size in the dimension's base unit)
    conjunctions: frozenset[str]  # "and" as a word of its own
    conjunction_clitics: frozenset[str]  # Arabic wa-, Hebrew ve- on the next word


@cache
def measure_lexicon() -> MeasureLexicon:
    raw = json.loads(resources.files("storylens.extraction").joinpath("data/figure_measures.json").read_text())
    phrases = {
        tuple(t.norm for t in tokenize(word)): measure
        for profile in all_profiles()
        for measure, words in profile.measure_nouns.items()
        for word in words
    }
    return MeasureLexicon(
        phrases,
        raw["generic"],
        frozenset(raw["cumulative"]),
        frozenset(raw["person_counts"]),
        frozenset(raw["roles"]),
        dict(raw["unit_labels"]),
        {unit: (dimension, float(size)) for unit, (dimension, size) in raw["unit_scales"].items()},
        frozenset(normalise(w) for w in word_table("name_cues", "conjunctions")),
        frozenset(normalise(w) for w in word_table("figure_words", "conjunction_clitics")),
    )


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


def _is_number(token: Token) -> bool:
    """Digits or a number word (Arabic sab'umi'a, seven hundred, is one word)."""
    return token.is_number or (token.is_word and stem_in(token.norm, number_lexicon().number_words) is not None)


def _number_follows(tokens: Sequence[Token], k: int, words: int) -> bool:
    """Does a number (digits or number words) come within ``words`` words after token k, in the same clause?"""
    seen = 0
    for token in tokens[k + 1 :]:
        if _is_number(token):
            return True
        if token.text in CLAUSE_BREAKS or seen >= words:
            return False
        seen += token.is_word
    return False


def _coordinated(tokens: Sequence[Token], k: int, lex: MeasureLexicon) -> bool:
    """Does token k open a coordinated measure of another number ("and 450 injured", Arabic wa-usiba 450)?"""
    norm = tokens[k].norm
    if norm in lex.conjunctions:
        return _number_follows(tokens, k, WINDOW_AFTER)
    clitic = next((c for c in lex.conjunction_clitics if norm.startswith(c) and len(norm) > len(c)), None)
    if clitic is None or lex.phrases.get((norm[len(clitic) :],)) is None:
        return False
    return _number_follows(tokens, k, WINDOW_AFTER)


def _after_number(tokens: Sequence[Token], k: int) -> bool:
    """Is token k right after a number (7.8-magnitude), so that it measures that number?"""
    j = k - 1
    if j >= 0 and tokens[j].text == "-":
        j -= 1
    return j >= 0 and tokens[j].is_number


def _window(tokens: Sequence[Token], start: int, step: int, words: int, lex: MeasureLexicon) -> list[tuple[int, int]]:
    """(distance in words, token index) of the words from ``start`` going ``step``, within one clause; going
    forward, up to a coordinated measure of another number."""
    found: list[tuple[int, int]] = []
    k, distance = start, 0
    while 0 <= k < len(tokens) and distance < words:
        token = tokens[k]
        if token.text in CLAUSE_BREAKS or token.is_number:
            break
        if step > 0 and token.is_word and _coordinated(tokens, k, lex):
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
    for side, (step, words, origin) in enumerate(((1, WEAK_WINDOW_AFTER, last + 1), (-1, WINDOW_BEFORE, first - 1))):
        for distance, k in _window(tokens, origin, step, words, lex):
            if step < 0 and _after_number(tokens, k):
                continue
            measure = _match_at(tokens, k, lex)
            if measure is None or (step > 0 and distance > WINDOW_AFTER and measure == lex.generic):
                continue
            candidates.append((measure == lex.generic, distance, side, measure))
    if not candidates:
        return None
    best = min(candidates)[3]
    if best in lex.roles:  # "32 passengers survived": what happened to them is the measure
        tolls = [c for c in candidates if c[3] in lex.cumulative]
        return min(tolls)[3] if tolls else best
    return best
