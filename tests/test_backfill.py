"""`storylens backfill`: the local loop and a local Ray instance give the stories of the sequential pipeline on
the same invented corpus, store the same extraction, and a second run changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import re
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from storylens.backfill import Backfill, BackfillError, BackfillOptions, LocalEngine
from storylens.backfill.windows import decide_by_windows, windows_of
from storylens.clustering.evaluate import bcubed
from storylens.clustering.online import ClusterItem, OnlineClusterer
from storylens.clustering.stage import ClusteringStage
from storylens.clustering.storyline_stage import StorylineStage
from storylens.extraction.stage import ExtractionStage
from storylens.pipeline import Ingestor, Pipeline
from storylens.sources.files import read_inputs
from storylens.store import reads
from storylens.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
DIM = 128


class WordHashEncoder:
    """Hashed word counts (as in tests/reliability/driver.py): fast, the same in every process."""

    name = "test-backfill-words"
    dim = DIM

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                vectors[row, int(hashlib.md5(word.encode()).hexdigest()[:8], 16) % DIM] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode(texts)


TOPICS = [  # invented events: (first day offset, words only this event uses)
    (0, "harbour crane collapse dockworkers Velmora"),
    (5, "orchestra premiere violinist Tarsk concert"),
    (20, "glacier survey drones Quellin meltwater"),
    (38, "chess olympiad grandmaster Ostrava endgame"),
    (45, "bridge tolls commuters Brandel ferry"),
    (70, "vaccine trial volunteers Mirelle dosage"),
]


def corpus(folder: Path, per_topic: int = 6, undated: int = 2) -> Path:
    """A JSON Lines corpus of invented articles: each event reported on several days, a few articles undated."""
    start = dt.date(2025, 1, 1)
    rows = []
    for number, (offset, words) in enumerate(TOPICS):
        vocabulary = words.split()
        for copy in range(per_topic):
            day = start + dt.timedelta(days=offset + 3 * copy)
            order = vocabulary[copy % len(vocabulary) :] + vocabulary[: copy % len(vocabulary)]
            text = (
                f"Report {copy} on the {order[0]} story. " + " ".join(order * 3) + ". "
                f"Officials named {vocabulary[3].title()} said the {order[1]} matter continues. "
                + " ".join(reversed(order * 2))
                + "."
            )
            dated = copy >= undated or number % 2
            rows.append(
                {
                    "id": f"t{number}-{copy}",
                    "lang": "en",
                    "date": day.isoformat() if dated else None,
                    "title": f"{order[0].title()} {order[1]} update {copy}",
                    "text": text,
                    "story": f"topic-{number}",
                }
            )
    path = folder / "corpus.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def fast_pipeline(encoder: WordHashEncoder) -> Pipeline:
    return Pipeline(
        [
            ClusteringStage(encoder, batch_size=8),
            ExtractionStage(quote_encoder=lambda texts: encoder.encode(texts)),
            StorylineStage(),
        ]
    )


def stories_by_key(store: Store) -> dict[str, int | None]:
    """Each article's story, by the article's row id (the same in every store built from the corpus)."""
    return {str(r["id"]): r["story_id"] for r in reads.article_gold_rows(store)}


def dump(path: Path) -> list[str]:
    """Every row of every table as SQL text (the store compared whole), but documents' ingestion times."""
    with sqlite3.connect(path) as conn:
        lines = list(conn.iterdump())
    return [line for line in lines if not line.startswith(('INSERT INTO "sqlite_', 'INSERT INTO "documents"'))]


def rows(path: Path, table: str) -> list[tuple[object, ...]]:
    """A table's rows without their row ids (which follow the order of writing), sorted; a quote's or figure's
    group id (also in the order of writing) is replaced by its group's members (article and start)."""
    with sqlite3.connect(path) as conn:
        cursor = conn.execute(f"SELECT * FROM {table}")
        columns = [d[0] for d in cursor.description]
        found = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    members: dict[object, list[tuple[object, object]]] = {}
    for row in found:
        if row.get("group_id") is not None:
            members.setdefault(row["group_id"], []).append((row["article_id"], row["start"]))
    grouped = [
        {**row, "group_id": repr(sorted(members[row["group_id"]]))} if row.get("group_id") else row for row in found
    ]
    return sorted((tuple(row[c] for c in columns[1:]) for row in grouped), key=repr)


