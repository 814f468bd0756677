"""Leave-one-set-out test of the learned story merge (``clustering/story_merge.py``), each fold printed.

Every set (news_dev, news_dev2, itn_dev, and news_dev3 with ``--with-dev3``; stage inputs from ``gold_cache``)
is clustered as ``storylens eval`` does (``consolidate`` from the shipped background means). Training rows: the
candidate story pairs (time-compatible spans) of each set clustered at several online thresholds
(``--fragments``, as multiples of the clusterer's default threshold: stricter thresholds split stories, which
gives the model same-story pairs to learn from),
each with its ``FEATURES`` (the z-scores read against the set's own ``Background``, the ``CONTEXT`` from the
set's other candidate pairs) and whether the two stories' gold majorities are the same story.

For each feature subset (``VARIANTS``; a one-feature model is average-link agglomeration with a calibrated
stopping rule) and each fold, the model is trained on the other sets; the merge probability threshold
(``THRESHOLDS``) is chosen on those sets and the left-out set is scored with it, against the shipped clustering
(the ``OnlineClusterer`` defaults, no merge step). Two choice rules are printed: "gain" (the best mean gain in
B-cubed and cross-language F1 over the other sets, a threshold ruled out when any of them loses more than ``NOISE``) and
"margin" (the best worst-set margin to the bars, as ``cluster_loso``). The full grid of each fold is printed.

Also printed: what a perfect merge step would reach on each set (every candidate pair whose gold majorities
agree merged), and the model of the last variant trained on all sets with its in-sample figures and CPU time.

Run: PYTHONPATH=src:benchmarks python benchmarks/story_merge_loso.py --with-dev3 [--variants stream-free,...]
     [--data /work/shared/data] [--l2 1.0] [--online 0.48,0.5]  (online thresholds in the clusterer's units)
"""

from __future__ import annotations

import argparse
import copy
import inspect
import time
from collections import Counter
from pathlib import Path

import numpy as np
from cluster_loso import BACKGROUND, BARS
from cluster_quality import scores
from gold_cache import load, sets

from storylens.clustering.evaluate import GoldArticle
from storylens.clustering.online import OnlineClusterer
from storylens.clustering.story_merge import (
    CONTEXT,
    FEATURES,
    FIRST,
    MergeModel,
    background,
    candidate_pairs,
    merge_stories,
    pair_table,
    train,
)

ROOT = Path(__file__).resolve().parents[1]
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.975, 0.99)
SHIPPED = float(inspect.signature(OnlineClusterer).parameters["threshold"].default)  # the online pass's default
FRAGMENTS = (1.0, 1.15, 1.3, 1.5)  # training-pair thresholds as multiples of SHIPPED (was 0.265/0.3/0.35/0.4)
ENTITIES: dict[str, frozenset[str]] = {}  # gold id -> lexicon ids of its opening (``--entities``)
NOISE = 0.01  # a set losing more than this (B-cubed or cross-language F1) rules a threshold out
RAW = ("fit", "cross_language_mean", "cross_language_max", "same_language_mean", "same_language_max")
ENTITY = ("shared_places", "shared_people", "place_conflict")
Z = tuple(name for name in FEATURES if name not in RAW and name not in CONTEXT and name not in ENTITY)
LEAN = (
    "pair_z_mean",
    "cross_z_max",
    "same_z_mean",
    "centroid_cosine",
    "z_margin",
    "key_rarity",
    "shared_numbers",
    "number_conflict",
    "gap_weeks",
)
VARIANTS = {  # feature subsets compared; a one-feature model is average-link agglomeration with a calibrated stop
    "first": FIRST,
    "z": Z,
    "z-context": (*Z, *CONTEXT),
    "all": FEATURES,
    "average-link": ("fit",),
    "average-link-z": ("pair_z_mean",),
    "average-link-z-context": ("pair_z_mean", *CONTEXT),
    # without the features whose distribution is a property of the stream rather than of the pair: whether a
    # story is dated (news sets: most are not; itn_dev: all are), and sizes
    "z-context-no-undated": tuple(n for n in (*Z, *CONTEXT) if n != "undated"),
    "stream-free": tuple(
        n for n in (*Z, *CONTEXT) if n not in ("undated", "same_day", "log_size_small", "log_size_large")
    ),
    "stream-free-entities": (
        *(n for n in (*Z, *CONTEXT) if n not in ("undated", "same_day", "log_size_small", "log_size_large")),
        *ENTITY,
    ),
    "lean-entities": (*LEAN, *ENTITY),
    "lean": LEAN,
}


