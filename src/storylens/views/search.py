"""Article search shared by the CLI (`storylens search`), the API (`/api/search`) and the web UI.

Text matches come from SQLite FTS5 (every word, as a word or prefix); meaning matches from the stored vectors
of the encoder the store was built with (`reads.search.store_encoder`), embedding the query with that same encoder.
A meaning match counts only when its relevance reaches the cut-off measured for that encoder on the dev sets
(`search_cutoffs.json`, written by `scripts/measure_search_cutoff.py`), so nonsense finds nothing. The measured
relevance is the cosine similarity less the article's mean similarity to fixed nonsense probes (seeded random
letter strings, embedded once per store version): an article every query lands near, or one in the query's own
script, must beat what nonsense already scores on it, so a match in another script is not held to the same
raw bar.
The two rankings are fused by reciprocal rank.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np

from storylens.store.db import Store
from storylens.store.read_model import ArticleInStory, SearchHit
from storylens.store.reads import search as reads
from storylens.store.reads.articles import articles_by_ids

SearchMode = Literal["hybrid", "text", "semantic"]
CUTOFFS_FILE = Path(__file__).with_name("search_cutoffs.json")
TEXT_POOL = 500  # text matches considered before filters and paging
# How a query's similarity to an article is judged: as is ("absolute"), above the query's mean similarity to
# every stored article ("margin"), in standard deviations above that mean ("z"), or against each article's own
# similarity to nonsense probes: above their mean ("probe_margin") or in their standard deviations above it
# ("probe_z"). The measurement picks one.
STATISTICS = ("absolute", "margin", "z", "probe_margin", "probe_z")
PROBE_STATISTICS = ("probe_margin", "probe_z")
PROBES, PROBE_SEED = 64, 20261204
# Letter ranges (code points) that nonsense probes are drawn from: Latin, Cyrillic, Greek, Hebrew, Arabic.
PROBE_ALPHABETS = ((0x61, 0x7A), (0x430, 0x44F), (0x3B1, 0x3C9), (0x5D0, 0x5EA), (0x627, 0x64A))
RRF_K = 60  # reciprocal rank fusion constant (Cormack et al. 2009)


def nonsense(rng: random.Random) -> str:
    """A random string of 1-3 letter runs in one alphabet: a query that means nothing."""
    low, high = rng.choice(PROBE_ALPHABETS)
    words = rng.randint(1, 3)
    return " ".join("".join(chr(rng.randint(low, high)) for _ in range(rng.randint(3, 10))) for _ in range(words))


def probe_queries(count: int = PROBES, seed: int = PROBE_SEED) -> list[str]:
    """The fixed nonsense probes that calibrate each article's similarity to a query about nothing."""
    rng = random.Random(seed)
    return [nonsense(rng) for _ in range(count)]


