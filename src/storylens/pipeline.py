"""The ingest pipeline: RawDocument -> cleaning -> language -> dates -> store -> article stages.

``prepare`` turns one document into the articles to store; ``Ingestor`` runs a batch, one
transaction per document, then has its ``Pipeline`` run every article stage over the stored articles
that lack it: the new ones and any an interrupted run left unfinished, in one batch, so a rerun after an
interruption ends with the store an uninterrupted run gives. ``Pipeline`` checks the stages' declared
contracts when it is built and owns the rebuild (``storylens recluster``) and its order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from storylens.cleaning import clean
from storylens.cleaning.headline import lead_title
from storylens.cleaning.lines import split_lines
from storylens.dates import find_publication_date
from storylens.language import detect
from storylens.models import DateInfo, InputError, LanguageGuess, Part, RawDocument, Segment
from storylens.settings import Settings, current_settings
from storylens.stages import STORED, ArticleStage, StageProgress
from storylens.store import progress as stage_progress
from storylens.store.articles import NewArticle, has_document, store_document
from storylens.store.db import Store

__all__ = ["ArticleStage", "IngestReport", "Ingestor", "Pipeline", "PipelineError", "StageProgress", "prepare"]


class PipelineError(ValueError):
    """The stages do not fit together: a requirement nothing earlier provides, or a product with two providers."""


class Pipeline:
    """Article stages in order, checked when built: each product a stage requires is provided by the store step or
    by an earlier stage, each product has one provider, and stage names are unique."""

    def __init__(self, stages: Sequence[ArticleStage] = ()) -> None:
        self.stages = list(stages)
        self.providers = check_stages(self.stages)

    @property
    def names(self) -> list[str]:
        return [stage.name for stage in self.stages]

    def pending(self, store: Store) -> dict[str, list[int]]:
        """For each stage, the stored articles that lack it."""
        return {stage.name: stage_progress.lacking(store, stage.name) for stage in self.stages}

    def unfinished(self, store: Store) -> bool:
        """Whether an article lacks a stage or a rebuild was left unfinished."""
        return any(
            stage_progress.rebuild_requested(store, stage.name) or stage_progress.lacking(store, stage.name)
            for stage in self.stages
        )

    def run(self, store: Store, progress: StageProgress | None = None) -> None:
        """Bring every stored article through every stage: stage by stage, finish an interrupted rebuild, then
        process the articles that lack the stage."""
        with store.writer_lock():
            for stage in self.stages:
                if stage_progress.rebuild_requested(store, stage.name):
                    stage.rebuild(store, progress)
                    with store.stage_batch(stage.name, (), rebuilt=True):
                        pass  # likewise for a rebuild
                article_ids = stage_progress.lacking(store, stage.name)
                if not article_ids:
                    continue
                stage.process(store, article_ids, progress)
                with store.stage_batch(stage.name, article_ids):
                    pass  # a stage that does not mark its own batch is marked once it returns

    def rebuild(self, store: Store, progress: StageProgress | None = None) -> None:
        """Redo every stage over the whole store, in order (e.g. every story from the stored vectors, then every
        quote and figure group, then the storylines). The request is stored first, so an interrupted rebuild is
        finished by the next ``run``."""
        with store.writer_lock():
            store.request_rebuilds(self.names)
            self.run(store, progress)


def check_stages(stages: Sequence[ArticleStage]) -> dict[str, str]:
    """The provider of every product (``store`` for what storing provides); raises ``PipelineError``."""
    providers = dict.fromkeys(STORED, "store")
    names: set[str] = set()
    for stage in stages:
        if stage.name in names:
            raise PipelineError(f"two stages are named {stage.name!r}")
        names.add(stage.name)
        for product in stage.requires:
            if product not in providers:
                later = next((s.name for s in stages if product in s.provides), None)
                hint = f" ({later!r} provides it: put it before {stage.name!r})" if later else ""
                raise PipelineError(f"stage {stage.name!r} requires {product!r}, which no earlier stage provides{hint}")
        writes = getattr(getattr(stage, "writer", None), "provides", ())
        if extra := [product for product in writes if product not in stage.provides]:
            raise PipelineError(f"stage {stage.name!r} writes {extra[0]!r} (its writer's), which it does not provide")
        for product in stage.provides:
            if product in providers:
                raise PipelineError(
                    f"{product!r} is provided by both {providers[product]!r} and {stage.name!r}: one provider each"
                )
            providers[product] = stage.name
    return providers


def order_stages(stages: Sequence[ArticleStage]) -> list[ArticleStage]:
    """The stages in an order where each comes after the providers of what it requires (given order kept among
    stages that do not depend on each other); ``check_stages`` then reports what still does not fit."""
    provider = {product: stage.name for stage in stages for product in stage.provides}
    placed: list[ArticleStage] = []
    done: set[str] = set()
    waiting = list(stages)
    while waiting:
        ready = next(
            (s for s in waiting if all(provider.get(p, "store") in done | {"store", s.name} for p in s.requires)),
            waiting[0],  # a cycle or a missing provider: check_stages names it
        )
        placed.append(ready)
        done.add(ready.name)
        waiting.remove(ready)
    return placed


def default_pipeline(settings: Settings | None = None) -> Pipeline:
    """Every registered article stage (the ``storylens.stages`` entry points: clustering, extraction and
    storylines built in, plus any plugin's), each built from ``settings`` and ordered by what it requires: stories
    first, then what the articles say, then storylines (which follow the entities stories share)."""
    from storylens.plugins import plugins

    chosen = settings or current_settings()
    return Pipeline(order_stages([factory(chosen) for factory in plugins("stages").values()]))


@dataclass
class IngestReport:
    read: int = 0
    new_articles: int = 0
    duplicates: int = 0
    errors: list[InputError] = field(default_factory=list)
    new_article_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "read": self.read,
            "new": self.new_articles,
            "duplicates": self.duplicates,
            "skipped": [{"input": e.origin, "reason": e.message} for e in self.errors],
        }


def document_key(doc: RawDocument) -> str:
    return doc.external_id or doc.metadata.get("key") or doc.url or doc.origin


def part_language(doc: RawDocument, part: Part, text: str) -> LanguageGuess:
    """The declared language for the document's own article, the detected one otherwise.

    A declared language is trusted unless detection is confident and disagrees.
    """
    detected = detect(text)
    declared_fits = detected.lang == doc.lang or detected.confidence < 0.9
    if doc.lang and part.translation_of is None and declared_fits:
        return LanguageGuess(doc.lang, max(detected.confidence, 0.5) if detected.lang == doc.lang else 0.5)
    return detected


def prepare(doc: RawDocument) -> tuple[list[NewArticle], list[Segment]]:
    """The articles found in one document, and the document's segments that belong to none."""
    parts = clean(doc.text)
    key = document_key(doc)
    articles: list[NewArticle] = []
    dates: list[DateInfo] = []
    for index, part in enumerate(parts):
        text = doc.text[part.start : part.end]
        language = part_language(doc, part, text)
        if part.translation_of is not None:
            date = dates[part.translation_of]
        else:
            reference = doc.reference_date or next((d.value for d in dates if d.value), None)
            date = find_publication_date(
                text,
                declared=doc.published if index == 0 else None,
                declared_method=doc.metadata.get("date_method", "declared"),
                header=part.header_date,
                url=doc.url if index == 0 else None,
                reference=reference,
                lang=language.lang,
            )
            if date.start is not None:
                date = dataclasses.replace(date, start=date.start + part.start)
        dates.append(date)
        articles.append(
            NewArticle(
                part=index + 1,
                key=key,
                role="translation" if part.translation_of is not None else "article",
                start=part.start,
                end=part.end,
                title=part.title or (doc.title if index == 0 else None) or lead_title(split_lines(text)) or None,
                language=language,
                date=date,
                source=part.source or doc.source,
                segments=part.segments,
                translation_of_part=None if part.translation_of is None else part.translation_of + 1,
            )
        )
    covered = {(s.start, s.end) for part in parts for s in part.segments}
    outside = _uncovered(doc.text, parts, covered)
    return articles, outside


def _uncovered(text: str, parts: Sequence[Part], covered: set[tuple[int, int]]) -> list[Segment]:
    """Spans of the document outside every part (headers, boilerplate between or after articles)."""
    spans, cursor = [], 0
    for part in sorted(parts, key=lambda p: p.start):
        if text[cursor : part.start].strip():
            spans.append(Segment(cursor, part.start, "boilerplate", "outside any article"))
        cursor = max(cursor, part.end)
    if text[cursor:].strip():
        spans.append(Segment(cursor, len(text), "boilerplate", "outside any article"))
    return [s for s in spans if (s.start, s.end) not in covered]


class Ingestor:
    """Runs documents through the pipeline into a store, then the article stages, holding the store's writer lock;
    ``on_wait`` is called if another process holds it."""

    def __init__(
        self,
        store: Store,
        stages: Sequence[ArticleStage] | Pipeline = (),
        on_wait: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.pipeline = stages if isinstance(stages, Pipeline) else Pipeline(stages)
        self.on_wait = on_wait

    @property
    def stages(self) -> list[ArticleStage]:
        return self.pipeline.stages

    def ingest(
        self,
        results: Iterable[RawDocument | InputError],
        *,
        on_item: Callable[[str], None] | None = None,
        run_stages: bool = True,
        progress: StageProgress | None = None,
    ) -> IngestReport:
        with self.store.writer_lock(self.on_wait):
            return self._ingest(results, on_item, run_stages, progress)

    def _ingest(
        self,
        results: Iterable[RawDocument | InputError],
        on_item: Callable[[str], None] | None,
        run_stages: bool,
        progress: StageProgress | None,
    ) -> IngestReport:
        report = IngestReport()
        for result in results:
            report.read += 1
            if on_item:
                on_item(result.origin)
            if isinstance(result, InputError):
                report.errors.append(result)
                continue
            self._ingest_one(result, report)
        if run_stages:
            self.pipeline.run(self.store, progress)
        return report

    def _ingest_one(self, doc: RawDocument, report: IngestReport) -> None:
        if has_document(self.store, doc):
            report.duplicates += 1
            return
        try:
            articles, outside = prepare(doc)
        except InputError as error:
            report.errors.append(error)
            return
        if not articles:
            report.errors.append(InputError(doc.origin, "no article text found (only boilerplate or blank)"))
            return
        result = store_document(self.store, doc, articles, outside)
        report.new_articles += len(result.new_article_ids)
        report.new_article_ids.extend(result.new_article_ids)
        if not result.new_article_ids:
            report.duplicates += 1
