"""What online clustering works with: an article (``ClusterItem``), a story (``Story``), the evidence that an
article or story fits a story (``Evidence``) and an article's decision with its reasons (``Assignment``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from storylens.clustering.storylines import StorySummary, core_keys


@dataclass(frozen=True)
class ClusterItem:
    """An article as clustering sees it: its vector comes from an encoder, its keys from ``evidence_keys``."""

    id: str
    lang: str
    date: dt.date | None
    vector: np.ndarray
    keys: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Evidence:
    """How well an article (or a story) fits one story, term by term."""

    story_id: int
    similarity: float  # mean cosine to the story's members, language means removed, read against language levels
    shared_keys: tuple[str, ...]
    key_bonus: float
    gap_days: int | None  # days outside the story's date span; None when either side is undated
    time_penalty: float
    score: float  # similarity + key_bonus - time_penalty


@dataclass(frozen=True)
class Assignment:
    """Where one article went and why."""

    item_id: str
    story_id: int
    opened: bool  # True when the article opened a new story
    best: Evidence | None  # the best existing story (joined, or not good enough)
    runner_up: Evidence | None
    merged: tuple[int, ...]  # stories this article bridged into ``story_id``
    threshold: float

    def explain(self) -> str:
        """The decision in plain words, for ``storylens why``."""
        if self.best is None:
            return f"opened story {self.story_id}: no earlier story was close in time and content"
        verdict = (
            f"opened story {self.story_id}: the closest story, {self.best.story_id}, scored "
            if self.opened
            else f"joined story {self.story_id}: score "
        )
        parts = [f"{verdict}{self.best.score:.2f} against a threshold of {self.threshold:.2f}", _terms(self.best)]
        if self.runner_up is not None:
            parts.append(f"runner-up story {self.runner_up.story_id} scored {self.runner_up.score:.2f}")
        if self.merged:
            parts.append("this article bridged stories " + ", ".join(map(str, self.merged)) + " into it")
        return "; ".join(parts)


def _terms(evidence: Evidence) -> str:
    words = [f"similarity {evidence.similarity:.2f} once language bias is removed"]
    if evidence.shared_keys:
        words.append(f"{len(evidence.shared_keys)} shared rare names/numbers (+{evidence.key_bonus:.2f})")
    if evidence.gap_days is None:
        words.append("no date to compare")
    elif evidence.gap_days:
        words.append(f"{evidence.gap_days} days apart (-{evidence.time_penalty:.2f})")
    else:
        words.append("within the story's dates")
    return ", ".join(words)


@dataclass
class Story:
    """A group of articles: member item numbers, the sum of their centred vectors, keys and date span."""

    id: int
    members: list[int]
    vector_sum: np.ndarray
    keys: Counter[str]
    first: dt.date | None
    last: dt.date | None
    item_ids: list[str] = field(default_factory=list)
    language_sums: dict[str, np.ndarray] = field(default_factory=dict)  # centred vectors summed per language (float32)

    @property
    def size(self) -> int:
        return len(self.members)

    def summary(self) -> StorySummary:
        """The story as storyline linking sees it."""
        centroid = self.vector_sum / self.size
        return StorySummary(self.id, centroid, core_keys(self.keys, self.size), self.first, self.last)
