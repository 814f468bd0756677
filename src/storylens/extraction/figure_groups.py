"""Group the figures of one story's articles: one group per quantity that two or more articles report.

Figures group by their measure (dead, injured, percent, dollars: ``measures.py``) and close values
(``_clusters``: narrowest merge first, never two values that one article states side by side); a toll (a
cumulative measure) that rises from one day to a later one stays one group, read as an update. Outlets label
one count differently ("84 MPs", "84 votes"): a count of people with the value of another article's person
count is that count, a figure with no label at all takes the one measure other articles give its exact value
(a headline's bare 8.8, magnitude 8.8 elsewhere), and else groups by its exact value (``_keys``). A group
is ``updated`` when articles of different days state values that share nothing, and ``discrepant`` when
articles of the same day do, for a measure that does not move during a day (magnitude, money, distance).
A toll is different: article dates have day precision and a toll is revised during the day it is counted (8,
then 9, then 12 dead within hours), so two values of one day are not known to be of the same time, and a
disagreement is the same measure at the same time: differing values of a toll are read as an update. On the
hand gold (``benchmarks/quote_figure_groups.py``) every differing toll of one day or of undated articles is
a revision (9 of 9), and the one same-day disagreement is a magnitude. Revised tolls of one day lie
further apart than other measures' (8, 9, 11 dead), so a toll's values group within ``REVISION_RATIO`` rather
than ``CLOSE_VALUE_RATIO``. A toll reported once per article can rise far over a day or days (14, then 320,
then 2,000 dead): where no article of the story states two values of the measure, its reports join within
``TOLL_STEP_RATIO`` (``_join_reports``). An article stating two tolls shows the story holds several (the dead
in Turkey and in Syria, or of an earlier event): those are still not told apart by place, only by value.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations, pairwise

from storylens.extraction.measures import is_cumulative, measure_lexicon
from storylens.extraction.records import FigureGroup, FigureRef, FigureValue

CLOSE_VALUE_RATIO = (
    1.1  # 53.6 / 53.7 / 55 percent are one quantity; 44.3 / 49.7 are two (three-split LOSO, BENCHMARKS.md)
)
# An unlabelled count grouped (or labelled) by its value alone. Leave-one-split-out over the four he/ar/en splits
# picks 3, but in languages whose dates are not read (fr, pl, uk, ko...) small numbers are mostly day numbers:
# kept at 10 (BENCHMARKS.md 2026-12-05, helper figs3).
MIN_UNLABELLED_VALUE = 10
REVISION_RATIO = 1.4  # a toll revised within a day: 8, 9, 11 dead (leave-one-story-out, tune split)
TOLL_STEP_RATIO = 25.0  # one toll reported 14, then 320, then 2,000 dead (three-split LOSO: BENCHMARKS.md 2026-12-05)


def _magnitude(value: FigureValue) -> float:
    return (value[0] + value[1]) / 2 if isinstance(value, tuple) else value


def _ends(value: FigureValue) -> tuple[float, ...]:
    return value if isinstance(value, tuple) else (value,)


def _size(ref: FigureRef) -> float:
    """A figure's value on its dimension's scale (a distance in metres, whether given in yards or
    kilometres); its plain value for other units."""
    scale = measure_lexicon().unit_scales.get(ref.figure.unit or "")
    return _magnitude(ref.figure.value) * (scale[1] if scale else 1.0)


def _day(ref: FigureRef) -> str:
    return (ref.published or "")[:10]


def group_figures(refs: Sequence[FigureRef]) -> list[FigureGroup]:
    """Groups of one quantity that two or more articles report (see ``_clusters``), occurrences in publication
    order. ``discrepant``: two articles of the same day state values that share nothing (outlets disagree), for
    a measure other than a toll; ``updated``: two articles of different days do (the value changed), or two of
    one day state different values of a toll (revised during the day). Single-article figures stay ungrouped.
    """
    dimensions = {dimension for dimension, _ in measure_lexicon().unit_scales.values()}
    by_key: dict[str, list[FigureRef]] = {}
    for ref, key in zip(refs, _keys(refs), strict=True):
        if key is not None:
            by_key.setdefault(key, []).append(ref)
    groups: list[FigureGroup] = []
    for key, members in by_key.items():
        measure = key if any(r.figure.measure == key for r in members) else None
        for cluster in _clusters(members, is_cumulative(measure)):
            if len({r.article_id for r in cluster}) < 2:
                continue
            if key in dimensions:  # one length in metres and in yards: the label most of its figures give
                labels = sorted(r.figure.measure for r in cluster if r.figure.measure)
                measure = max(labels, key=labels.count) if labels else None
            cluster.sort(key=lambda r: (r.published is None, r.published or "", r.article_id, r.figure.start))
            units = [r.figure.unit for r in cluster if r.figure.unit]
            groups.append(
                FigureGroup(
                    id=f"f{len(groups)}",
                    unit=max(set(units), key=units.count) if units else None,
                    values=list(dict.fromkeys(r.figure.value for r in cluster)),
                    occurrences=cluster,
                    discrepant=not is_cumulative(measure) and _articles_differ(cluster, same_day=True),
                    measure=measure,
                    updated=_articles_differ(cluster, same_day=False)
                    or (is_cumulative(measure) and _articles_differ(cluster, same_day=True)),
                )
            )
    return groups


def _keys(refs: Sequence[FigureRef]) -> list[str | None]:
    """What each figure is grouped by: its measure, else its unit. Measure labels differ across outlets and
    scripts for one count ("84 MPs" named him, "84 votes"): a count of people (the generic measure) whose value
    another article gives as one person count (the dead, votes...) is that count, and a figure with neither
    measure nor unit of its own whose exact value another article gives under one measure (an unlabelled
    "8.8" in a headline, "magnitude 8.8" in another report) is that measure. Any other figure with neither
    measure nor unit is grouped only with the same value (``MIN_UNLABELLED_VALUE`` or more: small numbers
    recur by chance)."""
    lexicon = measure_lexicon()
    counts: dict[FigureValue, set[tuple[str, str]]] = {}
    labelled: dict[FigureValue, set[tuple[str, str]]] = {}
    for ref in refs:
        measure = ref.figure.measure
        if measure in lexicon.person_counts:
            counts.setdefault(ref.figure.value, set()).add((measure, ref.article_id))
        if measure and measure != lexicon.generic:
            labelled.setdefault(ref.figure.value, set()).add((measure, ref.article_id))
    keys: list[str | None] = []
    for ref in refs:
        figure = ref.figure
        key = figure.measure or figure.unit
        if figure.unit in lexicon.unit_scales:  # lengths in any unit group together, compared in metres
            key = lexicon.unit_scales[figure.unit][0]
        elif figure.measure == lexicon.generic:
            key = _named(counts, ref) or key
        elif figure.measure is None and figure.unit in (None, lexicon.generic) and _distinctive(figure.value):
            key = _named(labelled, ref) or key or f"={_size(ref):g}"
        keys.append(key)
    return keys


def _distinctive(value: FigureValue) -> bool:
    """Is a value rare enough to identify a quantity by itself: ``MIN_UNLABELLED_VALUE`` or more, or a
    fraction (8.8)? Small whole numbers recur by chance (two, three, five of anything); a range needs both
    ends so (a 5-0 score is no quantity of its own)."""
    return all(size >= MIN_UNLABELLED_VALUE or size != int(size) for size in _ends(value))


def _named(labels: dict[FigureValue, set[tuple[str, str]]], ref: FigureRef) -> str | None:
    """The one measure that other articles give this figure's exact value, if there is one."""
    named = {measure for measure, article in labels.get(ref.figure.value, ()) if article != ref.article_id}
    return named.pop() if len(named) == 1 else None


