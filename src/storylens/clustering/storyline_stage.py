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
from storylens.store import storylines as storyline_store
from storylens.store.backend import Connection
from storylens.store.db import Store

LINKING_ENTITY_TYPES = ("person", "organisation")  # places recur across unrelated stories of one region


class StorylineStage:
    """Storylines over every stored story; swap the ``Storylines`` settings freely."""

    name = "storylines"
    requires = ("story.summary", "entities")
    provides = ("storylines",)

    def __init__(self, storylines: Storylines | None = None) -> None:
        self.storylines = storylines or Storylines()

    def process(self, store: Store, article_ids: Sequence[int], progress: StageProgress | None = None) -> None:
        self._link(store, article_ids)

    def rebuild(self, store: Store, progress: StageProgress | None = None) -> int:
        """Link every story anew; returns how many storylines there are."""
        return self._link(store, None)

    def _link(self, store: Store, article_ids: Sequence[int] | None) -> int:
        """Link every story anew, marking these articles (None: all) done."""
        with store.stage_batch(self.name, article_ids, rebuilt=article_ids is None) as conn:
            summaries = _summaries(conn)
            names = storyline_store.entity_names(conn)
            links = self.storylines.link(summaries)
            groups = self.storylines.group(summaries, links)
            storyline_store.replace_storylines(
                conn,
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


def _summaries(conn: Connection) -> list[StorySummary]:
    """Every story as linking sees it: stored centroid, core keys and dates, and its core entities."""
    sizes = storyline_store.story_sizes(conn)
    entity_counts = storyline_store.story_entity_counts(conn, LINKING_ENTITY_TYPES)
    stories = storyline_store.story_rows(conn)
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
