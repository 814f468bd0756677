"""Leave-one-set-out test of *conflict evidence* between an article (or story) and a story: evidence that two
reports of the same kind of event are not the same event, when dates are missing.

The error analysis (``cluster_errors.py``; BENCHMARKS 2026-12-05) shows the news sets' wrong merges are same-kind
events joined through undated articles: two earthquakes, two rounds of talks, two launches, months apart. Three kinds
of evidence are tested, each as a penalty of ``conflict_weight`` on the article-to-story score and on the
story-to-story fit (the merge test and the split test), ``conflict_weight`` 0 being the shipped clusterer. The
evidence rides along as extra keys of each item (so a story's counts stay exact as members come and go) that give
no key bonus:

- ``places``: specific places from the name lexicon (``merge_entities.entities``: the extraction stage's mention
  finder over each article's opening, every place mention read by ``lexicon.resolve``, whose GeoNames ids are the
  same in Hebrew, Arabic and English), countries (``geonames-cc:``) left out. Article to story: the article names
  specific places, the story's *core* places (held by at least ``CORE_SHARE`` of its members) are not empty, and no
  member names any of the article's places. Story to story: both have core places and share no place. A mention read
  as several candidate places keeps them all, so "sharing" is any candidate met.
- ``years``: the latest year an article's own text names (it was written that year or later) against the year of
  the source's date of the other side's members (``yl:`` / ``yu:`` keys): a conflict when one side names a year later
  than the other side's latest source year. Only the source's date and the text count; an inferred date never does.
- ``ordinals`` (``conflict_evidence.ordinal_keys``): the values of the ordinals an article's opening names, compared
  as ``places`` are (core ordinals of the story, none shared): "the second round" against "the first".
- ``numbers`` (``conflict_evidence.number_keys``): money and physical-unit figures of the opening; a conflict when
  a unit is core to the story (the article's or the other story's) and no value of the other side in that unit
  lies within ``NUMBER_RATIO`` of one of its own: "3 trillion" against "5 trillion" dollars.
- ``events`` (``conflict_evidence.event_keys``): the kinds of event an opening's words name (a trial or verdict, an
  anniversary); here the absence counts: a conflict when a kind held by ``core_share`` of one side (an article: its
  own) is named by no member of the other, "the trial" against reports of the attack.
- ``undated``: no evidence at all, the control: an undated article against a dated story (an undated story against
  a dated one) loses ``conflict_weight``, i.e. a higher threshold without time evidence.

Grid: threshold x ``conflict_weight`` at the shipped same-language scale and key weight; folds and the default choice
use ``cluster_loso.choose`` (worst set's margin to its bar, averaged over neighbouring cells); each fold also shows
the same grid with the term off ("term off"), so the fold's gain is the variant's alone.

Run: PYTHONPATH=src:benchmarks python benchmarks/conflict_loso.py [WEIGHTS] --kind places|years|undated|ordinals|numbers
     [--sets ...] [--share S]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import itertools
import re
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

import cluster_loso
import conflict_evidence
import numpy as np
from cluster_errors import part_story
from cluster_loso import BACKGROUND
from conflict_evidence import ANY, EVENT, NUMBER, ORDINAL, event_keys, number_key, number_keys, ordinal_keys
from gold_cache import load, sets, stored_articles
from merge_entities import entities

from storylens.clustering.evaluate import GoldArticle
from storylens.clustering.online import ClusterItem, Evidence, OnlineClusterer, Story
from storylens.lang import ascii_digits
from storylens.store.articles import Article

ROOT = Path(__file__).resolve().parents[1]
PLACE = "p:"
MARKS = ("p:", "yl:", "yu:", ORDINAL, NUMBER, EVENT)  # keys that carry conflict evidence only, never a bonus
CORE_SHARE = 0.5
PREFIXES = {"places": PLACE, "ordinals": ORDINAL, "numbers": NUMBER, "events": EVENT}
NUMBER_RATIO = 1.2  # two values of one unit within this ratio agree (fixed beforehand, not chosen on the sets)
KINDS = ("places", "years", "undated", "ordinals", "numbers", "events")


def specific_places(ids: frozenset[str]) -> frozenset[str]:
    """The place ids of an article's entities, countries left out, as ``p:`` keys."""
    return frozenset(
        PLACE + i.removeprefix("place:")
        for i in ids
        if i.startswith("place:") and not i.startswith("place:geonames-cc:")
    )


def with_places(items: list[ClusterItem], found: dict[str, frozenset[str]]) -> list[ClusterItem]:
    return [
        dataclasses.replace(item, keys=item.keys | specific_places(found.get(item.id, frozenset()))) for item in items
    ]


