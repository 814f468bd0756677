"""Order spread of the shipped clustering (issue 11's acceptance: "the same-day order spread on news_dev narrows
to ±0.01"), from the cached stage inputs (``gold_cache``) instead of a fresh pipeline run.

For each set: the default path (online in date order, then ``consolidate``, as ``storylens eval``) with the
store's ids and with ``--ids`` random renamings (which reorder articles of the same day and undated ones, wherever
ties are broken by id: ``cluster_quality.tie_order_scores``), and ``--shuffles`` random arrival orders with and
without consolidation (``cluster_quality.shuffled_spread``).

Run: PYTHONPATH=src:benchmarks python benchmarks/order_spread.py [--sets news_dev ...] [--ids 20] [--shuffles 10]
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

import cluster_quality
from gold_cache import load, sets

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--sets", nargs="+", default=list(sets(True, True)))
    parser.add_argument("--ids", type=int, default=20, help="random id renamings besides the store's ids")
    parser.add_argument("--shuffles", type=int, default=10, help="random arrival orders")
    args = parser.parse_args()
    cluster_quality.TIE_ORDERS, cluster_quality.SHUFFLES = args.ids, args.shuffles
    for name in args.sets:
        items, articles = load(name, args.data)
        results = cluster_quality.tie_order_scores(items, articles)
        f1s, crosses = [r[2] for r in results], [r[3] for r in results]
        print(
            f"{name:9s} date + consolidate, {len(results)} id orders: B3 F1 mean {statistics.mean(f1s):.3f} "
            f"min {min(f1s):.3f} max {max(f1s):.3f}; cross-lang pair F1 min {min(crosses):.3f} max {max(crosses):.3f}"
        )
        cluster_quality.shuffled_spread(name, items, articles, consolidate=True)
        cluster_quality.shuffled_spread(name, items, articles, consolidate=False)


if __name__ == "__main__":
    main()