def article_baseline(probe_scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per article, the mean and standard deviation of its similarity to the nonsense probes (rows: probes)."""
    return probe_scores.mean(axis=0), np.maximum(probe_scores.std(axis=0), 1e-6)


def relevance(scores: np.ndarray, statistic: str, baseline: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Per-query relevance of each article from cosine similarities (one row per query, one column per article);
    the probe statistics need ``baseline``, the articles' ``article_baseline``."""
    scores = np.atleast_2d(scores)
    if statistic == "absolute":
        return scores
    if statistic in PROBE_STATISTICS:
        if baseline is None:
            raise ValueError(f"the {statistic} statistic needs the articles' probe baseline")
        mean, spread = baseline
        return scores - mean if statistic == "probe_margin" else (scores - mean) / spread
    centred = scores - scores.mean(axis=1, keepdims=True)
    if statistic == "margin":
        return centred
    return centred / np.maximum(scores.std(axis=1, keepdims=True), 1e-6)


def fuse_rankings(*rankings: Sequence[int]) -> list[int]:
    """Reciprocal rank fusion: items ranked well by several lists first."""
    scores: dict[int, float] = defaultdict(float)
    for ranking in rankings:
        for rank, item in enumerate(ranking):
            scores[item] += 1.0 / (RRF_K + rank + 1)
    return sorted(scores, key=lambda item: -scores[item])


@cache
def measured_cutoffs() -> dict[str, tuple[str, float]]:
    """Encoder name -> (statistic, least relevance of a meaning match), as measured on the dev sets."""
    data = json.loads(CUTOFFS_FILE.read_text(encoding="utf-8"))
    return {name: (entry["statistic"], float(entry["cutoff"])) for name, entry in data["encoders"].items()}


@dataclass
class SearchService:
    """Full-text and semantic article search; the query encoder and the vector matrix load on first use.

    ``encoder_spec`` (or ``encoder``) overrides the store's own encoder; ``cutoff`` (with ``statistic``)
    overrides the measured one.
    """

    encoder_spec: str | None = None
    encoder: Any = None
    cutoff: float | None = None
    statistic: str = "absolute"
    _vectors: dict[str, tuple[tuple[int, int], np.ndarray, np.ndarray]] = field(default_factory=dict)
    _baselines: dict[str, tuple[tuple[int, int], tuple[np.ndarray, np.ndarray]]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _encoder_error: str | None = None

    def _query_encoder(self, stored_name: str) -> Any:
        with self._lock:
            if self.encoder is None and self._encoder_error is None:
                from storylens.encoders import EncoderError, encoder_spec_for, get_encoder

                spec = self.encoder_spec or encoder_spec_for(stored_name)
                try:
                    self.encoder = get_encoder(spec)
                except (EncoderError, ImportError, OSError, ValueError) as error:
                    self._encoder_error = f"the {spec} encoder is unavailable ({error})"
            return self.encoder

    def _matrix(self, store: Store, encoder_name: str) -> tuple[np.ndarray, np.ndarray]:
        version = reads.vector_stamp(store, encoder_name)
        with self._lock:
            cached = self._vectors.get(encoder_name)
            if cached is None or cached[0] != version:
                ids, matrix = reads.load_vectors(store, encoder_name)
                self._vectors[encoder_name] = (version, ids, matrix)
            _, ids, matrix = self._vectors[encoder_name]
        return ids, matrix

    def _baseline(self, store: Store, encoder: Any, matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        version = reads.vector_stamp(store, encoder.name)
        with self._lock:
            cached = self._baselines.get(encoder.name)
            if cached is None or cached[0] != version or len(cached[1][0]) != len(matrix):
                probes = np.asarray(encoder.encode_queries(probe_queries()), dtype=np.float32)
                self._baselines[encoder.name] = (version, article_baseline(probes @ matrix.T))
            return self._baselines[encoder.name][1]

    def semantic(self, store: Store, text: str) -> tuple[list[tuple[int, float]], str | None]:
        """Articles at or above the cut-off by meaning, best first, or a note saying why there are none."""
        stored = reads.store_encoder(store)
        if stored is None:
            return [], "no article vectors are stored yet, so only exact word matches are shown"
        encoder = self._query_encoder(stored)
        if encoder is None:
            return [], f"{self._encoder_error}; only exact word matches are shown"
        if encoder.name not in reads.stored_encoders(store):
            return [], f"no vectors from {encoder.name} are stored; only exact word matches are shown"
        measured = (self.statistic, self.cutoff) if self.cutoff is not None else measured_cutoffs().get(encoder.name)
        if measured is None:
            return [], f"no relevance cut-off is measured for {encoder.name}; only exact word matches are shown"
        statistic, cutoff = measured
        ids, matrix = self._matrix(store, encoder.name)
        if len(ids) == 0:
            return [], None
        scores = matrix @ np.asarray(encoder.encode_queries([text])[0], dtype=np.float32)
        baseline = self._baseline(store, encoder, matrix) if statistic in PROBE_STATISTICS else None
        kept = np.flatnonzero(relevance(scores, statistic, baseline)[0] >= cutoff)
        kept = kept[np.argsort(-scores[kept], kind="stable")]
        return [(int(ids[i]), float(scores[i])) for i in kept], None

    def search(
        self,
        store: Store,
        text: str,
        *,
        mode: SearchMode = "hybrid",
        lang: str | None = None,
        since: dt.date | None = None,
    ) -> dict[str, Any]:
        """Every article matching ``text`` (best first): by words (FTS5), by meaning (vectors), or both fused;
        optionally only those in a language or published on or after a date."""
        word_hits = reads.search_text(store, text, limit=TEXT_POOL) if mode != "semantic" else []
        meaning_hits, note = self.semantic(store, text) if mode != "text" else ([], None)
        order = fuse_rankings([h["id"] for h in word_hits], [article for article, _ in meaning_hits])
        articles = articles_by_ids(store, order)
        snippets = {h["id"]: h["snippet"] for h in word_hits}
        similarity = dict(meaning_hits)
        sources = (("words", snippets), ("meaning", similarity))
        results = [
            SearchHit(
                **articles[article_id].model_dump(exclude_unset=True),
                snippet=snippets.get(article_id),
                similarity=round(similarity[article_id], 4) if article_id in similarity else None,
                matched=[kind for kind, hits in sources if article_id in hits],
            )
            for article_id in order
            if article_id in articles and _kept(articles[article_id], lang, since)
        ]
        return {"query": text, "mode": mode, "note": note, "total": len(results), "results": results}


def _kept(article: ArticleInStory, lang: str | None, since: dt.date | None) -> bool:
    if lang and article["lang"] != lang:
        return False
    return not since or (article["published"] is not None and article["published"] >= since.isoformat())
