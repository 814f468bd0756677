"""Figure-grouping constants chosen by leave-one-split-out over the hand gold's splits (issue 10, item 6).

For each constant of ``extraction/figure_groups.py`` given with ``--sweep NAME=v1,v2,...``, every value is scored
on every split of ``benchmarks/data/quote_figure_gold.json`` (``tune``, ``heldout``, ``fresh``, ``nd1``) with
``quote_figure_groups.py``'s figure scoring; then, for each split held out, the value is chosen on the other
splits by a criterion fixed in advance: figure groups exact summed over the training splits, then pooled pair F1,
ties to the smallest value; the held-out split's score at that value is the fold's result. Other constants keep
their shipped values (or those given with ``--set NAME=v``). Extraction runs once per article.

    PYTHONPATH=src:benchmarks python benchmarks/figure_loso.py --sweep CLOSE_VALUE_RATIO=1.05,1.1,1.2
"""

from __future__ import annotations

import argparse
import functools
import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import quote_figure_groups as bench

from storylens.extraction import figure_groups

SETS = "news_dev2,news_dev3,news_dev2-heldout,news_dev3-heldout,news_dev4-fresh,news_dev-nd1"


def _cache_extraction() -> None:
    """Extraction and linking run once per article: grouping is all a constant changes."""
    bench.extract = functools.cache(bench.extract)
    bench.link_entities = _no_entities  # type: ignore[assignment]  # figures need no entities


def _no_entities(refs: Any) -> list[Any]:
    return []


def score(sets: list[str], gold: dict[str, Any]) -> dict[str, tuple[int, int, int, int, int]]:
    """Per split: groups exact, groups scored, pair true positives, system pairs, gold pairs."""
    tallies: dict[str, bench.Tally] = defaultdict(bench.Tally)
    for name in sets:
        tally = bench.Tally()
        bench.score_set(name, gold[name], None, tally, [])
        tallies[gold[name].get("split", "tune")].counts.update(tally.counts)
    out = {}
    for split, t in tallies.items():
        c = t.counts
        out[split] = (
            c["figure_multi_exact"],
            c["figure_multi"],
            c["figure_pairs_tp"],
            c["figure_pairs_system"],
            c["figure_pairs_gold"],
        )
    return out


def _f1(tp: int, system: int, gold: int) -> float:
    return 2 * tp / (system + gold) if system + gold else 0.0


def loso(results: dict[float, dict[str, tuple[int, int, int, int, int]]]) -> list[tuple[str, float, tuple]]:
    """For each held-out split: the value chosen on the others, and the held-out split's score there."""
    splits = sorted({s for r in results.values() for s in r})
    folds = []
    for held in splits:

        def train(value: float, held: str = held) -> tuple[int, float, float]:
            rows = [row for split, row in results[value].items() if split != held]
            exact = sum(r[0] for r in rows)
            f1 = _f1(sum(r[2] for r in rows), sum(r[3] for r in rows), sum(r[4] for r in rows))
            return exact, f1, -value

        chosen = max(results, key=train)
        folds.append((held, chosen, results[chosen][held]))
    return folds


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=SETS)
    parser.add_argument("--sweep", action="append", default=[], help="NAME=v1,v2,... (a constant of figure_groups)")
    parser.add_argument("--set", action="append", default=[], help="NAME=v: hold a constant at v")
    parser.add_argument("--json", help="write every score here")
    args = parser.parse_args(argv)
    gold = json.loads(bench.GOLD.read_text(encoding="utf-8"))["sets"]
    sets = args.sets.split(",")
    _cache_extraction()
    for item in args.set:
        name, value = item.split("=")
        setattr(figure_groups, name, float(value))
    report: dict[str, Any] = {"base": score(sets, gold)}
    print("shipped:", _row(report["base"]))
    for item in args.sweep:
        name, values = item.split("=")
        shipped = getattr(figure_groups, name)
        results = {}
        for value in map(float, values.split(",")):
            setattr(figure_groups, name, value)
            results[value] = score(sets, gold)
            print(f"{name}={value:g}:", _row(results[value]))
        setattr(figure_groups, name, shipped)
        folds = loso(results)
        for held, chosen, row in folds:
            print(f"  fold {held}: chosen {chosen:g} on the others -> {held} {row[0]} / {row[1]}")
        report[name] = {"results": {str(v): r for v, r in results.items()}, "folds": folds}
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(report, out, indent=1)


def _row(scores: dict[str, tuple[int, int, int, int, int]]) -> str:
    return ", ".join(f"{split} {r[0]}/{r[1]} (P {r[2] / max(r[3], 1):.3f})" for split, r in sorted(scores.items()))


if __name__ == "__main__":
    main()
