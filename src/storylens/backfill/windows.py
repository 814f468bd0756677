"""Clustering a backfill by time windows with an overlap, and stitching the windows' stories together.

Dated articles are cut into windows of ``window_days`` that start every ``window_days - overlap_days`` days, so
each article near a window's edge is also clustered, with its neighbours on the other side, in the next window.
Each window is decided on its own (``OnlineClusterer.recluster``, the sequential rebuild's decision) but with the
language means of the whole corpus (a window's own would lean toward its few events and wash them out), so
windows can run in parallel. Stitching: two windows' stories that share an article of their overlap are one story
(union-find over (window, story) pairs). Why: an overlap article was placed, in each window, with every
neighbour that window saw of it; the sequential pass sees both sides at once, and the clusterer itself joins
an article's story with any other story that article also reaches (``_merge_bridged``). A story that truly
runs across the edge is thereby kept whole; the cost is that an error in one window (two events put together)
is carried into the other. ``benchmarks/backfill_speed.py`` measures the result against the sequential one.

Undated articles are decided last, as the sequential pass places them last: against the stitched stories
(restored into one clusterer) with ``consolidate``, then once more together with every article of the stories
they joined, as the sequential pass refines them together (an undated article may join a story of any date, so
no window can decide it; on news_dev, half undated, placing them without this second pass cost 0.048 B-cubed
F1, with it 0.008; benchmarks/backfill_windows.py). When every dated article fits one window, the decision is
the sequential one (one ``recluster`` over everything). Each article keeps the reasons from the window that holds
it farthest from an edge, with story ids renamed to the stitched ones.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from storylens.clustering.language_means import LanguageMeans
from storylens.clustering.online import Assignment, ClusterItem, Evidence, OnlineClusterer

DEFAULT_WINDOW_DAYS = 120
DEFAULT_OVERLAP_DAYS = 30

Window = tuple[dt.date, dt.date]  # first and last day, inclusive
RunWindows = Callable[[OnlineClusterer, list[list[ClusterItem]], LanguageMeans], list[list[Assignment]]]


def windows_of(dates: Sequence[dt.date], window_days: int, overlap_days: int) -> list[Window]:
    """Windows covering every date: ``window_days`` long, each starting ``window_days - overlap_days`` days after
    the one before; none for no dates."""
    if window_days < 1 or not 0 <= overlap_days < window_days:
        raise ValueError(f"windows of {window_days} days need an overlap of 0 to {window_days - 1} days")
    if not dates:
        return []
    first, last = min(dates), max(dates)
    step = dt.timedelta(days=window_days - overlap_days)
    found: list[Window] = []
    start = first
    while True:
        found.append((start, start + dt.timedelta(days=window_days - 1)))
        if found[-1][1] >= last:
            return found
        start += step


def decide_locally(
    clusterer: OnlineClusterer, windows: list[list[ClusterItem]], means: LanguageMeans
) -> list[list[Assignment]]:
    """Each window's decision, one after the other (the engine without Ray)."""
    return [decide_window(clusterer, items, means) for items in windows]


def corpus_means(clusterer: OnlineClusterer, items: Sequence[ClusterItem]) -> LanguageMeans:
    """The language means of every item, as the sequential decision computes them (``recluster``)."""
    means = LanguageMeans(len(items[0].vector), clusterer.language_prior, clusterer.background_means)
    means.add_many([item.lang for item in items], np.stack([item.vector for item in items]))
    return means


class Stitcher:
    """Union-find over (window, story) pairs."""

    def __init__(self) -> None:
        self.parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(self, node: tuple[int, int]) -> tuple[int, int]:
        self.parent.setdefault(node, node)
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def union(self, one: tuple[int, int], other: tuple[int, int]) -> None:
        first, second = sorted((self.find(one), self.find(other)))
        self.parent[second] = first


