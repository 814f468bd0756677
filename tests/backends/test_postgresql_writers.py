"""Two concurrent writers on one PostgreSQL store give what one after the other gives (as
``tests/reliability/test_faults.py`` shows for SQLite): the first ingest holds the writer lock, paused in its first
encoder call, until the second has said that it waits; no timing decides the order."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from storylens.store.db import Store
from storylens.store.postgres import WRITER_LOCK
from tests.reliability.store_snapshot import run, start

from .pg_cluster import Cluster
from .snapshot import snapshot


def _lock_held(url: str) -> bool:
    """Whether some session holds the store's writer lock (a session advisory lock; key below 2^32)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            """SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
               WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = %s
               AND d.datname = current_database()""",
            (WRITER_LOCK,),
        ).fetchone()
        return bool(row and row[0])


def test_two_concurrent_ingests_give_the_stories_of_one_after_the_other(
    pg_cluster: Cluster, corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    url = pg_cluster.create_database("concurrent")
    Store(url).close()  # migrated now, so the only writer-lock holder seen below is the first ingest
    release = tmp_path / "release"
    first = start(f"hold:{release}", "ingest", str(corpus[0]), "--db", url)
    deadline = time.monotonic() + 300
    while not _lock_held(url) and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    second = start("none", "ingest", str(corpus[1]), "--db", url)
    second_err: list[str] = []
    waiting = threading.Event()

    def read_second() -> None:
        assert second.stderr is not None
        for line in second.stderr:
            second_err.append(line)
            if "waiting for another process" in line:
                waiting.set()

    reader = threading.Thread(target=read_second, daemon=True)
    reader.start()
    said_waiting = waiting.wait(timeout=300)
    release.touch()
    first_out = first.communicate(timeout=300)
    second.wait(timeout=300)
    reader.join(timeout=60)
    outputs = [first_out, "".join(second_err)]
    assert said_waiting, outputs
    assert [first.returncode, second.returncode] == [0, 0], outputs
    sequential = pg_cluster.create_database("sequential")
    for path in corpus:
        run("none", "ingest", str(path), "--db", sequential)
    both, one_then_other = snapshot(url), snapshot(sequential)
    assert sorted(len(keys) for keys in both["stories"]) == [4] * 5  # type: ignore[union-attr]
    assert both == one_then_other
