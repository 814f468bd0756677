"""Story-level merging with a small learned pair scorer: are two stories, as wholes, one story?

After the online pass (and ``consolidate``), one event often remains split into stories whose articles each
scored just under the threshold. Here two stories are compared as wholes, by features of the pair
(``FEATURES``): similarity of their members across and within languages (raw, and as z-scores against the
between-story ``Background`` of each language pair), centroid cosine, shared rare names and numbers, number
conflict, time gap, sizes, and the pair's ``CONTEXT`` among the other candidates (how much closer the two are
to each other than to anything else; whether each is the other's closest) and, when the caller gives each
article's lexicon entities (``Entities``), the places and people both name or a place conflict. A logistic
regression over a subset of those features (``MergeModel.features``), trained on story pairs of the gold sets, gives the
probability that they are one story. Stories are merged greedily, the most probable pair first, scores
recomputed after each merge, while the probability reaches the model's threshold. A one-feature model over
``fit`` (or ``pair_z_mean``) is average-link agglomeration with a calibrated stopping rule.

A story's time span is the span of its dated members only, and two stories merge only when their spans are
within ``window_days`` of each other; a story with no dated member may merge, but its undated articles give
no date to bridge with.

Status: an experiment, not wired into the clustering stage and no weights shipped. Measured leave-one-set-out
over four gold sets in ``benchmarks/story_merge_loso.py --with-dev3`` (BENCHMARKS.md, 2026-12-04, "story merge
over four sets, again on the new online pass"): the best feature subset (without stream-level features) helps
news_dev2, itn_dev and news_dev3 a little, but merges an undated plane-crash story of news_dev into a dated
disaster story and loses 0.03 there, so it fails the protocol.
``Merge.explain()`` and ``Merge.reasons()`` say a merge in plain words, for ``why`` if it is wired in.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
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
    "same_day",  # both dated, their dated spans touch or overlap
    "pair_z_mean",  # member pairs read against the between-story background of their language pair (``Background``)
    "cross_z_mean",
    "cross_z_max",
    "same_z_mean",
    "same_z_max",
    "z_margin",  # pair_z_mean minus the best either story reaches with any other candidate (clipped to +-3)
    "mutual_best",  # each story is the other's closest candidate (by pair_z_mean)
    "shared_places",  # log(1 + lexicon places both stories name), when entity ids are given (else 0)
    "shared_people",  # both name one lexicon person
    "place_conflict",  # both name lexicon places and share none
)
CONTEXT = ("z_margin", "mutual_best")  # read from the other candidate pairs (``with_context``), not the pair alone
MARGIN_CLIP = 3.0
FIRST = FEATURES[:16]  # the features of the first experiment (BENCHMARKS.md, 2026-12-04)
MIN_BACKGROUND_PAIRS = 30  # a language pair with fewer between-story member pairs is read against the pooled ones
BACKGROUND_SAMPLE = 2000  # members the background is estimated on, at most (a fixed-seed sample of them)


@dataclass(frozen=True)
class MergeModel:
    """Logistic regression over standardised features (``features``: a subset of ``FEATURES``, in that order)."""

    weights: np.ndarray
    bias: float
    mean: np.ndarray
    scale: np.ndarray
    threshold: float = 0.5
    features: tuple[str, ...] = FEATURES

    @property
    def columns(self) -> list[int]:
        return [FEATURES.index(name) for name in self.features]

    def probability(self, features: np.ndarray) -> np.ndarray:
        """p(one story) for rows of all ``FEATURES`` (the model reads its own columns)."""
        z = ((features[..., self.columns] - self.mean) / self.scale) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    def contributions(self, features: np.ndarray) -> dict[str, float]:
        """Each feature's term in the log-odds of one pair (standardised value x weight)."""
        terms = (features[self.columns] - self.mean) / self.scale * self.weights
        return {name: float(term) for name, term in zip(self.features, terms, strict=True)}

    def with_threshold(self, threshold: float) -> MergeModel:
        return dataclasses.replace(self, threshold=threshold)

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(self.features),
            "weights": self.weights.round(6).tolist(),
            "bias": round(self.bias, 6),
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "threshold": self.threshold,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> MergeModel:
        names: tuple[str, ...] = tuple(str(name) for name in data["features"])  # type: ignore[attr-defined]
        if not set(names) <= set(FEATURES):
            raise ValueError("the story merge model was trained on other features")
        return cls(
            np.asarray(data["weights"], dtype=np.float64),
            float(data["bias"]),  # type: ignore[arg-type]
            np.asarray(data["mean"], dtype=np.float64),
            np.asarray(data["scale"], dtype=np.float64),
            float(data["threshold"]),  # type: ignore[arg-type]
            names,
        )