def _clusters(members: list[FigureRef], cumulative: bool) -> list[list[FigureRef]]:
    """Quantities of one measure. Figures of one value start as one group; two neighbouring groups (in value
    order) merge, narrowest first, while all their values lie within ``CLOSE_VALUE_RATIO`` of each other
    (``REVISION_RATIO`` for a toll, which is revised within a day: 8, then 9, then 11 dead), so values cannot
    chain far apart, and unless one article states a value of each (an article does not disagree with itself:
    a 6.4 and a 5.8 quake in one report are two quakes). Then, for a toll, groups are joined while the day's
    highest toll rises from one dated day to the next: 800 -> 850 (one group) -> 1,411 two days later."""
    ratio = REVISION_RATIO if cumulative else CLOSE_VALUE_RATIO
    by_value: dict[float, list[FigureRef]] = {}
    for ref in members:
        by_value.setdefault(_size(ref), []).append(ref)
    groups = [_Run(low, low, refs, {r.article_id for r in refs}) for low, refs in sorted(by_value.items())]
    # Groups stay runs of neighbouring values, so only neighbours can merge: a heap of their widths.
    after = [*range(1, len(groups)), -1]
    before = [-1, *range(len(groups) - 1)]
    alive = [True] * len(groups)
    heap = [(_width(groups[i], groups[i + 1]), i, i + 1) for i in range(len(groups) - 1)]
    heapq.heapify(heap)
    while heap:
        width, i, j = heapq.heappop(heap)
        if width > ratio:
            break
        if not (alive[i] and alive[j]) or after[i] != j or width != _width(groups[i], groups[j]):
            continue
        if groups[i].articles & groups[j].articles:
            continue
        a, b = groups[i], groups[j]
        groups[i] = _Run(a.low, b.high, a.refs + b.refs, a.articles | b.articles)
        alive[j] = False
        after[i] = after[j]
        if after[i] >= 0:
            before[after[i]] = i
            heapq.heappush(heap, (_width(groups[i], groups[after[i]]), i, after[i]))
        if before[i] >= 0:
            heapq.heappush(heap, (_width(groups[before[i]], groups[i]), before[i], i))
    runs = [g for g, live in zip(groups, alive, strict=True) if live]
    if not cumulative:
        return [g.refs for g in runs]
    return _join_rising([g.refs for g in _join_reports(runs)])