def sequential(folder: Path, source: Path) -> Path:
    path = folder / "sequential.db"
    encoder = WordHashEncoder()
    with Store(path) as store:
        Ingestor(store, fast_pipeline(encoder)).ingest(read_inputs([str(source)]))
    return path


def backfilled(folder: Path, source: Path, engine, name: str, **options) -> Path:
    path = folder / f"{name}.db"
    encoder = WordHashEncoder()
    with Store(path) as store:
        Backfill(store, fast_pipeline(encoder), engine, BackfillOptions(encoder=encoder, **options)).run(
            read_inputs([str(source)])
        )
    return path


def f1(path: Path) -> float:
    """B-cubed F1 of the stored stories against the corpus's `story` labels."""
    with Store(path) as store:
        rows = reads.article_gold_rows(store)
    gold = {str(r["id"]): json.loads(r["metadata"])["story"] for r in rows}
    return bcubed({str(r["id"]): str(r["story_id"]) for r in rows}, gold)[2]


def partition(path: Path) -> set[frozenset[str]]:
    with Store(path) as store:
        found = stories_by_key(store)
    groups: dict[int | None, set[str]] = {}
    for key, story in found.items():
        groups.setdefault(story, set()).add(key)
    return {frozenset(members) for members in groups.values()}


def test_windows_cover_every_date_with_the_overlap() -> None:
    days = [dt.date(2025, 1, 1) + dt.timedelta(days=n) for n in (0, 10, 44, 95)]
    found = windows_of(days, 30, 10)
    assert found[0] == (dt.date(2025, 1, 1), dt.date(2025, 1, 30))
    assert all(b[0] - a[0] == dt.timedelta(days=20) for a, b in itertools.pairwise(found))
    assert all(any(low <= day <= high for low, high in found) for day in days)
    assert found[-1][1] >= days[-1] > found[-2][1]
    with pytest.raises(ValueError):
        windows_of(days, 10, 10)


def test_events_across_window_edges_are_stitched_into_one_story_each() -> None:
    rng = np.random.default_rng(3)
    centres = rng.normal(size=(2, 32))
    items = []
    for n in range(24):  # two events over 46 days: four windows of 15 days with 5 days of overlap
        vector = centres[n % 2] + 0.1 * rng.normal(size=32)
        day = dt.date(2025, 1, 1) + dt.timedelta(days=2 * n)
        items.append(ClusterItem(f"e{n % 2}-{n}", "en", day, (vector / np.linalg.norm(vector)).astype(np.float32)))
    clusterer, assignments = decide_by_windows(items, OnlineClusterer, window_days=15, overlap_days=5)
    stories: dict[int, set[str]] = {}
    for assignment in assignments:
        stories.setdefault(assignment.story_id, set()).add(assignment.item_id[:2])
    assert sorted(map(sorted, stories.values())) == [["e0"], ["e1"]]
    assert clusterer.labels() == {a.item_id: a.story_id for a in assignments}


def test_local_backfill_gives_the_sequential_stories_and_extraction(tmp_path: Path) -> None:
    source = corpus(tmp_path)
    reference = sequential(tmp_path, source)
    local = backfilled(tmp_path, source, LocalEngine(batch_docs=5), "local")  # every date in one window
    assert partition(local) == partition(reference)
    for table in ("mentions", "quotes", "figures", "entities", "embeddings", "article_keys", "storylines"):
        assert rows(local, table) == rows(reference, table), table


def test_local_backfill_by_windows_stays_within_001_of_sequential(tmp_path: Path) -> None:
    source = corpus(tmp_path)
    reference = f1(sequential(tmp_path, source))
    windowed = backfilled(tmp_path, source, LocalEngine(), "windows", window_days=30, overlap_days=10)
    assert f1(windowed) >= reference - 0.01


def test_a_second_backfill_changes_nothing(tmp_path: Path) -> None:
    source = corpus(tmp_path)
    path = backfilled(tmp_path, source, LocalEngine(), "again", window_days=30, overlap_days=10)
    before = dump(path)
    encoder = WordHashEncoder()
    with Store(path) as store:
        report = Backfill(store, fast_pipeline(encoder), LocalEngine(), BackfillOptions(encoder=encoder)).run(
            read_inputs([str(source)])
        )
    assert (report.new_articles, report.duplicates) == (0, report.read)
    assert dump(path) == before