def clustered(name: str, data: Path, threshold: float = SHIPPED) -> tuple[OnlineClusterer, list[GoldArticle]]:
    items, articles = load(name, data)
    clusterer = OnlineClusterer(background_means=BACKGROUND, threshold=threshold)
    clusterer.consolidate(items)
    return clusterer, articles


def majorities(clusterer: OnlineClusterer, articles: list[GoldArticle]) -> dict[int, str]:
    gold = {a.id: a.story for a in articles}
    return {
        story_id: Counter(gold[item] for item in story.item_ids).most_common(1)[0][0]
        for story_id, story in clusterer.stories.items()
    }


def rows(clusterer: OnlineClusterer, articles: list[GoldArticle]) -> tuple[np.ndarray, np.ndarray]:
    """Features and same-story labels (gold majority of each story) of the set's candidate story pairs."""
    majority = majorities(clusterer, articles)
    pairs = candidate_pairs(clusterer)
    table = pair_table(clusterer, pairs, background(clusterer), ENTITIES or None)
    features = np.array([table[pair] for pair in pairs])
    labels = np.array([float(majority[a] == majority[b]) for a, b in pairs])
    return features, labels


def merged(base: OnlineClusterer, articles: list[GoldArticle], model: MergeModel) -> tuple[float, float, int]:
    return merged_at(base, articles, model, (model.threshold,))[model.threshold]


def merged_at(
    base: OnlineClusterer, articles: list[GoldArticle], model: MergeModel, thresholds: tuple[float, ...]
) -> dict[float, tuple[float, float, int]]:
    """B-cubed F1, cross-language F1 and merges at each threshold, from one greedy run at the lowest: the greedy
    order does not depend on the threshold, so a higher one stops at the first merge below it."""
    clusterer = copy.deepcopy(base)
    done = merge_stories(clusterer, model.with_threshold(min(thresholds)), entities=ENTITIES or None)
    results = {}
    for threshold in thresholds:
        prefix = next((n for n, merge in enumerate(done) if merge.probability < threshold), len(done))
        into = {merge.absorbed: merge.kept for merge in done[:prefix]}
        result = scores({item: _final(story, into) for item, story in base.labels().items()}, articles)
        results[threshold] = (result[2], result[3], prefix)
    return results


def _final(story: int, into: dict[int, int]) -> int:
    while story in into:
        story = into[story]
    return story


def choose(
    grid: dict[tuple[float, float], dict[str, tuple[float, float, int]]], before: dict, others: list[str], rule: str
) -> tuple[float, float]:
    """The (online, p) cell the rule prefers on ``others``: "margin" (worst margin to the bars) or "gain"."""

    def value(cell: tuple[float, float]) -> float:
        if rule == "margin":
            return min(margin(n, *grid[cell][n][:2]) for n in others)
        return gain(grid[cell], before, others)

    return max(grid, key=lambda cell: (value(cell), cell[1]))


def oracle(base: OnlineClusterer, articles: list[GoldArticle]) -> tuple[float, float]:
    """The best any merge step can do: every candidate pair whose gold majorities agree is merged."""
    clusterer = copy.deepcopy(base)
    majority = majorities(clusterer, articles)
    root = {story_id: story_id for story_id in clusterer.stories}

    def find(story_id: int) -> int:
        while root[story_id] != story_id:
            story_id = root[story_id]
        return story_id

    for first, second in candidate_pairs(clusterer):
        if majority[first] == majority[second]:
            root[find(second)] = find(first)
    for story_id in list(clusterer.stories):
        if find(story_id) != story_id:
            clusterer.absorb(clusterer.stories[find(story_id)], clusterer.stories[story_id])
    result = scores(clusterer.labels(), articles)
    return result[2], result[3]


def gain(cell: dict[str, tuple[float, float, int]], before: dict, names: list[str]) -> float:
    """Mean gain (B-cubed and cross-language F1) over ``names``; -1 when any of them loses more than ``NOISE``."""
    changes = [(cell[n][0] - before[n][2], cell[n][1] - before[n][3]) for n in names]
    if min(min(change) for change in changes) < -NOISE:
        return -1.0
    return float(np.mean([sum(change) / 2 for change in changes]))


