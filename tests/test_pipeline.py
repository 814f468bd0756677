"""The pipeline checks its stages' declared contracts when it is built, and runs each stage once per article."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from storylens.clustering.stage import ClusteringStage
from storylens.clustering.storyline_stage import StorylineStage
from storylens.extraction.stage import ExtractionStage
from storylens.models import RawDocument
from storylens.pipeline import Ingestor, Pipeline, PipelineError, default_pipeline
from storylens.store import progress
from storylens.store.articles import stats
from storylens.store.db import Store


class Recorder:
    """A stage that records the batches it is given and marks nothing itself."""

    def __init__(self, name: str, requires: tuple[str, ...] = (), provides: tuple[str, ...] = ()) -> None:
        self.name, self.requires, self.provides = name, requires, provides
        self.batches: list[list[int]] = []
        self.rebuilds = 0

    def process(self, store: Store, article_ids: Sequence[int], progress: object = None) -> None:
        self.batches.append(list(article_ids))

    def rebuild(self, store: Store, progress: object = None) -> None:
        self.rebuilds += 1


def test_the_default_stages_fit_together() -> None:
    pipeline = default_pipeline()
    assert pipeline.names == ["clustering", "extraction", "storylines", "alerts"]
    assert pipeline.providers["article.story"] == "clustering" and pipeline.providers["storylines"] == "storylines"


def test_a_requirement_provided_later_is_named_with_its_provider() -> None:
    with pytest.raises(PipelineError, match=r"'extraction' requires 'article.story'.*'clustering' provides it"):
        Pipeline([ExtractionStage(), ClusteringStage(), StorylineStage()])


def test_a_requirement_nobody_provides_is_an_error() -> None:
    with pytest.raises(PipelineError, match=r"'summary' requires 'article.sentiment', which no earlier stage"):
        Pipeline([Recorder("summary", requires=("article.sentiment",))])


def test_two_providers_of_one_product_are_an_error() -> None:
    with pytest.raises(PipelineError, match=r"'article.story' is provided by both 'clustering' and 'other'"):
        Pipeline([ClusteringStage(), Recorder("other", provides=("article.story",))])
    with pytest.raises(PipelineError, match=r"'article.text' is provided by both 'store' and 'reader'"):
        Pipeline([Recorder("reader", provides=("article.text",))])


def test_two_stages_with_one_name_are_an_error() -> None:
    with pytest.raises(PipelineError, match="two stages are named 'a'"):
        Pipeline([Recorder("a"), Recorder("a")])


def document(n: int) -> RawDocument:
    return RawDocument(
        text=f"Article {n}: the council of Townsville met on Monday about bridge number {n}.",
        origin=f"doc{n}.txt",
        kind="text",
        external_id=f"doc{n}",
    )


def test_each_article_goes_through_each_stage_once_and_unmarked_stages_are_marked(db_path: Path) -> None:
    first, second = Recorder("first", provides=("x",)), Recorder("second", requires=("x",))
    with Store(db_path) as store:
        ingestor = Ingestor(store, [first, second])
        one = ingestor.ingest([document(1), document(2)]).new_article_ids
        two = ingestor.ingest([document(3), document(2)]).new_article_ids
        assert first.batches == second.batches == [one, two]
        assert progress.lacking(store, "first") == progress.lacking(store, "second") == []
        Pipeline([first, second]).rebuild(store)
        assert first.rebuilds == second.rebuilds == 1
        assert not progress.rebuild_requested(store, "first")


def test_articles_stored_without_their_stages_are_finished_by_the_next_ingest(db_path: Path) -> None:
    stage = Recorder("stage")
    with Store(db_path) as store:
        stored = Ingestor(store, [stage]).ingest([document(1)], run_stages=False).new_article_ids
        assert stage.batches == [] and progress.lacking(store, "stage") == stored
        assert stats(store)["stages_completed"] == {}
        new = Ingestor(store, [stage]).ingest([document(2)]).new_article_ids
        assert stage.batches == [stored + new]  # one batch, as an uninterrupted run would have had
        assert stats(store)["stages_completed"] == {"stage": 2}
