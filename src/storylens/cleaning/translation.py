"""Measurable evidence that one block of lines is a translation of another.

A translation keeps the structure and the facts of its original: about the same number of lines
with proportional lengths, the same numbers, and the same names (which survive transliteration as
consonant skeletons, ``storylens.lang.skeleton``: "Putin" and "Путин" both reduce to "BTN"). Two
different articles that merely change language rarely agree on two of these at once.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from storylens.lang import ascii_digits, prefix_splits, skeleton
from storylens.language.scripts import script_profile

# Character-length ratios between a text and its translation stay within these bounds.
MIN_LENGTH_RATIO = 0.4
MAX_LENGTH_RATIO = 2.5
# Line counts of an original and its translation differ by at most this share.
MIN_LINE_COUNT_RATIO = 0.75
# Thresholds for each kind of supporting evidence; two kinds must agree. Break misalignment is the
# mean distance from each line break (as a share of its text's length) to the nearest break of the other
# text, both ways.
MAX_BREAK_MISALIGNMENT = 0.015
MIN_NUMBER_OVERLAP = 0.5
MIN_SHARED_NUMBERS = 2
MIN_NAME_OVERLAP = 0.4
SUPPORT_NEEDED = 2
# Below this number overlap the two texts state different facts; beyond this misalignment their
# paragraphs do not correspond.
CONTRADICTING_NUMBER_OVERLAP = 0.2
CONTRADICTING_BREAK_MISALIGNMENT = 0.045
# Name skeletons shorter than this match too much by chance.
MIN_SKELETON_LENGTH = 3
# A name's skeleton this long also matches the start of a longer skeleton (an inflected form).
MIN_PREFIX_MATCH = 4

VOICED = "voiced"  # the skeleton scheme: voicing kept, v and w dropped as glides (Russian в, English w)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[^\W\d_]+")
# A word right after one of these (spaces and opening quotes aside) opens a sentence.
_SENTENCE_BOUNDARY = "\n.!?:;"
_OPENING_QUOTES = " \t\"“«'‘"


@dataclass(frozen=True)
class TranslationEvidence:
    length_ratio: float
    line_counts: tuple[int, int]
    break_misalignment: float | None  # None when either block is a single line
    number_overlap: float | None  # Jaccard over distinct numbers; None when neither has numbers
    shared_numbers: int
    name_overlap: float | None  # share of Latin-script names found transliterated; None without Latin

    def supports(self) -> int:
        return sum(
            (
                self.break_misalignment is not None and self.break_misalignment <= MAX_BREAK_MISALIGNMENT,
                self.number_overlap is not None
                and self.number_overlap >= MIN_NUMBER_OVERLAP
                and self.shared_numbers >= MIN_SHARED_NUMBERS,
                self.name_overlap is not None and self.name_overlap >= MIN_NAME_OVERLAP,
            )
        )

    def is_translation(self) -> bool:
        original_lines, candidate_lines = self.line_counts
        return (
            MIN_LENGTH_RATIO <= self.length_ratio <= MAX_LENGTH_RATIO
            and min(original_lines, candidate_lines) / max(original_lines, candidate_lines) >= MIN_LINE_COUNT_RATIO
            and not (self.number_overlap is not None and self.number_overlap < CONTRADICTING_NUMBER_OVERLAP)
            and not (self.break_misalignment is not None and self.break_misalignment > CONTRADICTING_BREAK_MISALIGNMENT)
            and self.supports() >= SUPPORT_NEEDED
        )


def translation_evidence(original: Sequence[str], candidate: Sequence[str]) -> TranslationEvidence:
    """Compare two blocks given as their lines (original first)."""
    original_length = sum(len(line) for line in original)
    candidate_length = sum(len(line) for line in candidate)
    original_numbers, candidate_numbers = numbers_in(" ".join(original)), numbers_in(" ".join(candidate))
    all_numbers = original_numbers | candidate_numbers
    return TranslationEvidence(
        length_ratio=candidate_length / original_length if original_length else 0.0,
        line_counts=(len(original), len(candidate)),
        break_misalignment=_break_misalignment(original, candidate),
        number_overlap=len(original_numbers & candidate_numbers) / len(all_numbers) if all_numbers else None,
        shared_numbers=len(original_numbers & candidate_numbers),
        name_overlap=_name_overlap(" ".join(original), " ".join(candidate)),
    )


def _relative_breaks(lines: Sequence[str]) -> list[float]:
    total = sum(len(line) for line in lines)
    breaks, position = [], 0
    for line in lines[:-1]:
        position += len(line)
        breaks.append(position / total)
    return breaks


def _break_misalignment(original: Sequence[str], candidate: Sequence[str]) -> float | None:
    if len(original) < 2 or len(candidate) < 2:
        return None
    original_breaks, candidate_breaks = _relative_breaks(original), _relative_breaks(candidate)
    return statistics.fmean(
        min(abs(point - other) for other in others)
        for points, others in ((original_breaks, candidate_breaks), (candidate_breaks, original_breaks))
        for point in points
    )


def numbers_in(text: str) -> set[str]:
    """Distinct numbers written with digits of any script, thousands separators removed."""
    return {re.sub(r"[.,](?=\d{3}\b)", "", number) for number in _NUMBER.findall(ascii_digits(text))}


def latin_names(text: str) -> set[str]:
    """Capitalised words that are not sentence openers and never appear in lowercase in the text."""
    lowercase_words = {word for word in _WORD.findall(text) if word.islower()}
    return {
        match.group()
        for match in _WORD.finditer(text)
        if match.group()[0].isupper()
        and match.group().lower() not in lowercase_words
        and not _opens_sentence(text, match.start())
    }


def _opens_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(_OPENING_QUOTES)
    return not before or before[-1] in _SENTENCE_BOUNDARY


def _name_overlap(original: str, candidate: str) -> float | None:
    original_latin = script_profile(original).dominant == "Latn"
    candidate_latin = script_profile(candidate).dominant == "Latn"
    if original_latin == candidate_latin:
        return None
    latin, other = (original, candidate) if original_latin else (candidate, original)
    names = {skeleton(word, VOICED) for word in latin_names(latin)}
    names = {name for name in names if len(name) >= MIN_SKELETON_LENGTH}
    if not names:
        return None
    other_skeletons = set()
    for word in _WORD.findall(other):
        other_skeletons.add(skeleton(word, VOICED))
        other_skeletons.update(skeleton(stem, VOICED) for _, stem in prefix_splits(word))
    # Inflected forms ("Уиткоффом") keep the name's skeleton as a prefix.
    prefixes = {other[:length] for other in other_skeletons for length in range(MIN_PREFIX_MATCH, len(other) + 1)}
    found = {name for name in names if name in other_skeletons or (len(name) >= MIN_PREFIX_MATCH and name in prefixes)}
    return len(found) / len(names)
