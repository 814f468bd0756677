"""Group the figures of one story's articles: one group per quantity that two or more articles report.

Figures group by their measure (dead, injured, percent, dollars: ``measures.py``) and close values; a toll
(a cumulative measure) that rises from one day to a later one stays one group, read as an update. A group
is ``updated`` when articles of different days state values that share nothing, and ``discrepant`` when
articles of the same day do, for a measure that does not move during a day (magnitude, money, distance).
A toll is different: article dates have day precision and a toll is revised during the day it is counted (8,
then 9, then 12 dead within hours), so two values of one day are not known to be of the same time, and a
disagreement is the same measure at the same time: differing values of a toll are read as an update. On the
hand gold (``benchmarks/quote_figure_groups.py``) every differing toll of one day or of undated articles is
a revision (9 of 9), and the one same-day disagreement is a magnitude.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations, pairwise

from storylens.extraction.measures import is_cumulative
from storylens.extraction.records import FigureGroup, FigureRef, FigureValue

CLOSE_VALUE_RATIO = 1.15  # 36 / 37 / 38 dead are one quantity; 19 / 28 points are two


def _magnitude(value: FigureValue) -> float:
    return (value[0] + value[1]) / 2 if isinstance(value, tuple) else value


def _day(ref: FigureRef) -> str:
    return (ref.published or "")[:10]


def group_figures(refs: Sequence[FigureRef]) -> list[FigureGroup]:
    """Groups of one quantity that two or more articles report (see ``_clusters``), occurrences in publication
    order. ``discrepant``: two articles of the same day state values that share nothing (outlets disagree), for
    a measure other than a toll; ``updated``: two articles of different days do (the value changed), or two of
    one day state different values of a toll (revised during the day). Single-article figures stay ungrouped.
    """
    by_key: dict[str, list[FigureRef]] = {}
    for ref in refs:
        key = ref.figure.measure or ref.figure.unit
        if key is not None:
            by_key.setdefault(key, []).append(ref)
    groups: list[FigureGroup] = []
    for key, members in by_key.items():
        measure = key if any(r.figure.measure == key for r in members) else None
        for cluster in _clusters(members, is_cumulative(measure)):
            if len({r.article_id for r in cluster}) < 2:
                continue
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


def _clusters(members: list[FigureRef], cumulative: bool) -> list[list[FigureRef]]:
    """Runs of sorted values no wider than ``CLOSE_VALUE_RATIO`` from their smallest (so values cannot chain
    far apart), then, for a cumulative measure (a toll), the runs of each day's highest toll joined while
    that toll rises from one dated day to the next: 800 -> 850 (one run) -> 1,411 two days later."""
    ordered = sorted(members, key=lambda r: _magnitude(r.figure.value))
    runs: list[list[FigureRef]] = []
    for ref in ordered:
        if runs and _magnitude(ref.figure.value) <= _magnitude(runs[-1][0].figure.value) * CLOSE_VALUE_RATIO:
            runs[-1].append(ref)
        else:
            runs.append([ref])
    if not cumulative:
        return runs
    run_of = {id(ref): n for n, run in enumerate(runs) for ref in run}
    day_toll: dict[str, FigureRef] = {}
    for ref in ordered:  # ascending, so the last one seen on a day is its highest
        if _day(ref):
            day_toll[_day(ref)] = ref
    home = list(range(len(runs)))
    days = sorted(day_toll)
    for earlier, later in pairwise(days):
        a, b = day_toll[earlier], day_toll[later]
        if _magnitude(b.figure.value) >= _magnitude(a.figure.value):
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