def fit_logistic(
    features: np.ndarray, labels: np.ndarray, l2: float = 1.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A logistic regression on standardised ``features``: (weights with the intercept last, mean, scale). Newton
    steps, L2 penalty ``l2`` on the weights (not the intercept), the two classes weighted equally."""
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
    return beta, mean, scale


def train(
    features: np.ndarray,
    labels: np.ndarray,
    l2: float = 1.0,
    threshold: float = 0.5,
    names: tuple[str, ...] = FEATURES,
) -> MergeModel:
    """Fit the logistic regression on rows of all ``FEATURES``, reading the columns ``names`` (Newton steps, L2
    penalty ``l2`` on the weights, classes weighted equally)."""
    beta, mean, scale = fit_logistic(features[:, [FEATURES.index(name) for name in names]], labels, l2)
    return MergeModel(beta[:-1], float(beta[-1]), mean, scale, threshold, tuple(names))


@dataclass(frozen=True)
class Background:
    """How similar members of *different* stories are, per language pair: (mean, spread) of their centred cosine.

    A pair of stories is read against it: a member pair's similarity becomes a z-score for its language pair,
    so a Hebrew-Arabic pair is not judged by the spread of English-French ones, nor short items by long
    articles. Estimated on the candidate stories themselves (a fixed-seed sample of their members), most of
    whose cross-story pairs are different stories; a language pair seen less than ``MIN_BACKGROUND_PAIRS``
    times falls back to all same-language or all cross-language pairs."""

    pairs: dict[tuple[str, str], tuple[float, float]]
    same: tuple[float, float]
    cross: tuple[float, float]

    def z(self, dots: np.ndarray, langs_a: list[str], langs_b: list[str]) -> np.ndarray:
        mean = np.empty_like(dots)
        spread = np.empty_like(dots)
        for i, first in enumerate(langs_a):
            for j, second in enumerate(langs_b):
                key = (min(first, second), max(first, second))
                mean[i, j], spread[i, j] = self.pairs.get(key) or (self.same if first == second else self.cross)
        return (dots - mean) / spread


def background(clusterer: OnlineClusterer, story_ids: list[int] | None = None) -> Background:
    """The ``Background`` of the given stories (all when None)."""
    stories = clusterer.stories
    rows, langs, owner = [], [], []
    for story_id in sorted(stories) if story_ids is None else sorted(story_ids):
        vectors, member_langs, _ = clusterer.member_rows(stories[story_id])
        rows.append(vectors)
        langs += member_langs
        owner += [story_id] * len(member_langs)
    if not rows:
        return Background({}, (0.0, 1.0), (0.0, 1.0))
    vectors, lang_array, owner_array = np.vstack(rows), np.asarray(langs), np.asarray(owner)
    if len(langs) > BACKGROUND_SAMPLE:
        keep = np.sort(np.random.default_rng(0).choice(len(langs), BACKGROUND_SAMPLE, replace=False))
        vectors, lang_array, owner_array = vectors[keep], lang_array[keep], owner_array[keep]
    dots = vectors @ vectors.T
    upper = np.triu(np.ones_like(dots, dtype=bool), k=1) & (owner_array[:, None] != owner_array[None, :])
    a_index, b_index = np.nonzero(upper)
    values = dots[a_index, b_index]
    la, lb = lang_array[a_index], lang_array[b_index]
    low, high = np.where(la <= lb, la, lb), np.where(la <= lb, lb, la)

    def stats(selected: np.ndarray) -> tuple[float, float]:
        chosen = values[selected]
        return float(chosen.mean()), max(float(chosen.std()), 1e-3)

    same_mask = la == lb
    pooled_same = stats(same_mask) if same_mask.sum() >= MIN_BACKGROUND_PAIRS else (0.0, 1.0)
    pooled_cross = stats(~same_mask) if (~same_mask).sum() >= MIN_BACKGROUND_PAIRS else (0.0, 1.0)
    pairs = {}
    for key in set(zip(low.tolist(), high.tolist(), strict=True)):
        selected = (low == key[0]) & (high == key[1])
        if selected.sum() >= MIN_BACKGROUND_PAIRS:
            pairs[key] = stats(selected)
    return Background(pairs, pooled_same, pooled_cross)


def gap_days(a: Story, b: Story) -> int | None:
    """Days between the dated spans of two stories (0 when they overlap), None when either has no dated member."""
    if a.first is None or a.last is None or b.first is None or b.last is None:
        return None
    return max((b.first - a.last).days, (a.first - b.last).days, 0)


Entities = Mapping[str, frozenset[str]]  # item id -> lexicon ids ("place:...", "person:...") its text names


def _named(story: Story, entities: Entities | None, kind: str) -> set[str]:
    if entities is None:
        return set()
    return {i for item in story.item_ids for i in entities.get(item, ()) if i.startswith(kind)}


def pair_features(
    clusterer: OnlineClusterer,
    a: Story,
    b: Story,
    reference: Background | None = None,
    entities: Entities | None = None,
) -> np.ndarray:
    """All ``FEATURES`` of a story pair (the z-scores read against ``reference``, the entity features from
    ``entities``; 0 without them)."""
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
    z = reference.z(dots, langs_a, langs_b) if reference is not None else np.zeros_like(dots)
    cross_z, within_z = z[~same], z[same]
    places_a, places_b = _named(a, entities, "place:"), _named(b, entities, "place:")
    return np.array(
        [
            float(scaled.mean()),
            float(centroid_a @ centroid_b) / norms,
            _mean(cross),
            _max(cross),
            float(cross.size > 0),
            _mean(within),
            _max(within),
            float(within.size > 0),
            1.0 - math.exp(-rarity / clusterer.key_scale),
            math.log1p(len(shared)),
            math.log1p(shared_numbers),
            float(bool(numbers_a) and bool(numbers_b) and not shared_numbers),
            (gap or 0) / 7.0,
            float(gap is None),
            math.log(min(a.size, b.size)),
            math.log(max(a.size, b.size)),
            float(gap == 0),
            float(z.mean()),
            _mean(cross_z),
            _max(cross_z),
            _mean(within_z),
            _max(within_z),
            0.0,  # CONTEXT: filled by ``with_context``
            0.0,
            math.log1p(len(places_a & places_b)),
            float(bool(_named(a, entities, "person:") & _named(b, entities, "person:"))),
            float(bool(places_a) and bool(places_b) and not places_a & places_b),
        ]
    )


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if values.size else 0.0


def _max(values: np.ndarray) -> float:
    return float(values.max()) if values.size else 0.0


def _close_in_time(clusterer: OnlineClusterer, a: Story, b: Story) -> bool:
    gap = gap_days(a, b)
    return gap is None or gap <= clusterer.window_days


def candidate_pairs(
    clusterer: OnlineClusterer, touched: set[int] | None = None, among: set[int] | None = None
) -> list[tuple[int, int]]:
    """Story pairs with time-compatible spans among ``among`` (all stories when None), at least one of them in
    ``touched`` (any when None)."""
    stories = clusterer.stories
    ids = sorted(stories if among is None else among & stories.keys())
    return [
        (first, second)
        for i, first in enumerate(ids)
        for second in ids[i + 1 :]
        if (touched is None or first in touched or second in touched)
        and _close_in_time(clusterer, stories[first], stories[second])
    ]


@dataclass(frozen=True)
class Merge:
    """One story absorbed into another, with the model's probability and its log-odds terms."""

    kept: int
    absorbed: int
    probability: float
    terms: tuple[tuple[str, float], ...]  # (feature, log-odds term), largest first
    moved: tuple[str, ...] = ()  # the articles of the absorbed story (item ids)

    def explain(self) -> str:
        """The merge in plain words: the strongest reasons for it (``PLAIN``)."""
        said = reasons_in_words(self.terms)
        return f"story {self.absorbed} was merged into story {self.kept} as a whole" + (
            f": {', '.join(said)}" if said else ""
        )

    def reasons(self) -> dict[str, object]:
        """What the stage stores with each moved article's reasons (``story_merge``)."""
        return {
            "from_story": self.absorbed,
            "into_story": self.kept,
            "probability": round(self.probability, 3),
            "said": reasons_in_words(self.terms),
            "terms": dict(self.terms),
        }


# What a feature that speaks for a merge means, in plain words (several features may say one thing).
PLAIN = {
    "fit": "their articles are close in meaning",
    "pair_z_mean": "their articles are closer in meaning than articles of different stories usually are",
    "cross_z_mean": "their articles in different languages are close in meaning",
    "cross_z_max": "an article of one is very close in meaning to an article of the other in another language",
    "cross_language_mean": "their articles in different languages are close in meaning",
    "cross_language_max": "an article of one is very close in meaning to an article of the other in another language",
    "same_z_mean": "their articles in the same language are close in meaning",
    "same_z_max": "an article of one is very close in meaning to one of the other in the same language",
    "z_margin": "each is closer to the other than to any other story",
    "mutual_best": "each is the other's closest story",
    "shared_places": "they name the same places",
    "shared_people": "they name the same people",
    "place_conflict": "they do not name different places",
    "same_language_mean": "their articles in the same language are close in meaning",
    "same_language_max": "an article of one is very close in meaning to one of the other in the same language",
    "centroid_cosine": "the two stories as wholes are close in meaning",
    "key_rarity": "they share rare names or numbers",
    "shared_keys": "they share rare names or numbers",
    "shared_numbers": "they give the same numbers",
    "number_conflict": "neither gives numbers the other contradicts",
    "gap_weeks": "they were reported on the same days",
    "same_day": "they were reported on the same days",
    "undated": "their dates are known",
}


def reasons_in_words(terms: tuple[tuple[str, float], ...], most: int = 3) -> list[str]:
    """The plain words of the ``most`` largest positive terms, each said once."""
    said = [PLAIN[name] for name, term in sorted(terms, key=lambda t: -t[1]) if term > 0 and name in PLAIN]
    return list(dict.fromkeys(said))[:most]


def with_context(features: dict[tuple[int, int], np.ndarray]) -> dict[tuple[int, int], np.ndarray]:
    """Fill the ``CONTEXT`` features of every pair from the others: how much closer the two stories are to each
    other than either is to its best other candidate, and whether they are each other's closest."""
    column = FEATURES.index("pair_z_mean")
    top: dict[int, list[tuple[float, int]]] = {}  # per story: its two best (z, partner)
    for (a, b), row in features.items():
        for story, partner in ((a, b), (b, a)):
            top[story] = sorted([*top.get(story, []), (float(row[column]), partner)], reverse=True)[:2]
    margin_at, mutual_at = FEATURES.index("z_margin"), FEATURES.index("mutual_best")
    for (a, b), row in features.items():
        rivals = [z for story, partner in ((a, b), (b, a)) for z, other in top[story] if other != partner][:2]
        rival = max(rivals, default=None)
        z = float(row[column])
        row[margin_at] = MARGIN_CLIP if rival is None else float(np.clip(z - rival, -MARGIN_CLIP, MARGIN_CLIP))
        row[mutual_at] = float(all(z >= best for best, _ in (top[a][0], top[b][0])))
    return features


def pair_table(
    clusterer: OnlineClusterer,
    pairs: list[tuple[int, int]],
    reference: Background,
    entities: Entities | None = None,
) -> dict[tuple[int, int], np.ndarray]:
    """The ``FEATURES`` of each pair, its ``CONTEXT`` read from the others."""
    stories = clusterer.stories
    return with_context(
        {pair: pair_features(clusterer, stories[pair[0]], stories[pair[1]], reference, entities) for pair in pairs}
    )


def merge_stories(
    clusterer: OnlineClusterer,
    model: MergeModel,
    touched: set[int] | None = None,
    among: set[int] | None = None,
    entities: Entities | None = None,
) -> list[Merge]:
    """Merge story pairs greedily (most probable first, rescored after each merge) while p >= the threshold.

    Pairs are taken among the stories ``among`` (all when None), at least one of them ``touched`` (any when
    None), with dated spans within the clusterer's window; the z-scores are read against the ``Background`` of
    those stories, estimated once before merging; the ``CONTEXT`` of a pair is read from the candidate pairs."""
    stories = clusterer.stories
    touched = set(touched) if touched is not None else None
    pool = set(stories) if among is None else set(among) & set(stories)
    reference = background(clusterer, sorted(pool))
    table = pair_table(clusterer, candidate_pairs(clusterer, touched, pool), reference, entities)
    merges = []
    while table:
        pairs = list(table)
        probabilities = model.probability(np.array([table[pair] for pair in pairs]))
        best = max(range(len(pairs)), key=lambda i: (probabilities[i], -pairs[i][0], -pairs[i][1]))
        probability, features = float(probabilities[best]), table[pairs[best]]
        if probability < model.threshold:
            break
        kept, absorbed = sorted(pairs[best], key=lambda s: (-stories[s].size, s))
        terms = sorted(model.contributions(features).items(), key=lambda term: -term[1])
        rounded = tuple((name, round(value, 3)) for name, value in terms)
        merges.append(Merge(kept, absorbed, probability, rounded, tuple(stories[absorbed].item_ids)))
        clusterer.absorb(stories[kept], stories[absorbed])
        pool.discard(absorbed)
        if touched is not None:
            touched.add(kept)
        table = {p: v for p, v in table.items() if kept not in p and absorbed not in p}
        for other in pool:
            if other != kept and _close_in_time(clusterer, stories[kept], stories[other]):
                pair = (min(kept, other), max(kept, other))
                table[pair] = pair_features(clusterer, stories[pair[0]], stories[pair[1]], reference, entities)
        table = with_context(table)
    return merges
