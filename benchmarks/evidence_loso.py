"""Leave-one-set-out comparison of evidence variants: each fold before (today's items) and after (a variant).

A variant changes the clustering stage's inputs (an item's vector or keys) for every article of a set. For
today's items and each variant, ``cluster_loso``'s threshold / same-language-scale grid is run on every set.
A fold leaves one set out: "before" is the cell chosen on the other sets with today's items; "after" is the
variant and cell chosen together on the other sets (the variant whose neighbourhood margin there is best,
today's items included, so "after" may be "before"); both are scored on the left-out set. The shipped cell
(threshold 0.48, scale 0.3) is printed for every variant as well.

- ``numbers``: keys also from numbers spelled in words (``clustering.number_words``): the keys it adds per set,
  and the shipped cell before and after where it adds any;
- ``text dates as none``: a date read from inside the text is not evidence (the article clusters as undated).

Run: PYTHONPATH=src:benchmarks python benchmarks/evidence_loso.py [--data /work/shared/data] [--sets ...]
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import time
from collections.abc import Callable
from pathlib import Path

from cluster_loso import GRID, choose, line, margin, run
from gold_cache import SETS, load, stored_articles

from storylens.clustering.evaluate import GoldArticle
from storylens.clustering.number_words import spelled_number_keys
from storylens.clustering.online import ClusterItem

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = (0.48, 0.3)
Result = tuple[float, float, float, float]
Items = list[ClusterItem]
Transform = Callable[[str, Items], Items]  # (set name, items) -> items


def _cell(names: list[str], cell: tuple) -> dict[str, object]:
    return dict(zip(names, cell, strict=True))


def compare(data: dict[str, tuple[Items, list[GoldArticle]]], variants: dict[str, Transform]) -> None:
    """Grid per variant and set, then each fold before and after, printed."""
    names = list(GRID)
    cells = list(itertools.product(*GRID.values()))
    tables: dict[str, dict[str, dict[tuple, Result]]] = {}
    for variant, transform in {"today": lambda _, items: items, **variants}.items():
        started = time.perf_counter()
        tables[variant] = {}
        for name, (items, articles) in data.items():
            changed = transform(name, items)
            if changed is items and variant != "today":  # the variant leaves this set as it is
                tables[variant][name] = tables["today"][name]
                continue
            tables[variant][name] = {cell: run(changed, articles, 0, **_cell(names, cell)) for cell in cells}
        figures = "  ".join(line(n, tables[variant][n][SHIPPED]) for n in data)
        print(f"{variant}: at the shipped cell {figures} ({time.perf_counter() - started:.0f} s)", flush=True)
    for left_out in data:
        others = [n for n in data if n != left_out]
        before, _ = choose(tables["today"], others)
        chosen = max(tables, key=lambda v: choose(tables[v], others)[1])
        after, value = choose(tables[chosen], others)
        print(
            f"fold {left_out}: before {_cell(names, before)} -> {line(left_out, tables['today'][left_out][before])}"
            f"\n   after {chosen} {_cell(names, after)} (neighbourhood {value:+.3f} on the others)"
            f" -> {line(left_out, tables[chosen][left_out][after])}",
            flush=True,
        )
    for variant, table in tables.items():
        cell, value = choose(table, list(data))
        print(
            f"all sets, {variant}: {_cell(names, cell)} neighbourhood {value:+.3f}: "
            + "  ".join(f"{n} {margin(n, table[n][cell]):+.3f}" for n in data)
        )


def number_word_keys(data_path: Path) -> Transform:
    def transform(name: str, items: Items) -> Items:
        articles = stored_articles(name, data_path)
        return [
            dataclasses.replace(item, keys=item.keys | spelled_number_keys(articles[item.id].text)) for item in items
        ]

    return transform


def text_dates_as_none(data_path: Path) -> Transform:
    """Dates read from inside the text (method "text") are not used: such an article clusters as undated."""

    def transform(name: str, items: Items) -> Items:
        articles = stored_articles(name, data_path)
        if not any(articles[item.id].date_method == "text" for item in items):
            return items
        return [
            dataclasses.replace(item, date=None) if articles[item.id].date_method == "text" else item for item in items
        ]

    return transform


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--sets", nargs="*", default=list(SETS))
    args = parser.parse_args()
    data = {name: load(name, args.data) for name in args.sets}
    numbers = number_word_keys(args.data)
    for name, (items, articles) in data.items():
        changed = numbers(name, items)
        added = sum(len(new.keys - old.keys) for new, old in zip(changed, items, strict=True))
        figures = ""
        if added:
            before = run(items, articles, 0, threshold=SHIPPED[0], same_language_scale=SHIPPED[1])
            after = run(changed, articles, 0, threshold=SHIPPED[0], same_language_scale=SHIPPED[1])
            figures = f": at the shipped cell {line(name, before)} -> {line(name, after)}"
        print(f"{name}: number words add {added} keys over {len(items)} articles{figures}", flush=True)
    compare(data, {"text dates as none": text_dates_as_none(args.data)})


if __name__ == "__main__":
    main()
