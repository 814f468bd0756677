"""The ingest pipeline: RawDocument -> cleaning -> language -> dates -> store -> article stages.

``prepare`` turns one document into the articles to store; ``Ingestor`` runs a batch, one
transaction per document, then hands the new article ids to the article stages (clustering,
extraction) that were plugged in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from storylens.cleaning import clean
from storylens.dates import find_publication_date
from storylens.language import detect
from storylens.models import DateInfo, InputError, LanguageGuess, Part, RawDocument, Segment
from storylens.store.articles import NewArticle, has_document, store_document
from storylens.store.db import Store

StageProgress = Callable[[str, int, int], None]  # (what, done, total)


class ArticleStage(Protocol):
    """A stage that works on stored articles after each ingest batch (e.g. clustering, extraction)."""

    name: str

    def process(self, store: Store, article_ids: Sequence[int], progress: StageProgress | None = None) -> None: ...


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
                title=part.title or (doc.title if index == 0 else None),
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
    """Runs documents through the pipeline into a store, then the article stages."""

    def __init__(self, store: Store, stages: Sequence[ArticleStage] = ()) -> None:
        self.store = store
        self.stages = list(stages)

    def ingest(
        self,
        results: Iterable[RawDocument | InputError],
        *,
        on_item: Callable[[str], None] | None = None,
        run_stages: bool = True,
        progress: StageProgress | None = None,
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
        if run_stages and report.new_article_ids:
            self.run_stages(report.new_article_ids, progress)
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

    def run_stages(self, article_ids: Sequence[int], progress: StageProgress | None = None) -> None:
        for stage in self.stages:
            stage.process(self.store, article_ids, progress)