YEAR = re.compile(r"(?<![\d.,/-])(19\d\d|20\d\d)(?![\d.,/-]?\d)")
LOWER, UPPER = "yl:", "yu:"  # a year the article cannot be older than (its text names it) / newer than (published)


def year_keys(article: Article | None) -> frozenset[str]:
    """``yl:`` the latest year the article's own text names (it was written in that year or later) and, when the
    source dates it, ``yu:`` its year (and that year as a lower bound too). Inferred dates never count."""
    if article is None:
        return frozenset()
    text = ascii_digits(f"{article.title or ''}\n{article.text}")
    years = [int(y) for y in YEAR.findall(text)]
    if article.published is not None:
        years.append(article.published.year)
    keys = {f"{LOWER}{max(years)}"} if years else set()
    if article.published is not None:
        keys.add(f"{UPPER}{article.published.year}")
    return frozenset(keys)


def with_years(items: list[ClusterItem], stored: dict[str, Article]) -> list[ClusterItem]:
    return [dataclasses.replace(item, keys=item.keys | year_keys(stored.get(item.id))) for item in items]


def _bound(keys: Iterable[str], prefix: str) -> int | None:
    return max((int(key[len(prefix) :]) for key in keys if key.startswith(prefix)), default=None)


def years_conflict(left: Iterable[str], right: Iterable[str]) -> bool:
    """One side names a year later than the other side's latest source year."""
    left, right = list(left), list(right)
    for low_side, high_side in ((left, right), (right, left)):
        low, high = _bound(low_side, LOWER), _bound(high_side, UPPER)
        if low is not None and high is not None and low > high:
            return True
    return False


class ConflictClusterer(OnlineClusterer):
    def __init__(
        self, conflict_weight: float = 0.0, core_share: float = CORE_SHARE, kind: str = "places", **settings: object
    ) -> None:
        super().__init__(**settings)  # type: ignore[arg-type]
        self.conflict_weight = conflict_weight
        self.core_share = core_share
        self.kinds = kind.split("+")  # "numbers+events": a conflict of any of them
        self.kind = self.kinds[0]  # the kind the one-kind tests below read

    @property
    def _prefix(self) -> str:
        return PREFIXES.get(self.kind, PLACE)

    def _core(self, story: Story) -> set[str]:
        """Evidence keys held by ``core_share`` of the story's members (ordinals and figures, which few articles
        state: of its members that state any)."""
        sparse = self.kind in ("ordinals", "numbers")
        limit = self.core_share * (story.keys.get(self._prefix + ANY, 0) if sparse else story.size)
        return {key for key in self._places(set(story.keys)) if story.keys[key] >= limit}

    def _places(self, keys: frozenset[str] | set[str]) -> set[str]:
        return {key for key in keys if key.startswith(self._prefix) and key != self._prefix + ANY}

    def _numbers_conflict(self, own: Iterable[str], core: Iterable[str], other: Iterable[str]) -> bool:
        """A unit of ``core`` that ``own`` also states, with no value of ``own`` within ``NUMBER_RATIO`` of a value of
        ``other`` in that unit."""
        mine: dict[str, list[float]] = defaultdict(list)
        theirs: dict[str, list[float]] = defaultdict(list)
        for key in own:
            unit, value = number_key(key)
            mine[unit].append(value)
        for key in other:
            unit, value = number_key(key)
            theirs[unit].append(value)
        for unit in {number_key(key)[0] for key in core} & mine.keys():
            if not any(max(a, b) <= NUMBER_RATIO * min(a, b) for a in mine[unit] for b in theirs[unit]):
                return True
        return False

    def _evidence(self, story_id: int, similarity: float, shares: dict[str, float], gap: int | None) -> Evidence:
        kept = {key: share for key, share in shares.items() if not key.startswith(MARKS)}
        return super()._evidence(story_id, similarity, kept, gap)

    def score(
        self, centred: np.ndarray, date: dt.date | None, keys: frozenset[str], story: Story, lang: str | None = None
    ) -> Evidence:
        evidence = super().score(centred, date, keys, story, lang)
        return self._penalised(evidence, self._article_conflict(date, keys, story))

    def _fit(self, story: Story, other: Story) -> Evidence:
        return self._penalised(super()._fit(story, other), self._story_conflict(story, other))

    def _penalised(self, evidence: Evidence, conflict: bool) -> Evidence:
        if not (self.conflict_weight and conflict):
            return evidence
        return dataclasses.replace(evidence, score=evidence.score - self.conflict_weight)

    def _article_conflict(self, date: dt.date | None, keys: frozenset[str], story: Story) -> bool:
        return any(self._as(kind) and self._one_article_conflict(date, keys, story) for kind in self.kinds)

    def _story_conflict(self, story: Story, other: Story) -> bool:
        return any(self._as(kind) and self._one_story_conflict(story, other) for kind in self.kinds)

    def _as(self, kind: str) -> bool:
        self.kind = kind
        return True

    def _one_article_conflict(self, date: dt.date | None, keys: frozenset[str], story: Story) -> bool:
        if self.kind == "undated":
            return date is None and story.first is not None
        if self.kind == "years":
            return bool(story.size) and years_conflict(keys, story.keys)
        if self.kind == "numbers":
            return self._numbers_conflict(self._places(keys), self._core(story), self._places(set(story.keys)))
        if self.kind == "events":
            own, theirs = self._places(keys), self._places(set(story.keys))
            return bool(story.size) and bool((own - theirs) or (self._core(story) - own))
        own = self._places(keys)
        return bool(own) and bool(self._core(story)) and not own & story.keys.keys()

    def _one_story_conflict(self, story: Story, other: Story) -> bool:
        if self.kind == "undated":
            return (story.first is None) != (other.first is None)
        if self.kind == "years":
            return years_conflict(story.keys, other.keys)
        if self.kind == "events":
            left, right = self._places(set(story.keys)), self._places(set(other.keys))
            return bool((self._core(story) - right) or (self._core(other) - left))
        if self.kind == "numbers":
            left, right = self._places(set(story.keys)), self._places(set(other.keys))
            return self._numbers_conflict(left, self._core(other), right) or self._numbers_conflict(
                right, self._core(story), left
            )
        if not self._core(story) or not self._core(other):
            return False
        return not self._places(set(story.keys)) & self._places(set(other.keys))


