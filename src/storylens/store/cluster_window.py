"""What one ingest batch loads for clustering: the stored stories of the time window it touches, and the totals
over every clustered article that the window alone cannot give (language vector sums, key counts).

A *clustered article* is a story member that is an original (not a translation) with a vector of the encoder
and evidence keys: what the clustering stage reads back. ``cluster_totals`` marks the encoder whose totals are
kept; the stage adds each batch's new members to them in the transaction that stores the batch, and
``rebuild_totals`` counts them anew from the stored articles (after a recluster, or once for an older store).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from storylens.store.articles import chunks
from storylens.store.backend import Connection
from storylens.store.stories import StoredMember

_MEMBERS = """SELECT a.id, a.lang, a.published, e.vector, k.keys, sm.story_id FROM story_members sm
              JOIN articles a ON a.id = sm.article_id AND a.role = 'article'
              JOIN embeddings e ON e.article_id = a.id AND e.encoder = ?
              JOIN article_keys k ON k.article_id = a.id"""


def _member(row: tuple) -> StoredMember:  # type: ignore[type-arg]
    return (row[0], row[1], row[2], np.frombuffer(row[3], dtype=np.float32), frozenset(json.loads(row[4])), row[5])


def window_members(
    conn: Connection,
    encoder: str,
    ranges: Sequence[tuple[dt.date, dt.date]],
    undated_since: str | None,
    story_ids: Iterable[int] = (),
) -> list[StoredMember]:
    """The clustered articles of every story that has an original published within one of ``ranges`` (inclusive
    date pairs), or an undated original whose document was ingested at or after ``undated_since`` (an ISO time;
    None: no undated ones), or that has no stored summary yet, or is one of ``story_ids``, with all their members
    whatever their dates; as ``stories.stored_members``, by id."""
    chosen = (
        "SELECT sm2.story_id FROM story_members sm2 JOIN articles a2 ON a2.id = sm2.article_id AND a2.role = 'article'"
    )
    parts = [f"{chosen} WHERE a2.published >= ? AND a2.published <= ?"] * len(ranges)  # each on the date index
    params: list[object] = [encoder]
    for low, high in ranges:
        params += [low.isoformat(), high.isoformat()]
    if undated_since is not None:
        parts.append(
            f"{chosen} WHERE a2.published IS NULL AND a2.document_id IN "
            "(SELECT d.id FROM documents d WHERE d.ingested_at >= ?)"
        )
        params.append(undated_since)
    parts.append("SELECT s.id FROM stories s WHERE s.centroid IS NULL")  # to summarise (older stores)
    chosen_ids = sorted(set(story_ids))
    if chosen_ids:
        _fill(conn, "cluster_wanted_stories", "story_id INTEGER", [(i,) for i in chosen_ids])
        parts.append("SELECT story_id FROM cluster_wanted_stories")
    rows = conn.execute(f"{_MEMBERS} WHERE sm.story_id IN ({' UNION '.join(parts)}) ORDER BY a.id", params)
    return [_member(row) for row in rows]


def clustered_between(conn: Connection, low: dt.date, high: dt.date, limit: int) -> int:
    """How many clustered originals (story members) are dated from ``low`` to ``high`` (inclusive), counted up to
    ``limit``: a bounded read on the date index, whatever the store's size."""
    row = conn.execute(
        """SELECT count(*) FROM (SELECT 1 FROM articles a JOIN story_members sm ON sm.article_id = a.id
           WHERE a.role = 'article' AND a.published >= ? AND a.published <= ? LIMIT ?) counted""",
        (low.isoformat(), high.isoformat(), limit),
    ).fetchone()
    return int(row[0])


def newest_ingest(conn: Connection) -> str | None:
    """When the most recent document was ingested (ISO time), None for an empty store."""
    row = conn.execute("SELECT max(ingested_at) FROM documents").fetchone()
    return row[0] if row else None


def latest_dated(conn: Connection) -> dt.date | None:
    """The publication date of the most recently ingested dated original (None: no dated original)."""
    row = conn.execute(
        """SELECT a.published FROM articles a JOIN documents d ON d.id = a.document_id
           WHERE a.published IS NOT NULL AND a.role = 'article' ORDER BY d.ingested_at DESC, a.id DESC LIMIT 1"""
    ).fetchone()
    return dt.date.fromisoformat(row[0]) if row else None


def max_story_id(conn: Connection) -> int | None:
    row = conn.execute("SELECT max(id) FROM stories").fetchone()
    return None if row is None else row[0]


def members_among(conn: Connection, article_ids: Sequence[int]) -> dict[int, int]:
    """Article id -> story id, for those of these articles already in a story."""
    found: dict[int, int] = {}
    for chunk in chunks(list(article_ids)):
        rows = conn.execute(
            f"SELECT article_id, story_id FROM story_members WHERE article_id IN ({','.join('?' * len(chunk))})",
            chunk,
        )
        found.update((row[0], row[1]) for row in rows)
    return found


# Totals over every clustered article.


def totals_kept(conn: Connection, encoder: str) -> int | None:
    """How many clustered articles the kept totals count (None: no totals are kept for this encoder)."""
    row = conn.execute("SELECT articles FROM cluster_totals WHERE encoder = ?", (encoder,)).fetchone()
    return None if row is None else int(row[0])