def margin(name: str, f1: float, cross: float) -> float:
    return min(f1 - BARS[name][0], cross - BARS[name][1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--variants", default=",".join(VARIANTS), help="feature subsets (VARIANTS) to compare")
    parser.add_argument("--with-dev3", action="store_true", help="add news_dev3 (benchmarks/data) as a 4th set")
    parser.add_argument(
        "--online", default=str(SHIPPED), help="online thresholds tried with the merge (comma-separated)"
    )
    parser.add_argument(
        "--fragments",
        default=",".join(str(round(SHIPPED * step, 3)) for step in FRAGMENTS),
        help="online thresholds whose stories give training pairs",
    )
    parser.add_argument("--entities", action="store_true", help="lexicon entities per article (merge_entities.py)")
    args = parser.parse_args()
    SETS = sets(args.with_dev3)
    if args.entities:
        from merge_entities import entities

        for name in SETS:
            ENTITIES.update(entities(name, args.data))
    online_grid = tuple(float(t) for t in args.online.split(","))
    bases = {(name, t): clustered(name, args.data, t) for name in SETS for t in online_grid}
    table = {}
    for name in SETS:
        parts = [rows(*clustered(name, args.data, float(t))) for t in args.fragments.split(",")]
        table[name] = (np.vstack([x for x, _ in parts]), np.concatenate([y for _, y in parts]))
        print(f"{name}: {len(table[name][1])} training pairs, {int(table[name][1].sum())} same-story")
    shipped = {name: scores(bases[name, SHIPPED][0].labels(), bases[name, SHIPPED][1]) for name in SETS}
    for name in SETS:
        f1, cross = oracle(*bases[name, SHIPPED])
        print(
            f"{name}: shipped B3 {shipped[name][2]:.3f} cross {shipped[name][3]:.3f}"
            f" (P {shipped[name][0]:.3f} R {shipped[name][1]:.3f}); perfect merge step: B3 {f1:.3f} cross {cross:.3f}"
        )
    for variant in args.variants.split(","):
        names = VARIANTS[variant]
        for left_out in SETS:
            others = [name for name in SETS if name != left_out]
            x = np.vstack([table[n][0] for n in others])
            model = train(x, np.concatenate([table[n][1] for n in others]), args.l2, names=names)
            grid: dict[tuple[float, float], dict[str, tuple[float, float, int]]] = {}
            for online in online_grid:
                for name in SETS:
                    for threshold, result in merged_at(*bases[name, online], model, THRESHOLDS).items():
                        grid.setdefault((online, threshold), {})[name] = result
            print(f"[{variant}] fold {left_out}: trained on {'+'.join(others)}; B3/cross (merges) on {'/'.join(SETS)}")
            for cell, result in grid.items():
                print(
                    f"  online {cell[0]}, p >= {cell[1]}: "
                    + "  ".join(f"{f:.3f}/{c:.3f} ({n})" for f, c, n in result.values())
                )
            for label in ("margin", "gain"):
                chosen = choose(grid, shipped, others, label)
                f1, cross, count = grid[chosen][left_out]
                print(
                    f"  [{variant}] {label} rule on {'+'.join(others)}: online {chosen[0]}, p >= {chosen[1]} ->"
                    f" {left_out} B3 {shipped[left_out][2]:.3f} -> {f1:.3f}  cross {shipped[left_out][3]:.3f} ->"
                    f" {cross:.3f} ({count} merges)",
                    flush=True,
                )
    names = VARIANTS[args.variants.split(",")[-1]]
    model = train(
        np.vstack([x for x, _ in table.values()]), np.concatenate([y for _, y in table.values()]), args.l2, names=names
    )
    print("all sets: weights " + ", ".join(f"{n} {w:+.2f}" for n, w in zip(names, model.weights, strict=True)))
    for name in SETS:
        started = time.process_time()
        f1, cross, count = merged(*bases[name, SHIPPED], model)
        cost = time.process_time() - started
        print(f"  in-sample p >= 0.5 {name}: B3 {f1:.3f} cross {cross:.3f} ({count} merges, {cost:.2f} s CPU)")


if __name__ == "__main__":
    main()