def run(items: list[ClusterItem], articles: list[GoldArticle], orders: int, **settings: object):
    return cluster_loso.run(items, articles, orders, ConflictClusterer, **settings)


def inputs(name: str, kind: str, data: Path) -> tuple[list[ClusterItem], list[GoldArticle]]:
    """The set's cached stage inputs with the kind's evidence keys added, and its gold articles."""
    if "+" in kind:
        parts = [inputs(name, part, data) for part in kind.split("+")]
        keys = [[item.keys for item in part_items] for part_items, _ in parts]
        merged = [
            dataclasses.replace(item, keys=frozenset().union(*ks)) for item, *ks in zip(parts[0][0], *keys, strict=True)
        ]
        return merged, parts[0][1]
    items, articles = load(name, data)
    if kind == "years":
        stored = stored_articles(name, data)
        undated = [a for a in stored.values() if a.published is None]
        named = sum(any(k.startswith(LOWER) for k in year_keys(a)) for a in undated)
        print(f"{name}: {named} of {len(undated)} undated articles name a year")
        return with_years(items, stored), articles
    if kind == "undated":
        print(f"{name}: {sum(item.date is None for item in items)} of {len(items)} articles undated")
        return items, articles
    if kind in ("ordinals", "numbers", "events"):
        stored = stored_articles(name, data)
        read = {"ordinals": ordinal_keys, "numbers": number_keys, "events": event_keys}[kind]
        found = {item.id: read(stored.get(item.id)) for item in items}
        print(f"{name}: {sum(bool(keys) for keys in found.values())} of {len(items)} articles have {kind}")
        return [dataclasses.replace(item, keys=item.keys | found[item.id]) for item in items], articles
    found = entities(name, data)
    print(f"{name}: {sum(bool(specific_places(ids)) for ids in found.values())} of {len(items)} name a specific place")
    return with_places(items, found), articles


def pair_evidence(
    name: str, kind: str, items: list[ClusterItem], articles: list[GoldArticle], core_share: float
) -> None:
    """With the shipped clustering of the set: how often the evidence marks a conflict between two gold stories
    wrongly merged into one predicted story (a merge to avoid) and between two fragments of one split gold story (a
    merge to make), each pair tested as two whole stories, as the merge test does."""
    clusterer = ConflictClusterer(background_means=BACKGROUND, kind=kind, core_share=core_share)
    clusterer.consolidate(items)
    clusterer.conflict_weight = 1.0
    gold = {a.id: a.story for a in articles}
    by_pred: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    by_gold: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for item_id, story in clusterer.labels().items():
        by_pred[story][gold[item_id]].append(clusterer._number_of[item_id])
        by_gold[gold[item_id]][story].append(clusterer._number_of[item_id])
    for label, groups in (("wrong merges (gold parts of one story)", by_pred), ("splits (fragments)", by_gold)):
        pairs = conflicts = 0
        for parts in groups.values():
            sides = [part_story(clusterer, numbers, -1 - i) for i, numbers in enumerate(parts.values())]
            for i, left in enumerate(sides):
                for right in sides[i + 1 :]:
                    pairs += 1
                    conflicts += clusterer._fit(left, right).score < OnlineClusterer._fit(clusterer, left, right).score
        print(f"  {name} {kind}: {label}: {conflicts} of {pairs} pairs conflict")


