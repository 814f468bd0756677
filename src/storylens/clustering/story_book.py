"""The bookkeeping under online clustering: stored articles, their centred vectors and the stories they are in.

``StoryBook`` numbers each article as it is stored, keeps its id, date, language and keys, indexes its centred
vector by time (``TimeBucketedIndex``) and counts its keys (for their rarity). It moves articles in and out of
stories and merges stories, keeping each story's sums (vector, per language, keys, dates) exact; it decides
nothing. ``OnlineClusterer`` (``online.py``) decides where articles go.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np

from storylens.clustering.language_levels import LanguageLevels
from storylens.clustering.language_means import LanguageMeans
from storylens.clustering.story import ClusterItem, Story
from storylens.clustering.time_index import TimeBucketedIndex


class StoryBook:
    """Articles and stories; subclasses set ``language_prior``, ``background_means`` and ``bucket_days``, then
    call ``_reset``."""

    language_prior: float
    background_means: Mapping[str, np.ndarray] | None
    bucket_days: int
    # set by ``_reset`` (``_means`` and ``_index`` once the vector dimension is known)
    _means: LanguageMeans
    _index: TimeBucketedIndex
    _means_frozen: bool
    _next_story: int

    @property
    def stories(self) -> dict[int, Story]:
        return self._stories

    def labels(self) -> dict[str, int]:
        """Story id of every item added so far."""
        return {item_id: self._item_story[number] for number, item_id in enumerate(self._item_ids)}

    def member_rows(self, story: Story) -> tuple[np.ndarray, list[str], list[frozenset[str]]]:
        """The story's members as scored: centred vectors (one row each), languages and keys."""
        vectors = np.stack([self._index.vector(number) for number in story.members]).astype(np.float64)
        return vectors, [self._item_langs[n] for n in story.members], [self._item_keys[n] for n in story.members]

    def idf(self, key: str) -> float:
        """How rare a key is among the stored articles (log inverse frequency)."""
        return self._idf(key)

    def absorb(self, story: Story, other: Story) -> None:
        """Move every member of ``other`` into ``story`` (``other`` is dropped)."""
        self._absorb(story, other)

    def count_outside(self, key_counts: Mapping[str, int], items: int) -> None:
        """Count ``items`` stored articles that were not loaded (a window was), naming keys ``key_counts`` times, in
        how rare each key is."""
        self._key_counts.update(key_counts)
        self._outside_items += items

    def _reset(self, dim: int | None) -> None:
        self._dim = dim
        self._stories: dict[int, Story] = {}
        self._item_story: list[int] = []  # -1 while an item is in no story
        self._item_ids: list[str] = []
        self._item_dates: list[dt.date | None] = []
        self._item_langs: list[str] = []
        self._item_keys: list[frozenset[str]] = []
        self._number_of: dict[str, int] = {}
        self._unplaced = 0
        self._key_counts: Counter[str] = Counter()
        self._outside_items = 0  # stored articles counted in ``_key_counts`` but not loaded
        self._next_story = 0
        self._means_frozen = False
        self._levels = LanguageLevels(self.language_prior)
        self._item_best: list[float | None] = []  # best similarity to another language, as last measured
        self._known_best: dict[int, float | None] = {}  # as measured before this clusterer (read back), by number
        self._measured: set[int] = set()  # items whose ``_item_best`` this clusterer measured
        if dim is not None:
            self._means = LanguageMeans(dim, self.language_prior, self.background_means)
            self._index = TimeBucketedIndex(dim, self.bucket_days)

    def _ensure_dim(self, dim: int) -> None:
        if self._dim is None:
            self._reset(dim)
        elif dim != self._dim:
            raise ValueError(f"vector has {dim} dimensions, the clusterer holds {self._dim}")

    def _store(self, items: Sequence[ClusterItem], centred: np.ndarray) -> list[int]:
        """Record items (in no story yet) and index their centred vectors; returns their item numbers."""
        first = len(self._item_ids)
        numbers = list(range(first, first + len(items)))
        for number, item in zip(numbers, items, strict=True):
            if item.id in self._number_of:
                raise ValueError(f"item {item.id!r} was added before")
            self._number_of[item.id] = number
            self._item_ids.append(item.id)
            self._item_dates.append(item.date)
            self._item_langs.append(item.lang)
            self._item_keys.append(item.keys)
            self._item_story.append(-1)
            self._item_best.append(None)
            self._key_counts.update(item.keys)
        self._unplaced += len(items)
        self._index.add(numbers, [item.date for item in items], centred)
        return numbers

    def _keep_ids(self, before: dict[int, int], first_new_id: int, freed: set[int]) -> dict[int, int]:
        """Give stories opened since ``first_new_id`` the freed old id they took most articles from."""
        overlap = Counter(
            (self._item_story[number], old)
            for number, old in before.items()
            if self._item_story[number] >= first_new_id and old in freed
        )
        renamed: dict[int, int] = {}
        for (new_id, old_id), _ in sorted(overlap.items(), key=lambda pair: (-pair[1], pair[0])):
            if new_id in renamed or old_id in renamed.values():
                continue
            renamed[new_id] = old_id
            story = self._stories.pop(new_id)
            story.id = old_id
            self._stories[old_id] = story
            for number in story.members:
                self._item_story[number] = old_id
        return renamed

    def _idf(self, key: str) -> float:
        return math.log(1.0 + (len(self._item_ids) + self._outside_items) / max(self._key_counts[key], 1))

    @staticmethod
    def _gap(first: dt.date | None, last: dt.date | None, story: Story) -> int | None:
        if first is None or last is None or story.first is None or story.last is None:
            return None
        if last < story.first:
            return (story.first - last).days
        if first > story.last:
            return (first - story.last).days
        return 0

    def _new_story(self, story_id: int) -> Story:
        story = Story(story_id, [], np.zeros(self._dim or 0, dtype=np.float64), Counter(), None, None)
        self._stories[story_id] = story
        self._next_story = max(self._next_story, story_id + 1)
        return story

    def _join(self, story: Story, number: int, centred: np.ndarray) -> None:
        story.members.append(number)
        story.item_ids.append(self._item_ids[number])
        story.vector_sum += centred
        lang = self._item_langs[number]
        if lang in story.language_sums:
            story.language_sums[lang] += centred
        else:
            story.language_sums[lang] = centred.astype(np.float32)
        story.keys.update(self._item_keys[number])
        date = self._item_dates[number]
        if date is not None:
            story.first = min(story.first or date, date)
            story.last = max(story.last or date, date)
        self._unplaced -= self._item_story[number] < 0
        self._item_story[number] = story.id

    def _recentre(self, number: int, centred: np.ndarray) -> None:
        """Replace the vector an item counts with in its story's sums (the index's copy is the caller's)."""
        story = self._stories[self._item_story[number]]
        change = centred - self._index.vector(number)
        story.vector_sum += change
        story.language_sums[self._item_langs[number]] += change

    def _detach(self, number: int, centred: np.ndarray) -> int:
        """Take an item out of its story (dropped when emptied); returns the story's id."""
        story = self._stories[self._item_story[number]]
        position = story.members.index(number)
        del story.members[position], story.item_ids[position]
        story.vector_sum -= centred
        story.language_sums[self._item_langs[number]] -= centred
        story.keys.subtract(self._item_keys[number])
        for key in self._item_keys[number]:
            if story.keys[key] <= 0:
                del story.keys[key]
        dates = [date for member in story.members if (date := self._item_dates[member]) is not None]
        story.first, story.last = (min(dates), max(dates)) if dates else (None, None)
        if not story.members:
            del self._stories[story.id]
        self._item_story[number] = -1
        self._unplaced += 1
        return story.id

    def _absorb(self, story: Story, other: Story) -> None:
        for number, item_id in zip(other.members, other.item_ids, strict=True):
            self._item_story[number] = story.id
            story.members.append(number)
            story.item_ids.append(item_id)
        story.vector_sum += other.vector_sum
        for lang, vector in other.language_sums.items():
            story.language_sums[lang] = story.language_sums.get(lang, 0.0) + vector
        story.keys.update(other.keys)
        dates = [d for d in (story.first, story.last, other.first, other.last) if d is not None]
        story.first, story.last = (min(dates), max(dates)) if dates else (None, None)
        del self._stories[other.id]