def test_an_interrupted_backfill_is_finished_by_ingest(tmp_path: Path) -> None:
    """A backfill stopped after storing and extracting (before the stories) leaves rebuild requests that a plain
    pipeline run (what `storylens ingest` does) carries out: the store then has every story."""
    source = corpus(tmp_path)
    encoder = WordHashEncoder()
    path = tmp_path / "interrupted.db"

    class Stop(Exception):
        pass

    with Store(path) as store:
        backfill = Backfill(store, fast_pipeline(encoder), LocalEngine(), BackfillOptions(encoder=encoder))

        def crash(progress=None):
            raise Stop

        backfill._cluster = crash  # type: ignore[method-assign]
        with pytest.raises(Stop):
            backfill.run(read_inputs([str(source)]))
        pipeline = fast_pipeline(encoder)
        assert pipeline.unfinished(store)
        pipeline.run(store)
        assert not pipeline.unfinished(store)
    assert partition(path) == partition(sequential(tmp_path, source))


def test_ray_engine_without_ray_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from storylens.backfill import engines

    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(BackfillError, match=r"pip install 'storylens\[ray\]'"):
        engines.make_engine("ray")


@pytest.fixture(scope="session")
def ray_instance():
    ray = pytest.importorskip("ray")
    path = f"{ROOT / 'src'}:{ROOT}"
    ray.init(num_cpus=2, include_dashboard=False, runtime_env={"env_vars": {"PYTHONPATH": path}})
    yield ray
    ray.shutdown()


def test_ray_backfill_matches_the_local_one_and_adds_nothing_again(tmp_path: Path, ray_instance) -> None:
    from storylens.backfill import RayEngine

    source = corpus(tmp_path)
    engine = RayEngine(workers=2, batch_docs=8)
    whole, encoder = tmp_path / "ray-one-window.db", WordHashEncoder()
    with Store(whole) as store:
        report = Backfill(store, fast_pipeline(encoder), engine, BackfillOptions(encoder=encoder)).run(
            read_inputs([str(source)])
        )
    assert partition(whole) == partition(sequential(tmp_path, source))
    # both actors did documents (before, the first actor ready took every block); one window, one node
    assert [(n["documents"], n["actors"], n["windows"]) for n in report.nodes.values()] == [(report.read, 2, 0)]
    windowed = backfilled(tmp_path, source, engine, "ray", window_days=30, overlap_days=10)
    local = backfilled(tmp_path, source, LocalEngine(), "local", window_days=30, overlap_days=10)
    assert dump(windowed) == dump(local)
    before = dump(windowed)
    backfilled(tmp_path, source, engine, "ray", window_days=30, overlap_days=10)
    assert dump(windowed) == before


def test_ray_backfill_with_more_workers_than_cpus_stops_with_one_line(tmp_path: Path, ray_instance) -> None:
    from storylens.backfill import RayEngine

    engine = RayEngine(workers=3, batch_docs=8)  # the local instance has 2 CPUs, an actor takes one
    engine.actor_start_seconds = 5
    with pytest.raises(BackfillError, match=r"Ray could not start 3 workers \(one CPU each\) within 5 s"):
        backfilled(tmp_path, corpus(tmp_path), engine, "too-many")


def test_backfill_command_without_ray_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from storylens.views.cli import app

    monkeypatch.setitem(sys.modules, "ray", None)
    source = corpus(tmp_path)
    result = CliRunner().invoke(app, ["backfill", str(source), "--engine", "ray", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2
    assert "pip install 'storylens[ray]'" in result.output
    assert len(result.output.strip().splitlines()) == 1
    bad = CliRunner().invoke(app, ["backfill", str(source), "--window-days", "10", "--overlap-days", "10"])
    assert bad.exit_code == 2


def test_importing_storylens_does_not_import_ray() -> None:
    import subprocess

    code = "import sys, storylens.views.cli, storylens.backfill; print('ray' in sys.modules)"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert found.stdout.strip() == "False"
