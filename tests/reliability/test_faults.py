"""Crash safety: kill -9 at each stage, Ctrl-C and a full disk, then a rerun, end with the store an uninterrupted
run gives; two concurrent ingests give the stories of one after the other.

Each run is a subprocess (``driver.py``) with a fast invented encoder; faults are injected at a named point by
the driver, not by timing. The corpus (``corpus.py``) is invented: five events, four outlets each, ingested as
two batches (the second batch's articles join the first batch's stories).
"""

from __future__ import annotations

import fcntl
import re
import shutil
import threading
import time
from pathlib import Path

import pytest

from .corpus import records, write_corpus
from .store_snapshot import KILLED, run, snapshot, start


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("corpus")
    rows = records()
    first = [row for row in rows if str(row["source"]) in ("daily-post", "evening-star")]
    second = [row for row in rows if row not in first]
    return write_corpus(folder / "first.jsonl", first), write_corpus(folder / "second.jsonl", second)


@pytest.fixture(scope="module")
def after_first(inputs: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("first") / "first.db"
    run("none", "ingest", str(inputs[0]), "--db", str(db))
    return db


@pytest.fixture(scope="module")
def uninterrupted(after_first: Path, inputs: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = copy_store(after_first, tmp_path_factory.mktemp("whole"))
    run("none", "ingest", str(inputs[1]), "--db", str(db))
    return db


def copy_store(db: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for path in [db, *db.parent.glob(db.name + "-*")]:
        shutil.copy(path, folder / path.name)
    return folder / db.name


def test_the_uninterrupted_run_is_a_fair_reference(uninterrupted: Path) -> None:
    state = snapshot(uninterrupted)
    assert len(state["articles"]) == 20 and state["integrity"] == "ok"
    assert sorted(len(keys) for keys in state["stories"]) == [4] * 5
    assert state["stage_marks"] == [("clustering", 20), ("extraction", 20), ("storylines", 20)]
    assert all(counts for counts in state["extraction"].values())


@pytest.mark.parametrize("point", ["store:3", "embed:2", "cluster:1", "extract:4", "relink:1", "storylines:1"])
def test_kill_at_each_stage_then_rerun(
    point: str, after_first: Path, uninterrupted: Path, inputs: tuple[Path, Path], tmp_path: Path
) -> None:
    db = copy_store(after_first, tmp_path)
    killed = run(f"kill:{point}", "ingest", str(inputs[1]), "--db", str(db), check=False)
    assert killed.returncode == KILLED, killed.stderr
    assert snapshot(db) != snapshot(uninterrupted)  # the fault left work undone
    run("none", "ingest", str(inputs[1]), "--db", str(db))
    assert snapshot(db) == snapshot(uninterrupted)


@pytest.mark.parametrize("point", ["regroup:1", "storylines:1"])
def test_kill_during_recluster_is_finished_by_the_next_run(point: str, uninterrupted: Path, tmp_path: Path) -> None:
    reference = copy_store(uninterrupted, tmp_path / "reference")
    run("none", "recluster", "--db", str(reference))
    db = copy_store(uninterrupted, tmp_path)
    killed = run(f"kill:{point}", "recluster", "--db", str(db), check=False)
    assert killed.returncode == KILLED, killed.stderr
    run("none", "ingest", "--db", str(db))  # no inputs: finishes the rebuild
    assert snapshot(db) == snapshot(reference)
    nothing_left = run("none", "ingest", "--db", str(db), check=False)
    assert nothing_left.returncode == 2 and "nothing to ingest" in nothing_left.stderr


def test_ctrl_c_exits_in_one_line_and_the_rerun_finishes(
    after_first: Path, uninterrupted: Path, inputs: tuple[Path, Path], tmp_path: Path
) -> None:
    db = copy_store(after_first, tmp_path)
    stopped = run("interrupt:extract:2", "ingest", str(inputs[1]), "--db", str(db), check=False)
    assert stopped.returncode == 130
    assert "Traceback" not in stopped.stderr and _messages(stopped.stderr) == [
        "error: interrupted: what was stored is kept; run `storylens ingest` again to finish it"
    ]
    run("none", "ingest", str(inputs[1]), "--db", str(db))
    assert snapshot(db) == snapshot(uninterrupted)


@pytest.mark.parametrize("pages", [1, 4, 8, 12])  # fails while storing (1, 4), clustering (8), extracting (12)
def test_full_disk_gives_one_line_and_recovers_once_space_is_freed(
    pages: int, after_first: Path, uninterrupted: Path, inputs: tuple[Path, Path], tmp_path: Path
) -> None:
    db = copy_store(after_first, tmp_path)
    full = run(f"full:{pages}", "ingest", str(inputs[1]), "--db", str(db), check=False)
    assert full.returncode == 1, full.stderr
    (line,) = _messages(full.stderr)
    assert "database or disk is full" in line and line.startswith("error: ")
    assert snapshot(db)["integrity"] == "ok"
    run("none", "ingest", str(inputs[1]), "--db", str(db))
    assert snapshot(db) == snapshot(uninterrupted)


def test_two_concurrent_ingests_give_the_stories_of_one_after_the_other(
    inputs: tuple[Path, Path], tmp_path: Path
) -> None:
    """The first ingest holds the writer lock (paused in its first encoder call) until the second has said it
    waits, so the two really overlap however loaded the machine is; then both finish."""
    db = tmp_path / "both.db"
    release = tmp_path / "release"
    first = start(f"hold:{release}", "ingest", str(inputs[0]), "--db", str(db))
    deadline = time.monotonic() + 300
    while not _lock_held(db) and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    second = start("none", "ingest", str(inputs[1]), "--db", str(db))
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
    sequential = tmp_path / "sequential.db"
    for path in inputs:
        run("none", "ingest", str(path), "--db", str(sequential))
    assert snapshot(db) == snapshot(sequential)


PROGRESS_LINE = re.compile(r"^[\w ]+: \d+(/\d+)? \(\d+ s\)$")  # "embedding: 4/10 (0 s)", off a terminal


def _messages(stderr: str) -> list[str]:
    """What a command said on stderr, without its plain progress lines."""
    return [line for line in stderr.strip().splitlines() if not PROGRESS_LINE.match(line)]


def _lock_held(db: Path) -> bool:
    """Whether another process holds the store's writer lock (a flock on ``<db>.lock``)."""
    lock = Path(f"{db}.lock")
    if not lock.exists():
        return False
    with open(lock, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False
