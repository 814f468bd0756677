"""Watchlists, the alerts they raise and where each alert was delivered, and the last briefing per story.

An alert's ``key`` is unique (the same evidence never raises two alerts) and an alert is delivered to each sink
once (``alert_deliveries`` has one row per alert and sink). The facts the alert step reads about new articles
(their stories, languages, outlets, the entities they mention) are read here too.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from storylens.store.articles import chunks, public_id
from storylens.store.backend import Connection
from storylens.store.db import Store


def now_text() -> str:
    """The store's timestamp format (ISO 8601, UTC, seconds), as in ``documents.ingested_at``."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _marks(count: int) -> str:
    return ",".join("?" * count)


# ---------------------------------------------------------------- watchlists


@dataclass(frozen=True)
class Watchlist:
    id: int
    kind: str  # entity, keyword or story
    value: str
    lang: str  # "" for any language
    created_at: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "value": self.value, "lang": self.lang or None,
                "created_at": self.created_at}  # fmt: skip

    @property
    def label(self) -> str:
        return f"{self.kind} {self.value!r}" + (f" ({self.lang})" if self.lang else "")


def add_watchlist(store: Store, kind: str, value: str, lang: str = "") -> tuple[Watchlist, bool]:
    """The watchlist (kind, value, lang), created now unless it exists; and whether it was created."""
    with store.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO watchlists (kind, value, lang, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (kind, value, lang, now_text()),
        )
        created = cursor.rowcount == 1
    found = [w for w in watchlists(store) if (w.kind, w.value, w.lang) == (kind, value, lang)]
    return found[0], created


def remove_watchlist(store: Store, watchlist_id: int) -> bool:
    """Delete a watchlist and its alerts; whether it existed."""
    with store.transaction() as conn:
        return conn.execute("DELETE FROM watchlists WHERE id = ?", (watchlist_id,)).rowcount == 1


def watchlists(store: Store) -> list[Watchlist]:
    rows = store.conn.execute("SELECT id, kind, value, lang, created_at FROM watchlists ORDER BY id")
    return [Watchlist(r["id"], r["kind"], r["value"], r["lang"], r["created_at"]) for r in rows]


def get_watchlist(store: Store, watchlist_id: int) -> Watchlist | None:
    return next((w for w in watchlists(store) if w.id == watchlist_id), None)


def alert_counts(store: Store) -> dict[int, int]:
    return dict(store.conn.execute("SELECT watchlist_id, count(*) FROM alerts GROUP BY watchlist_id").fetchall())


# ---------------------------------------------------------------- facts the alert step reads


@dataclass(frozen=True)
class ArticleFacts:
    id: int
    key: str  # the public id
    story_id: int | None
    lang: str
    source: str | None
    title: str | None
    url: str | None
    published: str | None
    ingested_at: str
    role: str


def article_facts(store: Store, article_ids: Sequence[int]) -> list[ArticleFacts]:
    """The stored facts of these articles, in id order."""
    found: list[ArticleFacts] = []
    for chunk in chunks(list(article_ids)):
        rows = store.conn.execute(
            f"""SELECT a.id, a.key, a.part, a.external_id, a.content_hash, d.origin, sm.story_id, a.lang, a.source,
                       a.title, a.url, a.published, d.ingested_at, a.role
                FROM articles a JOIN documents d ON d.id = a.document_id
                LEFT JOIN story_members sm ON sm.article_id = a.id
                WHERE a.id IN ({_marks(len(chunk))})""",
            list(chunk),
        )
        found.extend(
            ArticleFacts(
                r["id"], public_id(r["key"], r["part"], r["external_id"], r["origin"], r["content_hash"]),
                r["story_id"], r["lang"], r["source"], r["title"], r["url"], r["published"], r["ingested_at"],
                r["role"],
            )
            for r in rows
        )  # fmt: skip
    return sorted(found, key=lambda a: a.id)


def story_members_before(store: Store, story_id: int, excluding: Iterable[int]) -> list[tuple[str, str | None]]:
    """(language, outlet) of the story's articles other than ``excluding``."""
    skip = set(excluding)
    rows = store.conn.execute(
        "SELECT a.id, a.lang, a.source FROM story_members sm JOIN articles a ON a.id = sm.article_id"
        " WHERE sm.story_id = ?",
        (story_id,),
    )
    return [(r["lang"], r["source"]) for r in rows if r["id"] not in skip]


def story_title(store: Store, story_id: int) -> str:
    row = store.conn.execute("SELECT title FROM stories WHERE id = ?", (story_id,)).fetchone()
    return (row["title"] if row else "") or f"story {story_id}"


def entity_ids_named(store: Store, name: str) -> set[int]:
    """Entities whose name, or a mention of which, is written ``name`` (ignoring the case of ASCII letters, as
    SQLite's ``lower`` and ``NOCASE`` do; PostgreSQL's ``lower`` in a C-collated database does the same)."""
    rows = store.conn.execute(
        """SELECT id FROM entities WHERE lower(name) = lower(?)
           UNION SELECT entity_id FROM mentions WHERE lower(text) = lower(?) AND entity_id IS NOT NULL""",
        (name, name),
    )
    return {row[0] for row in rows}


