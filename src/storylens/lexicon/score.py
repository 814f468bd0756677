"""Transliteration + skeleton similarity of two names, with its threshold calibrated on lexicon pairs.

The score compares consonant skeletons (``extraction.skeleton``): 1 minus the Levenshtein distance of the two
skeletons (spaces removed) over the longer one, best over a name's readings (a Hebrew het reads k or nothing).
``data/score.json`` holds the threshold chosen by ``scripts/calibrate_name_score.py`` and its held-out figures.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from importlib import resources

from rapidfuzz.distance import Levenshtein

from storylens.extraction.skeleton import skeletons


@lru_cache(maxsize=200_000)
def _compact_skeletons(name: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s.replace(" ", "") for s in skeletons(name)))


def name_score(a: str, b: str) -> float:
    """Similarity in [0, 1] of two names in any of Latin, Hebrew and Arabic script (1: same skeleton)."""
    best = 0.0
    for left in _compact_skeletons(a):
        for right in _compact_skeletons(b):
            if left and right:
                best = max(best, Levenshtein.normalized_similarity(left, right))
    return best


@cache
def score_threshold() -> float:
    """The calibrated threshold: two names of different scripts score at least this when they name one entity."""
    data = resources.files("storylens.lexicon").joinpath("data/score.json").read_text(encoding="utf-8")
    return float(json.loads(data)["threshold"])
