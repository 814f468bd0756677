"""Bulk writes: many articles (one document each) and story memberships at once, for loading large stores (the
batch-cost benchmark's synthetic stores, imports) without a transaction per document."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from storylens.store.articles import chunks
from storylens.store.backend import Connection


@dataclass(frozen=True)
class BulkArticle:
    """An article stored as a document of its own: its whole text is the article."""

    key: str
    text: str
    title: str | None
    lang: str
    published: dt.date | None
    ingested_at: str  # ISO time, UTC
    source: str | None = None


def _hash(article: BulkArticle) -> str:
    return hashlib.sha256(f"{article.key}\x00{article.text}".encode()).hexdigest()


def add_articles(conn: Connection, articles: Sequence[BulkArticle], origin: str = "bulk") -> list[int]:
    """Store each article as one document and one article (date method ``declared`` when dated); returns the
    article ids in the given order. Keys and texts must be new to the store."""
    hashes = [_hash(a) for a in articles]
    conn.executemany(
        """INSERT INTO documents (origin, kind, sha256, text, external_id, title, lang, published, source, metadata,
               ingested_at) VALUES (?, 'jsonl', ?, ?, ?, ?, ?, ?, ?, '{}', ?)""",
        [
            (
                origin,
                h,
                a.text,
                a.key,
                a.title,
                a.lang,
                a.published and a.published.isoformat(),
                a.source,
                a.ingested_at,
            )
            for a, h in zip(articles, hashes, strict=True)
        ],
    )
    documents = _ids_by(conn, "documents", "sha256", hashes)
    conn.executemany(
        """INSERT INTO articles (document_id, part, key, external_id, role, start, "end", content_hash, title, lang,
               lang_confidence, published, date_method, date_evidence, source, metadata)
           VALUES (?, 1, ?, ?, 'article', 0, ?, ?, ?, ?, 1.0, ?, ?, '', ?, ?)""",
        [
            (
                documents[h],
                a.key,
                a.key,
                len(a.text),
                h,
                a.title,
                a.lang,
                a.published and a.published.isoformat(),
                "declared" if a.published else "unknown",
                a.source,
                json.dumps({}),
            )
            for a, h in zip(articles, hashes, strict=True)
        ],
    )
    ids = _ids_by(conn, "articles", "content_hash", hashes)
    return [ids[h] for h in hashes]


def _ids_by(conn: Connection, table: str, column: str, values: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in chunks(list(values)):  # type: ignore[arg-type]
        rows = conn.execute(f"SELECT {column}, id FROM {table} WHERE {column} IN ({','.join('?' * len(chunk))})", chunk)
        found.update((row[0], row[1]) for row in rows)
    return found


def set_members(conn: Connection, members: Sequence[tuple[int, int, float | None, str]]) -> None:
    """Put each (article id, story id, similarity, reasons as JSON text) in its story (the stories must exist)."""
    conn.executemany(
        """INSERT INTO story_members (article_id, story_id, similarity, reasons) VALUES (?, ?, ?, ?)
           ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, similarity = excluded.similarity,
           reasons = excluded.reasons""",
        list(members),
    )
