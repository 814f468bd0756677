"""Fixtures of the backend suite: a throwaway PostgreSQL cluster for the whole session (skipped when PostgreSQL
is not installed, a failure when ``CI=true``), a fresh database per test, and the invented corpus."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.corpus import records, write_corpus
from tests.reliability.store_snapshot import run

from .pg_cluster import Cluster, find_bin, start_cluster
from .snapshot import read_model, snapshot

_numbers = itertools.count()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    folder = find_bin()
    missing = "PostgreSQL binaries (initdb, pg_ctl) not found: set STORYLENS_PG_BIN or install PostgreSQL"
    if folder is None:
        if os.environ.get("CI") == "true":
            pytest.fail(missing + " (CI must run the backend suite on PostgreSQL)")
        pytest.skip(missing)
    try:
        import psycopg  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("psycopg is not installed (pip install -e '.[test]')")
        pytest.skip("psycopg is not installed")
    cluster = start_cluster(folder)
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(cluster.folder, ignore_errors=True)


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> str:
    """The URL of a new, empty database."""
    return pg_cluster.create_database(f"t{os.getpid()}_{next(_numbers)}")


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The invented corpus of the reliability tests as two batches (the second joins the first's stories)."""
    folder = tmp_path_factory.mktemp("backend-corpus")
    rows = records()
    first = [row for row in rows if str(row["source"]) in ("daily-post", "evening-star")]
    second = [row for row in rows if row not in first]
    return write_corpus(folder / "first.jsonl", first), write_corpus(folder / "second.jsonl", second)


@pytest.fixture(scope="session")
def sqlite_reference(
    corpus: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, object]]:
    """The SQLite store's snapshot after ingesting both batches, and after a recluster."""
    db = str(tmp_path_factory.mktemp("reference") / "reference.db")
    for path in corpus:
        run("none", "ingest", str(path), "--db", db)
    after_ingest, views = snapshot(db), read_model(db)
    run("none", "recluster", "--db", db)
    return {"ingest": after_ingest, "views": views, "recluster": snapshot(db), "views_recluster": read_model(db)}