def member_ratios(name: str, items: list[ClusterItem], articles: list[GoldArticle]) -> None:
    """With the shipped clustering of the set: each member's score against the rest of its predicted story (3+
    members) over the story's median member score, for members of the story's majority gold story and for the
    others (wrongly merged in): if wrong members were outliers, a relative leave rule could split them off. The
    clusterer is the shipped one (conflict weight 0, the evidence keys give no bonus)."""
    clusterer = ConflictClusterer(background_means=BACKGROUND)
    clusterer.consolidate(items)
    gold = {a.id: a.story for a in articles}
    stories: dict[int, list[str]] = defaultdict(list)
    for item_id, story in clusterer.labels().items():
        stories[story].append(item_id)
    ratios: dict[bool, list[float]] = {True: [], False: []}
    for ids in (ids for ids in stories.values() if len(ids) >= 3):
        majority = Counter(gold[i] for i in ids).most_common(1)[0][0]
        own = {}
        for item_id in ids:
            number = clusterer._number_of[item_id]
            rest = part_story(clusterer, [clusterer._number_of[j] for j in ids if j != item_id], 0)
            vector, date = clusterer._index.vector(number), clusterer._item_dates[number]
            keys, lang = clusterer._item_keys[number], clusterer._item_langs[number]
            own[item_id] = clusterer.score(vector, date, keys, rest, lang).score
        median = statistics.median(own.values())
        for item_id, value in own.items():
            ratios[gold[item_id] == majority].append(value / median)
    for right in (False, True):
        values = sorted(ratios[right])
        quantiles = (
            " ".join(f"{values[int(q * (len(values) - 1))]:.2f}" for q in (0, 0.1, 0.25, 0.5)) if values else "-"
        )
        below = " ".join(f"<{t}: {sum(v < t for v in values)}" for t in (0.7, 0.8))
        print(
            f"  {name}: {'majority' if right else 'merged-in'} members {len(values)}, "
            f"ratio q0/10/25/50 {quantiles}, {below}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("weights", nargs="?", default="0,0.05,0.1,0.2,0.4")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--sets", nargs="+", default=list(sets(True, True)))
    parser.add_argument("--kind", default="places", help=f"conflict evidence: {', '.join(KINDS)}, or several with +")
    parser.add_argument("--min-ordinal", type=int, default=1, help="ordinals: the smallest value read (2: no 'first')")
    parser.add_argument("--ordinal-rule", choices=("max", "all"), default="max", help="ordinals: highest or all")
    parser.add_argument("--pairs", action="store_true", help="count conflicts on the shipped errors, no grid")
    parser.add_argument("--share", type=float, default=CORE_SHARE, help="core places: held by this share of members")
    args = parser.parse_args()
    if not set(args.kind.split("+")) <= set(KINDS):
        parser.error(f"--kind: one of {', '.join(KINDS)} or several joined by +")
    grid = {
        "threshold": tuple(round(0.40 + 0.02 * step, 3) for step in range(7)),
        "conflict_weight": tuple(float(w) for w in args.weights.split(",")),
    }
    cluster_loso.GRID.clear()
    cluster_loso.GRID.update(grid)
    conflict_evidence.MIN_ORDINAL = args.min_ordinal
    conflict_evidence.ORDINAL_RULE = args.ordinal_rule
    data = {name: inputs(name, args.kind, args.data) for name in args.sets}
    if args.pairs:
        for name in args.sets:
            pair_evidence(name, args.kind, *data[name], core_share=args.share)
            member_ratios(name, *data[name])
        return
    cells = list(itertools.product(*grid.values()))
    started = time.perf_counter()
    table = {
        name: {
            cell: run(*data[name], 0, threshold=cell[0], conflict_weight=cell[1], core_share=args.share, kind=args.kind)
            for cell in cells
        }
        for name in data
    }
    print(f"{len(cells)} cells x {len(data)} sets: {time.perf_counter() - started:.0f} s")
    cluster_loso.print_term_folds(table, grid, "conflict_weight")


if __name__ == "__main__":
    main()
