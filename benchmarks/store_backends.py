"""The same gold set ingested into SQLite and into PostgreSQL, with the shipped stages and encoder.

For each gold file: `storylens ingest` (one process, as a user runs it) into a new SQLite file and into a new
database of a throwaway PostgreSQL cluster (``tests/backends/pg_cluster.py``); reported per backend: wall time,
stories, pairwise precision/F1 against the gold stories, and whether the two stores are equal (stories with
titles and dates, storylines, extraction counts, entities, quote and figure groups: ``tests/backends/snapshot.py``).

Run: PYTHONPATH=src python benchmarks/store_backends.py [GOLD ...]
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DRIVER_ENCODER"] = "default"

from tests.backends.pg_cluster import find_bin, start_cluster  # noqa: E402
from tests.backends.snapshot import snapshot  # noqa: E402
from tests.reliability.store_snapshot import run  # noqa: E402

from storylens.clustering.evaluate import pairwise  # noqa: E402


def scores(state: dict[str, object], gold: dict[str, str]) -> str:
    stories = state["stories"]
    assert isinstance(stories, dict)
    predicted = {key.split("#")[0]: n for n, keys in enumerate(stories) for key in keys if key.endswith("#1")}
    labelled = {key: story for key, story in gold.items() if key in predicted}
    precision, _, f1 = pairwise({k: predicted[k] for k in labelled}, labelled)
    return f"{len(stories)} stories, pairwise precision {precision:.3f}, F1 {f1:.3f}"


def main() -> None:
    shared = ROOT.parent / "shared" / "data"
    golds = [Path(p) for p in sys.argv[1:]] or [shared / "news_dev.jsonl", shared / "news_dev2.jsonl"]
    folder = find_bin()
    if folder is None:
        sys.exit("PostgreSQL binaries (initdb, pg_ctl) not found")
    cluster = start_cluster(folder)
    work = Path(tempfile.mkdtemp())
    try:
        for gold_path in golds:
            rows = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
            gold = {str(row["id"]): str(row["story"]) for row in rows}
            states = {}
            for backend, target in [
                ("sqlite", str(work / f"{gold_path.stem}.db")),
                ("postgresql", cluster.create_database(gold_path.stem)),
            ]:
                started = time.perf_counter()
                run("none", "ingest", str(gold_path), "--db", target)
                elapsed = time.perf_counter() - started
                states[backend] = snapshot(target)
                print(f"{gold_path.name} {backend}: ingest {elapsed:.1f} s, {scores(states[backend], gold)}")
            print(f"{gold_path.name}: stores equal: {states['sqlite'] == states['postgresql']}")
    finally:
        cluster.stop()
        shutil.rmtree(cluster.folder, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
