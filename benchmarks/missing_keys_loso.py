"""Leave-one-set-out test of a *missing-key* term: a story's defining names and numbers that an article lacks.

The shipped score counts only the rare keys an article shares with a story. The error analysis
(``cluster_errors.py``) shows the wrong merges of the news sets are same-kind events with the same actors months
apart, joined through undated articles (no time evidence), e.g. two rounds of talks in one city, two earthquakes;
and on itn_dev two prizes announced a day apart (one-sentence blurbs naming different laureates). What tells such
stories apart, when dates are missing, is a name or number that one side states and the other never does.

Variant (prototype, in this benchmark only): a story's *core* keys are those held by at least ``CORE_SHARE`` of
its members (a story of one member: all its keys); the article-to-story score loses
``miss_weight * (1 - exp(-missing / key_scale))``, where ``missing`` is the summed rarity (idf) of the story's
core keys the article does not hold; the story-to-story fit loses the same term over the core keys of either
story that the other story's members never hold. ``miss_weight`` 0 is the shipped clusterer.

The grid spans threshold x ``miss_weight`` at the shipped same-language scale and key weight; folds and the
default choice use ``cluster_loso.choose`` (worst set's margin to its bar, averaged over neighbouring cells).

Run: PYTHONPATH=src:benchmarks python benchmarks/missing_keys_loso.py [WEIGHTS] [--numbers]
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import sys
import time
from pathlib import Path

import cluster_loso
import numpy as np
from gold_cache import load, sets

from storylens.clustering.online import ClusterItem, Evidence, OnlineClusterer, Story

ROOT = Path(__file__).resolve().parents[1]
CORE_SHARE = 0.5
NUMBERS_ONLY = "--numbers" in sys.argv  # variant: only number keys, and only against an article that states numbers


class MissingKeyClusterer(OnlineClusterer):
    def __init__(self, miss_weight: float = 0.0, **settings: object) -> None:
        super().__init__(**settings)  # type: ignore[arg-type]
        self.miss_weight = miss_weight

    def _missing(self, story: Story, present: set[str] | frozenset[str]) -> float:
        limit = CORE_SHARE * story.size
        if NUMBERS_ONLY and not any(key.startswith("n:") for key in present):
            return 0.0
        rarity = sum(
            self._idf(key)
            for key, count in story.keys.items()
            if count >= limit and key not in present and (not NUMBERS_ONLY or key.startswith("n:"))
        )
        return self.miss_weight * (1.0 - math.exp(-rarity / self.key_scale))

    def score(self, centred: np.ndarray, date, keys: frozenset[str], story: Story, lang: str | None = None) -> Evidence:
        evidence = super().score(centred, date, keys, story, lang)
        if not self.miss_weight:
            return evidence
        return dataclasses.replace(evidence, score=evidence.score - self._missing(story, keys))

    def _fit(self, story: Story, other: Story) -> Evidence:
        evidence = super()._fit(story, other)
        if not self.miss_weight:
            return evidence
        penalty = max(self._missing(story, set(other.keys)), self._missing(other, set(story.keys)))
        return dataclasses.replace(evidence, score=evidence.score - penalty)


def run(items: list[ClusterItem], articles: list, orders: int, **settings: object):
    return cluster_loso.run(items, articles, orders, MissingKeyClusterer, **settings)


def main() -> None:
    grid = {
        "threshold": tuple(round(0.40 + 0.02 * step, 3) for step in range(7)),
        "miss_weight": tuple(
            float(w)
            for w in (sys.argv[1].split(",") if len(sys.argv) > 1 and sys.argv[1][0].isdigit() else (0, 0.05, 0.1, 0.2))
        ),
    }
    cluster_loso.GRID.clear()
    cluster_loso.GRID.update(grid)
    data = {name: load(name, ROOT.parent / "shared" / "data") for name in sets(True)}
    cells = list(itertools.product(*grid.values()))
    started = time.perf_counter()
    table = {
        name: {cell: run(*data[name], 0, threshold=cell[0], miss_weight=cell[1]) for cell in cells} for name in data
    }
    print(f"{len(cells)} cells x {len(data)} sets: {time.perf_counter() - started:.0f} s")
    cluster_loso.print_term_folds(table, grid, "miss_weight")


if __name__ == "__main__":
    main()
