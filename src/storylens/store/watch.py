"""Feed state for `storylens watch`: each feed's schedule, HTTP validators and failures, and the entries read.

The state lives in the store, so a stopped watch resumes where it stopped: a feed is polled when it is due, with
the ETag / Last-Modified it last got, and an entry already read is not fetched again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from storylens.store.db import Store


@dataclass(frozen=True)
class FeedState:
    id: int
    url: str
    interval_seconds: float
    etag: str | None
    last_modified: str | None
    next_poll_at: float
    failures: int
    parked: bool
    last_error: str | None


def _now_text() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def sync_feeds(store: Store, feeds: Iterable[tuple[str, float]]) -> list[FeedState]:
    """Add the feeds not yet known (due at once) and set every listed feed's interval; the listed feeds' states,
    in the order given."""
    listed = list(dict(feeds).items())
    with store.transaction() as conn:
        for url, interval in listed:
            conn.execute(
                """INSERT INTO feeds (url, interval_seconds) VALUES (?, ?)
                   ON CONFLICT (url) DO UPDATE SET interval_seconds = excluded.interval_seconds""",
                (url, interval),
            )
    states = {state.url: state for state in feed_states(store)}
    return [states[url] for url, _ in listed]


def feed_states(store: Store) -> list[FeedState]:
    rows = store.conn.execute(
        """SELECT id, url, interval_seconds, etag, last_modified, next_poll_at, failures, parked, last_error
           FROM feeds ORDER BY id"""
    )
    return [
        FeedState(
            r["id"], r["url"], r["interval_seconds"], r["etag"], r["last_modified"], r["next_poll_at"],
            r["failures"], bool(r["parked"]), r["last_error"],
        )
        for r in rows
    ]  # fmt: skip


def unpark(store: Store, feed_ids: Iterable[int]) -> None:
    """Poll parked feeds again, at once, with their failure count reset."""
    with store.transaction() as conn:
        conn.executemany(
            "UPDATE feeds SET parked = 0, failures = 0, next_poll_at = 0 WHERE id = ?", [(i,) for i in feed_ids]
        )


def record_success(
    store: Store, feed_id: int, *, next_poll_at: float, etag: str | None, last_modified: str | None
) -> None:
    """A poll that worked (200 or 304): new validators, failures reset, next poll scheduled."""
    with store.transaction() as conn:
        conn.execute(
            """UPDATE feeds SET etag = ?, last_modified = ?, next_poll_at = ?, failures = 0, last_error = NULL,
                      last_polled_at = ? WHERE id = ?""",
            (etag, last_modified, next_poll_at, _now_text(), feed_id),
        )


def record_failure(store: Store, feed_id: int, *, error: str, next_poll_at: float, parked: bool) -> None:
    with store.transaction() as conn:
        conn.execute(
            """UPDATE feeds SET failures = failures + 1, last_error = ?, next_poll_at = ?, parked = ?,
                      last_polled_at = ? WHERE id = ?""",
            (error, next_poll_at, int(parked), _now_text(), feed_id),
        )


def seen_entries(store: Store, feed_id: int, keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` were already read from this feed."""
    wanted = list(dict.fromkeys(keys))
    seen: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = store.conn.execute(
            f"SELECT entry_key FROM feed_entries WHERE feed_id = ? AND entry_key IN ({marks})", (feed_id, *chunk)
        )
        seen.update(row[0] for row in rows)
    return seen


def mark_entry_seen(store: Store, feed_id: int, key: str) -> None:
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO feed_entries (feed_id, entry_key, seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            (feed_id, key, _now_text()),
        )
