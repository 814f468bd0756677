"""The storyline article stage: link stories into storylines from their stored summaries and core entities.

Runs after the clustering stage (which stores each story's centroid and core keys) and the extraction stage
(which links mentions to canonical entities). Storylines are rebuilt over every story on each batch: a
thread of two or more stories, named after its first story, with the reasons for every link.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

import numpy as np

from storylens.clustering.storylines import Storylines, StorySummary, core_keys
from storylens.settings import Settings
from storylens.stages import StageProgress
from storylens.store.db import Store
from storylens.store.stage_writers import StorylineWriter

LINKING_ENTITY_TYPES = ("person", "organisation")  # places recur across unrelated stories of one region


class StorylineStage:
    """Storylines over every stored story; swap the ``Storylines`` settings freely."""

    name = "storylines"
    requires = ("story.summary", "entities")
    provides = ("storylines",)
    writer = StorylineWriter

    def __init__(self, storylines: Storylines | None = None) -> None:
        self.storylines = storylines or Storylines()

    def process(self, store: Store, article_ids: Sequence[int], progress: StageProgress | None = None) -> None:
        self._link(store, article_ids)

    def rebuild(self, store: Store, progress: StageProgress | None = None) -> int:
        """Link every story anew; returns how many storylines there are."""
        return self._link(store, None)

    def _link(self, store: Store, article_ids: Sequence[int] | None) -> int:
        """Link every story anew, marking these articles (None: all) done."""
        with store.stage_batch(self.name, article_ids, rebuilt=article_ids is None, writer=self.writer) as writer:
            summaries = _summaries(writer)
            names = writer.entity_names()
            links = self.storylines.link(summaries)
            groups = self.storylines.group(summaries, links)
            writer.replace_storylines(
                groups,
                [
                    (
                        link.earlier,
                        link.later,
                        {
                            "similarity": link.similarity,
                            "shared_keys": list(link.shared_keys),
                            "shared_entities": [names.get(entity, entity) for entity in link.shared_entities],
                            "gap_days": link.gap_days,
                            "explanation": link.explain(names),
                        },
                    )
                    for link in links
                ],
            )
        return len(groups)


def _summaries(writer: StorylineWriter) -> list[StorySummary]:
    """Every story as linking sees it: stored centroid, core keys and dates, and its core entities."""
    sizes = writer.story_sizes()
    entity_counts = writer.story_entity_counts(LINKING_ENTITY_TYPES)
    stories = writer.story_rows()
    dim = next((len(row[1]) // 4 for row in stories if row[1] is not None), 1)
    return [
        StorySummary(
            row[0],
            np.frombuffer(row[1], dtype=np.float32) if row[1] is not None else np.zeros(dim, dtype=np.float32),
            json.loads(row[2]),
            _date(row[3]),
            _date(row[4]),
            core_keys(entity_counts[row[0]], sizes.get(row[0], 0)),
        )
        for row in stories
    ]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def make_stage(settings: Settings) -> StorylineStage:
    """The built-in storylines stage (registered as the ``storylines`` entry point)."""
    return StorylineStage()
