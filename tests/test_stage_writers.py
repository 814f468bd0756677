"""Stage writers (``store/writers.py``, ``store/stage_writers.py``): each stage writes only its own products,
through a unit of work bound to its batch's transaction, and the pipeline refuses a stage whose writer provides
more than the stage declares."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from storylens.alerts.stage import AlertStage
from storylens.clustering.stage import ClusteringStage
from storylens.clustering.storyline_stage import StorylineStage
from storylens.extraction.records import Extraction
from storylens.extraction.stage import ExtractionStage
from storylens.pipeline import Ingestor, Pipeline, PipelineError
from storylens.plugins import plugins
from storylens.settings import Settings
from storylens.sources.files import read_inputs
from storylens.store import extraction, groups, stories, storylines
from storylens.store.db import Store
from storylens.store.stage_writers import AlertWriter, ClusteringWriter, ExtractionWriter, StorylineWriter
from storylens.store.writers import STORAGE, StageContractError, StageWriter, _Guarded, written

from .test_backfill import WordHashEncoder, corpus

WRITERS = (ClusteringWriter, ExtractionWriter, StorylineWriter, AlertWriter)


def test_each_built_in_stage_writes_exactly_what_it_provides() -> None:
    settings = Settings()
    made = {name: make(settings) for name, make in plugins("stages").items()}
    assert set(made) >= {"clustering", "extraction", "storylines", "alerts"}
    for name, stage in made.items():
        assert stage.writer in WRITERS and stage.writer.provides == stage.provides, name
    claimed = [place for places in STORAGE.values() for place in places]
    assert len(claimed) == len(set(claimed))  # no table or column belongs to two products


def test_the_statements_a_writer_may_run() -> None:
    assert written("SELECT id FROM stories") == ()
    assert written("INSERT INTO stories (id) VALUES (?) ON CONFLICT DO NOTHING") == ("stories",)
    assert written("  delete from quote_groups WHERE story_id IS ?") == ("quote_groups",)
    assert written("CREATE TEMP TABLE IF NOT EXISTS relink_anchors (anchor TEXT)") == ("relink_anchors",)
    assert written(
        """UPDATE stories SET first_date = (SELECT min(a.published) FROM articles a WHERE a.id = stories.id),
           last_date = (SELECT max(x) FROM t WHERE y = (SELECT 1)) WHERE id > 0"""
    ) == ("stories.first_date", "stories.last_date")
    assert written('UPDATE quotes SET speaker_entity_id = ?, "group_id" = ? WHERE id = ?') == (
        "quotes.speaker_entity_id", "quotes.group_id",
    )  # fmt: skip
    assert written("DROP TABLE stories") is None and written("PRAGMA foreign_keys = OFF") is None
    assert written("WITH x AS (SELECT 1) DELETE FROM stories") is None


def test_ownership_follows_the_products() -> None:
    assert ClusteringWriter.may_write("stories") and ClusteringWriter.may_write("stories.title")
    assert not ClusteringWriter.may_write("stories.storyline_id")  # the storylines stage's column
    assert ClusteringWriter.may_write("articles.inferred_date")
    assert not ClusteringWriter.may_write("articles.published") and not ClusteringWriter.may_write("articles")
    assert not ClusteringWriter.may_write("mentions") and not ClusteringWriter.may_write("quote_groups")
    assert StorylineWriter.may_write("stories.storyline_id") and not StorylineWriter.may_write("stories")
    assert ExtractionWriter.may_write("mentions.entity_id") and not ExtractionWriter.may_write("story_members")
    assert not AlertWriter.may_write("stories") and not StageWriter.may_write("alerts")


def test_each_change_log_has_one_writer_and_the_storylines_only_read_them() -> None:
    logs = {"story_changes": ClusteringWriter, "story_entity_changes": ExtractionWriter}
    for log, owner in logs.items():
        writers = [w for w in (ClusteringWriter, ExtractionWriter, StorylineWriter, AlertWriter) if w.may_write(log)]
        assert writers == [owner]
    assert StorylineWriter.may_write("storyline_log_read")  # what it has read: its own
    assert not ClusteringWriter.may_write("storyline_log_read") and not ExtractionWriter.may_write("storyline_log_read")
    assert ClusteringWriter.may_write("cluster_key_articles") and not ExtractionWriter.may_write("cluster_totals")


def test_a_stage_cannot_log_in_another_stages_change_log(store: Store) -> None:
    with store.stage_batch("extraction", writer=ExtractionWriter) as writer:
        writer.note_entity_changes([1])
        with pytest.raises(StageContractError, match="may not write story_changes"):
            stories.note_story_changes(writer._conn, [1], "story_changes")
    with store.stage_batch("storylines", writer=StorylineWriter) as lines:
        assert lines.read_story_changes() == [1]
        with pytest.raises(StageContractError, match="may not write story_entity_changes"):
            stories.note_story_changes(lines._conn, [2], "story_entity_changes")


def test_a_writer_refuses_another_stages_data(store: Store) -> None:
    with store.stage_batch("clustering", writer=ClusteringWriter) as writer:
        conn: Any = writer._conn  # what a stage would need to reach another repository
        with pytest.raises(StageContractError, match="may not write mentions"):
            extraction.replace_extraction(conn, 1, "en", Extraction())
        with pytest.raises(StageContractError, match="quote_groups"):
            groups.clear_all_groups(conn)
        with pytest.raises(StageContractError, match=r"stories\.storyline_id"):
            storylines.replace_storylines(conn, [], [])
    with (
        store.stage_batch("extraction", writer=ExtractionWriter) as writer,
        pytest.raises(StageContractError, match="story_members"),
    ):
        stories.clear_stories(writer._conn)
    with (
        store.stage_batch("storylines", writer=StorylineWriter) as lines,
        pytest.raises(StageContractError, match="may not write stories"),
    ):
        stories.ensure_stories(lines._conn, [1])
    with store.stage_batch("alerts") as marks_only, pytest.raises(StageContractError):
        stories.drop_empty_stories(marks_only._conn)


def test_a_writer_ends_with_its_batch_and_cannot_end_the_transaction(store: Store) -> None:
    with store.stage_batch("clustering", writer=ClusteringWriter) as writer:
        writer.ensure_stories([7])
        with pytest.raises(StageContractError, match="cannot end its transaction"):
            writer._conn.commit()
    assert stories.story_ids(store.conn) == [7]
    with pytest.raises(StageContractError, match="after its batch ended"):
        writer.ensure_stories([8])
    assert stories.story_ids(store.conn) == [7]


def test_the_pipeline_refuses_a_stage_whose_writer_provides_more() -> None:
    class Greedy:
        name = "greedy"
        requires = ("article.text",)
        provides = ("article.vector",)
        writer = ClusteringWriter  # would also write stories and members

        def process(self, *args: object, **kwargs: object) -> None: ...

        def rebuild(self, *args: object, **kwargs: object) -> None: ...

    with pytest.raises(PipelineError, match=r"'greedy' writes 'article\.keys'"):
        Pipeline([Greedy()])


def test_an_ingest_and_a_rebuild_write_through_the_guard_only_what_each_stage_provides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, set[str]] = defaultdict(set)
    check = _Guarded._check

    def recording(self: _Guarded, sql: str) -> None:
        check(self, sql)  # refuses what the writer does not own
        seen[self._owner.__name__].update(written(sql) or ())

    monkeypatch.setattr(_Guarded, "_check", recording)
    encoder = WordHashEncoder()
    stages = [
        ClusteringStage(encoder),
        ExtractionStage(quote_encoder=encoder.encode),
        StorylineStage(),
        AlertStage(),
    ]
    with Store(tmp_path / "s.db") as store:
        Ingestor(store, stages).ingest(read_inputs([str(corpus(tmp_path))]))
        Pipeline(stages).rebuild(store)
    assert {"embeddings", "article_keys", "stories", "story_members", "articles.inferred_date"} <= seen[
        "ClusteringWriter"
    ]
    assert {"mentions", "entities", "entity_anchors", "mentions.entity_id"} <= seen["ExtractionWriter"]
    assert {"storylines", "stories.storyline_id"} <= seen["StorylineWriter"]
    for writer in WRITERS:
        assert all(writer.may_write(target) for target in seen[writer.__name__])
