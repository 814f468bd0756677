"""The built-in stages' writers (``writers.StageWriter``): each stage's own writes, and the reads it needs
inside its transaction, as methods with no connection argument. They call the repositories of ``store/``
(``stories``, ``inferred_dates``, ``extraction``, ``entities``, ``groups``, ``storylines``, ``alerts``), whose
functions document the SQL; a writer's guard refuses anything outside its products."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from storylens.store import alerts, cluster_window, entities, extraction, groups, inferred_dates, stories, storylines
from storylens.store.backend import Row
from storylens.store.writers import StageWriter

if TYPE_CHECKING:
    from collections import Counter

    from storylens.extraction.records import Extraction


class ClusteringWriter(StageWriter):
    """Vectors and evidence keys, stories and their members with reasons, story summaries and titles, and the
    dates undated articles get from their story."""

    provides: ClassVar[tuple[str, ...]] = ("article.vector", "article.keys", "article.story", "story.summary")

    def save_embeddings(self, encoder: str, rows: Iterable[tuple[int, str, np.ndarray, Iterable[str]]]) -> None:
        stories.save_embeddings(self._conn, encoder, rows)

    def drop_other_encoders(self, encoder: str) -> None:
        stories.drop_other_encoders(self._conn, encoder)

    def clear_stories(self) -> None:
        stories.clear_stories(self._conn)

    def ensure_stories(self, ids: Iterable[int]) -> None:
        stories.ensure_stories(self._conn, ids)

    def set_member(
        self,
        article_id: int,
        story_id: int,
        similarity: float | None,
        reasons: dict[str, Any],
        level_match: float | None = None,
        measured: bool = False,
    ) -> None:
        stories.set_member(self._conn, article_id, story_id, similarity, reasons, level_match, measured)

    def set_level_matches(self, matches: Iterable[tuple[int, float | None]]) -> None:
        stories.set_level_matches(self._conn, matches)

    def level_matches(self, article_ids: Sequence[int]) -> dict[int, float | None]:
        return stories.level_matches(self._conn, article_ids)

    def move_member(self, article_id: int, story_id: int) -> None:
        stories.move_member(self._conn, article_id, story_id)

    def join_translation(self, article_id: int, original_id: int, reasons: dict[str, Any]) -> None:
        stories.join_translation(self._conn, article_id, original_id, reasons)

    def drop_empty_stories(self, story_ids: Iterable[int] | None = None) -> None:
        stories.drop_empty_stories(self._conn, story_ids)

    def unsummarised_stories(self) -> list[int]:
        return stories.unsummarised_stories(self._conn)

    def save_summaries(self, summaries: Iterable[tuple[int, np.ndarray, Iterable[str]]]) -> None:
        stories.save_summaries(self._conn, summaries)

    def story_openings(self, story_ids: Sequence[int], scan_chars: int) -> Iterator[Row]:
        return stories.story_openings(self._conn, story_ids, scan_chars)

    def set_titles(self, titles: Iterable[tuple[int, str]]) -> None:
        stories.set_titles(self._conn, titles)

    def refresh_story_dates(self, story_ids: Iterable[int] | None = None) -> None:
        stories.refresh_story_dates(self._conn, story_ids)

    def story_dates(self, article_id: int) -> inferred_dates.StoryDates | None:
        return inferred_dates.story_dates(self._conn, article_id)

    def set_inferred_dates(self, inferred: Iterable[tuple[int, dt.date | None, str]]) -> None:
        inferred_dates.set_inferred_dates(self._conn, inferred)

    def clear_inferred_dates(self) -> None:
        inferred_dates.clear_inferred_dates(self._conn)

    def stories_of(self, article_ids: Sequence[int]) -> list[int | None]:
        return stories.stories_of(self._conn, article_ids)

    def story_ids(self) -> list[int]:
        return stories.story_ids(self._conn)

    def note_story_changes(self, story_ids: Iterable[int | None]) -> None:
        """Clustering's change log for the storyline stage: stories whose members or summary changed."""
        stories.note_story_changes(self._conn, story_ids, "story_changes")

    # The time window a batch loads, and the totals over every clustered article (``store/cluster_window.py``).

    def members_among(self, article_ids: Sequence[int]) -> dict[int, int]:
        return cluster_window.members_among(self._conn, article_ids)

    def window_members(
        self,
        encoder: str,
        ranges: Sequence[tuple[dt.date, dt.date]],
        undated_since: str | None,
        story_ids: Iterable[int] = (),
    ) -> list[stories.StoredMember]:
        return cluster_window.window_members(self._conn, encoder, ranges, undated_since, story_ids)

    def clustered_between(self, low: dt.date, high: dt.date, limit: int) -> int:
        return cluster_window.clustered_between(self._conn, low, high, limit)

    def newest_ingest(self) -> str | None:
        return cluster_window.newest_ingest(self._conn)

    def latest_dated(self) -> dt.date | None:
        return cluster_window.latest_dated(self._conn)

    def max_story_id(self) -> int | None:
        return cluster_window.max_story_id(self._conn)

    def totals_kept(self, encoder: str) -> int | None:
        return cluster_window.totals_kept(self._conn, encoder)

    def language_sums(self, encoder: str) -> dict[str, tuple[int, np.ndarray]]:
        return cluster_window.language_sums(self._conn, encoder)

    def key_counts(self, encoder: str, keys: Iterable[str]) -> dict[str, int]:
        return cluster_window.key_counts(self._conn, encoder, keys)

    def stories_naming(self, keys: Iterable[str]) -> list[tuple[str, int]]:
        return cluster_window.stories_naming(self._conn, keys)

    def index_keys(self, members: Iterable[tuple[int, Iterable[str]]]) -> None:
        cluster_window.index_keys(self._conn, members)

    def add_totals(self, encoder: str, members: Sequence[tuple[str, np.ndarray, Iterable[str]]]) -> None:
        cluster_window.add_totals(self._conn, encoder, members)

    def rebuild_totals(self, encoder: str) -> None:
        cluster_window.rebuild_totals(self._conn, encoder)


