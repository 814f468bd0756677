"""Search reads: FTS5 word matches over article titles and texts, and the stored article vectors per encoder.

Ranking and fusion live in ``storylens.views.search`` (the one search service)."""

from __future__ import annotations

from typing import Any

import numpy as np

from storylens.store.db import Store


def has_text_index(store: Store) -> bool:
    row = store.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'article_search'").fetchone()
    return row is not None


def fts_query(text: str) -> str:
    """A user's words as a safe FTS5 query: every word must match, as a word or a word prefix."""
    words = [word for word in text.split() if any(ch.isalnum() for ch in word)]
    return " ".join('"' + word.replace('"', '""') + '"*' for word in words)


HIT_START, HIT_END = "\ue000", "\ue001"  # private-use marks around matched words in snippets


def search_text(store: Store, query: str, *, limit: int = 50) -> list[dict[str, Any]]:
    """Articles whose title or text match every word of ``query`` (best first), with a marked snippet."""
    match = fts_query(query)
    if not match or not has_text_index(store):
        return []
    rows = store.conn.execute(
        f"""SELECT rowid AS id, snippet(article_search, 1, '{HIT_START}', '{HIT_END}', '…', 16) AS snippet
            FROM article_search WHERE article_search MATCH ? ORDER BY bm25(article_search, 3.0, 1.0) LIMIT ?""",
        (match, limit),
    ).fetchall()
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
