"""Storylines: stories linked into longer threads when a later story continues an earlier one.

Two stories at most ``max_gap_days`` apart are linked on either of two kinds of evidence:
1. their centroids are similar (language means removed) and they share core keys (rare names and numbers
   found in at least half of each story's articles, see ``core_keys``): one within ``near_days`` of each
   other (often one event split in two), at least ``min_shared_keys_apart`` when further apart, since weeks
   later a single shared name is mostly a country's or a round number (two Indonesian disasters);
2. they share at least ``min_shared_entities`` core entities (canonical people and organisations from the
   extraction stage, named in at least half of each story's articles) that are rare among the stories:
   core to at most ``max_entity_share`` of them (and never fewer than two). This links a continuation
   whose wording moved on (talks in December after a summit in August, with the same people), which the
   centroids miss, while people in every story (a head of state in a store of politics) link nothing.
Linked stories form storylines by transitivity. A topic alone (two unrelated earthquakes) does not link
stories: the words they share are not core keys of both, and they name different people.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import faiss
import numpy as np


@dataclass(frozen=True)
class StorySummary:
    """What linking needs from a story: its centred mean vector, core keys, date span and core entities."""

    id: int
    centroid: np.ndarray
    keys: Collection[str]
    first: dt.date | None
    last: dt.date | None
    entities: Collection[str] = ()


@dataclass(frozen=True)
class Link:
    """Why two stories share a storyline."""

    earlier: int
    later: int
    similarity: float
    shared_keys: tuple[str, ...]
    gap_days: int | None
    shared_entities: tuple[str, ...] = ()

    def explain(self, entity_names: Mapping[str, str] | None = None) -> str:
        """The link in plain words; ``entity_names`` maps entity ids to display names."""
        names = [(entity_names or {}).get(entity, entity) for entity in self.shared_entities]
        parts = [f"story {self.later} continues story {self.earlier}: similarity {self.similarity:.2f}"]
        if names:
            parts.append("both follow " + ", ".join(names))
        if self.shared_keys:
            parts.append(f"{len(self.shared_keys)} shared core names/numbers")
        if self.gap_days is None:
            parts.append("no date to compare")
        else:
            parts.append(f"{self.gap_days} day{'' if self.gap_days == 1 else 's'} apart")
        return "; ".join(parts)


class Storylines:
    """Links stories; ``link`` returns the links and ``group`` the storylines (lists of story ids)."""

    def __init__(
        self,
        min_similarity: float = 0.20,
        min_shared_keys: int = 1,
        min_shared_keys_apart: int = 2,
        near_days: int = 21,
        max_gap_days: int = 240,
        neighbours: int = 10,
        min_shared_entities: int = 2,
        max_entity_share: float = 0.05,
    ) -> None:
        self.min_similarity = min_similarity
        self.min_shared_keys = min_shared_keys
        self.min_shared_keys_apart = min_shared_keys_apart
        self.near_days = near_days
        self.max_gap_days = max_gap_days
        self.neighbours = neighbours
        self.min_shared_entities = min_shared_entities
        self.max_entity_share = max_entity_share

    def link(
        self,
        stories: Sequence[StorySummary],
        focus: Collection[int] | None = None,
        pairs: Collection[tuple[int, int]] = (),
    ) -> list[Link]:
        """Links between stories, each pair once (earlier story first), in the order found; with ``focus`` (story
        ids), only links of those stories (their nearest centroids and the stories sharing a rare entity with
        them) and of ``pairs`` (story id pairs, tested again: e.g. links kept from before)."""
        if len(stories) < 2:
            return []
        centroids = np.stack([_unit(story.centroid) for story in stories]).astype(np.float32)
        rare = self._rare_entities(stories)
        links: dict[tuple[int, int], Link] = {}
        rows = None if focus is None else [row for row, story in enumerate(stories) if story.id in focus]
        row_of = {story.id: row for row, story in enumerate(stories)}
        tested = self._candidates(centroids, stories, rare, rows)
        tested += [(row_of[a], row_of[b]) for a, b in pairs if a in row_of and b in row_of]
        for row, other in tested:
            first, second = sorted((stories[row], stories[other]), key=_start)
            gap = _gap(first, second)
            if gap is not None and gap > self.max_gap_days:
                continue
            similarity = float(centroids[row] @ centroids[other])
            shared_keys = tuple(sorted(set(first.keys) & set(second.keys)))
            shared_entities = tuple(sorted(set(first.entities) & set(second.entities) & rare))
            near = gap is not None and gap <= self.near_days
            needed = self.min_shared_keys if near else self.min_shared_keys_apart
            by_content = similarity >= self.min_similarity and len(shared_keys) >= needed
            if by_content or len(shared_entities) >= self.min_shared_entities:
                links.setdefault(
                    (first.id, second.id), Link(first.id, second.id, similarity, shared_keys, gap, shared_entities)
                )
        return list(links.values())

    def _rare_entities(self, stories: Sequence[StorySummary]) -> set[str]:
        """Entities core to few enough stories to link by."""
        counts = Counter(entity for story in stories for entity in set(story.entities))
        limit = max(2, math.ceil(self.max_entity_share * len(stories)))
        return {entity for entity, count in counts.items() if count <= limit}

    def _candidates(
        self, centroids: np.ndarray, stories: Sequence[StorySummary], rare: set[str], focus: list[int] | None = None
    ) -> list[tuple[int, int]]:
        """Row pairs worth testing: nearest centroids, and stories sharing a rare core entity (pairs with a row of
        ``focus`` only, when given)."""
        asking = list(range(len(stories))) if focus is None else focus
        pairs: set[tuple[int, int]] = set()
        if asking:
            index = faiss.IndexFlatIP(centroids.shape[1])
            index.add(centroids)
            _, found = index.search(centroids[asking], min(self.neighbours + 1, len(stories)))
            pairs = {
                (min(row, int(o)), max(row, int(o))) for row, near in zip(asking, found, strict=True) for o in near
            }
        naming: dict[str, list[int]] = {}
        for row, story in enumerate(stories):
            for entity in set(story.entities) & rare:
                naming.setdefault(entity, []).append(row)
        chosen = None if focus is None else set(focus)
        for rows_naming in naming.values():
            if chosen is None:
                pairs.update(itertools.combinations(rows_naming, 2))
                continue
            for row in chosen.intersection(rows_naming):
                pairs.update((min(row, other), max(row, other)) for other in rows_naming if other != row)
        return sorted((row, other) for row, other in pairs if other > row >= 0)

    def group(self, stories: Sequence[StorySummary], links: Sequence[Link] | None = None) -> list[list[int]]:
        """Storylines of two or more stories (over ``links``, found anew when not given), each sorted by story
        id, longest first."""
        found = self.link(stories) if links is None else links
        return components([story.id for story in stories], [(link.earlier, link.later) for link in found])


def components(story_ids: Sequence[int], pairs: Sequence[tuple[int, int]]) -> list[list[int]]:
    """The storylines the linked ``pairs`` make of ``story_ids``: groups of two or more, each sorted by story id,
    longest first."""
    parent = {story_id: story_id for story_id in story_ids}

    def root(story_id: int) -> int:
        while parent[story_id] != story_id:
            parent[story_id] = parent[parent[story_id]]
            story_id = parent[story_id]
        return story_id

    for earlier, later in pairs:
        parent[root(later)] = root(earlier)
    lines: dict[int, list[int]] = {}
    for story_id in story_ids:
        lines.setdefault(root(story_id), []).append(story_id)
    return sorted((sorted(line) for line in lines.values() if len(line) > 1), key=lambda line: (-len(line), line))


def core_keys(key_counts: Counter[str], size: int) -> frozenset[str]:
    """Keys (or entities) found in at least half of a story's ``size`` articles."""
    return frozenset(key for key, count in key_counts.items() if 2 * count >= size)


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def _start(story: StorySummary) -> tuple[bool, dt.date]:
    return (story.first is None, story.first or dt.date.min)


def _gap(first: StorySummary, second: StorySummary) -> int | None:
    if first.last is None or second.first is None:
        return None
    return max((second.first - first.last).days, 0)
