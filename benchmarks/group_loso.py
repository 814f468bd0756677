"""Grouping constants chosen by leave-one-split-out over the hand gold's splits (issue 10, items 5 and 6).

For each constant given with ``--sweep NAME=v1,v2,...`` (of ``extraction/figure_groups.py``, or with ``--quotes``
of ``extraction/grouping.py``), every value is scored on every split of ``benchmarks/data/quote_figure_gold.json``
(``tune``, ``heldout``, ``fresh``, ``nd1``; quotes: the splits with quotes) with ``quote_figure_groups.py``'s
scoring; then, for each split held out, the value is chosen on the other splits by a criterion fixed in advance:
groups exact (figure groups, or quote groups) summed over the training splits, then pooled pair F1, ties to the
smallest value; the held-out split's score at that value is the fold's result. Other constants keep their shipped
values (or those given with ``--set NAME=v``). Extraction, linking and quote embeddings run once per article.

    PYTHONPATH=src:benchmarks python benchmarks/group_loso.py --sweep CLOSE_VALUE_RATIO=1.05,1.1,1.2
    PYTHONPATH=src:benchmarks python benchmarks/group_loso.py --quotes --sweep SAME_STATEMENT_SIMILARITY=0.8,0.85
"""

from __future__ import annotations

import argparse
import functools
import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np
import quote_figure_groups as bench

from storylens.encoders import DEFAULT_ENCODER_SPEC, get_encoder
from storylens.extraction import figure_groups, grouping

SETS = "news_dev2,news_dev3,news_dev2-heldout,news_dev3-heldout,news_dev4-fresh,news_dev-nd1"


def _cache_extraction(quotes: bool) -> Any:
    """Extraction, linking and embeddings run once: grouping is all a constant changes. Returns the encoder
    (None for figures, which need no entities either)."""
    bench.extract = functools.cache(bench.extract)
    if not quotes:
        bench.link_entities = _no_entities  # type: ignore[assignment]
        return None
    link = bench.link_entities
    linked: dict[tuple[tuple[str, int, int], ...], Any] = {}

    def cached_link(refs: Any) -> Any:
        refs = list(refs)
        key = tuple((r.article_id, r.mention.start, r.mention.end) for r in refs)
        if key not in linked:
            linked[key] = link(refs)
        return linked[key]

    bench.link_entities = cached_link  # type: ignore[assignment]
    encode = get_encoder(DEFAULT_ENCODER_SPEC).encode
    vectors: dict[str, Any] = {}

    def cached_encode(texts: list[str]) -> Any:
        missing = [t for t in dict.fromkeys(texts) if t not in vectors]
        if missing:
            vectors.update(zip(missing, encode(missing), strict=True))
        return np.asarray([vectors[t] for t in texts])

    return cached_encode


def _no_entities(refs: Any) -> list[Any]:
    return []


def score(sets: list[str], gold: dict[str, Any], encode: Any = None) -> dict[str, tuple[int, ...]]:
    """Per split: groups exact, groups scored, pair true positives, system pairs, gold pairs (figures: groups of
    multi-article quantities; quotes, with ``encode``: every statement with a member found), then, for quotes,
    statements found in two or more articles: exact, scored."""
    tallies: dict[str, bench.Tally] = defaultdict(bench.Tally)
    for name in sets:
        if encode is not None and not gold[name]["quotes"]:
            continue
        tally = bench.Tally()
        bench.score_set(name, gold[name], encode, tally, [])
        tallies[gold[name].get("split", "tune")].counts.update(tally.counts)
    out = {}
    for split, t in tallies.items():
        c = t.counts
        exact, scored = ("quote_groups_exact", "quote_groups") if encode else ("figure_multi_exact", "figure_multi")
        prefix = "quote" if encode else "figure"
        out[split] = (
            c[exact],
            c[scored],
            c[f"{prefix}_pairs_tp"],
            c[f"{prefix}_pairs_system"],
            c[f"{prefix}_pairs_gold"],
        ) + ((c["quote_multi_exact"], c["quote_multi"]) if encode else ())
    return out


def _f1(tp: int, system: int, gold: int) -> float:
    return 2 * tp / (system + gold) if system + gold else 0.0


def loso(results: dict[float, dict[str, tuple[int, ...]]]) -> list[tuple[str, float, tuple]]:
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
    parser.add_argument("--quotes", action="store_true", help="quote grouping (extraction/grouping.py)")
    parser.add_argument("--json", help="write every score here")
    args = parser.parse_args(argv)
    gold = json.loads(bench.GOLD.read_text(encoding="utf-8"))["sets"]
    sets = args.sets.split(",")
    encode = _cache_extraction(args.quotes)
    module = grouping if args.quotes else figure_groups
    for item in args.set:
        name, value = item.split("=")
        setattr(module, name, float(value))
    report: dict[str, Any] = {"base": score(sets, gold, encode)}
    print("shipped:", _row(report["base"]))
    for item in args.sweep:
        name, values = item.split("=")
        shipped = getattr(module, name)
        results = {}
        for value in map(float, values.split(",")):
            setattr(module, name, value)
            results[value] = score(sets, gold, encode)
            print(f"{name}={value:g}:", _row(results[value]))
        setattr(module, name, shipped)
        folds = loso(results)
        for held, chosen, row in folds:
            multi = f" (multi-article {row[5]} / {row[6]})" if len(row) > 5 else ""
            print(f"  fold {held}: chosen {chosen:g} on the others -> {held} {row[0]} / {row[1]}{multi}")
        report[name] = {"results": {str(v): r for v, r in results.items()}, "folds": folds}
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(report, out, indent=1)


def _row(scores: dict[str, tuple[int, ...]]) -> str:
    return ", ".join(
        f"{split} {r[0]}/{r[1]} (P {r[2] / max(r[3], 1):.3f}" + (f", multi {r[5]}/{r[6]})" if len(r) > 5 else ")")
        for split, r in sorted(scores.items())
    )


if __name__ == "__main__":
    main()
