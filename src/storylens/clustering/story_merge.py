"""Story-level merging with a small learned pair scorer: are two stories, as wholes, one story?

After the online pass (and ``consolidate``), one event often remains split into stories whose articles each
scored just under the threshold. Here two stories are compared as wholes, by features of the pair
(``FEATURES``): similarity of their members across and within languages (mean and best pair), centroid
cosine, shared rare names and numbers, number conflict, time gap and sizes. A logistic regression over
those features, trained on story pairs of the gold sets (``scripts/train_story_merge.py``), gives the
probability that they are one story. Stories are merged greedily, the most probable pair first, scores
recomputed after each merge, while the probability reaches the model's threshold.

A story's time span is the span of its dated members only, and two stories merge only when their spans are
within ``window_days`` of each other; a story with no dated member may merge (the model sees that it is
undated), but its undated articles give no date to bridge with.

Status: an experiment, not wired into the clustering stage and no weights shipped. Measured leave-one-set-out
in ``benchmarks/story_merge_loso.py`` (BENCHMARKS.md, 2026-12-04): it helps news_dev2 only; on news_dev and
itn_dev even a perfect merge step gains at most +0.01, their errors being precision, so it fails the
"helps on two sets" rule. ``storylens why`` would show ``Merge.explain()`` if it were wired in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from storylens.clustering.online import OnlineClusterer, Story

FEATURES = (
    "fit",  # mean similarity over cross pairs, same-language pairs scaled (as the online pass scores)
    "centroid_cosine",
    "cross_language_mean",
    "cross_language_max",
    "has_cross_language",
    "same_language_mean",
    "same_language_max",
    "has_same_language",
    "key_rarity",  # 1 - exp(-sum of idf x share of member pairs holding the key / 20)
    "shared_keys",  # log(1 + keys both stories hold)
    "shared_numbers",  # log(1 + number keys both hold)
    "number_conflict",  # both name specific numbers and share none
    "gap_weeks",  # weeks between the dated spans (0 when either side has no dated member)
    "undated",  # either side has no dated member
    "log_size_small",
    "log_size_large",
)


@dataclass(frozen=True)
class MergeModel:
    """Logistic regression over standardised ``FEATURES``."""

    weights: np.ndarray
    bias: float
    mean: np.ndarray
    scale: np.ndarray
    threshold: float = 0.5

    def probability(self, features: np.ndarray) -> np.ndarray:
        z = ((features - self.mean) / self.scale) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    def contributions(self, features: np.ndarray) -> dict[str, float]:
        """Each feature's term in the log-odds of one pair (standardised value x weight)."""
        terms = (features - self.mean) / self.scale * self.weights
        return {name: float(term) for name, term in zip(FEATURES, terms, strict=True)}

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "weights": self.weights.round(6).tolist(),
            "bias": round(self.bias, 6),
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "threshold": self.threshold,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> MergeModel:
        if list(data["features"]) != list(FEATURES):  # type: ignore[call-overload]
            raise ValueError("the story merge model was trained on other features")
        return cls(
            np.asarray(data["weights"], dtype=np.float64),
            float(data["bias"]),  # type: ignore[arg-type]
            np.asarray(data["mean"], dtype=np.float64),
            np.asarray(data["scale"], dtype=np.float64),
            float(data["threshold"]),  # type: ignore[arg-type]
        )


