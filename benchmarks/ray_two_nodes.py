"""`storylens backfill` on a two-node Ray cluster into a shared PostgreSQL store, against the sequential pipeline
on SQLite and the backfill on a local Ray instance: articles per second, B-cubed F1 against the gold stories,
whether the stories equal the sequential ones, and how much work each Ray node did.

Starts, on this machine, a throwaway PostgreSQL cluster (``initdb``/``pg_ctl`` in a temporary folder,
``tests/backends/pg_cluster.py``) and a Ray cluster of two nodes (``ray start --head`` and ``ray start --address``,
one CPU each, ``tests/ray_cluster.py``), and always stops both. Each run is the command a user types, in its own
process, timed from start to exit (interpreter, encoder and Ray start-up included), one after the other:

- ``sequential``:  ``storylens ingest GOLD --db seq.db``
- ``ray-local``:   ``storylens backfill GOLD --engine ray --db local.db`` (a local Ray instance, ``ray.init()``)
- ``ray-cluster``: ``storylens backfill GOLD --engine ray --address HEAD:PORT --db postgresql://…``

Run: PYTHONPATH=src python benchmarks/ray_two_nodes.py [--set news_dev2] [--runs sequential ray-local ray-cluster]
     [--repeat 1] [--workers 2] [--window 120:30]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from tests.backends.pg_cluster import Cluster, find_bin, start_cluster  # noqa: E402
from tests.ray_cluster import CLUSTER_ENV, RayCluster, start_ray_cluster  # noqa: E402

from storylens.clustering.evaluate import bcubed  # noqa: E402
from storylens.store import reads  # noqa: E402
from storylens.store.db import Store  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
RUNS = ("sequential", "ray-local", "ray-cluster")


def stories(target: str) -> dict[str, tuple[str, str]]:
    """Each gold-labelled article's (found story, gold story), by article row id."""
    with Store(target, readonly=True) as store:
        rows = reads.article_gold_rows(store)
    found = {}
    for row in rows:
        metadata = row["metadata"]
        story = (json.loads(metadata) if isinstance(metadata, str) else metadata).get("story")
        if story is not None:
            found[str(row["id"])] = (str(row["story_id"]), str(story))
    return found


def partition(found: dict[str, tuple[str, str]]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for article, (story, _) in found.items():
        groups.setdefault(story, set()).add(article)
    return {frozenset(group) for group in groups.values()}


def command(
    run: str, gold: Path, folder: Path, number: int, args: argparse.Namespace, head: str, pg: Cluster
) -> list[str]:
    base = [sys.executable, "-m", "storylens"]
    days, overlap = args.window.split(":")
    backfill = ["backfill", str(gold), "--engine", "ray", "--workers", str(args.workers), "--json"]
    backfill += ["--window-days", days, "--overlap-days", overlap]
    if run == "sequential":
        return [*base, "ingest", str(gold), "--db", str(folder / f"seq{number}.db")]
    if run == "ray-local":
        return [*base, *backfill, "--db", str(folder / f"local{number}.db")]
    return [*base, *backfill, "--address", head, "--db", pg.create_database(f"cluster{number}")]


def measure(run: str, argv: list[str], folder: Path, number: int) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **CLUSTER_ENV}
    env.pop("RAY_ADDRESS", None)
    log = folder / f"{run}{number}.log"
    started = time.perf_counter()
    with log.open("w") as errors:
        done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=errors, text=True, env=env, timeout=3600)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{run} failed ({done.returncode}):\n{log.read_text()[-3000:]}")
    report = json.loads(done.stdout) if "--json" in argv else {}
    return {"run": run, "seconds": seconds, "db": argv[argv.index("--db") + 1], "report": report}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", default="news_dev2")
    parser.add_argument("--runs", nargs="+", choices=RUNS, default=list(RUNS))
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--window", default="120:30", help="DAYS:OVERLAP of the backfill's windows")
    args = parser.parse_args()
    gold = DATA / f"{args.set}.jsonl"
    binaries = find_bin()
    if binaries is None:
        raise SystemExit("PostgreSQL (initdb, pg_ctl) not found: set STORYLENS_PG_BIN")
    pg: Cluster | None = None
    ray: RayCluster | None = None
    with tempfile.TemporaryDirectory(prefix="ray-two-nodes-") as name:
        folder = Path(name)
        try:
            pg = start_cluster(binaries)
            ray = start_ray_cluster(nodes=2, cpus_per_node=1)
            nodes = ray.alive_nodes()
            print("Ray cluster:", *ray.commands, f"live nodes: {len(nodes)}", sep="\n  ")
            results = []
            for number in range(args.repeat):
                for run in args.runs:
                    argv = command(run, gold, folder, number, args, ray.address, pg)
                    results.append(measure(run, argv, folder, number))
                    print(f"  done: {run} ({results[-1]['seconds']:.1f} s)", flush=True)
            report(results, nodes)
        finally:
            if ray is not None:
                ray.stop()
            if pg is not None:
                pg.stop()
                shutil.rmtree(pg.folder, ignore_errors=True)


def report(results: list[dict[str, object]], nodes: list[str]) -> None:
    sequential = next((r for r in results if r["run"] == "sequential"), None)
    reference = partition(stories(str(sequential["db"]))) if sequential else None
    first: set[frozenset[str]] | None = None  # the first backfill's stories
    print(
        "\n| run | articles | seconds | articles/s | B-cubed F1 | stories | = sequential | = first backfill | steps (s)"
        " | per node |"
    )
    print("|---|---:|---:|---:|---:|---:|---|---|---|---|")
    for result in results:
        found = stories(str(result["db"]))
        gold = {article: story for article, (_, story) in found.items()}
        f1 = bcubed({article: story for article, (story, _) in found.items()}, gold)[2]
        backfill = result["report"]
        assert isinstance(backfill, dict)
        steps = ", ".join(f"{k} {v}" for k, v in backfill.get("seconds", {}).items())
        placed = backfill.get("nodes", {})
        per_node = "; ".join(
            f"{f'node {nodes.index(n) + 1}' if n in nodes else 'local'}: {c['documents']} docs, {c['actors']} actors, "
            f"{c['windows']} windows"
            for n, c in placed.items()
        )
        same = "" if reference is None else "yes" if partition(found) == reference else "no"
        as_first = ""
        if result["run"] != "sequential":
            first = first or partition(found)
            as_first = "yes" if partition(found) == first else "no"
        seconds = float(result["seconds"])  # type: ignore[arg-type]
        print(
            f"| {result['run']} | {len(found)} | {seconds:.1f} | {len(found) / seconds:.2f} | {f1:.4f} | "
            f"{len(set(s for s, _ in found.values()))} | {same} | {as_first} | {steps} | {per_node} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
