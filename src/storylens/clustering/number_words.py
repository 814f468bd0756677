"""Numbers spelled in words, read with the number words of the language profiles (``storylens/lang/*/``).

A run of adjacent number words is one number: units and tens add up ("twenty five", Hebrew and Arabic
"three ten" for thirteen, "five and twenty" with the conjunction joined to the word), a hundreds word
multiplies what precedes it, a scale word (thousand, million) multiplies and closes a group. A conjunction
joined to a word continues the run only to join a unit and a tens word, so "between twenty and thirty" stays
two numbers. Returns the values as digit strings; ``spelled_number_keys`` makes them evidence keys.
"""

from __future__ import annotations

import re
from functools import cache

from storylens.clustering.keys import _significant_digits
from storylens.lang import all_profiles, normalise
from storylens.lang.profile import word_table

_TOKEN = re.compile(r"[^\W\d_]+|[^\w\s]+|\s+")
_JOINERS = re.compile(r"\s+|[-‐‑]")  # what may stand between two words of one number


@cache
def _tables() -> tuple[dict[str, tuple[str, float]], tuple[str, ...]]:
    words: dict[str, tuple[str, float]] = {}
    for profile in all_profiles():
        for kind in ("number_words", "hundreds", "scales"):
            for word, value in profile.number_words(kind).items():
                words.setdefault(normalise(word), (kind, float(value)))
    clitics = tuple(normalise(c) for c in word_table("figure_words", "conjunction_clitics"))
    return words, clitics


def spelled_numbers(text: str) -> list[str]:
    """The numbers spelled in words in ``text``, as digit strings ("13", "350"), in order."""
    words, clitics = _tables()
    found: list[str] = []
    run: list[tuple[str, float]] = []
    joinable = True
    for match in _TOKEN.finditer(text):
        token = match.group()
        if not token[0].isalpha():
            joinable = joinable and bool(_JOINERS.fullmatch(token))
            continue
        entry, joined = _read(normalise(token), words, clitics)
        if entry is None or not joinable or (joined and not _joins(run, entry)):
            _close(run, found)
            run = []
        if entry is not None:
            run.append(entry)
        joinable = True
    _close(run, found)
    return found


def _read(
    norm: str, words: dict[str, tuple[str, float]], clitics: tuple[str, ...]
) -> tuple[tuple[str, float] | None, bool]:
    """The word's (kind, value), and whether it was found only after taking a conjunction clitic off."""
    if norm in words:
        return words[norm], False
    for clitic in clitics:
        if norm.startswith(clitic) and norm[len(clitic) :] in words:
            return words[norm[len(clitic) :]], True
    return None, False


def _joins(run: list[tuple[str, float]], entry: tuple[str, float]) -> bool:
    """A conjunction joins a unit and a tens word ("five and twenty", "twenty and three"), nothing else."""
    if not run or run[-1][0] != "number_words" or entry[0] != "number_words":
        return False
    values = sorted((run[-1][1], entry[1]))
    return values[0] < 10 and values[1] >= 20 and values[1] % 10 == 0


def _close(run: list[tuple[str, float]], found: list[str]) -> None:
    if not run:
        return
    total = current = 0.0
    for kind, value in run:
        if kind == "number_words":
            current += value
        elif kind == "hundreds":
            current = max(current, 1.0) * value
        else:
            total += max(current, 1.0) * value
            current = 0.0
    value = total + current
    if value == int(value):
        found.append(str(int(value)))


def spelled_number_keys(text: str) -> set[str]:
    """The number keys (``n:DIGITS``, as ``evidence_keys`` gives them for digits) of the numbers spelled in words
    in ``text``; not part of ``evidence_keys`` (measured: no effect on the dev sets, see BENCHMARKS.md)."""
    return {f"n:{digits}" for digits in map(_significant_digits, spelled_numbers(text)) if digits}
