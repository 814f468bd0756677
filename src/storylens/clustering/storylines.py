"""Storylines: stories linked into longer threads when a later story continues an earlier one.

Two stories are linked when their centroids are similar (language means removed), they share core keys
(rare names and numbers found in at least half of each story's articles, see ``core_keys``), and they lie
at most ``max_gap_days`` apart. Linked stories form storylines by transitivity. A topic alone (two
unrelated earthquakes) does not link stories: the words they share are not core keys of both, while the
people and places a storyline follows are named in most of its articles.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import faiss
import numpy as np


@dataclass(frozen=True)
class StorySummary:
    """What linking needs from a story: its centred mean vector, its core keys and its date span."""

    id: int
    centroid: np.ndarray
    keys: Collection[str]
    first: dt.date | None
    last: dt.date | None


@dataclass(frozen=True)
class Link:
    """Why two stories share a storyline."""

    earlier: int
    later: int
    similarity: float
    shared_keys: tuple[str, ...]
    gap_days: int | None


class Storylines:
    """Links stories; ``link`` returns the links and ``group`` the storylines (lists of story ids)."""

    def __init__(
        self,
        min_similarity: float = 0.20,
        min_shared_keys: int = 1,
        max_gap_days: int = 240,
        neighbours: int = 10,
    ) -> None:
        self.min_similarity = min_similarity
        self.min_shared_keys = min_shared_keys
        self.max_gap_days = max_gap_days
        self.neighbours = neighbours

    def link(self, stories: Sequence[StorySummary]) -> list[Link]:
        if len(stories) < 2:
            return []
        centroids = np.stack([_unit(story.centroid) for story in stories]).astype(np.float32)
        index = faiss.IndexFlatIP(centroids.shape[1])
        index.add(centroids)
        similarities, rows = index.search(centroids, min(self.neighbours + 1, len(stories)))
        links = []
        for row, (neighbour_similarities, neighbour_rows) in enumerate(zip(similarities, rows, strict=True)):
            for similarity, other in zip(neighbour_similarities, neighbour_rows, strict=True):
                if other <= row or similarity < self.min_similarity:
                    continue
                first, second = sorted((stories[row], stories[other]), key=_start)
                shared = tuple(sorted(set(first.keys) & set(second.keys)))
                gap = _gap(first, second)
                if len(shared) >= self.min_shared_keys and (gap is None or gap <= self.max_gap_days):
                    links.append(Link(first.id, second.id, float(similarity), shared, gap))
        return links

    def group(self, stories: Sequence[StorySummary]) -> list[list[int]]:
        """Storylines of two or more stories, each sorted by story id, longest first."""
        parent = {story.id: story.id for story in stories}

        def root(story_id: int) -> int:
            while parent[story_id] != story_id:
                parent[story_id] = parent[parent[story_id]]
                story_id = parent[story_id]
            return story_id

        for found in self.link(stories):
            parent[root(found.later)] = root(found.earlier)
        lines: dict[int, list[int]] = {}
        for story in stories:
            lines.setdefault(root(story.id), []).append(story.id)
        return sorted((sorted(line) for line in lines.values() if len(line) > 1), key=lambda line: (-len(line), line))


def core_keys(key_counts: Counter[str], size: int) -> frozenset[str]:
    """Keys found in at least half of a story's ``size`` articles."""
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