def mentions_of(store: Store, entity_ids: Iterable[int], article_ids: Sequence[int]) -> dict[int, list[str]]:
    """For each of these articles that mentions one of the entities: the texts of those mentions."""
    entities = list(entity_ids)
    found: dict[int, list[str]] = {}
    if not entities:
        return found
    for chunk in chunks(list(article_ids)):
        rows = store.conn.execute(
            f"""SELECT article_id, text FROM mentions WHERE entity_id IN ({_marks(len(entities))})
                AND article_id IN ({_marks(len(chunk))}) ORDER BY article_id, start""",
            [*entities, *chunk],
        )
        for row in rows:
            found.setdefault(row[0], []).append(row[1])
    return found


def followed_stories(store: Store, watchlist_id: int) -> set[int]:
    """The stories this watchlist follows: those now holding an article one of its story alerts cited (so a story
    stays followed when clustering merges it or `recluster` renumbers it)."""
    rows = store.conn.execute(
        "SELECT evidence FROM alerts WHERE watchlist_id = ? AND kind = 'story-match'", (watchlist_id,)
    )
    cited = sorted({item["article"] for row in rows for item in json.loads(row[0]) if "article" in item})
    followed: set[int] = set()
    for chunk in chunks(cited):
        found = store.conn.execute(
            f"SELECT DISTINCT story_id FROM story_members WHERE article_id IN ({_marks(len(chunk))})", list(chunk)
        )
        followed.update(row[0] for row in found)
    return followed


# ---------------------------------------------------------------- alerts


@dataclass(frozen=True)
class NewAlert:
    key: str
    watchlist_id: int
    kind: str
    story_id: int | None
    title: str
    evidence: list[dict[str, Any]]


def record_alerts(conn: Connection, alerts: Iterable[NewAlert]) -> int:
    """Store alerts whose key is new (inside a stage's transaction); how many were new."""
    created = now_text()
    added = 0
    for alert in alerts:
        cursor = conn.execute(
            """INSERT INTO alerts (key, watchlist_id, kind, story_id, title, evidence, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
            (alert.key, alert.watchlist_id, alert.kind, alert.story_id, alert.title,
             json.dumps(alert.evidence, ensure_ascii=False), created),
        )  # fmt: skip
        added += cursor.rowcount
    return added


ALERT_COLUMNS = """al.id, al.key, al.kind, al.story_id, al.title, al.evidence, al.created_at,
                   w.id AS watchlist_id, w.kind AS watch_kind, w.value AS watch_value, w.lang AS watch_lang"""


def _alert_dict(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "key": row["key"],
        "kind": row["kind"],
        "watchlist": {"id": row["watchlist_id"], "kind": row["watch_kind"], "value": row["watch_value"],
                      "lang": row["watch_lang"] or None},
        "story": row["story_id"],
        "link": f"/stories/{row['story_id']}" if row["story_id"] is not None else None,
        "title": row["title"],
        "evidence": json.loads(row["evidence"]),
        "created_at": row["created_at"],
    }  # fmt: skip


def list_alerts(
    store: Store, *, since: str | None = None, watchlist_id: int | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Recorded alerts, oldest first (``since``: created at or after this ISO time)."""
    where: list[str] = ["1 = 1"]
    params: list[Any] = []
    if since:
        where.append("al.created_at >= ?")
        params.append(since)
    if watchlist_id is not None:
        where.append("al.watchlist_id = ?")
        params.append(watchlist_id)
    tail = f" LIMIT {int(limit)}" if limit is not None else ""
    order = "ORDER BY al.id DESC" + tail if limit is not None else "ORDER BY al.id"
    rows = store.conn.execute(
        f"""SELECT {ALERT_COLUMNS} FROM alerts al JOIN watchlists w ON w.id = al.watchlist_id
            WHERE {" AND ".join(where)} {order}""",
        params,
    )
    found = [_alert_dict(row) for row in rows]
    return sorted(found, key=lambda a: a["id"])


def undelivered(store: Store, sink: str) -> list[dict[str, Any]]:
    """Alerts not yet delivered to ``sink``, oldest first."""
    rows = store.conn.execute(
        f"""SELECT {ALERT_COLUMNS} FROM alerts al JOIN watchlists w ON w.id = al.watchlist_id
            WHERE NOT EXISTS (SELECT 1 FROM alert_deliveries d WHERE d.alert_id = al.id AND d.sink = ?)
            ORDER BY al.id""",
        (sink,),
    )
    return [_alert_dict(row) for row in rows]


def mark_delivered(store: Store, alert_id: int, sink: str) -> None:
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO alert_deliveries (alert_id, sink, delivered_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            (alert_id, sink, now_text()),
        )


# ---------------------------------------------------------------- briefings


def last_briefing(store: Store, ref: str) -> str | None:
    row = store.conn.execute("SELECT last_at FROM briefings WHERE ref = ?", (ref,)).fetchone()
    return row[0] if row else None


def record_briefing(store: Store, ref: str, at: str | None = None) -> None:
    with store.transaction() as conn:
        conn.execute(
            """INSERT INTO briefings (ref, last_at) VALUES (?, ?)
               ON CONFLICT (ref) DO UPDATE SET last_at = excluded.last_at""",
            (ref, at or now_text()),
        )