class ExtractionWriter(StageWriter):
    """Each article's mentions, quotes and figures, the entities they link to, and each story's quote and figure
    groups; reading the stories articles are in."""

    provides: ClassVar[tuple[str, ...]] = (
        "article.mentions", "article.quotes", "article.figures", "entities", "story.groups",
    )  # fmt: skip

    def replace_extraction(self, article_id: int, lang: str, found: Extraction) -> None:
        extraction.replace_extraction(self._conn, article_id, lang, found)

    def stories_of(self, article_ids: Sequence[int]) -> list[int | None]:
        return stories.stories_of(self._conn, article_ids)

    def story_ids(self) -> list[int]:
        return stories.story_ids(self._conn)

    def all_mentions(self) -> list[Row]:
        return entities.all_mentions(self._conn)

    def article_mentions(self, article_ids: Sequence[int]) -> list[Row]:
        return entities.article_mentions(self._conn, article_ids)

    def touched_mentions(self, article_ids: Sequence[int], anchors: Iterable[str]) -> tuple[list[Row], set[int]]:
        return entities.touched_mentions(self._conn, article_ids, anchors)

    def save_entity(
        self, key: str, name: str, kind: str, romanised: bool, mention_ids: list[int], anchors: set[str]
    ) -> int:
        return entities.save_entity(self._conn, key, name, kind, romanised, mention_ids, anchors)

    def drop_unused_entities(self, entity_ids: Iterable[int] | None = None) -> None:
        entities.drop_unused_entities(self._conn, entity_ids)

    def relink_quote_speakers(self, article_ids: Iterable[int] | None = None) -> None:
        entities.relink_quote_speakers(self._conn, article_ids)

    def note_entity_changes(self, story_ids: Iterable[int | None]) -> None:
        """Extraction's change log for the storyline stage: stories whose articles' entities changed."""
        stories.note_story_changes(self._conn, story_ids, "story_entity_changes")

    def story_quotes(self, story_id: int | None) -> list[Row]:
        return groups.story_quotes(self._conn, story_id)

    def story_figures(self, story_id: int | None) -> list[Row]:
        return groups.story_figures(self._conn, story_id)

    def clear_story_groups(self, story_id: int | None) -> None:
        groups.clear_story_groups(self._conn, story_id)

    def clear_all_groups(self) -> None:
        groups.clear_all_groups(self._conn)

    def add_quote_group(self, story_id: int | None, speaker_entity_id: int | None, quote_ids: Iterable[int]) -> int:
        return groups.add_quote_group(self._conn, story_id, speaker_entity_id, quote_ids)

    def add_figure_group(
        self,
        story_id: int | None,
        *,
        unit: str | None,
        measure: str | None,
        discrepancy: bool,
        updated: bool,
        figure_ids: Iterable[int],
    ) -> int:
        return groups.add_figure_group(
            self._conn, story_id, unit=unit, measure=measure, discrepancy=discrepancy, updated=updated,
            figure_ids=figure_ids,
        )  # fmt: skip


class StorylineWriter(StageWriter):
    """Storylines and their links (and each story's storyline), and which changes it has read; reading story
    summaries, entity names and the stories the clustering and extraction stages logged as changed."""

    provides: ClassVar[tuple[str, ...]] = ("storylines",)

    def read_story_changes(self) -> list[int]:
        return stories.read_story_changes(self._conn)

    def stories_of(self, article_ids: Sequence[int]) -> list[int | None]:
        return stories.stories_of(self._conn, article_ids)

    def entity_names(self, entity_ids: Iterable[int] | None = None) -> dict[str, str]:
        return storylines.entity_names(self._conn, entity_ids)

    def story_sizes(self, story_ids: Sequence[int] | None = None) -> dict[int, int]:
        return storylines.story_sizes(self._conn, story_ids)

    def story_entity_counts(
        self, entity_types: Sequence[str], story_ids: Sequence[int] | None = None
    ) -> dict[int, Counter[str]]:
        return storylines.story_entity_counts(self._conn, entity_types, story_ids)

    def story_rows(self, story_ids: Sequence[int] | None = None) -> list[storylines.StoryRow]:
        return storylines.story_rows(self._conn, story_ids)

    def stories_between(self, ranges: Sequence[tuple[str, str]]) -> list[int]:
        return storylines.stories_between(self._conn, ranges)

    def links_touching(self, story_ids: Sequence[int]) -> list[tuple[int, int, str]]:
        return storylines.links_touching(self._conn, story_ids)

    def storyline_neighbourhood(self, story_ids: Sequence[int]) -> tuple[set[int], set[int]]:
        return storylines.storyline_neighbourhood(self._conn, story_ids)

    def rewrite_storylines(
        self,
        story_ids: Sequence[int],
        old_lines: Iterable[int],
        groups: Iterable[Iterable[int]],
        links: Iterable[tuple[int, int, str]],
    ) -> None:
        storylines.rewrite_storylines(self._conn, story_ids, old_lines, groups, links)

    def replace_storylines(
        self, groups: Iterable[Iterable[int]], links: Iterable[tuple[int, int, dict[str, Any]]]
    ) -> None:
        storylines.replace_storylines(self._conn, groups, links)


class AlertWriter(StageWriter):
    """The alerts a batch raises (unique keys)."""

    provides: ClassVar[tuple[str, ...]] = ("alerts",)

    def record_alerts(self, raised: Iterable[alerts.NewAlert]) -> int:
        return alerts.record_alerts(self._conn, raised)
