"""Leave-one-set-out test of the learned story merge (``clustering/story_merge.py``), each fold printed.

Every set (news_dev, news_dev2, itn_dev; stage inputs from ``gold_cache``) is clustered as ``storylens eval``
does (``consolidate`` from the shipped background means). Training rows: the candidate story pairs
(time-compatible spans) of each set clustered at several online thresholds (``--fragments``: stricter
thresholds split stories, which gives the model same-story pairs to learn from), each with its ``FEATURES``
and whether the two stories' gold majorities are the same story.

For each fold the model is trained on the other two sets; the online threshold (``ONLINE``) and the merge
probability threshold (``THRESHOLDS``) are chosen on those two sets (best worst-set margin to the bars, the
model scoring its own training sets) and the left-out set is scored with that cell, against the shipped
clustering (threshold 0.265, no merge step). The full grid of each fold is printed, so the variant that keeps
the shipped online threshold (rows ``(0.265, p)``) can be read off too.

Also printed: what a perfect merge step would reach on each set (every candidate pair whose gold majorities
agree merged), and the model trained on all three sets with its in-sample figures and merge CPU time.

Run: PYTHONPATH=src:benchmarks python benchmarks/story_merge_loso.py [--data /work/shared/data] [--l2 1.0]
"""

from __future__ import annotations

import argparse
import copy
import time
from collections import Counter
from pathlib import Path

import numpy as np
from cluster_loso import BACKGROUND, BARS
from cluster_quality import scores
from gold_cache import SETS, load

from storylens.clustering.evaluate import GoldArticle
from storylens.clustering.online import OnlineClusterer
from storylens.clustering.story_merge import FEATURES, MergeModel, candidate_pairs, merge_stories, pair_features, train

ROOT = Path(__file__).resolve().parents[1]
THRESHOLDS = (0.3, 0.5, 0.7, 0.9)
ONLINE = (0.255, 0.265, 0.275, 0.285, 0.3)
SHIPPED = 0.265


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
    stories = clusterer.stories
    features = np.array([pair_features(clusterer, stories[a], stories[b]) for a, b in pairs])
    labels = np.array([float(majority[a] == majority[b]) for a, b in pairs])
    return features, labels


def merged(base: OnlineClusterer, articles: list[GoldArticle], model: MergeModel) -> tuple[float, float, int]:
    clusterer = copy.deepcopy(base)
    done = merge_stories(clusterer, model)
    result = scores(clusterer.labels(), articles)
    return result[2], result[3], len(done)


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


def margin(name: str, f1: float, cross: float) -> float:
    return min(f1 - BARS[name][0], cross - BARS[name][1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument(
        "--fragments", default="0.265,0.3,0.35,0.4", help="online thresholds whose stories give training pairs"
    )
    args = parser.parse_args()
    bases = {(name, t): clustered(name, args.data, t) for name in SETS for t in ONLINE}
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
    for left_out in SETS:
        others = [name for name in SETS if name != left_out]
        model = train(np.vstack([table[n][0] for n in others]), np.concatenate([table[n][1] for n in others]), args.l2)
        grid = {}
        for online in ONLINE:
            for threshold in THRESHOLDS:
                tuned = MergeModel(model.weights, model.bias, model.mean, model.scale, threshold)
                grid[online, threshold] = {name: merged(*bases[name, online], tuned) for name in SETS}
        print(f"fold {left_out}: model trained on {'+'.join(others)}; B3/cross (merges) on {'/'.join(SETS)}")
        for cell, result in grid.items():
            print(
                f"  online {cell[0]}, p >= {cell[1]}: "
                + "  ".join(f"{f:.3f}/{c:.3f} ({n})" for f, c, n in result.values())
            )
        for label, cells in (
            ("online and p", list(grid)),
            ("p at the shipped online", [c for c in grid if c[0] == SHIPPED]),
        ):
            chosen = max(cells, key=lambda cell: min(margin(n, *grid[cell][n][:2]) for n in others))
            f1, cross, count = grid[chosen][left_out]
            print(
                f"  {label} chosen on {'+'.join(others)}: online {chosen[0]}, p >= {chosen[1]} -> {left_out}"
                f" B3 {shipped[left_out][2]:.3f} -> {f1:.3f}  cross {shipped[left_out][3]:.3f} -> {cross:.3f}"
                f" ({count} merges)"
            )
    model = train(np.vstack([x for x, _ in table.values()]), np.concatenate([y for _, y in table.values()]), args.l2)
    print("all sets: weights " + ", ".join(f"{n} {w:+.2f}" for n, w in zip(FEATURES, model.weights, strict=True)))
    for name in SETS:
        started = time.process_time()
        f1, cross, count = merged(*bases[name, SHIPPED], model)
        cost = time.process_time() - started
        print(f"  in-sample p >= 0.5 {name}: B3 {f1:.3f} cross {cross:.3f} ({count} merges, {cost:.2f} s CPU)")


if __name__ == "__main__":
    main()
