"""Crash recovery and concurrent ingests on a gold set, with the shipped stages and encoder.

For each fault point, a fresh store ingests the gold file in a process killed (SIGKILL) at that point (injected
by ``tests/reliability/driver.py``, not by timing); the same command then runs again, and the store is compared
with an uninterrupted run's (story member sets, titles, dates, storylines, extraction counts, quote and figure
groups). Then the file is split in two halves (alternate lines), ingested by two processes at once into one
store and, for reference, one after the other in the order the writer lock gave; reported: stories and
pairwise precision/F1 against the gold stories for both.

Run: PYTHONPATH=src python benchmarks/crash_recovery.py [GOLD] [--points store:50,embed:1,cluster:1,extract:40]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
os.environ["DRIVER_ENCODER"] = "default"

from reliability.store_snapshot import KILLED, run, snapshot, start  # noqa: E402
from storylens.clustering.evaluate import pairwise  # noqa: E402


def outside_stories(db: Path) -> int:
    state = snapshot(db)
    inside = sum(len(keys) for keys in state["stories"])
    return len(state["articles"]) - inside


def gold_scores(db: Path, gold: dict[str, str]) -> dict[str, object]:
    state = snapshot(db)
    predicted = {key.split("#")[0]: n for n, keys in enumerate(state["stories"]) for key in keys if key.endswith("#1")}
    labelled = {key: story for key, story in gold.items() if key in predicted}
    precision, _, f1 = pairwise({k: predicted[k] for k in labelled}, labelled)
    return {"stories": len(state["stories"]), "pairwise_precision": round(precision, 3), "pairwise_f1": round(f1, 3)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("gold", nargs="?", default=str(ROOT.parent / "shared" / "data" / "news_dev.jsonl"))
    parser.add_argument("--points", default="store:50,embed:1,cluster:1,extract:40,storylines:1")
    args = parser.parse_args()
    gold_path = Path(args.gold)
    rows = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    gold = {str(row["id"]): str(row["story"]) for row in rows}
    folder = Path(tempfile.mkdtemp())
    reference = folder / "reference.db"
    started = time.perf_counter()
    run("none", "ingest", str(gold_path), "--db", str(reference))
    print(f"uninterrupted: {time.perf_counter() - started:.1f} s, {gold_scores(reference, gold)}")
    expected = snapshot(reference)
    for point in args.points.split(","):
        db = folder / f"{point.replace(':', '-')}.db"
        killed = run(f"kill:{point}", "ingest", str(gold_path), "--db", str(db), check=False)
        assert killed.returncode == KILLED, killed.stderr
        left = outside_stories(db)
        started = time.perf_counter()
        run("none", "ingest", str(gold_path), "--db", str(db))
        print(
            f"kill -9 at {point}: {left} articles outside every story after the kill; rerun "
            f"{time.perf_counter() - started:.1f} s, {outside_stories(db)} outside after it; "
            f"store equal to the uninterrupted run's: {snapshot(db) == expected}"
        )
    halves = [folder / "odd.jsonl", folder / "even.jsonl"]
    for n, half in enumerate(halves):
        half.write_text("".join(json.dumps(row) + "\n" for row in rows[n::2]), encoding="utf-8")
    both = folder / "both.db"
    processes = [start("none", "ingest", str(half), "--db", str(both)) for half in halves]
    outputs = [process.communicate() for process in processes]
    waited = ["waiting for another process" in err for _, err in outputs]
    order = halves[::-1] if waited[0] else halves
    sequential = folder / "sequential.db"
    for half in order:
        run("none", "ingest", str(half), "--db", str(sequential))
    print(f"two concurrent ingests (one waited: {any(waited)}): {gold_scores(both, gold)}")
    print(
        f"one after the other: {gold_scores(sequential, gold)}; stores equal: {snapshot(both) == snapshot(sequential)}"
    )


if __name__ == "__main__":
    main()
