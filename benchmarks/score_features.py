"""Article-to-story evidence as features, and how well a learned scorer over them ranks, leave-one-set-out.

For every gold set, clustered with the shipped defaults (to get the clusterer's centred vectors, language levels
and key rarities), each article is scored against every gold story other than itself (the rest of its own story,
and every other story in the time window): the rows the clusterer's decision sees when the gold stories are
candidates. Label: the article's own story. A logistic regression (numpy, Newton, L2, classes weighted equally)
is trained on three sets and scored on the fourth, against the shipped hand-weighted score:

- pair AUC (all rows);
- ranking: the share of articles whose own story scores above every wrong one;
- decisions at a cut chosen on the training sets (the article joins its own story and no wrong one).

Run: PYTHONPATH=src:benchmarks python benchmarks/score_features.py [--features a,b,c]
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np
from cluster_errors import part_story
from cluster_loso import BACKGROUND
from gold_cache import load

from storylens.clustering.online import OnlineClusterer
from storylens.clustering.story_merge import fit_logistic

ROOT = Path(__file__).resolve().parents[1]
SETS = ("news_dev", "news_dev2", "itn_dev", "news_dev3")
FEATURES = (
    "score",  # the shipped score (similarity + key bonus - time penalty)
    "sim",
    "cross",
    "has_cross",
    "same",
    "same_share",
    "best",
    "keys",
    "shared",
    "core_missing",
    "number_conflict",
    "gap",
    "undated",
    "size",
)


def rows(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels and the article each row belongs to."""
    items, articles = load(name, ROOT.parent / "shared" / "data")
    clusterer = OnlineClusterer(background_means=BACKGROUND)
    clusterer.consolidate(items)
    number = clusterer._number_of
    gold: dict[str, list[int]] = {}
    for article in articles:
        gold.setdefault(article.story, []).append(number[article.id])
    story_of = {n: story for story, members in gold.items() for n in members}
    stories = {story: part_story(clusterer, members, i) for i, (story, members) in enumerate(gold.items())}
    out, labels, owners = [], [], []
    for n in range(len(clusterer._item_ids)):
        lang, date, keys = clusterer._item_langs[n], clusterer._item_dates[n], clusterer._item_keys[n]
        vector = clusterer._index.vector(n).astype(np.float64)
        for story, members in gold.items():
            rest = [m for m in members if m != n]
            if not rest:
                continue
            target = stories[story] if len(rest) == len(members) else part_story(clusterer, rest, -1)
            evidence = clusterer.score(vector, date, keys, target, lang)
            if evidence.gap_days is not None and evidence.gap_days > clusterer.window_days:
                continue
            out.append(features(clusterer, n, vector, rest, target, evidence))
            labels.append(story == story_of[n])
            owners.append(n)
    return np.array(out), np.array(labels, dtype=np.float64), np.array(owners)


def features(clusterer: OnlineClusterer, n: int, vector: np.ndarray, rest: list[int], target, evidence) -> list[float]:
    lang, keys = clusterer._item_langs[n], clusterer._item_keys[n]
    sims = np.array([float(vector @ clusterer._index.vector(m)) for m in rest])
    weights = np.array([clusterer._weight(lang, clusterer._item_langs[m]) for m in rest])
    other = np.array([clusterer._item_langs[m] != lang for m in rest])
    level = np.array([clusterer._levels.weight(lang, clusterer._item_langs[m]) for m in rest])
    cross = float((sims * level)[other].mean()) if other.any() else 0.0
    same = float(sims[~other].mean()) if (~other).any() else 0.0
    size = len(rest)
    core = {key for key, count in target.keys.items() if count * 2 >= size and size >= 2}
    missing = sum(clusterer._idf(key) for key in core - keys)
    story_numbers = {key for key in core if key.startswith("n:")}
    own_numbers = {key for key in keys if key.startswith("n:")}
    conflict = float(bool(story_numbers) and bool(own_numbers) and not story_numbers & own_numbers)
    rarity = evidence.key_bonus / clusterer.key_weight if clusterer.key_weight else 0.0
    gap = evidence.gap_days
    return [
        evidence.score,
        evidence.similarity,
        cross,
        float(other.any()),
        same,
        float((~other).mean()),
        float((sims * weights).max()),
        rarity,
        math.log1p(len(evidence.shared_keys)),
        math.log1p(missing),
        conflict,
        0.0 if gap is None else min(gap, clusterer.window_days) / clusterer.window_days,
        float(gap is None),
        math.log(size),
    ]


