"""Reading and writing documents, articles and segments in the store.

An article's text is never stored twice: it is the slice ``documents.text[start:end]`` of the
verbatim document, and every derived form is computed from that slice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from storylens.models import DateInfo, LanguageGuess, RawDocument, Segment
from storylens.store import progress
from storylens.store.backend import Connection, Row, dialect
from storylens.store.db import Store, row_id


def document_hash(doc: RawDocument) -> str:
    identity = json.dumps([doc.kind, doc.external_id, doc.url, doc.text], ensure_ascii=False)
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()


def content_hash(text: str, identity: str | None = None) -> str:
    """Hash of an article's text with Unicode form and white space folded, so reflowed copies match.

    Records that carry their own identity (a URL, else an input id) hash with it: two outlets may
    publish the same wire text, and both are articles. Text without identity is one article however
    often it is read.
    """
    folded = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(f"{identity or ''}\x00{folded}".encode()).hexdigest()


def _article_hash(doc: RawDocument, article: NewArticle) -> str:
    return content_hash(doc.text[article.start : article.end], doc.url or doc.external_id)


@dataclass(frozen=True)
class NewArticle:
    """One article ready to be stored, as the pipeline built it."""

    part: int
    key: str
    role: str
    start: int
    end: int
    title: str | None
    language: LanguageGuess
    date: DateInfo
    source: str | None
    segments: tuple[Segment, ...]
    translation_of_part: int | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Article:
    """An article as stored, with its text sliced from the verbatim document."""

    id: int
    key: str
    part: int
    external_id: str | None
    role: str
    translation_of: int | None
    text: str
    title: str | None
    lang: str
    lang_confidence: float
    published: dt.date | None
    date_method: str
    date_evidence: str
    source: str | None
    url: str | None
    path: str | None
    document_id: int
    start: int
    end: int
    metadata: dict[str, Any]
    content_hash: str = ""
    origin: str = ""
    inferred_date: dt.date | None = None  # from the article's story when the source gives none; never evidence
    inferred_evidence: str = ""

    @property
    def display_id(self) -> str:
        return public_id(self.key, self.part, self.external_id, self.origin, self.content_hash)


SHORT_ID_PREFIX = "a-"
SHORT_ID_HEX = 10


def public_id(key: str, part: int, external_id: str | None, origin: str, content_hash: str) -> str:
    """The one article id every view shows and accepts: the input's own id (a JSONL/feed id or a file name,
    with ``#N`` for the Nth article of a document) when it has one, else ``a-`` and the first hex digits of
    the article's content hash (stable: the hash is stored and unique). An input has no id of its own when its
    key is a URL, its origin (a JSONL line without an id) or a placeholder such as ``<stdin>``."""
    own = external_id is not None or not origin.startswith("<")
    if own and "://" not in key and key != origin:
        return key if part == 1 else f"{key}#{part}"
    return SHORT_ID_PREFIX + content_hash[:SHORT_ID_HEX]


@dataclass(frozen=True)
class StoreResult:
    """What storing one document did."""

    new_article_ids: tuple[int, ...]
    duplicate_parts: int
    new_parts: tuple[int, ...] = ()  # the part numbers of the new articles, in the order of their ids


ARTICLE_COLUMNS = """
    a.id, a.key, a.part, a.external_id, a.role, a.translation_of, a.title, a.lang, a.lang_confidence,
    a.published, a.date_method, a.date_evidence, a.source, a.url, a.path, a.document_id, a.start, a.end,
    a.metadata, a.inferred_date, a.inferred_evidence, a.content_hash, d.origin,
    substr(d.text, a.start + 1, a.end - a.start) AS text
