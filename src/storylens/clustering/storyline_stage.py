"""The storyline article stage: link stories into storylines from their stored summaries and core entities.

Runs after the clustering stage (which stores each story's centroid and core keys) and the extraction stage
(which links mentions to canonical entities). A storyline is a thread of two or more stories, named after its
first story, with the reasons for every link.

Each batch updates the storylines of the stories that changed (those the clustering stage logged in
``story_changes`` and the extraction stage in ``story_entity_changes`` since this stage last read them, and the
stories of the batch's articles): their links are found again among the stories within ``max_gap_days`` of them
(rare entities counted among those stories), the stored links among those stories are tested again (an entity
may no longer be rare), links further away are kept, and the storylines those stories are in are regrouped. A
rebuild links every story anew over the whole store, as a batch did before. A story with no date is linked only
when it changed, or to the stories near those that changed that it was linked to.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

import numpy as np

from storylens.clustering.storylines import Link, Storylines, StorySummary, components, core_keys
from storylens.settings import Settings
from storylens.stages import StageProgress
from storylens.store.db import Store
from storylens.store.stage_writers import StorylineWriter

LINKING_ENTITY_TYPES = ("person", "organisation")  # places recur across unrelated stories of one region


class StorylineStage:
    """Storylines over the stored stories; swap the ``Storylines`` settings freely."""

    name = "storylines"
    requires = ("story.summary", "entities")
    provides = ("storylines",)
    writer = StorylineWriter

    def __init__(self, storylines: Storylines | None = None) -> None:
        self.storylines = storylines or Storylines()

    def process(self, store: Store, article_ids: Sequence[int], progress: StageProgress | None = None) -> None:
        with store.stage_batch(self.name, article_ids, writer=self.writer) as writer:
            changed = set(writer.read_story_changes())
            changed.update(s for s in writer.stories_of(article_ids) if s is not None)
            if changed:
                self._update(writer, sorted(changed))

    def rebuild(self, store: Store, progress: StageProgress | None = None) -> int:
        """Link every story anew; returns how many storylines there are."""
        with store.stage_batch(self.name, None, rebuilt=True, writer=self.writer) as writer:
            writer.read_story_changes()
            summaries = _summaries(writer, None)
            links = self.storylines.link(summaries)
            groups = self.storylines.group(summaries, links)
            names = writer.entity_names()
            writer.replace_storylines(groups, [(link.earlier, link.later, _reasons(link, names)) for link in links])
        return len(groups)

    def _update(self, writer: StorylineWriter, changed: list[int]) -> None:
        """Links of the ``changed`` stories found again among the stories near them; their storylines regrouped."""
        own = writer.story_rows(changed)
        gap = dt.timedelta(days=self.storylines.max_gap_days)
        ranges = [
            ((dt.date.fromisoformat(row[3]) - gap).isoformat(), (dt.date.fromisoformat(row[4]) + gap).isoformat())
            for row in own
            if row[3] is not None and row[4] is not None
        ]
        near_dated = set(writer.stories_between(ranges)) | {row[0] for row in own}
        changing = set(changed)
        stored = writer.links_touching(sorted(near_dated))  # links of the stories near: tested again
        near = sorted(near_dated | {story for link in stored for story in link[:2]})  # undated ones linked to them
        summaries = _summaries(writer, near)
        new_links = self.storylines.link(summaries, focus=changing, pairs=[link[:2] for link in stored])
        names = writer.entity_names({int(e) for link in new_links for e in link.shared_entities})
        found = [
            (link.earlier, link.later, json.dumps(_reasons(link, names), ensure_ascii=False)) for link in new_links
        ]
        nearby = set(near)
        touched = sorted(changing | {s for link in stored for s in link[:2]} | {s for link in found for s in link[:2]})
        lines, members = writer.storyline_neighbourhood(touched)
        kept = [  # links this update could not test (a story too far from those that changed) stay as they are
            link
            for link in writer.links_touching(sorted(members))
            if not (link[0] in nearby and link[1] in nearby) and not {link[0], link[1]} & changing
        ]
        existing = [row[0] for row in writer.story_rows(sorted(members))]
        links = [link for link in kept + found if link[0] in existing and link[1] in existing]
        groups = components(existing, [(earlier, later) for earlier, later, _ in links])
        writer.rewrite_storylines(sorted(members), lines, groups, links)


def _reasons(link: Link, names: dict[str, str]) -> dict[str, object]:
    return {
        "similarity": link.similarity,
        "shared_keys": list(link.shared_keys),
        "shared_entities": [names.get(entity, entity) for entity in link.shared_entities],
        "gap_days": link.gap_days,
        "explanation": link.explain(names),
    }


def _summaries(writer: StorylineWriter, story_ids: Sequence[int] | None) -> list[StorySummary]:
    """These stories (None: every story) as linking sees them: stored centroid, core keys and dates, and their
    core entities."""
    sizes = writer.story_sizes(story_ids)
    entity_counts = writer.story_entity_counts(LINKING_ENTITY_TYPES, story_ids)
    rows = writer.story_rows(story_ids)
    dim = next((len(row[1]) // 4 for row in rows if row[1] is not None), 1)
    return [
        StorySummary(
            row[0],
            np.frombuffer(row[1], dtype=np.float32) if row[1] is not None else np.zeros(dim, dtype=np.float32),
            json.loads(row[2]),
            _date(row[3]),
            _date(row[4]),
            core_keys(entity_counts[row[0]], sizes.get(row[0], 0)),
        )
        for row in rows
    ]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def make_stage(settings: Settings) -> StorylineStage:
    """The built-in storylines stage (registered as the ``storylines`` entry point)."""
    return StorylineStage()