def train(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return fit_logistic(x, y, l2)  # the story merge's fit (clustering/story_merge.py)


def predict(model: tuple[np.ndarray, np.ndarray, np.ndarray], x: np.ndarray) -> np.ndarray:
    beta, mean, scale = model
    return np.hstack([(x - mean) / scale, np.ones((len(x), 1))]) @ beta


def auc(score: np.ndarray, y: np.ndarray) -> float:
    order = np.argsort(score)
    ranks = np.empty(len(score))
    ranks[order] = np.arange(1, len(score) + 1)
    pos = y > 0
    return float((ranks[pos].sum() - pos.sum() * (pos.sum() + 1) / 2) / (pos.sum() * (~pos).sum()))


def ranking(score: np.ndarray, y: np.ndarray, owners: np.ndarray) -> float:
    good = total = 0
    for owner in np.unique(owners):
        mask = owners == owner
        if not (y[mask] > 0).any() or not (y[mask] == 0).any():
            continue
        total += 1
        good += score[mask][y[mask] > 0].max() > score[mask][y[mask] == 0].max()
    return good / total


def decisions(score: np.ndarray, y: np.ndarray, owners: np.ndarray, cut: float) -> float:
    good = total = 0
    for owner in np.unique(owners):
        mask = owners == owner
        if not (y[mask] > 0).any():
            continue
        total += 1
        wrong = score[mask][y[mask] == 0]
        good += score[mask][y[mask] > 0].max() >= cut and (len(wrong) == 0 or wrong.max() < cut)
    return good / total


def best_cut(data: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> float:
    cuts = np.quantile(np.concatenate([s for s, _, _ in data]), np.linspace(0.02, 0.98, 97))
    return float(max(cuts, key=lambda c: min(decisions(s, y, o, c) for s, y, o in data)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", default=",".join(FEATURES[1:]))
    parser.add_argument("--l2", type=float, default=1.0)
    args = parser.parse_args()
    columns = [FEATURES.index(name) for name in args.features.split(",")]
    data = {name: rows(name) for name in SETS}
    for name, (_, y, _) in data.items():
        print(f"{name}: {len(y)} rows, {int(y.sum())} own-story")
    print(f"features: {args.features}")
    for left in SETS:
        train_sets = [s for s in SETS if s != left]
        x = np.vstack([data[s][0][:, columns] for s in train_sets])
        y = np.concatenate([data[s][1] for s in train_sets])
        model = train(x, y, args.l2)
        hand = [(data[s][0][:, 0], data[s][1], data[s][2]) for s in train_sets]
        learned = [(predict(model, data[s][0][:, columns]), data[s][1], data[s][2]) for s in train_sets]
        hand_cut, learned_cut = best_cut(hand), best_cut(learned)
        xl, yl, ol = data[left]
        s_hand, s_learned = xl[:, 0], predict(model, xl[:, columns])
        print(
            f"  {left:10s} AUC hand {auc(s_hand, yl):.3f} learned {auc(s_learned, yl):.3f} | own first hand "
            f"{ranking(s_hand, yl, ol):.3f} learned {ranking(s_learned, yl, ol):.3f} | decisions hand "
            f"{decisions(s_hand, yl, ol, hand_cut):.3f} (cut {hand_cut:.2f}) learned "
            f"{decisions(s_learned, yl, ol, learned_cut):.3f}"
        )
        weights = ", ".join(f"{FEATURES[c]} {w:+.2f}" for c, w in zip(columns, model[0], strict=False))
        print(f"    weights (standardised): {weights}")


if __name__ == "__main__":
    main()
