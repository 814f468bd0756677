"""CLI commands to follow stories: `watch` (poll feeds), `follow` / `unfollow` / `following` (watchlists) and
`alerts` (what the watchlists raised)."""

from __future__ import annotations

import datetime as dt
import signal
import threading
from pathlib import Path
from typing import Annotated, Any

import typer

from storylens.alerts.sinks import alert_line, deliver, read_sinks
from storylens.pipeline import Ingestor
from storylens.sources.checks import DEFAULT_MAX_CHARS
from storylens.store import alerts as alert_store
from storylens.store import reads
from storylens.store import watch as feed_store
from storylens.views.common import (
    DbOption,
    JsonOption,
    console,
    err_console,
    fail,
    listing_table,
    open_store,
    pipeline_for,
    print_json,
    print_listing,
    safe,
    store_errors_reported,
)

LangOption = Annotated[str, typer.Option("--lang", help="Only articles in this language (default: any).")]

follow_app = typer.Typer(help="Follow an entity, a keyword or a story: new matches raise alerts.", no_args_is_help=True)


def _log(message: str) -> None:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    err_console.print(f"{stamp} {safe(message)}", highlight=False, soft_wrap=True)


def _terminal(line: str) -> None:
    console.print(safe(line), highlight=False, soft_wrap=True)


def parse_time(value: str, option: str) -> str:
    """A user's time (``YYYY-MM-DD`` or ISO 8601, UTC unless it says otherwise) in the store's timestamp form."""
    try:
        when = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        fail(f"{option} {value!r}: expected a date or time (YYYY-MM-DD or YYYY-MM-DDTHH:MM)", code=2)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")


def watch(
    feeds: Annotated[Path, typer.Argument(help="A text file of feed URLs (URL [INTERVAL] a line) or an OPML file.")],
    once: Annotated[bool, typer.Option("--once", help="Poll every feed once, then exit (for cron).")] = False,
    interval: Annotated[str, typer.Option(help="Poll interval of feeds listed without one (90s, 10m, 1h).")] = "15m",
    host_gap: Annotated[float, typer.Option(help="Least seconds between two requests to one host.")] = 2.0,
    max_failures: Annotated[int, typer.Option(help="Failed polls in a row before a feed is parked.", min=1)] = 5,
    retry_parked: Annotated[bool, typer.Option("--retry-parked", help="Poll parked feeds again.")] = False,
    feed_text: Annotated[
        bool, typer.Option("--feed-text", help="Take each entry's text from the feed instead of fetching its page.")
    ] = False,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Allow fetching from loopback and private addresses.")
    ] = False,
    timeout: Annotated[float, typer.Option(help="Seconds before a fetch gives up.")] = 20.0,
    max_bytes: Annotated[int, typer.Option(help="Largest feed or page accepted, in bytes.")] = 5_000_000,
    max_chars: Annotated[int, typer.Option(help="Longest article accepted, in characters.")] = DEFAULT_MAX_CHARS,
    alerts_jsonl: Annotated[Path | None, typer.Option("--alerts-jsonl", help="Append alerts to this file.")] = None,
    webhook: Annotated[str | None, typer.Option(help="POST each alert as JSON to this URL.")] = None,
    webhook_allow_private: Annotated[
        bool, typer.Option("--webhook-allow-private", help="Allow a webhook on a loopback or private address.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="Do not print alerts on the terminal.")] = False,
    db: DbOption = None,
) -> None:
    """Poll feeds, each on its interval; store new entries, run every stage, raise and deliver alerts. Ctrl-C or
    SIGTERM stops it cleanly; the next run resumes where it stopped."""
    from storylens.watch.feedlist import FeedListError, parse_interval, read_feed_list
    from storylens.watch.poller import Watcher, WatchOptions

    try:
        listed = read_feed_list(feeds, parse_interval(interval, "--interval"))
    except FeedListError as error:
        fail(str(error), code=2)
    stop = threading.Event()

    def on_signal(number: int, _frame: Any) -> None:
        _log(f"{signal.Signals(number).name}: stopping after the work in flight")
        stop.set()
        signal.signal(number, signal.SIG_DFL)  # a second signal stops at once (what is stored stays whole)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    options = WatchOptions(
        host_gap=host_gap,
        max_failures=max_failures,
        fetch_articles=not feed_text,
        max_chars=max_chars,
        fetch={"timeout": timeout, "max_bytes": max_bytes, "allow_private": allow_private},
    )
    sinks = read_sinks(
        terminal=None if quiet else _terminal, jsonl=alerts_jsonl, webhook=webhook, allow_private=webhook_allow_private
    )
    try:
        with open_store(db) as store, store_errors_reported():
            states = feed_store.sync_feeds(store, listed)
            if retry_parked:
                feed_store.unpark(store, [s.id for s in states if s.parked])
            for state in states:
                if state.parked and not retry_parked:
                    _log(f"parked: {state.url} ({state.last_error}); --retry-parked polls it again")
            _log(f"watching {len(states)} feeds" + (" once" if once else ""))
            watcher = Watcher(store, Ingestor(store, pipeline_for(store, None)), sinks, _log, options, stop)
            failed = watcher.run([s.id for s in states], once=once)
            _log("stopped" if stop.is_set() else "done")
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if once and failed:
        raise typer.Exit(1)


