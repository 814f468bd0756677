"""The per-document work of a backfill, pure (no store): what a worker computes for a batch of documents.

For each document: ``pipeline.prepare`` (cleaning, language, dates), then for each of its articles the
evidence keys and the extraction (mentions, quotes, figures: ``extraction.extract``, the part that needs no
other article), and for each original (not a translation) the vector of its lead from the settings' encoder,
which a worker builds once. The writer stores these exactly as the stages would have computed them.
"""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from storylens.clustering.keys import evidence_keys
from storylens.clustering.stage import article_lead, text_hash
from storylens.encoders import Encoder, get_encoder
from storylens.extraction import Extraction, extract
from storylens.models import InputError, RawDocument, Segment
from storylens.pipeline import prepare
from storylens.store.articles import NewArticle


@dataclass(frozen=True)
class ArticleResult:
    """One article's pure results: its vector (originals only), the hash of the embedded text, keys and extraction."""

    vector: np.ndarray | None
    lead_hash: str
    keys: frozenset[str]
    extraction: Extraction
    published: dt.date | None


@dataclass(frozen=True)
class PreparedDocument:
    """A document with its articles as ``prepare`` found them and each article's results (same order)."""

    doc: RawDocument
    articles: list[NewArticle]
    outside: list[Segment]
    results: list[ArticleResult]


Outcome = PreparedDocument | InputError


class DocumentWork:
    """Prepares, embeds and extracts batches of documents; builds its encoder once (per Ray actor, or once for the
    local loop). ``encoder`` is a spec (``get_encoder``) or an encoder object (it must pickle for Ray)."""

    def __init__(self, encoder: str | Encoder) -> None:
        self.encoder = get_encoder(encoder) if isinstance(encoder, str) else encoder

    def documents(self, docs: Sequence[RawDocument]) -> list[Outcome]:
        """Each document's outcome, in order; one embedding call for every original of the batch."""
        prepared: list[tuple[RawDocument, list[NewArticle], list[Segment]] | InputError] = []
        for doc in docs:
            try:
                articles, outside = prepare(doc)
            except InputError as error:
                prepared.append(error)
                continue
            prepared.append((doc, articles, outside))
        leads = [
            article_lead(a.title, item[0].text[a.start : a.end])
            for item in prepared
            if not isinstance(item, InputError)
            for a in item[1]
            if a.role == "article"
        ]
        vectors: Iterator[np.ndarray] = iter(self.encoder.encode(leads).astype(np.float32) if leads else [])
        outcomes: list[Outcome] = []
        for item in prepared:
            if isinstance(item, InputError):
                outcomes.append(item)
                continue
            doc, articles, outside = item
            results = []
            for article in articles:
                text = doc.text[article.start : article.end]
                lang = article.language.lang
                original = article.role == "article"
                results.append(
                    ArticleResult(
                        vector=next(vectors) if original else None,
                        lead_hash=text_hash(article_lead(article.title, text)) if original else "",
                        keys=frozenset(evidence_keys(text, lang)),
                        extraction=extract(text, lang),
                        published=article.date.value,
                    )
                )
            outcomes.append(PreparedDocument(doc, articles, outside, results))
        return outcomes

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """The Ray Data form: a batch of ``{"index", "doc"}`` rows (documents pickled) to ``{"index", "outcome"}``."""
        docs = [pickle.loads(blob) for blob in batch["doc"]]
        outcomes = [pickle.dumps(outcome) for outcome in self.documents(docs)]
        return {"index": np.asarray(batch["index"]), "outcome": np.array(outcomes, dtype=object)}
