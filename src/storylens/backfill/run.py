"""The backfill's one writer: read a corpus, have an engine do the per-document work, store it, then decide the
stories by windows and rebuild what depends on them.

Steps, each crash-safe (a later ``storylens ingest`` finishes what an interruption left):

1. Documents are read here, and those already stored are left out (so a rerun adds nothing); the rest go, in
   chunks, to the engine (``DocumentWork``: prepare, embed, keys, extract).
2. Each chunk's documents are stored in input order, one transaction each (``store_document``), as ``ingest``
   stores them. Before the first new article's results are written, rebuilds of every article stage are
   requested (``store/progress``): from then on an interrupted backfill is finished by ``ingest`` as a
   ``recluster`` would be.
3. The chunk's vectors and keys (``embeddings``, ``article_keys``) and each article's mentions, quotes and
   figures, the latter marked done for the extraction stage in the same transaction (``store.stage_batch``).
4. Every story is decided again by time windows (``windows.decide_by_windows``; windows run on the engine)
   through ``ClusteringStage.recluster``, which writes stories, reasons, summaries, titles and inferred dates
   and marks the clustering rebuild done.
5. ``Pipeline.run`` then finishes the requested rebuilds: extraction relinks every mention and regroups the
   quotes and figures of every story, and storylines link every story.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial

from storylens.backfill.engines import BackfillError, Engine, Placements
from storylens.backfill.windows import DEFAULT_OVERLAP_DAYS, DEFAULT_WINDOW_DAYS, decide_by_windows
from storylens.backfill.work import ArticleResult, PreparedDocument
from storylens.clustering.stage import ClusteringStage
from storylens.encoders import Encoder
from storylens.models import InputError, RawDocument, SkippedInput
from storylens.pipeline import Pipeline
from storylens.stages import StageProgress
from storylens.store.articles import has_document, store_document
from storylens.store.db import Store
from storylens.store.stage_writers import ExtractionWriter

DEFAULT_CHUNK_DOCS = 2000  # documents handed to the engine at a time (bounds the results held in memory)


@dataclass
class BackfillReport:
    read: int = 0
    new_articles: int = 0
    duplicates: int = 0
    errors: list[InputError] = field(default_factory=list)
    stories: int | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    nodes: Placements = field(default_factory=dict)  # on Ray: per node id, documents, actors and windows done there

    def as_dict(self) -> dict[str, object]:
        return {
            "read": self.read,
            "new": self.new_articles,
            "duplicates": self.duplicates,
            "skipped": [{"input": e.origin, "reason": e.message} for e in self.errors],
            "stories": self.stories,
            "seconds": {step: round(seconds, 2) for step, seconds in self.seconds.items()},
            "nodes": self.nodes,
        }


@dataclass(frozen=True)
class BackfillOptions:
    window_days: int = DEFAULT_WINDOW_DAYS
    overlap_days: int = DEFAULT_OVERLAP_DAYS
    chunk_docs: int = DEFAULT_CHUNK_DOCS
    encoder: str | Encoder | None = None  # what workers embed with: default the clustering stage's encoder spec


class Backfill:
    """Runs a corpus through ``engine`` into ``store`` with ``pipeline`` (which must hold the built-in clustering
    stage); holds the store's writer lock for the whole run."""

    def __init__(
        self,
        store: Store,
        pipeline: Pipeline,
        engine: Engine,
        options: BackfillOptions | None = None,
        on_wait: Callable[[], None] | None = None,
    ) -> None:
        self.store, self.pipeline, self.engine = store, pipeline, engine
        self.options = options or BackfillOptions()
        self.on_wait = on_wait
        found = next((stage for stage in pipeline.stages if stage.name == "clustering"), None)
        if not isinstance(found, ClusteringStage):
            raise BackfillError("backfill needs the built-in clustering stage in the pipeline")
        self.clustering = found

    def run(
        self, results: Iterable[RawDocument | InputError | SkippedInput], progress: StageProgress | None = None
    ) -> BackfillReport:
        report = BackfillReport()
        with self.store.writer_lock(self.on_wait):
            started = time.perf_counter()
            for chunk in self._new_documents(results, report):
                self._store_chunk(chunk, report, progress)
            report.seconds["prepare_and_store"] = time.perf_counter() - started
            if report.new_articles or self.pipeline.unfinished(self.store):
                started = time.perf_counter()
                report.stories = self._cluster(progress)
                report.seconds["cluster"] = time.perf_counter() - started
                started = time.perf_counter()
                self.pipeline.run(self.store, progress)
                report.seconds["rebuild"] = time.perf_counter() - started
        report.nodes = self.engine.take_placements()
        return report

    def _new_documents(
        self, results: Iterable[RawDocument | InputError | SkippedInput], report: BackfillReport
    ) -> Iterator[list[RawDocument]]:
        """Chunks of the documents not stored yet (errors and stored ones counted in ``report``)."""
        chunk: list[RawDocument] = []
        seen: set[tuple[object, ...]] = set()
        for result in results:
            if isinstance(result, SkippedInput):  # a folder's file that holds no articles, as `ingest` leaves it out
                continue
            report.read += 1
            if isinstance(result, InputError):
                report.errors.append(result)
                continue
            identity = (result.kind, result.external_id, result.url, result.text)
            if identity in seen or has_document(self.store, result):
                report.duplicates += 1
                continue
            seen.add(identity)
            chunk.append(result)
            if len(chunk) >= self.options.chunk_docs:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def _store_chunk(self, docs: Sequence[RawDocument], report: BackfillReport, progress: StageProgress | None) -> None:
        encoder = self.options.encoder if self.options.encoder is not None else self.clustering.encoder_spec
        outcomes = self.engine.map_documents(docs, encoder)
        stored: list[tuple[int, str, ArticleResult]] = []  # (article id, language, results)
        for done, outcome in enumerate(outcomes, start=1):
            if isinstance(outcome, InputError):
                report.errors.append(outcome)
                continue
            stored.extend(self._store_document(outcome, report))
            if progress:
                progress("storing", done, len(outcomes))
        if not stored:
            return
        self.store.request_rebuilds(self.pipeline.names)
        with self.store.stage_batch(self.clustering.name, writer=self.clustering.writer) as vectors:
            vectors.save_embeddings(
                self.clustering.encoder.name,
                [(article_id, r.lead_hash, r.vector, r.keys) for article_id, _, r in stored if r.vector is not None],
            )
        # in the extraction stage's order (undated first, then by date and id), so row ids match an ingest's
        stored.sort(key=lambda row: (row[2].published is not None, row[2].published or dt.date.min, row[0]))
        with self.store.stage_batch(
            "extraction", [article_id for article_id, _, _ in stored], writer=ExtractionWriter
        ) as extraction:
            for article_id, lang, result in stored:
                extraction.replace_extraction(article_id, lang, result.extraction)

    def _store_document(
        self, prepared: PreparedDocument, report: BackfillReport
    ) -> list[tuple[int, str, ArticleResult]]:
        if not prepared.articles:
            report.errors.append(InputError(prepared.doc.origin, "no article text found (only boilerplate or blank)"))
            return []
        result = store_document(self.store, prepared.doc, prepared.articles, prepared.outside)
        report.new_articles += len(result.new_article_ids)
        if not result.new_article_ids:
            report.duplicates += 1
        by_part = {
            article.part: (article, found) for article, found in zip(prepared.articles, prepared.results, strict=True)
        }
        return [
            (article_id, by_part[part][0].language.lang, by_part[part][1])
            for article_id, part in zip(result.new_article_ids, result.new_parts, strict=True)
        ]

    def _cluster(self, progress: StageProgress | None) -> int:
        decide = partial(
            decide_by_windows,
            make_clusterer=self.clustering.make_clusterer,
            window_days=self.options.window_days,
            overlap_days=self.options.overlap_days,
            run_windows=self.engine.run_windows,
        )
        return self.clustering.recluster(self.store, progress, decide=decide)