"""
ARTICLE_FROM = "FROM articles a JOIN documents d ON d.id = a.document_id"
ID_CHUNK = 500


def _article_from_row(row: Row) -> Article:
    dates = ("published", "inferred_date")
    plain: dict[str, Any] = {name: row[name] for name in row.keys() if name not in (*dates, "metadata")}  # noqa: SIM118
    parsed: dict[str, Any] = {name: dt.date.fromisoformat(row[name]) if row[name] else None for name in dates}
    return Article(**plain, **parsed, metadata=json.loads(row["metadata"]))


def has_document(store: Store, doc: RawDocument) -> bool:
    row = store.conn.execute("SELECT 1 FROM documents WHERE sha256 = ?", (document_hash(doc),)).fetchone()
    return row is not None


def store_document(
    store: Store, doc: RawDocument, articles: Sequence[NewArticle], skipped: Sequence[Segment] = ()
) -> StoreResult:
    """Store a document and its new articles in one transaction.

    Parts whose text is already stored are counted as duplicates and not stored again; a
    translation whose original is such a duplicate links to the stored original. A document none
    of whose parts is new is not stored at all.
    """
    conn = store.conn
    hashes = {a.part: _article_hash(doc, a) for a in articles}
    existing = {
        part: conn.execute("SELECT id FROM articles WHERE content_hash = ?", (a_hash,)).fetchone()
        for part, a_hash in hashes.items()
    }
    if all(existing.values()):
        return StoreResult((), len(articles))
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    part_ids: dict[int, int] = {part: row["id"] for part, row in existing.items() if row}
    new_ids: list[int] = []
    new_parts: list[int] = []
    with store.transaction():
        document_id = dialect(conn).insert_id(
            conn,
            """INSERT INTO documents (origin, kind, sha256, text, external_id, title, lang, published,
                   source, url, path, metadata, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            (
                doc.origin,
                doc.kind,
                document_hash(doc),
                doc.text,
                doc.external_id,
                doc.title,
                doc.lang,
                doc.published,
                doc.source,
                doc.url,
                doc.path,
                json.dumps(doc.metadata, ensure_ascii=False, default=str),
                now,
            ),
        )
        for article in articles:
            if existing[article.part]:
                continue
            original = part_ids.get(article.translation_of_part) if article.translation_of_part else None
            article_id = dialect(conn).insert_id(
                conn,
                """INSERT INTO articles (document_id, part, key, external_id, role, translation_of, start, "end",
                       content_hash, title, lang, lang_confidence, published, date_method, date_evidence,
                       source, url, path, metadata) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                (
                    document_id,
                    article.part,
                    article.key,
                    doc.external_id,
                    article.role,
                    original,
                    article.start,
                    article.end,
                    hashes[article.part],
                    article.title,
                    article.language.lang,
                    article.language.confidence,
                    article.date.value.isoformat() if article.date.value else None,
                    article.date.method,
                    article.date.evidence,
                    article.source,
                    doc.url,
                    doc.path,
                    json.dumps(article.metadata, ensure_ascii=False, default=str),
                ),
            )
            part_ids[article.part] = article_id
            new_ids.append(article_id)
            new_parts.append(article.part)
            _insert_segments(conn, document_id, article_id, article.segments)
        _insert_segments(conn, document_id, None, skipped)
    return StoreResult(tuple(new_ids), sum(1 for row in existing.values() if row), tuple(new_parts))


def _insert_segments(
    conn: Connection, document_id: int | None, article_id: int | None, segments: Sequence[Segment]
) -> None:
    conn.executemany(
        'INSERT INTO segments (document_id, article_id, start, "end", role, note) VALUES (?,?,?,?,?,?)',
        [(document_id, article_id, s.start, s.end, s.role, s.note) for s in segments],
    )


def get_article(store: Store, ref: str | int) -> Article | None:
    """An article by the id the views show (key, ``key#part`` or ``a-`` short id, see `public_id`), or by
    numeric row id; a key wins over a row id of the same spelling."""
    ref = str(ref).strip()
    queries: list[tuple[str, tuple[object, ...]]] = [("a.key = ? AND a.part = 1", (ref,))]
    key, _, part = ref.rpartition("#")
    if key and row_id(part) is not None:
        queries.append(("a.key = ? AND a.part = ?", (key, row_id(part))))
    short = ref.removeprefix(SHORT_ID_PREFIX)
    if ref.startswith(SHORT_ID_PREFIX) and len(short) == SHORT_ID_HEX and all(c in "0123456789abcdef" for c in short):
        queries.append(("a.content_hash >= ? AND a.content_hash < ?", (short, short + "g")))
    if row_id(ref) is not None:
        queries.append(("a.id = ?", (row_id(ref),)))
    for where, params in queries:
        row = store.conn.execute(f"SELECT {ARTICLE_COLUMNS} {ARTICLE_FROM} WHERE {where}", params).fetchone()
        if row:
            return _article_from_row(row)
    return None


def list_articles(
    store: Store,
    *,
    lang: str | None = None,
    since: dt.date | None = None,
    ids: Sequence[int] | None = None,
    limit: int | None = None,
) -> list[Article]:
    """Articles by publication date; ``ids`` may be any number of ids (they are looked up in chunks)."""
    if ids is not None and len(ids) > ID_CHUNK:
        found = [a for chunk in chunks(ids) for a in list_articles(store, lang=lang, since=since, ids=chunk)]
        found.sort(key=lambda a: (a.published is not None, a.published or dt.date.min, a.id))
        return found[:limit] if limit else found
    where: list[str] = ["1 = 1"]
    params: list[object] = []
    if lang:
        where.append("a.lang = ?")
        params.append(lang)
    if since:
        where.append("a.published >= ?")
        params.append(since.isoformat())
    if ids is not None:
        where.append(f"a.id IN ({','.join('?' * len(ids))})")
        params.extend(ids)
    sql = f"SELECT {ARTICLE_COLUMNS} {ARTICLE_FROM} WHERE {' AND '.join(where)} ORDER BY a.published NULLS FIRST, a.id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [_article_from_row(row) for row in store.conn.execute(sql, params)]


def chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    """Ids in pieces small enough for one SQL statement's parameters."""
    return [ids[start : start + ID_CHUNK] for start in range(0, len(ids), ID_CHUNK)]


def translations_of(store: Store, article_id: int) -> list[Article]:
    rows = store.conn.execute(
        f"SELECT {ARTICLE_COLUMNS} {ARTICLE_FROM} WHERE a.translation_of = ? ORDER BY a.id", (article_id,)
    )
    return [_article_from_row(row) for row in rows]


def article_segments(store: Store, article_id: int) -> list[Segment]:
    rows = store.conn.execute(
        'SELECT start, "end", role, note FROM segments WHERE article_id = ? ORDER BY start', (article_id,)
    )
    return [Segment(row["start"], row["end"], row["role"], row["note"]) for row in rows]


def stats(store: Store) -> dict[str, Any]:
    conn = store.conn
    by_lang = dict(conn.execute("SELECT lang, count(*) FROM articles GROUP BY lang ORDER BY count(*) DESC"))
    by_role = dict(conn.execute("SELECT role, count(*) FROM articles GROUP BY role"))
    by_method = dict(conn.execute("SELECT date_method, count(*) FROM articles GROUP BY date_method"))
    span = conn.execute("SELECT min(published), max(published) FROM articles").fetchone()
    return {
        "documents": conn.execute("SELECT count(*) FROM documents").fetchone()[0],
        "articles": conn.execute("SELECT count(*) FROM articles").fetchone()[0],
        "by_lang": by_lang,
        "by_role": by_role,
        "date_methods": by_method,
        "first_published": span[0],
        "last_published": span[1],
        "schema_version": store.version,
        "stages_completed": progress.completed(store),  # articles per stage; fewer than `articles`: run `ingest`
    }
