"""Watch, watchlists and alerts, piece by piece: feed lists, conditional GET, backoff and parking, stopping,
alert rules, delivery once per sink, the webhook's address check, the CLI and the "since" pages."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storylens.alerts import rules
from storylens.alerts.sinks import SinkError, WebhookSink, deliver
from storylens.pipeline import Ingestor
from storylens.store import alerts as alert_store
from storylens.store import watch as feed_store
from storylens.store.alerts import ArticleFacts, NewAlert
from storylens.store.db import Store
from storylens.views.cli import app
from storylens.views.web import create_app
from storylens.watch.feedlist import FeedListError, read_feed_list
from storylens.watch.poller import Watcher, WatchOptions

DEMO_FEED = Path(__file__).resolve().parents[1] / "demo" / "feeds" / "round1" / "agency.xml"


def test_feed_lists_in_text_and_opml(tmp_path: Path) -> None:
    text = tmp_path / "feeds.txt"
    text.write_text("# mine\nhttps://a.example/rss 90s\n\nhttps://b.example/atom\nhttps://c.example/x 2m\n")
    assert read_feed_list(text, 600) == [
        ("https://a.example/rss", 90), ("https://b.example/atom", 600), ("https://c.example/x", 120),
    ]  # fmt: skip
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body><outline text="news">'
        '<outline xmlUrl="https://a.example/rss" interval="1h"/><outline text="no feed"/>'
        '<outline xmlUrl="https://b.example/atom"/></outline></body></opml>'
    )
    assert read_feed_list(opml, 300) == [("https://a.example/rss", 3600), ("https://b.example/atom", 300)]
    text.write_text("https://a.example/rss every-hour\n")
    with pytest.raises(FeedListError, match=r"feeds.txt:1: interval"):
        read_feed_list(text, 600)


class Site(ThreadingHTTPServer):
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.headers_seen: list[dict[str, str]] = []
        super().__init__(("127.0.0.1", 0), SiteHandler)


class SiteHandler(SimpleHTTPRequestHandler):
    server: Site

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, directory=str(args[2].folder), **kwargs)

    def do_GET(self) -> None:
        self.server.headers_seen.append(dict(self.headers))
        super().do_GET()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    folder = tmp_path / "site"
    folder.mkdir()
    httpd = Site(folder)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def watcher(store: Store, stop: threading.Event | None = None, **options: Any) -> tuple[Watcher, list[str]]:
    lines: list[str] = []
    settings = WatchOptions(host_gap=0, fetch_articles=False, fetch={"allow_private": True, "retries": 0}, **options)
    return Watcher(store, Ingestor(store, []), [], lines.append, settings, stop or threading.Event()), lines


def test_a_feed_is_read_once_then_asked_for_conditionally(store: Store, site: Site) -> None:
    (site.folder / "feed.xml").write_bytes(DEMO_FEED.read_bytes())
    [state] = feed_store.sync_feeds(store, [(f"http://127.0.0.1:{site.server_address[1]}/feed.xml", 60)])
    watch, lines = watcher(store)
    assert watch.poll(state).new == 2
    [state] = feed_store.feed_states(store)
    assert state.last_modified and state.failures == 0
    again = watch.poll(state)
    assert again.status == "304 not modified" and again.new == 0
    assert site.headers_seen[-1].get("If-Modified-Since") == state.last_modified
    assert len(lines) == 2 and lines[0].startswith("poll http://127.0.0.1") and ": 200, 2 new, 0 seen" in lines[0]


def test_a_stopped_watch_stores_nothing_more_and_resumes(store: Store, site: Site) -> None:
    (site.folder / "feed.xml").write_bytes(DEMO_FEED.read_bytes())
    [state] = feed_store.sync_feeds(store, [(f"http://127.0.0.1:{site.server_address[1]}/feed.xml", 60)])
    stop = threading.Event()
    stop.set()
    watch, _ = watcher(store, stop)
    assert watch.poll(state).new == 0
    assert feed_store.seen_entries(store, state.id, ["ma-0120-gard", "ma-0114-maravia"]) == set()
    resumed, _ = watcher(store)
    assert resumed.poll(feed_store.feed_states(store)[0]).new == 2


def test_a_failing_feed_backs_off_then_is_parked(store: Store, site: Site) -> None:
    [state] = feed_store.sync_feeds(store, [(f"http://127.0.0.1:{site.server_address[1]}/gone.xml", 10)])
    now = [1000.0]
    watch, lines = watcher(store, max_failures=3)
    watch.clock = lambda: now[0]
    waits = []
    for _ in range(3):
        watch.poll(feed_store.feed_states(store)[0])
        waits.append(feed_store.feed_states(store)[0].next_poll_at - now[0])
    assert waits == [20, 40, 80]  # interval × 2^failures
    state = feed_store.feed_states(store)[0]
    assert state.parked and state.failures == 3 and "404" in (state.last_error or "")
    assert "error 1/3" in lines[0] and "parked after 3 failed polls" in lines[-1]
    assert watch.run([state.id], once=True) == 1  # nothing left to poll: reported, not retried
    feed_store.unpark(store, [state.id])
    assert not feed_store.feed_states(store)[0].parked


def test_the_webhook_refuses_private_addresses_unless_allowed() -> None:
    with pytest.raises(SinkError, match="refused: resolves to a loopback address"):
        WebhookSink("http://127.0.0.1:9/hook").send({"key": "k", "id": 1})
    with pytest.raises(SinkError, match="attempts"):  # allowed, but nothing listens there
        WebhookSink("http://127.0.0.1:9/hook", allow_private=True, timeout=1).send({"key": "k", "id": 1})


class Collect:
    name = "collect"

    def __init__(self) -> None:
        self.sent: list[int] = []

    def send(self, alert: dict[str, Any]) -> None:
        self.sent.append(alert["id"])


def test_an_alert_is_recorded_and_delivered_once(store: Store) -> None:
    watch, created = alert_store.add_watchlist(store, "keyword", "ferry")
    assert created and not alert_store.add_watchlist(store, "keyword", "ferry")[1]
    alert = NewAlert(f"{watch.id}:story:1", watch.id, "story-match", 1, "t", [{"article": 1}])
    with store.transaction() as conn:
        assert alert_store.record_alerts(conn, [alert, alert]) == 1
    with store.transaction() as conn:
        assert alert_store.record_alerts(conn, [alert]) == 0
    sink = Collect()
    assert deliver(store, [sink]) == 1 and deliver(store, [sink]) == 0
    assert sink.sent == [alert_store.list_alerts(store)[0]["id"]]


def test_a_figure_that_changes_or_is_disputed_raises_its_alert(store: Store, monkeypatch) -> None:
    watch, _ = alert_store.add_watchlist(store, "story", "7")

    def occurrence(article: int, value: int, day: str) -> dict[str, Any]:
        return {"article": article, "text": f"{value} dead", "value": value, "source": "x", "published": day}

    groups = [
        {"id": 1, "unit": "", "what": "dead", "discrepancy": False, "updated": True,
         "occurrences": [occurrence(1, 12, "2026-01-01"), occurrence(2, 15, "2026-01-02")]},
        {"id": 2, "unit": "", "what": "injured", "discrepancy": True, "updated": False,
         "occurrences": [occurrence(1, 30, "2026-01-01"), occurrence(2, 31, "2026-01-01")]},
    ]  # fmt: skip
    monkeypatch.setattr(rules.reads, "list_figure_groups", lambda store, story_id: groups)
    new = ArticleFacts(2, "b", 7, "en", "x", "t", None, "2026-01-02", "2099-01-01T00:00:00+00:00", "article")
    raised = rules._figure_news(store, watch, 7, "title", {2: new})
    assert [(a.kind, a.key) for a in raised] == [
        ("figure-change", f"{watch.id}:figure:7::dead:15"), ("figure-disagreement", f"{watch.id}:disagree:7::injured"),
    ]  # fmt: skip
    assert "now 15 (was 12)" in raised[0].title


def test_follow_unfollow_following_and_alerts_commands(db_path: Path) -> None:
    runner = CliRunner()
    db = ["--db", str(db_path)]
    made = runner.invoke(app, ["follow", "keyword", "ferry fire", "--json", *db])
    assert made.exit_code == 0 and json.loads(made.output)["created"] is True
    assert "already following" in runner.invoke(app, ["follow", "keyword", "ferry fire", *db]).output
    assert runner.invoke(app, ["follow", "story", "99", *db]).exit_code == 1  # no such story
    listed = json.loads(runner.invoke(app, ["following", "--json", *db]).output)
    assert [(w["kind"], w["value"], w["alerts"]) for w in listed] == [("keyword", "ferry fire", 0)]
    assert json.loads(runner.invoke(app, ["alerts", "--json", "--since", "2026-01-01", *db]).output) == []
    assert runner.invoke(app, ["unfollow", str(listed[0]["id"]), *db]).exit_code == 0
    assert json.loads(runner.invoke(app, ["following", "--json", *db]).output) == []
    assert runner.invoke(app, ["unfollow", "5", *db]).exit_code == 1


def test_since_my_last_visit_remembers_the_visit(store: Store) -> None:
    client = TestClient(create_app(store.path), base_url="http://localhost")
    first = client.get("/since")
    assert first.status_code == 200 and "first visit" in first.text
    assert "storylens_last_visit" in first.cookies
    second = client.get("/since")
    assert "my last visit" in second.text and "Nothing new" in second.text
    assert client.get("/since", params={"t": "yesterday"}).status_code == 422
    assert client.get("/watchlists").status_code == 200 and client.get("/watchlists/3").status_code == 404
    assert client.get("/feeds/3.atom").status_code == 404


def test_changed_since_last_briefing_counts_by_ingest_time(tmp_path: Path) -> None:
    from tests.test_views_data import build_store

    db = tmp_path / "views.db"
    build_store(db)
    runner = CliRunner()
    never = runner.invoke(app, ["brief", "1", "--changed-since", "last", "--db", str(db)])
    assert never.exit_code == 2 and "no briefing on story:1" in never.output
    assert runner.invoke(app, ["brief", "1", "--db", str(db)]).exit_code == 0
    with Store(db) as store:
        last = alert_store.last_briefing(store, "story:1")
    again = runner.invoke(app, ["brief", "story:1", "--changed-since", "last", "--format", "json", "--db", str(db)])
    brief = json.loads(again.stdout)
    assert brief["since"] == last and all(not s["changes"]["articles"] for s in brief["stories"])
    everything = json.loads(
        runner.invoke(app, ["story", "1", "--changed-since", "2000-01-01", "--json", "--db", str(db)]).stdout
    )
    assert everything["new_articles"] and len(everything["new_articles"]) == everything["size"]
    assert runner.invoke(app, ["story", "1", "--changed-since", "soon", "--db", str(db)]).exit_code == 2


class RecordingEvent(threading.Event):
    """A stop event that records how long the watcher asked to wait, and does not wait."""

    def __init__(self) -> None:
        super().__init__()
        self.waits: list[float] = []

    def wait(self, timeout: float | None = None) -> bool:
        self.waits.append(timeout or 0.0)
        return self.is_set()


def test_requests_to_one_host_keep_the_politeness_gap_and_private_hosts_are_refused(store: Store, site: Site) -> None:
    (site.folder / "feed.xml").write_bytes(DEMO_FEED.read_bytes())
    base = f"http://127.0.0.1:{site.server_address[1]}"
    states = feed_store.sync_feeds(store, [(f"{base}/feed.xml", 60), (f"{base}/other.xml", 60)])
    stop = RecordingEvent()
    options = WatchOptions(host_gap=30, fetch_articles=False, fetch={"allow_private": True, "retries": 0})
    watch = Watcher(store, Ingestor(store, []), [], lambda line: None, options, stop)
    watch.poll(states[0])
    watch.poll(states[1])
    assert len(stop.waits) == 1 and 0 < stop.waits[0] <= 30  # the second request to the host waited its turn
    strict, lines = watcher(store)
    strict.options.fetch = {"retries": 0}  # the default: no private addresses
    result = strict.poll(feed_store.feed_states(store)[0])
    assert result.status.startswith("error 1/5") and "refused: resolves to a loopback address" in lines[0]


def test_keyword_cut_offs_use_a_statistic_search_computes_for_an_encoder_search_knows() -> None:
    from storylens.alerts.keywords import keyword_cutoffs
    from storylens.views.search import PROBE_STATISTICS, measured_cutoffs

    search = measured_cutoffs()
    for name, (statistic, cutoff) in keyword_cutoffs().items():
        assert name in search  # the encoder's search cut-off is the fallback and the probes come from search
        assert statistic in ("absolute", *PROBE_STATISTICS)
        assert -1.0 < cutoff < 1.0
