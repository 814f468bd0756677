"""Online story clustering: each article joins the best nearby story or opens a new one, with reasons.

An article's score against a story is the mean cosine similarity to the story's members after each
language's mean vector is removed (see ``language_means``), each read against how close the two languages'
articles usually come to their best match in another language (``language_levels``: a pair of languages
counts 1 / sqrt(level * level), so scores are in units of a typical best cross-language match, whatever the
languages and the news), plus a bonus for rare names and numbers they share (each weighted by how rare it is
in the store and by the share of the story's members that name it, so a story that mixes two events gives
each event's names half the weight), minus a penalty that grows with the time gap.
Similarity to members in the article's own language counts ``same_language_scale`` times more: two texts in
one language share wording whatever their story, so their similarities spread wider than across languages,
and an unscaled same-language member outvotes the translations of the same story. The defaults (threshold
0.48, same-language scale 0.3, key weight 0.2) were chosen by leave-one-set-out over the four gold sets
(news_dev, news_dev2, itn_dev, news_dev3; ``benchmarks/cluster_loso.py --with-dev3 --grid keys``): the grid
cell whose worst set's margin to its bar, averaged over neighbouring cells, is best; every fold is in
BENCHMARKS.md.

The article joins the best story whose score reaches ``threshold``; any other candidate story that the
article also reaches is merged in when the two stories pass the same test against each other. Candidates
come from a time-bucketed index of member vectors, so the cost per article does not grow with the store.

``consolidate`` revises a batch (e.g. the articles of a recent time window) after it was added one by one:
re-centred with the current language means, its language levels measured again (one search per article,
which also gives the order), placed again in date order, then refined until nothing moves: a story whose best
two-way split fails the merge test is split, and each article moves to the story it now fits best (or opens
its own when none reaches the threshold). ``recluster`` is ``consolidate`` over everything from scratch.
Around a batch (``around``: its new articles), only those and the articles of the stories they reach (score
within ``reach_margin`` of the threshold) are placed again; the rest of the window is re-centred and counts in
the language levels (with the level match stored when it was last decided, ``known_level_matches``) but stays.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Collection, Iterable, Mapping, Sequence

import numpy as np

from storylens.clustering.language_means import LanguageMeans
from storylens.clustering.story import Assignment, ClusterItem, Evidence, Story
from storylens.clustering.story_book import StoryBook

__all__ = ["Assignment", "ClusterItem", "Evidence", "OnlineClusterer", "Story"]

UNPLACED_EXTRA_NEIGHBOURS = 10  # at most this many times ``neighbours`` extra rows per bucket while placing a batch


class OnlineClusterer(StoryBook):
    """Assigns articles to stories one at a time; ``consolidate`` and ``recluster`` revise in a fixed order."""

    def __init__(
        self,
        threshold: float = 0.48,
        key_weight: float = 0.2,
        key_scale: float = 20.0,
        window_days: int = 21,
        time_weight: float = 0.0,  # off: the five-set ablation (BENCHMARKS 2026-12-04) finds it helps on no set
        language_prior: float = 10.0,
        background_means: Mapping[str, np.ndarray] | None = None,
        neighbours: int = 20,
        bucket_days: int = 7,
        refine_rounds: int = 5,
        same_language_scale: float = 0.3,
        core_neighbours: int = 3,
        reach_margin: float = 0.3,
    ) -> None:
        self.threshold = threshold
        self.key_weight = key_weight
        self.key_scale = key_scale
        self.window_days = window_days
        self.time_weight = time_weight
        self.language_prior = language_prior
        self.background_means = background_means
        self.neighbours = neighbours
        self.bucket_days = bucket_days
        self.refine_rounds = refine_rounds
        self.same_language_scale = same_language_scale
        self.core_neighbours = core_neighbours
        self.reach_margin = reach_margin
        self._reset(dim=None)

    # -- public API ---------------------------------------------------------------------------------
    def add(self, item: ClusterItem) -> Assignment:
        """Put one article into the best story, or a new one, and merge stories it bridges."""
        self._ensure_dim(len(item.vector))
        if not self._means_frozen:
            self._means.add(item.lang, np.asarray(item.vector, dtype=np.float64))
        centred = self._means.center([item.lang], np.asarray(item.vector)[None, :])[0]
        neighbours = self._search(centred, item.date)
        best = self._best_other_language(neighbours, item.lang)
        if best is not None:
            self._levels.add(item.lang, best)
        ranked = self._rank(centred, item.date, item.keys, item.lang, neighbours)
        number = self._store([item], centred[None, :])[0]
        self._item_best[number] = best
        return self._place(number, centred, ranked)

    def add_many(self, items: Iterable[ClusterItem]) -> list[Assignment]:
        return [self.add(item) for item in items]

    def restore(self, items: Sequence[ClusterItem], story_ids: Sequence[int], next_story: int | None = None) -> None:
        """Load articles whose stories are already decided (e.g. read back from the store), in bulk: all of them,
        or the whole stories of a time window, with ``next_story`` above every stored story id."""
        if next_story is not None:
            self._next_story = max(self._next_story, next_story)
        if not items:
            return
        self._ensure_dim(len(items[0].vector))
        langs = [item.lang for item in items]
        vectors = np.stack([item.vector for item in items]).astype(np.float32)
        if not self._means_frozen:
            self._means.add_many(langs, vectors)
        centred = self._means.center(langs, vectors)
        numbers = self._store(items, centred)
        for number, story_id, vector in zip(numbers, story_ids, centred, strict=True):
            story = self._stories.get(story_id) or self._new_story(story_id)
            self._join(story, number, vector)
        self._next_story = max(self._next_story, max(story_ids) + 1)

    def consolidate(self, items: Sequence[ClusterItem], around: Collection[str] | None = None) -> list[Assignment]:
        """Decide the stories of ``items`` again, as one batch, and return their final assignments.

        Meant for the articles of a recent time window after they were added one by one: each is taken
        out of its story and re-centred with the language means as they are now, then they are placed
        again in date order and refined (each article moves to the story it fits best, until nothing
        moves). Articles outside ``items`` stay where they are and remain candidates. Items not added
        before are stored first. A story that lost its articles and a new story that took most of them
        share the old id, so story ids stay stable across consolidations.

        With ``around`` (the ids of a batch's new articles, among ``items``), every item is re-centred and
        surveyed as without it (so the language levels and the placing order are the same), but only the
        items of ``around`` and those in a story that one of them reaches (``reached``) are taken out and
        placed again; the others stay in their stories, and only the decided ones' assignments are returned.
        """
        items = list({item.id: item for item in items}.values())
        if not items:
            return []
        self._ensure_dim(len(items[0].vector))
        fresh = [item for item in items if item.id not in self._number_of]
        if fresh and not self._means_frozen:
            self._means.add_many([item.lang for item in fresh], np.stack([item.vector for item in fresh]))
        if fresh:
            self._store(fresh, np.zeros((len(fresh), self._dim or 0), dtype=np.float32))
        numbers = [self._number_of[item.id] for item in items]
        prior = {number: self._item_story[number] for number in numbers}
        first_new_id, old_ids = self._next_story, set(self._stories)
        centred = self._means.center([item.lang for item in items], np.stack([item.vector for item in items]))
        for number, vector in zip(numbers, centred, strict=True):
            if self._item_story[number] >= 0 and around is not None:
                self._recentre(number, vector)  # stays in its story unless reached
            elif self._item_story[number] >= 0:
                self._detach(number, self._index.vector(number))
            self._index.replace(number, vector)
        if around is None:
            chosen, centrality = numbers, self._survey(numbers)
        else:
            chosen, centrality = self._survey_around(numbers, set(around))
        before = {number: prior[number] for number in chosen}
        if around is not None:
            for number in chosen:
                if self._item_story[number] >= 0:
                    self._detach(number, self._index.vector(number))
        assignments = self._decide(sorted(before, key=lambda number: self._placing_key(number, centrality)))
        renamed = self._keep_ids(before, first_new_id, old_ids - set(self._stories))
        return [dataclasses.replace(a, story_id=renamed.get(a.story_id, a.story_id)) for a in assignments]

    def level_match(self, item_id: str) -> tuple[bool, float | None]:
        """Whether the item's best similarity to an article of another language was measured (here, or read back
        with ``known_level_matches``), and that similarity (None: none found)."""
        number = self._number_of[item_id]
        return number in self._measured or number in self._known_best, self._item_best[number]

    def known_level_matches(self, matches: Mapping[str, float | None]) -> None:
        """Level matches of loaded items as measured when they were last decided (read back from the store): a
        ``consolidate`` around a batch counts these for the items it does not decide, instead of measuring them."""
        self._known_best.update((self._number_of[item_id], best) for item_id, best in matches.items())

    def _survey_around(self, numbers: list[int], around: set[str]) -> tuple[list[int], dict[int, float]]:
        """The items to decide (``_reached``) and their centrality; every item of ``numbers`` counts in the language
        levels, the ones not decided with their known level match (measured when no match is known)."""
        known = {n: self._known_best[n] for n in numbers if n in self._known_best and self._item_ids[n] not in around}
        for number, best in known.items():
            self._set_level_match(number, best)
        centrality = self._survey([n for n in numbers if n not in known])
        chosen = self._reached(numbers, around)
        centrality.update(self._survey([n for n in chosen if n not in centrality]))
        return chosen, centrality

    def _reached(self, numbers: list[int], around: set[str]) -> list[int]:
        """Of ``numbers``, the items of ``around`` and those in a story that one of them scores within
        ``reach_margin`` of the threshold (or is in), in their order."""
        reached: set[int] = set()
        for number in numbers:
            if self._item_ids[number] not in around:
                continue
            reached.add(self._item_story[number])
            ranked = self._rank_stored(number, self._index.vector(number))
            reached.update(e.story_id for e in ranked if e.score >= self.threshold - self.reach_margin)
        return [n for n in numbers if self._item_ids[n] in around or self._item_story[n] in reached]

    def recluster(self, items: Sequence[ClusterItem], means: LanguageMeans | None = None) -> list[Assignment]:
        """Forget all stories and cluster ``items`` again, deterministically.

        Language means are computed over all items first (or ``means`` are used as given: see ``use_means``),
        then items are placed by date (undated last), ties broken by id, and refined as in ``consolidate``, so
        the result does not depend on the order the articles arrived in.
        """
        self._reset(dim=len(items[0].vector) if items else None)
        if not items:
            return []
        if means is not None:
            self.use_means(means)
            return self.consolidate(items)
        self._means.add_many([item.lang for item in items], np.stack([item.vector for item in items]))
        self._means_frozen = True
        return self.consolidate(items)

    def use_means(self, means: LanguageMeans) -> None:
        """Centre with these language means from now on, unchanged: e.g. the means of a whole corpus whose time
        windows are decided apart (a window's own means would lean toward its few events)."""
        self._ensure_dim(means.dim)
        self._means, self._means_frozen = means, True

    def score(
        self, centred: np.ndarray, date: dt.date | None, keys: frozenset[str], story: Story, lang: str | None = None
    ) -> Evidence:
        """Evidence that an article (centred vector, date, keys, language) belongs to ``story``."""
        dot = sum(self._weight(lang, other) * float(centred @ vector) for other, vector in story.language_sums.items())
        similarity = dot / story.size
        shares = {key: story.keys[key] / story.size for key in keys & story.keys.keys()}
        return self._evidence(story.id, similarity, shares, self._gap(date, date, story))

    def _survey(self, numbers: list[int]) -> dict[int, float]:
        """One search per item in its time window: its centrality (the mean similarity of its ``core_neighbours``
        nearest neighbours), returned, and its best similarity to an article of another language, which
        replaces its earlier one in the language levels."""
        centrality = {}
        for number in numbers:
            found = self._search(self._index.vector(number), self._item_dates[number], 1 + self.neighbours)
            near = [similarity for other, similarity in found if other != number][: self.core_neighbours]
            centrality[number] = sum(near) / len(near) if near else 0.0
            self._set_level_match(number, self._best_other_language(found, self._item_langs[number]))
            self._measured.add(number)
        return centrality

    def _set_level_match(self, number: int, best: float | None) -> None:
        """The item's best similarity to another language, replacing its earlier one in the language levels."""
        lang, old = self._item_langs[number], self._item_best[number]
        if old is not None:
            self._levels.remove(lang, old)
        if best is not None:
            self._levels.add(lang, best)
        self._item_best[number] = best

    def _placing_key(self, number: int, centrality: dict[int, float]) -> tuple[bool, dt.date, float, str]:
        """By date (undated last); within a day, the most central article first, so a story grows from its core
        and the result does not depend on the order (or the ids) of articles of the same day. Ties by id."""
        date = self._item_dates[number]
        return (date is None, date or dt.date.min, -centrality[number], self._item_ids[number])

    def _search(self, centred: np.ndarray, date: dt.date | None, k: int | None = None) -> list[tuple[int, float]]:
        """Nearest stored items in the time window; while a batch is placed, more (unplaced ones crowd them)."""
        if k is None:
            k = self.neighbours + min(self._unplaced, UNPLACED_EXTRA_NEIGHBOURS * self.neighbours)
        return self._index.search(centred, date, self.window_days, k)

    def _best_other_language(self, found: list[tuple[int, float]], lang: str) -> float | None:
        return next((similarity for other, similarity in found if self._item_langs[other] != lang), None)

    def _place(self, number: int, centred: np.ndarray, ranked: list[Evidence]) -> Assignment:
        """Join the best ranked story that reaches the threshold (merging bridged ones), else open one."""
        best = ranked[0] if ranked else None
        runner_up = ranked[1] if len(ranked) > 1 else None
        item_id = self._item_ids[number]
        if best is not None and best.score >= self.threshold:
            story = self._stories[best.story_id]
            self._join(story, number, centred)
            merged = self._merge_bridged(story, [e for e in ranked[1:] if e.score >= self.threshold])
            return Assignment(item_id, story.id, False, best, runner_up, merged, self.threshold)
        story = self._new_story(self._next_story)
        self._join(story, number, centred)
        return Assignment(item_id, story.id, True, best, runner_up, (), self.threshold)

    def _decide(self, numbers: list[int]) -> list[Assignment]:
        """Place unplaced items in the given order, refine until stable, and explain each final story."""
        for number in numbers:
            centred = self._index.vector(number)
            self._place(number, centred, self._rank_stored(number, centred))
        for _ in range(self.refine_rounds):
            touched = dict.fromkeys(self._item_story[number] for number in numbers)
            split = sum(self._split(self._stories[story_id]) for story_id in touched if story_id in self._stories)
            if not sum(self._move_to_best(number) for number in numbers) + split:
                break
        return [self._final_assignment(number) for number in numbers]

    def _split(self, story: Story) -> int:
        """Split a story in two halves (2-means on its members) while the halves fail the merge test.

        Moving one article at a time cannot undo a merge whose every article still fits the mix on
        average; testing the story's best two-way split as a pair of stories can. Returns splits made.
        """
        if story.size < 3:
            return 0
        vectors = np.stack([self._index.vector(number) for number in story.members])
        first = int(np.argmin(vectors @ vectors.mean(axis=0)))
        second = int(np.argmin(vectors @ vectors[first]))
        side = vectors @ vectors[first] >= vectors @ vectors[second]
        for _ in range(10):
            if side.all() or not side.any():
                return 0
            closer = vectors @ vectors[side].mean(axis=0) >= vectors @ vectors[~side].mean(axis=0)
            if (closer == side).all():
                break
            side = closer
        leaving = [number for number, stays in zip(list(story.members), side, strict=True) if not stays]
        other = self._new_story(self._next_story)
        for number, vector in zip(leaving, vectors[~side], strict=True):
            self._detach(number, vector)
            self._join(other, number, vector)
        if self._fit(story, other).score >= self.threshold:
            self._absorb(story, other)
            return 0
        return 1 + self._split(story) + self._split(other)

    def _move_to_best(self, number: int) -> bool:
        """Take the item out of its story and put it where it now fits best; True when it moved."""
        centred = self._index.vector(number)
        old = self._detach(number, centred)
        ranked = self._rank_stored(number, centred)
        if ranked and ranked[0].score >= self.threshold:
            target = self._stories[ranked[0].story_id]
        else:
            target = self._new_story(old if old not in self._stories else self._next_story)
        self._join(target, number, centred)
        return target.id != old

    def _final_assignment(self, number: int) -> Assignment:
        """The item's story with the evidence for it: its fit with the story's other members."""
        centred = self._index.vector(number)
        story_id = self._detach(number, centred)
        ranked = self._rank_stored(number, centred)
        story = self._stories.get(story_id) or self._new_story(story_id)
        own = next((e for e in ranked if e.story_id == story_id), None)
        if own is None and story.size:
            date, keys, lang = self._item_dates[number], self._item_keys[number], self._item_langs[number]
            own = self.score(centred, date, keys, story, lang)
        others = [e for e in ranked if e.story_id != story_id]
        self._join(story, number, centred)
        if own is None:
            return Assignment(
                self._item_ids[number],
                story_id,
                True,
                others[0] if others else None,
                others[1] if len(others) > 1 else None,
                (),
                self.threshold,
            )
        return Assignment(
            self._item_ids[number], story_id, False, own, others[0] if others else None, (), self.threshold
        )

    def _rank_stored(self, number: int, centred: np.ndarray) -> list[Evidence]:
        return self._rank(centred, self._item_dates[number], self._item_keys[number], self._item_langs[number])

    def _rank(
        self,
        centred: np.ndarray,
        date: dt.date | None,
        keys: frozenset[str],
        lang: str,
        neighbours: list[tuple[int, float]] | None = None,
    ) -> list[Evidence]:
        if neighbours is None:
            neighbours = self._search(centred, date)
        placed = [self._item_story[number] for number, _ in neighbours if self._item_story[number] >= 0]
        candidates = dict.fromkeys(placed[: self.neighbours])
        scored = [self.score(centred, date, keys, self._stories[story_id], lang) for story_id in candidates]
        in_window = [e for e in scored if e.gap_days is None or e.gap_days <= self.window_days]
        return sorted(in_window, key=lambda e: (-e.score, e.story_id))

    def _weight(self, lang: str | None, other: str) -> float:
        """How a similarity between these languages counts: against their levels, and ``same_language_scale``
        times within one language."""
        return self._levels.weight(lang, other) * (self.same_language_scale if lang == other else 1.0)

    def _evidence(self, story_id: int, similarity: float, shares: dict[str, float], gap: int | None) -> Evidence:
        """``shares``: each shared key and the share of member pairs that hold it (1.0 for a single pair)."""
        shared_keys = tuple(sorted(shares))
        rarity = sum(self._idf(key) * shares[key] for key in shared_keys)
        key_bonus = self.key_weight * (1.0 - math.exp(-rarity / self.key_scale))
        penalty = 0.0 if gap is None else self.time_weight * min(gap, self.window_days) / self.window_days
        return Evidence(story_id, similarity, shared_keys, key_bonus, gap, penalty, similarity + key_bonus - penalty)

    def _merge_bridged(self, story: Story, others: list[Evidence]) -> tuple[int, ...]:
        merged = []
        for other_evidence in others:
            other = self._stories.get(other_evidence.story_id)
            if other is None or other.id == story.id:
                continue
            fit = self._fit(story, other)
            if fit.score >= self.threshold and (fit.gap_days is None or fit.gap_days <= self.window_days):
                self._absorb(story, other)
                merged.append(other.id)
        return tuple(merged)

    def _fit(self, story: Story, other: Story) -> Evidence:
        """Evidence that two stories are one: mean similarity over their cross pairs, shared keys, gap."""
        dot = sum(
            self._weight(lang, other_lang) * float(vector @ other_vector)
            for lang, vector in story.language_sums.items()
            for other_lang, other_vector in other.language_sums.items()
        )
        similarity = dot / (story.size * other.size)
        gap = self._gap(other.first, other.last, story)
        shares = {
            key: story.keys[key] * other.keys[key] / (story.size * other.size)
            for key in story.keys.keys() & other.keys.keys()
        }
        return self._evidence(other.id, similarity, shares, gap)
