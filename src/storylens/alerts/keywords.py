"""Does an article match a followed keyword? By its literal text, in any case, or by meaning.

A meaning match embeds the keyword as a search query with the store's own encoder and keeps the articles whose
cosine similarity reaches the relevance cut-off measured for that encoder on the dev sets for search
(``views/search_cutoffs.json``, ``scripts/measure_search_cutoff.py``): a followed keyword is a search query run
on every new article, so the same measured cut-off applies.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np

from storylens.store import queries
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


def meaning_matches(store: Store, keyword: str, article_ids: Sequence[int]) -> dict[int, float]:
    """Article id -> cosine similarity, for the articles whose vector reaches the measured cut-off (none when the
    store has no vectors, no encoder can embed the keyword or no cut-off is measured for its encoder)."""
    from storylens.views.search import measured_cutoffs, relevance

    name = queries.store_encoder(store)
    if name is None or not article_ids:
        return {}
    measured = measured_cutoffs().get(name)
    if measured is None:
        return {}
    statistic, cutoff = measured
    if statistic != "absolute":  # a relative statistic needs the whole store's scores, as search computes them
        return {}
    try:
        encoder = _query_encoder(name)
    except (ImportError, OSError, ValueError):
        return {}
    rows = story_store.vectors_and_keys(store, name, article_ids)
    if not rows:
        return {}
    query = np.asarray(encoder.encode_queries([keyword])[0], dtype=np.float32)
    scores = relevance(np.stack([vector for _, vector, _ in rows]) @ query, statistic)[0]
    return {row[0]: float(score) for row, score in zip(rows, scores, strict=True) if score >= cutoff}
