"""Does an article match a followed keyword? By its literal text, in any case, or by meaning.

A meaning match embeds the keyword as a search query with the store's own encoder and keeps the articles whose
relevance (the search's statistic: the cosine less the article's mean similarity to fixed nonsense probes) reaches
the cut-off measured for keywords (``keyword_cutoffs.json``, chosen leave-one-set-out by the F1 of story alerts,
``scripts/measure_keyword_cutoff.py``); an encoder without one uses the search's cut-off.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from storylens.store import reads
from storylens.store import stories as story_store
from storylens.store.articles import Article
from storylens.store.db import Store


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def literal_matches(keyword: str, articles: Sequence[Article]) -> dict[int, str]:
    """Article id -> the snippet around the keyword, for the articles whose title or text holds it."""
    wanted = _folded(keyword)
    found: dict[int, str] = {}
    if not wanted:
        return found
    for article in articles:
        text = " ".join(f"{article.title or ''} {article.text}".split())
        at = text.casefold().find(wanted)
        if at >= 0:
            found[article.id] = text[max(0, at - 60) : at + len(wanted) + 60]
    return found


@cache
def _query_encoder(name: str) -> Any:
    from storylens.encoders import encoder_spec_for, get_encoder

    return get_encoder(encoder_spec_for(name))


@cache
def _probe_vectors(name: str) -> np.ndarray:
    """The search's fixed nonsense probes embedded by this encoder (the baseline of the probe statistics)."""
    from storylens.views.search import probe_queries

    return np.asarray(_query_encoder(name).encode_queries(probe_queries()), dtype=np.float32)


@cache
def keyword_cutoffs() -> dict[str, tuple[str, float]]:
    """Encoder name -> (statistic, cut-off) measured for keywords (``keyword_cutoffs.json``)."""
    data = json.loads(resources.files("storylens.alerts").joinpath("keyword_cutoffs.json").read_text("utf-8"))
    return {name: (entry["statistic"], float(entry["cutoff"])) for name, entry in data["encoders"].items()}


def meaning_matches(store: Store, keyword: str, article_ids: Sequence[int]) -> dict[int, float]:
    """Article id -> cosine similarity, for the articles whose vector reaches the measured cut-off (none when the
    store has no vectors, no encoder can embed the keyword or no cut-off is measured for its encoder)."""
    from storylens.views.search import PROBE_STATISTICS, article_baseline, measured_cutoffs, relevance

    name = reads.store_encoder(store)
    if name is None or not article_ids:
        return {}
    measured = keyword_cutoffs().get(name) or measured_cutoffs().get(name)
    if measured is None:
        return {}
    statistic, cutoff = measured
    if statistic not in ("absolute", *PROBE_STATISTICS):  # the others need the whole store's scores
        return {}
    try:
        encoder = _query_encoder(name)
    except (ImportError, OSError, ValueError):
        return {}
    rows = story_store.vectors_and_keys(store, name, article_ids)
    if not rows:
        return {}
    query = np.asarray(encoder.encode_queries([keyword])[0], dtype=np.float32)
    matrix = np.stack([vector for _, vector, _ in rows])
    cosines = matrix @ query
    baseline = article_baseline(_probe_vectors(name) @ matrix.T) if statistic in PROBE_STATISTICS else None
    scores = relevance(cosines, statistic, baseline)[0]
    return {row[0]: float(cos) for row, cos, score in zip(rows, cosines, scores, strict=True) if score >= cutoff}
