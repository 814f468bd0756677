"""Where alerts go: the terminal, a JSON Lines file, a webhook; each alert once per sink.

``deliver`` sends every alert a sink has not had yet and records the delivery (``alert_deliveries``) right after
it is sent, so a stopped watch resumes without sending anything twice. (A process killed between a send and its
record, by SIGKILL or a power cut, sends that one alert again; Ctrl-C and SIGTERM only stop between alerts.)
A webhook gets an HTTP POST of the alert as JSON, with the alert's key (percent-encoded) in
``X-Storylens-Alert`` so a receiver can drop a repeat; it is retried with backoff, refused (as ``ingest``
refuses a URL) when its host resolves to a loopback or private address unless that is allowed, and connected
to the very address that was checked.
The fourth sink, an Atom feed per watchlist, is read from the store by ``storylens serve`` (``atom.py``).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

from storylens.models import InputError
from storylens.store import alerts as alert_store
from storylens.store.db import Store

ALERT_HEADER = "X-Storylens-Alert"  # the alert's key, percent-encoded (UTF-8), so a receiver can drop a repeat
WEBHOOK_ATTEMPTS = 3
WEBHOOK_BACKOFF_SECONDS = 0.5  # first wait between attempts; doubles each time


class SinkError(Exception):
    """An alert could not be delivered now; it stays pending and is tried again on the next delivery."""


class Sink(Protocol):
    name: str  # recorded with each delivery: one delivery per alert and sink name

    def send(self, alert: dict[str, Any]) -> None: ...


def alert_line(alert: dict[str, Any]) -> str:
    """One line for people: when, which watchlist, what happened, the evidence and the story's link."""
    cited = ", ".join(str(e.get("id") or e.get("article")) for e in alert["evidence"][:5])
    more = f" +{len(alert['evidence']) - 5}" if len(alert["evidence"]) > 5 else ""
    link = f" {alert['link']}" if alert["link"] else ""
    return f"alert {alert['id']} [{alert['kind']}] {alert['title']} (evidence: {cited}{more}){link}"


class TerminalSink:
    name = "terminal"

    def __init__(self, write: Callable[[str], None]) -> None:
        self.write = write

    def send(self, alert: dict[str, Any]) -> None:
        self.write(alert_line(alert))


class JsonLinesSink:
    """Appends each alert as one JSON line, flushed to disk before it counts as delivered."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = f"jsonl:{path.resolve()}"

    def send(self, alert: dict[str, Any]) -> None:
        try:
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(alert, ensure_ascii=False) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as error:
            raise SinkError(f"{self.path}: {error.strerror or error}") from error


class WebhookSink:
    def __init__(self, url: str, *, allow_private: bool = False, timeout: float = 10.0) -> None:
        self.url = url
        self.allow_private = allow_private
        self.timeout = timeout
        self.name = f"webhook:{url}"

    def send(self, alert: dict[str, Any]) -> None:
        import httpx

        from storylens.sources.web import check_target, pinned_client

        failure = ""
        for attempt in range(WEBHOOK_ATTEMPTS):
            if attempt:
                time.sleep(WEBHOOK_BACKOFF_SECONDS * 2 ** (attempt - 1))
            try:
                host, addresses = check_target(self.url, self.url, allow_private=self.allow_private)
            except InputError as error:
                raise SinkError(error.line()) from error  # refused or unresolvable: no retry helps now
            client, checked = pinned_client(self.timeout, {ALERT_HEADER: quote(alert["key"], safe=":")})
            checked.addresses[host] = addresses
            try:
                with client:
                    response = client.post(self.url, json=alert)
            except (httpx.HTTPError, ValueError) as error:
                failure = f"{type(error).__name__}: {error}"
                continue
            if response.is_success:
                return
            failure = f"HTTP {response.status_code}"
            if response.status_code < 500 and response.status_code != 429:
                break
        raise SinkError(f"{self.url}: {failure} after {attempt + 1} attempts")


def deliver(store: Store, sinks: Sequence[Sink], on_error: Callable[[str], None] | None = None) -> int:
    """Send every alert each sink has not had yet, oldest first; how many deliveries were made. A sink that fails
    keeps its remaining alerts for the next call (``on_error`` hears why)."""
    sent = 0
    for sink in sinks:
        for alert in alert_store.undelivered(store, sink.name):
            try:
                sink.send(alert)
            except SinkError as error:
                if on_error:
                    on_error(f"{sink.name}: alert {alert['id']} not delivered: {error}")
                break
            alert_store.mark_delivered(store, alert["id"], sink.name)
            sent += 1
    return sent


def read_sinks(
    *, terminal: Callable[[str], None] | None, jsonl: Path | None, webhook: str | None, allow_private: bool
) -> list[Sink]:
    sinks: list[Sink] = []
    if terminal is not None:
        sinks.append(TerminalSink(terminal))
    if jsonl is not None:
        sinks.append(JsonLinesSink(jsonl))
    if webhook:
        sinks.append(WebhookSink(webhook, allow_private=allow_private))
    return sinks