def train(features: np.ndarray, labels: np.ndarray, l2: float = 1.0, threshold: float = 0.5) -> MergeModel:
    """Fit the logistic regression (Newton steps, L2 penalty ``l2`` on the weights, classes weighted equally)."""
    mean = features.mean(axis=0)
    scale = features.std(axis=0)
    scale[scale < 1e-9] = 1.0
    x = np.hstack([(features - mean) / scale, np.ones((len(features), 1))])
    positives = max(float(labels.sum()), 1.0)
    sample = np.where(labels > 0, len(labels) / (2 * positives), len(labels) / (2 * max(len(labels) - positives, 1.0)))
    beta = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(x @ beta)))
        gradient = x.T @ (sample * (p - labels)) + penalty * beta
        hessian = (x * (sample * p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return MergeModel(beta[:-1], float(beta[-1]), mean, scale, threshold)


def gap_days(a: Story, b: Story) -> int | None:
    """Days between the dated spans of two stories (0 when they overlap), None when either has no dated member."""
    if a.first is None or a.last is None or b.first is None or b.last is None:
        return None
    return max((b.first - a.last).days, (a.first - b.last).days, 0)


def pair_features(clusterer: OnlineClusterer, a: Story, b: Story) -> np.ndarray:
    """The ``FEATURES`` of a story pair."""
    va, langs_a, _ = clusterer.member_rows(a)
    vb, langs_b, _ = clusterer.member_rows(b)
    dots = va @ vb.T
    same = np.asarray(langs_a)[:, None] == np.asarray(langs_b)[None, :]
    scaled = np.where(same, clusterer.same_language_scale * dots, dots)
    centroid_a, centroid_b = va.mean(axis=0), vb.mean(axis=0)
    norms = float(np.linalg.norm(centroid_a) * np.linalg.norm(centroid_b)) or 1.0
    shared = a.keys.keys() & b.keys.keys()
    rarity = sum(clusterer.idf(key) * a.keys[key] * b.keys[key] / (a.size * b.size) for key in shared)
    numbers_a = {k for k in a.keys if k.startswith("n:")}
    numbers_b = {k for k in b.keys if k.startswith("n:")}
    shared_numbers = len(numbers_a & numbers_b)
    gap = gap_days(a, b)
    cross, within = dots[~same], dots[same]
    return np.array(
        [
            float(scaled.mean()),
            float(centroid_a @ centroid_b) / norms,
            float(cross.mean()) if cross.size else 0.0,
            float(cross.max()) if cross.size else 0.0,
            float(cross.size > 0),
            float(within.mean()) if within.size else 0.0,
            float(within.max()) if within.size else 0.0,
            float(within.size > 0),
            1.0 - math.exp(-rarity / clusterer.key_scale),
            math.log1p(len(shared)),
            math.log1p(shared_numbers),
            float(bool(numbers_a) and bool(numbers_b) and not shared_numbers),
            (gap or 0) / 7.0,
            float(gap is None),
            math.log(min(a.size, b.size)),
            math.log(max(a.size, b.size)),
        ]
    )


def candidate_pairs(clusterer: OnlineClusterer, touched: set[int] | None = None) -> list[tuple[int, int]]:
    """Story pairs with time-compatible spans, at least one of them in ``touched`` (all stories when None)."""
    stories = clusterer.stories
    ids = sorted(stories)
    pairs = []
    for i, first in enumerate(ids):
        for second in ids[i + 1 :]:
            if touched is not None and first not in touched and second not in touched:
                continue
            gap = gap_days(stories[first], stories[second])
            if gap is None or gap <= clusterer.window_days:
                pairs.append((first, second))
    return pairs


@dataclass(frozen=True)
class Merge:
    """One story absorbed into another, with the model's probability and its strongest reasons."""

    kept: int
    absorbed: int
    probability: float
    reasons: tuple[tuple[str, float], ...]  # (feature, log-odds term), largest terms first

    def explain(self) -> str:
        terms = ", ".join(f"{name} {term:+.2f}" for name, term in self.reasons)
        return (
            f"story {self.absorbed} merged into story {self.kept} as a whole:"
            f" p(same story) {self.probability:.2f} ({terms})"
        )


def merge_stories(clusterer: OnlineClusterer, model: MergeModel, touched: set[int] | None = None) -> list[Merge]:
    """Merge story pairs greedily (most probable first, rescored after each merge) while p >= the threshold."""
    stories = clusterer.stories
    touched = set(touched) if touched is not None else None
    scores: dict[tuple[int, int], tuple[float, np.ndarray]] = {}

    def score(pair: tuple[int, int]) -> None:
        features = pair_features(clusterer, stories[pair[0]], stories[pair[1]])
        scores[pair] = (float(model.probability(features)), features)

    for pair in candidate_pairs(clusterer, touched):
        score(pair)
    merges = []
    while scores:
        pair, (probability, features) = max(scores.items(), key=lambda entry: (entry[1][0], -entry[0][0], -entry[0][1]))
        if probability < model.threshold:
            break
        kept, absorbed = sorted(pair, key=lambda s: (-stories[s].size, s))
        terms = sorted(model.contributions(features).items(), key=lambda term: -term[1])[:3]
        merges.append(Merge(kept, absorbed, probability, tuple((name, round(value, 3)) for name, value in terms)))
        clusterer.absorb(stories[kept], stories[absorbed])
        if touched is not None:
            touched.add(kept)
        scores = {p: v for p, v in scores.items() if kept not in p and absorbed not in p}
        for other in stories:
            if other != kept:
                gap = gap_days(stories[kept], stories[other])
                if gap is None or gap <= clusterer.window_days:
                    score((min(kept, other), max(kept, other)))
    return merges