def _join_reports(runs: list[_Run]) -> list[_Run]:
    """A toll's reports: two groups (not only neighbours in value) merge, narrowest first, while all their
    values lie within ``TOLL_STEP_RATIO`` of each other, when no article of either states a second value of
    the measure. A toll that rises from report to report (14, then 120, then 2,000 dead), each article giving
    one value, is one quantity; an article stating two values (tolls of two places, of an earlier event, or
    a headline and a revised body) shows that the story holds several tolls, which then group only within
    ``REVISION_RATIO``."""
    stated: dict[str, int] = {}
    for run in runs:
        for article in run.articles:
            stated[article] = stated.get(article, 0) + 1
    groups = [run for run in runs if all(stated[a] == 1 for a in run.articles)]
    pinned = [run for run in runs if any(stated[a] > 1 for a in run.articles)]
    alive = [True] * len(groups)
    heap = [(_width(a, b), i, j) for (i, a), (j, b) in combinations(enumerate(groups), 2)]
    heapq.heapify(heap)
    while heap:
        width, i, j = heapq.heappop(heap)
        if width > TOLL_STEP_RATIO:
            break
        if not (alive[i] and alive[j]):
            continue
        a, b = groups[i], groups[j]
        groups[i] = _Run(min(a.low, b.low), max(a.high, b.high), a.refs + b.refs, a.articles | b.articles)
        alive[j] = False
        for k, other in enumerate(groups):
            if alive[k] and k != i:
                heapq.heappush(heap, (_width(groups[i], other), min(i, k), max(i, k)))
    return pinned + [g for g, live in zip(groups, alive, strict=True) if live]


@dataclass
class _Run:
    """Figures of neighbouring values: the lowest and highest value, the figures, their articles."""

    low: float
    high: float
    refs: list[FigureRef]
    articles: set[str]


def _width(a: _Run, b: _Run) -> float:
    """How far apart the values of two neighbouring runs would lie together (highest over lowest)."""
    return max(a.high, b.high) / max(min(a.low, b.low), 1e-9)


def _join_rising(runs: list[list[FigureRef]]) -> list[list[FigureRef]]:
    """Runs joined while the day's highest toll rises from one dated day to the next."""
    ordered = sorted((r for run in runs for r in run), key=_size)
    run_of = {id(ref): n for n, run in enumerate(runs) for ref in run}
    day_toll: dict[str, FigureRef] = {}
    for ref in ordered:  # ascending, so the last one seen on a day is its highest
        if _day(ref):
            day_toll[_day(ref)] = ref
    home = list(range(len(runs)))
    days = sorted(day_toll)
    for earlier, later in pairwise(days):
        a, b = day_toll[earlier], day_toll[later]
        if _size(b) >= _size(a):
            home[_root(home, run_of[id(b)])] = _root(home, run_of[id(a)])
    joined: dict[int, list[FigureRef]] = {}
    for n, run in enumerate(runs):
        joined.setdefault(_root(home, n), []).extend(run)
    return list(joined.values())


def _root(home: list[int], i: int) -> int:
    while home[i] != i:
        i = home[i]
    return i


def _articles_differ(occurrences: list[FigureRef], *, same_day: bool) -> bool:
    """Do two articles of the same day (``same_day``), or of two dated different days, state values that
    share nothing? An article stating 27 and 26 years agrees with one stating 27."""
    values: dict[tuple[str, str], set[FigureValue]] = {}
    for ref in occurrences:
        values.setdefault((ref.article_id, _day(ref)), set()).add(ref.figure.value)
    for (article_a, day_a), (article_b, day_b) in combinations(values, 2):
        if values[article_a, day_a] & values[article_b, day_b]:
            continue
        if same_day and day_a == day_b:
            return True
        if not same_day and day_a and day_b and day_a != day_b:
            return True
    return False
