"""The watch loop: poll each feed when it is due, store its new entries, run every stage, deliver the alerts.

- A feed is polled on its own interval with a conditional GET (``If-None-Match`` / ``If-Modified-Since`` from
  the validators stored with it), so an unchanged feed costs one short 304.
- A failed poll is retried after an exponential backoff (the interval times 2^failures, at most
  ``max_backoff``); after ``max_failures`` failures in a row the feed is parked: reported, and no longer
  polled until the user retries it (``storylens watch --retry-parked``).
- Requests to one host are at least ``host_gap`` seconds apart (politeness), feed and article pages alike.
- Fetching uses ``sources.web``: http(s) only, no private addresses unless allowed, pinned connections.
- Each new entry is stored in its own transaction and then marked read (``store/watch.py``); the stages run
  on everything new once per round, through one ``Pipeline`` kept in memory between polls (the encoder and
  the stages are built once), and then the alerts are delivered.
- ``stop`` (a ``threading.Event``, set by Ctrl-C or SIGTERM) is checked between entries and between rounds; the
  loop sleeps on it between polls, so an idle watch wakes only when a feed is due. An entry in flight is
  stored whole or not at all, and a stored entry is never stored again (documents are unique by content), so
  a restart resumes where the last run stopped.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from storylens.alerts.sinks import Sink, deliver
from storylens.models import InputError
from storylens.pipeline import Ingestor
from storylens.sources.checks import DEFAULT_MAX_CHARS, check_document
from storylens.sources.feeds import entry_document, entry_key, parse_feed
from storylens.sources.web import fetch
from storylens.store import watch as feed_store
from storylens.store.db import Store
from storylens.store.watch import FeedState


@dataclass
class WatchOptions:
    host_gap: float = 2.0  # seconds between two requests to one host
    max_failures: int = 5  # failed polls in a row before a feed is parked
    max_backoff: float = 6 * 3600.0  # longest wait before retrying a failing feed, in seconds
    fetch_articles: bool = True  # fetch each entry's article page (else the entry's own text is the article)
    max_chars: int = DEFAULT_MAX_CHARS
    fetch: dict[str, Any] = field(default_factory=dict)  # timeout, max_bytes, allow_private for sources.web.fetch


@dataclass
class PollResult:
    status: str
    new: int = 0
    seen: int = 0
    errors: int = 0
    complete: bool = True  # False: stopped before every entry was read (the feed is read again next time)


class Watcher:
    def __init__(
        self,
        store: Store,
        ingestor: Ingestor,
        sinks: Sequence[Sink],
        log: Callable[[str], None],
        options: WatchOptions,
        stop: threading.Event,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.ingestor = ingestor
        self.sinks = sinks
        self.log = log
        self.options = options
        self.stop = stop
        self.clock = clock
        self._last_request: dict[str, float] = {}

    def run(self, feed_ids: Sequence[int], *, once: bool = False) -> int:
        """Poll until stopped (or one round with ``once``); returns how many polls failed in the last round."""
        self._process()  # finish what an interrupted run left (stored entries not yet through every stage)
        failed = 0
        while not self.stop.is_set():
            states = [s for s in feed_store.feed_states(self.store) if s.id in set(feed_ids)]
            active = [s for s in states if not s.parked]
            if not active:
                self.log("every feed is parked: nothing to poll (storylens watch --retry-parked)")
                return max(failed, 1)
            due = [s for s in active if once or s.next_poll_at <= self.clock()]
            failed = 0
            stored = 0
            for state in due:
                if self.stop.is_set():
                    break
                result = self.poll(state)
                stored += result.new
                failed += result.status.startswith(("error", "parked"))
            if self.stop.is_set():
                break  # stored entries go through the stages on the next start (they are marked as lacking them)
            if stored:
                self._process()
            else:
                self._deliver()
            if once:
                break
            states = [s for s in feed_store.feed_states(self.store) if s.id in set(feed_ids) and not s.parked]
            wake = min((s.next_poll_at for s in states), default=self.clock() + 60)
            self.stop.wait(max(0.0, wake - self.clock()))
        return failed

    def _process(self) -> None:
        if not self.ingestor.pipeline.unfinished(self.store):
            self._deliver()
            return
        started = time.monotonic()
        pending = len(self.ingestor.pipeline.pending(self.store).get(self.ingestor.pipeline.names[0], []))
        self.ingestor.ingest([], run_stages=True)
        sent = self._deliver()
        self.log(f"processed {pending} new articles through every stage, {sent} alert deliveries"
                 f" ({time.monotonic() - started:.1f} s)")  # fmt: skip

    def _deliver(self) -> int:
        return deliver(self.store, self.sinks, on_error=self.log)

    def _polite(self, url: str) -> None:
        """Wait (interruptibly) until ``host_gap`` seconds have passed since the last request to the URL's host."""
        host = (urlsplit(url).hostname or "").lower()
        wait = self._last_request.get(host, -1e18) + self.options.host_gap - time.monotonic()
        if wait > 0:
            self.stop.wait(wait)
        self._last_request[host] = time.monotonic()

    def poll(self, state: FeedState) -> PollResult:
        """Poll one feed, store its new entries and log one line."""
        started = time.monotonic()
        headers = {}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        try:
            self._polite(state.url)
            page = fetch(state.url, headers=headers, **self.options.fetch)
            result = PollResult("304 not modified") if page.status == 304 else self._read_entries(state, page)
        except InputError as error:
            result = self._failed(state, error.message)
        else:
            if not result.complete:  # keep the old validators: the next poll must get the unread entries again
                feed_store.record_success(
                    self.store, state.id, next_poll_at=self.clock(), etag=state.etag, last_modified=state.last_modified
                )
            else:
                feed_store.record_success(
                    self.store,
                    state.id,
                    next_poll_at=self.clock() + state.interval_seconds,
                    etag=page.etag or (state.etag if page.status == 304 else None),
                    last_modified=page.last_modified or (state.last_modified if page.status == 304 else None),
                )
        self.log(
            f"poll {state.url}: {result.status}, {result.new} new, {result.seen} seen, {result.errors} errors"
            f" ({time.monotonic() - started:.1f} s)"
        )
        return result

    def _failed(self, state: FeedState, message: str) -> PollResult:
        failures = state.failures + 1
        parked = failures >= self.options.max_failures
        wait = min(state.interval_seconds * 2**failures, self.options.max_backoff)
        feed_store.record_failure(self.store, state.id, error=message, next_poll_at=self.clock() + wait, parked=parked)
        if parked:
            return PollResult(f"parked after {failures} failed polls in a row (last: {message})")
        return PollResult(f"error {failures}/{self.options.max_failures}: {message}; retry in {wait:g} s")

    def _read_entries(self, state: FeedState, page: Any) -> PollResult:
        feed_title, entries = parse_feed(state.url, page)
        keys = [entry_key(entry) for entry in entries]
        seen = feed_store.seen_entries(self.store, state.id, keys)
        result = PollResult("200", seen=len([k for k in keys if k in seen]))
        for number, (entry, key) in enumerate(zip(entries, keys, strict=True), start=1):
            if key in seen or self.stop.is_set():
                continue
            seen.add(key)
            link = (entry.get("link") or "").strip()
            try:
                if self.options.fetch_articles and link:
                    self._polite(link)
                document = entry_document(
                    entry, number, feed_url=state.url, feed_title=feed_title,
                    fetch_articles=self.options.fetch_articles, fetch_options=self.options.fetch,
                )  # fmt: skip
                check_document(document, self.options.max_chars)
            except InputError as error:
                result.errors += 1
                self.log(f"entry {key}: {error.message}")
            else:
                report = self.ingestor.ingest([document], run_stages=False)
                result.new += report.new_articles
                result.errors += len(report.errors)
                for problem in report.errors:
                    self.log(f"entry {key}: {problem.message}")
            feed_store.mark_entry_seen(self.store, state.id, key)
        if self.stop.is_set() and not set(keys) <= seen:
            result.status = "200 (stopped before the last entries)"
            result.complete = False
        return result


def utc_stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
