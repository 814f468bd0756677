"""Two more kinds of conflict evidence for ``conflict_loso.py``: an event's ordinal ("the second round") and large
numbers that disagree ("3 trillion" against "5 trillion"), read from each article's opening.

- ``ordinal_values(text)``: the values of the ordinals the text names, whatever the noun after them and whatever the
  script: an ordinal word of any language profile (``numbers.ordinals``: "second", Arabic al-thani, Hebrew ha-sheni,
  French deuxième, Persian dovvom...; a clitic prefix may stand before it, Hebrew ve-ha-sheni), not after a word that
  makes it part of a name (``numbers.ordinal_blockers``: Arabic kanun al-thani, a month), or digits with an ordinal
  suffix of any profile (``numbers.ordinal_suffixes``: 2nd, 2e, 2º, 2-й). Values are compared, not words, so
  "second round" in English and al-jawla al-thaniya in Arabic name the same 2. Hebrew has only its definite forms
  (the bare ones are also weekdays: yom sheni, Monday).
- ``large_figures(text)``: the figures of the extraction stage (``extract_figures``) of a million or more in a unit
  that does not move within one story the way a toll does (no people counts, percentages or points), as
  ``(unit, value)``: in practice sums of money ("a $3 trillion market value", "$32 billion"); smaller amounts are
  share prices and distances, which differ within one story (a depth of 10 km, 16 km from a town).

- ``event_kinds(text)``: the kinds of event whose words the text holds (``event_words`` of the profiles:
  ``judicial``, a trial, verdict or sentence; ``anniversary``): "the trial" against "the attack".

All are given as evidence keys (``ord:2``, ``fig:USD:3e+12``) that ``conflict_loso.ConflictClusterer`` compares,
with ``ord:any`` / ``fig:any`` on every article that has some, so a story counts its members that state any. The
ordinal rule ``max`` keeps only the highest ordinal of an article (its event's phase: a second-round report also
names the first round, rarely the third), ``all`` keeps every one.

Run (a look at what is found): PYTHONPATH=src:benchmarks python benchmarks/conflict_evidence.py --set news_dev3
"""

from __future__ import annotations

import argparse
import re
from functools import cache
from pathlib import Path

from gold_cache import stored_articles

from storylens.extraction.figures import COUNT_UNITS, extract_figures
from storylens.lang import ascii_digits, normalise, prefix_splits, tokenize
from storylens.lang.profile import all_profiles, word_table
from storylens.store.articles import Article

ROOT = Path(__file__).resolve().parents[1]
OPENING_CHARS = 600  # as merge_entities: the title and the lead name the event
ORDINAL, NUMBER, EVENT = "ord:", "fig:", "ev:"
MAX_ORDINAL = 20  # "the 75th anniversary" counts years, not an event's phase
MIN_ORDINAL = 1  # 2: leave "first" out ("for the first time"); set by conflict_loso --min-ordinal
ORDINAL_RULE = "max"  # or "all"; set by conflict_loso --ordinal-rule
ANY = "any"
LARGE = 1e6
MOVING_UNITS = COUNT_UNITS | {"percent"}  # tolls, counts and shares move within one story


@cache
def _ordinal_tables() -> tuple[dict[str, int], frozenset[str], re.Pattern[str]]:
    values = {normalise(word): int(value) for word, value in word_table("numbers", "ordinals")}
    blockers = frozenset(normalise(word) for word, _ in word_table("numbers", "ordinal_blockers"))
    suffixes = sorted({suffix for suffix, _ in word_table("numbers", "ordinal_suffixes")}, key=len, reverse=True)
    digits = re.compile(r"(?<![\d.,])(\d{1,2})(?:" + "|".join(map(re.escape, suffixes)) + r")(?![^\W\d_])")
    return values, blockers, digits


def opening(article: Article) -> str:
    return ((article.title or "") + "\n" + article.text[:OPENING_CHARS]).strip()


def _word_value(norm: str, values: dict[str, int]) -> int | None:
    if norm in values:
        return values[norm]
    return next((values[stem] for _, stem in prefix_splits(norm) if stem in values), None)


def ordinal_values(text: str) -> frozenset[int]:
    """The values of the ordinals the text names (words of every profile, digits with an ordinal suffix)."""
    values, blockers, digits = _ordinal_tables()
    found: set[int] = set()
    tokens = tokenize(text)
    for k, token in enumerate(tokens):
        if not token.is_word or (k and tokens[k - 1].norm in blockers):
            continue
        value = _word_value(token.norm.lower(), values)
        if value is not None:
            found.add(value)
    found |= {int(match.group(1)) for match in digits.finditer(ascii_digits(text))}
    return frozenset(v for v in found if MIN_ORDINAL <= v <= MAX_ORDINAL)


def large_figures(text: str) -> frozenset[tuple[str, float]]:
    """(unit, value) of the figures of ``LARGE`` or more with a unit that does not move within a story."""
    found = set()
    for figure in extract_figures(text):
        number = figure.value[1] if isinstance(figure.value, tuple) else figure.value  # a range: its top
        if figure.unit and figure.unit not in MOVING_UNITS and number >= LARGE:
            found.add((figure.unit, float(number)))
    return frozenset(found)


def ordinal_keys(article: Article | None) -> frozenset[str]:
    values = ordinal_values(opening(article)) if article is not None else frozenset()
    if not values:
        return frozenset()
    kept = {max(values)} if ORDINAL_RULE == "max" else values
    return frozenset({f"{ORDINAL}{value}" for value in kept} | {ORDINAL + ANY})


def number_keys(article: Article | None) -> frozenset[str]:
    figures = large_figures(opening(article)) if article is not None else frozenset()
    if not figures:
        return frozenset()
    return frozenset({f"{NUMBER}{unit}:{value:.6g}" for unit, value in figures} | {NUMBER + ANY})


@cache
def _event_table() -> dict[tuple[str, ...], str]:
    """Phrase (its words' look-up keys) -> event kind, from every profile's ``event_words``."""
    table: dict[tuple[str, ...], str] = {}
    for profile in all_profiles():
        for kind, phrases in profile.event_words.items():
            for phrase in phrases:
                table[tuple(normalise(word).lower() for word in phrase.split())] = kind
    return table


def event_kinds(text: str) -> frozenset[str]:
    """The event kinds (``event_words``: judicial, anniversary) whose words the text holds; a clitic prefix may
    stand before a one-word phrase."""
    table = _event_table()
    norms = [t.norm.lower() for t in tokenize(text) if t.is_word]
    found = set()
    for phrase, kind in table.items():
        n = len(phrase)
        if n == 1:
            if any(w == phrase[0] or any(stem == phrase[0] for _, stem in prefix_splits(w)) for w in norms):
                found.add(kind)
        elif any(tuple(norms[i : i + n]) == phrase for i in range(len(norms) - n + 1)):
            found.add(kind)
    return frozenset(found)


def event_keys(article: Article | None) -> frozenset[str]:
    return frozenset(EVENT + kind for kind in event_kinds(opening(article))) if article is not None else frozenset()


def number_key(key: str) -> tuple[str, float]:
    unit, _, value = key[len(NUMBER) :].rpartition(":")
    return unit, float(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--set", default="news_dev3")
    args = parser.parse_args()
    for article_id, article in sorted(stored_articles(args.set, args.data).items()):
        found = ordinal_keys(article) | number_keys(article) | event_keys(article)
        if found:
            print(article_id, article.lang, sorted(found))


if __name__ == "__main__":
    main()