def language_sums(conn: Connection, encoder: str) -> dict[str, tuple[int, np.ndarray]]:
    """Language -> (clustered articles, float64 sum of their vectors)."""
    rows = conn.execute(
        "SELECT lang, articles, vector_sum FROM cluster_language_sums WHERE encoder = ? ORDER BY lang", (encoder,)
    )
    return {row[0]: (int(row[1]), np.frombuffer(row[2], dtype=np.float64).copy()) for row in rows}


def key_counts(conn: Connection, encoder: str, keys: Iterable[str]) -> dict[str, int]:
    """Key -> how many clustered articles name it, for those of ``keys`` any does."""
    _fill(conn, "cluster_wanted_keys", "key TEXT", [(k,) for k in keys])
    rows = conn.execute(
        """SELECT c.key, c.articles FROM cluster_key_counts c JOIN cluster_wanted_keys w ON w.key = c.key
           WHERE c.encoder = ?""",
        (encoder,),
    )
    return {row[0]: int(row[1]) for row in rows}


def stories_naming(conn: Connection, keys: Iterable[str]) -> list[tuple[str, int]]:
    """(key, story) for every clustered article that names one of ``keys``, once per pair, by key and story."""
    _fill(conn, "cluster_wanted_keys", "key TEXT", [(k,) for k in keys])
    rows = conn.execute(
        """SELECT DISTINCT c.key, sm.story_id FROM cluster_wanted_keys w
           JOIN cluster_key_articles c ON c.key = w.key JOIN story_members sm ON sm.article_id = c.article_id
           ORDER BY c.key, sm.story_id"""
    )
    return [(row[0], int(row[1])) for row in rows]


def index_keys(conn: Connection, members: Iterable[tuple[int, Iterable[str]]]) -> None:
    """Record which keys these clustered articles (id, keys) name, for ``stories_naming``."""
    conn.executemany(
        "INSERT INTO cluster_key_articles (key, article_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
        [(key, article_id) for article_id, keys in members for key in sorted(set(keys))],
    )


def _fill(conn: Connection, table: str, column: str, rows: Sequence[tuple[object]]) -> None:
    """A temporary one-column table holding ``rows`` (only what this connection asked last)."""
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} ({column} PRIMARY KEY)")
    conn.execute(f"DELETE FROM {table}")
    conn.executemany(f"INSERT INTO {table} VALUES (?) ON CONFLICT DO NOTHING", rows)


def add_totals(
    conn: Connection, encoder: str, members: Sequence[tuple[str, np.ndarray, Iterable[str]]], *, replace: bool = False
) -> None:
    """Count these newly clustered articles, (language, vector, keys) each, into the totals (``replace``: they are
    all of them, the old totals are dropped)."""
    if replace:
        for table in ("cluster_totals", "cluster_language_sums", "cluster_key_counts"):
            conn.execute(f"DELETE FROM {table} WHERE encoder = ?", (encoder,))
    sums: dict[str, np.ndarray] = {}
    counts: Counter[str] = Counter()
    keys: Counter[str] = Counter()
    for lang, vector, article_keys in members:
        sums[lang] = sums.get(lang, 0.0) + np.asarray(vector, dtype=np.float64)
        counts[lang] += 1
        keys.update(set(article_keys))
    stored = language_sums(conn, encoder)
    conn.executemany(
        """INSERT INTO cluster_language_sums (encoder, lang, articles, vector_sum) VALUES (?, ?, ?, ?)
           ON CONFLICT (encoder, lang) DO UPDATE SET articles = excluded.articles, vector_sum = excluded.vector_sum""",
        [
            (
                encoder,
                lang,
                stored.get(lang, (0, 0.0))[0] + counts[lang],
                (stored.get(lang, (0, 0.0))[1] + total).tobytes(),
            )
            for lang, total in sorted(sums.items())
        ],
    )
    conn.executemany(
        """INSERT INTO cluster_key_counts (encoder, key, articles) VALUES (?, ?, ?) ON CONFLICT (encoder, key)
           DO UPDATE SET articles = cluster_key_counts.articles + excluded.articles""",
        [(encoder, key, count) for key, count in sorted(keys.items())],
    )
    conn.execute(
        """INSERT INTO cluster_totals (encoder, articles) VALUES (?, ?) ON CONFLICT (encoder)
           DO UPDATE SET articles = cluster_totals.articles + excluded.articles""",
        (encoder, len(members)),
    )


def rebuild_totals(conn: Connection, encoder: str, batch: int = 20_000) -> None:
    """Count the totals anew from every clustered article (read in id order, ``batch`` at a time), and drop the
    totals of other encoders."""
    conn.execute("DELETE FROM cluster_totals WHERE encoder <> ?", (encoder,))
    conn.execute("DELETE FROM cluster_language_sums WHERE encoder <> ?", (encoder,))
    conn.execute("DELETE FROM cluster_key_counts WHERE encoder <> ?", (encoder,))
    add_totals(conn, encoder, [], replace=True)
    conn.execute("DELETE FROM cluster_key_articles")
    last = -1
    while True:
        rows = conn.execute(f"{_MEMBERS} WHERE a.id > ? ORDER BY a.id LIMIT ?", (encoder, last, batch)).fetchall()
        if not rows:
            return
        members = [_member(row) for row in rows]
        add_totals(conn, encoder, [(m[1], m[3], m[4]) for m in members])
        index_keys(conn, [(m[0], m[4]) for m in members])
        last = members[-1][0]