def _add(kind: str, value: str, lang: str, db: str | None, json_output: bool) -> None:
    value = value.strip()
    if not value:
        fail(f"follow {kind}: give a non-empty value", code=2)
    with open_store(db) as store:
        if kind == "story" and (not value.isdigit() or reads.story_summary(store, int(value)) is None):
            fail(f"no story {value}")
        watch_list, created = alert_store.add_watchlist(store, kind, value, lang)
    if json_output:
        print_json(watch_list.as_dict() | {"created": created})
        return
    verb = "following" if created else "already following"
    console.print(f"{verb} {safe(watch_list.label)} (watchlist {watch_list.id})", highlight=False)


@follow_app.command("entity")
def follow_entity(
    name: Annotated[str, typer.Argument(help="A person, organisation or place, in any spelling stored.")],
    lang: LangOption = "",
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Follow an entity: stories naming it, and new quotes from it."""
    _add("entity", name, lang, db, json_output)


@follow_app.command("keyword")
def follow_keyword(
    text: Annotated[str, typer.Argument(help="Words, matched as written or by meaning in any language.")],
    lang: LangOption = "",
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Follow a keyword: stories whose articles hold it or mean it."""
    _add("keyword", text, lang, db, json_output)


@follow_app.command("story")
def follow_story(
    story_id: Annotated[str, typer.Argument(help="Story id.")],
    lang: LangOption = "",
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Follow a story: its new articles, languages, outlets, figures."""
    _add("story", story_id, lang, db, json_output)


def unfollow(
    watchlist_id: Annotated[int, typer.Argument(help="Watchlist id (see `storylens following`).", min=0)],
    db: DbOption = None,
) -> None:
    """Stop following a watchlist (its recorded alerts go with it)."""
    with open_store(db) as store:
        if not alert_store.remove_watchlist(store, watchlist_id):
            fail(f"no watchlist {watchlist_id}")
    console.print(f"unfollowed watchlist {watchlist_id}", highlight=False)


def following(db: DbOption = None, json_output: JsonOption = False) -> None:
    """List the watchlists, with how many alerts each raised."""
    with open_store(db, readonly=True) as store:
        counts = alert_store.alert_counts(store)
        rows = [w.as_dict() | {"alerts": counts.get(w.id, 0)} for w in alert_store.watchlists(store)]
    if json_output:
        print_json(rows)
        return
    table = listing_table("id", "kind", "value", "lang", "since", "alerts", wide=("value",))
    for row in rows:
        table.add_row(str(row["id"]), row["kind"], safe(row["value"]), row["lang"] or "any", row["created_at"],
                      str(row["alerts"]))  # fmt: skip
    print_listing(table)
    console.print(f"{len(rows)} watchlists", highlight=False)


def alerts(
    since: Annotated[str | None, typer.Option(help="Only alerts raised at or after this time (UTC).")] = None,
    watchlist: Annotated[int | None, typer.Option(help="Only this watchlist's alerts.")] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """List the recorded alerts, oldest first: what happened, the evidence and the story's link."""
    start = parse_time(since, "--since") if since else None
    with open_store(db, readonly=True) as store:
        rows = alert_store.list_alerts(store, since=start, watchlist_id=watchlist)
    if json_output:
        print_json(rows)
        return
    for row in rows:
        console.print(f"[dim]{row['created_at']}[/dim] {safe(alert_line(row))}", highlight=False, soft_wrap=True)
    console.print(f"{len(rows)} alerts", highlight=False)


def deliver_to_terminal(store: Any, json_output: bool) -> list[dict[str, Any]]:
    """After an ingest: print (or, for --json, return) the alerts the terminal has not shown yet."""
    shown: list[dict[str, Any]] = []
    if json_output:
        shown = alert_store.undelivered(store, "terminal")
        for alert in shown:
            alert_store.mark_delivered(store, alert["id"], "terminal")
    else:
        deliver(store, read_sinks(terminal=_terminal, jsonl=None, webhook=None, allow_private=False))
    return shown


def register(app: typer.Typer) -> None:
    app.command()(watch)
    app.add_typer(follow_app, name="follow")
    app.command()(unfollow)
    app.command()(following)
    app.command()(alerts)