def decide_by_windows(
    items: list[ClusterItem],
    make_clusterer: Callable[[], OnlineClusterer],
    window_days: int = DEFAULT_WINDOW_DAYS,
    overlap_days: int = DEFAULT_OVERLAP_DAYS,
    run_windows: RunWindows = decide_locally,
    *,
    stitch: bool = True,
) -> tuple[OnlineClusterer, list[Assignment]]:
    """Every item's story, decided window by window (``run_windows``), stitched, then the undated items; returns a
    clusterer holding the final stories (as ``ClusteringStage`` writes them) and each item's assignment.
    ``stitch=False`` keeps each window's stories apart (an overlap article stays in its home window's story):
    only for measuring the stitching rule (``benchmarks/backfill_windows.py``)."""
    dated = [item for item in items if item.date is not None]
    spans = windows_of([item.date for item in dated if item.date is not None], window_days, overlap_days)
    if len(spans) <= 1:  # one window: the sequential decision itself, undated items placed last in it
        clusterer = make_clusterer()
        return clusterer, clusterer.recluster(items)
    members = [[item for item in dated if item.date is not None and low <= item.date <= high] for low, high in spans]
    means = corpus_means(make_clusterer(), items)
    decided = run_windows(make_clusterer(), members, means)
    stitcher = Stitcher()
    home: dict[str, tuple[int, Assignment, int]] = {}  # item id -> (window, assignment, days from the nearer edge)
    for number, ((low, high), assignments) in enumerate(zip(spans, decided, strict=True)):
        dates = {item.id: item.date for item in members[number]}
        for assignment in assignments:
            node = (number, assignment.story_id)
            stitcher.find(node)
            day = dates[assignment.item_id]
            assert day is not None
            margin = min((day - low).days, (high - day).days)
            earlier = home.get(assignment.item_id)
            if earlier is not None and stitch:
                stitcher.union((earlier[0], earlier[1].story_id), node)
            if earlier is None or margin > earlier[2]:
                home[assignment.item_id] = (number, assignment, margin)
    final = _numbered(stitcher, [(number, a) for number, a, _ in sorted(home.values(), key=_first_seen(items))])
    clusterer = make_clusterer()
    clusterer.use_means(means)
    by_id = {item.id: item for item in dated}
    order = [item.id for item in dated]
    clusterer.restore([by_id[i] for i in order], [final[home[i][0], home[i][1].story_id] for i in order])
    result = [_renamed(a, number, final) for number, a, _ in (home[i] for i in order)]
    undated = [item for item in items if item.date is None]
    if not undated:
        return clusterer, result
    clusterer.consolidate(undated)  # placed against the stitched stories, then decided again with those stories
    labels = clusterer.labels()
    touched = {labels[item.id] for item in undated}
    again = {a.item_id: a for a in clusterer.consolidate([*undated, *(i for i in dated if labels[i.id] in touched)])}
    labels = clusterer.labels()
    kept = [again.get(a.item_id) or dataclasses.replace(a, story_id=labels[a.item_id]) for a in result]
    return clusterer, [*kept, *(again[item.id] for item in undated)]


def _first_seen(items: Sequence[ClusterItem]) -> Callable[[tuple[int, Assignment, int]], int]:
    position = {item.id: number for number, item in enumerate(items)}
    return lambda entry: position[entry[1].item_id]


def _numbered(stitcher: Stitcher, homes: list[tuple[int, Assignment]]) -> dict[tuple[int, int], int]:
    """A final story id for every (window, story) pair: stitched pairs share one, numbered in first-seen order."""
    order: dict[tuple[int, int], int] = {}
    for number, assignment in homes:
        order.setdefault(stitcher.find((number, assignment.story_id)), len(order))
    # stitched, every pair shares a component with the home pair of its items; unstitched, a pair whose items all
    # live in another window is no story
    return {node: order[root] for node in list(stitcher.parent) if (root := stitcher.find(node)) in order}


def _renamed(assignment: Assignment, window: int, final: Mapping[tuple[int, int], int]) -> Assignment:
    """The assignment with its window's story ids replaced by the stitched ones."""

    def evidence(found: Evidence | None) -> Evidence | None:
        if found is None:
            return None
        return dataclasses.replace(found, story_id=final.get((window, found.story_id), found.story_id))

    return dataclasses.replace(
        assignment,
        story_id=final[window, assignment.story_id],
        best=evidence(assignment.best),
        runner_up=evidence(assignment.runner_up),
        merged=tuple(final.get((window, story), story) for story in assignment.merged),
    )


def decide_window(clusterer: OnlineClusterer, items: list[ClusterItem], means: LanguageMeans) -> list[Assignment]:
    """One window's decision with the corpus's language means (a Ray task runs this on a copy of an empty
    clusterer)."""
    return clusterer.recluster(items, means) if items else []
