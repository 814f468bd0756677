"""The extraction article stage: extract from new articles, then relink entities and regroup per story.

Mentions, quotes and figures are stored with offsets into their article's text. Entities are linked again
over the mentions new articles touch: theirs, those of their stories, and every mention of an entity that shares
link evidence with them (a name seen in one story helps link it in another; ``regroup_all`` relinks everything);
quotes and figures are grouped again only in the stories that received new articles.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from storylens.encoders import DEFAULT_ENCODER_SPEC, get_encoder
from storylens.extraction import (
    FigureRef,
    Mention,
    MentionRef,
    Quote,
    QuoteRef,
    extract,
    group_figures,
    group_quotes,
    link_entities,
    load_aliases,
)
from storylens.extraction.linking import link_anchors
from storylens.extraction.records import Figure
from storylens.settings import Settings
from storylens.stages import StageProgress
from storylens.store.articles import list_articles
from storylens.store.backend import Row
from storylens.store.db import Store
from storylens.store.stage_writers import ExtractionWriter

QuoteEncoder = Callable[[list[str]], np.ndarray]


class ExtractionStage:
    """Extracts, links and groups; ``aliases`` is a user alias file (``variant<TAB>canonical`` lines)."""

    name = "extraction"
    requires = ("article.text", "article.language", "article.story")
    provides = ("article.mentions", "article.quotes", "article.figures", "entities", "story.groups")
    writer = ExtractionWriter

    def __init__(
        self,
        aliases: Path | None = None,
        quote_encoder: QuoteEncoder | None = None,
        *,
        encoder_spec: str = DEFAULT_ENCODER_SPEC,
    ) -> None:
        self.aliases = load_aliases(aliases) if aliases else {}
        self.encoder_spec = encoder_spec
        self.quote_encoder = quote_encoder or self._embed_quotes
        self._quote_vectors: dict[str, np.ndarray] = {}

    def _embed_quotes(self, texts: list[str]) -> np.ndarray:
        """Quote vectors from this stage's encoder (the one clustering uses), each text embedded once per process."""
        missing = [text for text in dict.fromkeys(texts) if text not in self._quote_vectors]
        if missing:
            self._quote_vectors.update(zip(missing, get_encoder(self.encoder_spec).encode(missing), strict=True))
        return np.stack([self._quote_vectors[text] for text in texts])

    def process(self, store: Store, article_ids: Sequence[int], progress: StageProgress | None = None) -> None:
        articles = list_articles(store, ids=list(article_ids))
        with store.stage_batch(self.name, article_ids, writer=self.writer) as writer:
            for done, article in enumerate(articles, start=1):
                _replace_extraction(writer, article.id, article.text, article.lang)
                if progress:
                    progress("extracting", done, len(articles))
            self.relink(writer, article_ids)
            self.regroup(writer, writer.stories_of(article_ids))

    def rebuild(self, store: Store, progress: StageProgress | None = None) -> None:
        self.regroup_all(store)

    def regroup_all(self, store: Store) -> None:
        """Relink every mention and rebuild the quote and figure groups of every story (after a recluster)."""
        with store.stage_batch(self.name, rebuilt=True, writer=self.writer) as writer:
            self.relink(writer)
            writer.clear_all_groups()
            self.regroup(writer, [*writer.story_ids(), None])

    def relink(self, writer: ExtractionWriter, article_ids: Sequence[int] | None = None) -> None:
        """Link mentions to canonical entities, keeping entity ids stable by their key: after extracting
        ``article_ids``, only the mentions those articles touch (see ``store.entities``); else every mention."""
        if article_ids is None:
            rows, touched = writer.all_mentions(), None
        else:
            new = _refs(writer.article_mentions(article_ids))
            rows, touched = writer.touched_mentions(article_ids, set().union(*link_anchors(new, self.aliases)))
        refs = _refs(rows)
        row_of = {
            (ref.article_id, ref.mention.start, ref.mention.end): r["id"] for ref, r in zip(refs, rows, strict=True)
        }
        anchors_of = {r["id"]: found for r, found in zip(rows, link_anchors(refs, self.aliases), strict=True)}
        for entity in link_entities(refs, self.aliases):
            mention_ids = [row_of[(m.article_id, m.mention.start, m.mention.end)] for m in entity.mentions]
            anchors = set().union(*(anchors_of[m] for m in mention_ids))
            writer.save_entity(entity.id, entity.name, entity.type, entity.romanised, mention_ids, anchors)
        writer.note_entity_changes({r["story_id"] for r in rows})  # their core entities may have changed
        writer.drop_unused_entities(touched)
        writer.relink_quote_speakers(None if article_ids is None else {int(r["article_id"]) for r in rows})

    def regroup(self, writer: ExtractionWriter, story_ids: Sequence[int | None]) -> None:
        """Quote groups and figure groups of these stories (None: articles in no story), built anew."""
        for story_id in story_ids:
            writer.clear_story_groups(story_id)
            self._store_quote_groups(writer, story_id, writer.story_quotes(story_id))
            _store_figure_groups(writer, story_id, writer.story_figures(story_id))

    def _store_quote_groups(self, writer: ExtractionWriter, story_id: int | None, rows: list[Row]) -> None:
        if not rows:
            return
        refs = [
            QuoteRef(
                Quote(r["start"], r["end"], r["text"], r["kind"], r["cue"] or None),
                r["lang"],
                str(r["article_id"]),
                None if r["speaker_entity_id"] is None else str(r["speaker_entity_id"]),
            )
            for r in rows
        ]
        row_of = _row_ids(rows)
        for group in group_quotes(refs, self.quote_encoder):
            writer.add_quote_group(
                story_id,
                int(group.speaker_entity) if group.speaker_entity else None,
                [row_of[o.article_id, o.quote.start, o.quote.end] for o in group.occurrences],
            )


def _store_figure_groups(writer: ExtractionWriter, story_id: int | None, rows: list[Row]) -> None:
    refs = [
        FigureRef(
            Figure(r["start"], r["end"], r["text"], _value(r), r["unit"] or None, measure=r["what"] or None),
            r["lang"],
            str(r["article_id"]),
            r["published"],
        )
        for r in rows
    ]
    row_of = _row_ids(rows)
    for group in group_figures(refs):
        writer.add_figure_group(
            story_id,
            unit=group.unit,
            measure=group.measure,
            discrepancy=group.discrepant,
            updated=group.updated,
            figure_ids=[row_of[o.article_id, o.figure.start, o.figure.end] for o in group.occurrences],
        )


def _refs(rows: list[Row]) -> list[MentionRef]:
    return [
        MentionRef(
            Mention(r["start"], r["end"], r["text"], r["type"], ""),
            r["lang"],
            str(r["article_id"]),
            None if r["story_id"] is None else str(r["story_id"]),
        )
        for r in rows
    ]


def _row_ids(rows: list[Row]) -> dict[tuple[str, int, int], int]:
    """Row id of a quote or figure by its place: article and offsets."""
    return {(str(r["article_id"]), r["start"], r["end"]): r["id"] for r in rows}


def _value(row: Row) -> float | tuple[float, float]:
    low, high = row["value_low"], row["value_high"]
    return low if low == high else (low, high)


def _replace_extraction(writer: ExtractionWriter, article_id: int, text: str, lang: str) -> None:
    writer.replace_extraction(article_id, lang, extract(text, lang))


def make_stage(settings: Settings) -> ExtractionStage:
    """The built-in extraction stage (the ``extraction`` entry point); quotes are grouped with the settings' encoder."""
    return ExtractionStage(encoder_spec=settings.encoder)
