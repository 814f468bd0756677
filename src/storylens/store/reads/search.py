"""Search reads: word matches over article titles and texts (FTS5, or tsvector on PostgreSQL:
``Backend.text_search``), and the stored article vectors per encoder.

Ranking and fusion live in ``storylens.views.search`` (the one search service)."""

from __future__ import annotations

from typing import Any

import numpy as np

from storylens.store.backend import dialect
from storylens.store.db import Store


def has_text_index(store: Store) -> bool:
    return dialect(store.conn).has_text_index(store.conn)


def fts_query(text: str) -> str:
    """A user's words as a safe FTS5 query: every word must match, as a word or a word prefix."""
    words = [word for word in text.split() if any(ch.isalnum() for ch in word)]
    return " ".join('"' + word.replace('"', '""') + '"*' for word in words)


HIT_START, HIT_END = "\ue000", "\ue001"  # private-use marks around matched words in snippets


def search_text(store: Store, query: str, *, limit: int = 50) -> list[dict[str, Any]]:
    """Articles whose title or text match every word of ``query`` (best first), with a marked snippet."""
    words = [word for word in query.split() if any(ch.isalnum() for ch in word)]
    if not words or not has_text_index(store):
        return []
    rows = dialect(store.conn).text_search(store.conn, words, limit, (HIT_START, HIT_END))
    return [{"id": row["id"], "snippet": row["snippet"]} for row in rows]


def stored_encoders(store: Store) -> dict[str, int]:
    """Encoder names with stored vectors, and how many articles each has embedded."""
    return dict(store.conn.execute("SELECT encoder, count(*) FROM embeddings GROUP BY encoder").fetchall())


def store_encoder(store: Store) -> str | None:
    """The name of the encoder the store was built with: the one that embedded the most articles."""
    counts = stored_encoders(store)
    return max(counts, key=lambda name: (counts[name], name)) if counts else None


def vector_stamp(store: Store, encoder: str) -> tuple[int, int]:
    """(count, largest article id) of an encoder's stored vectors: changes whenever vectors are added."""
    row = store.conn.execute(
        "SELECT count(*), coalesce(max(article_id), 0) FROM embeddings WHERE encoder = ?", (encoder,)
    ).fetchone()
    return int(row[0]), int(row[1])


def load_vectors(store: Store, encoder: str) -> tuple[np.ndarray, np.ndarray]:
    """(article ids, float32 matrix with one L2-normalised row each) stored for an encoder."""
    rows = store.conn.execute(
        "SELECT article_id, vector FROM embeddings WHERE encoder = ? ORDER BY article_id", (encoder,)
    ).fetchall()
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    matrix = np.vstack([np.frombuffer(row[1], dtype=np.float32) for row in rows])
    return ids, matrix
