"""The `storylens` command line: ingest inputs, then list, show, count and export articles."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from storylens import __version__
from storylens.models import InputError, SkippedInput
from storylens.pipeline import Ingestor, IngestReport, default_pipeline
from storylens.settings import SettingsError, current_settings, load_settings, use_settings
from storylens.sources.checks import DEFAULT_MAX_CHARS
from storylens.sources.files import DEFAULT_MAX_BYTES
from storylens.sources.plugins import SourceOptions, read_sources
from storylens.store.articles import article_segments, list_articles, stats, translations_of
from storylens.store.db import store_exists
from storylens.views.cli_backfill import register as register_backfill_command
from storylens.views.cli_clustering import register as register_clustering_commands
from storylens.views.cli_documents import register as register_document_commands
from storylens.views.cli_follow import deliver_to_terminal
from storylens.views.cli_follow import register as register_follow_commands
from storylens.views.cli_search import register as register_search_command
from storylens.views.cli_stories import register as register_story_commands
from storylens.views.common import (
    ArticleArgument,
    DbOption,
    EncoderOption,
    JsonOption,
    console,
    err_console,
    fail,
    listing_table,
    open_store,
    parse_date,
    pipeline_for,
    print_json,
    print_listing,
    progress_bars,
    require_article,
    safe,
    stage_progress,
    store_errors_reported,
)
from storylens.views.serialize import article_dict

app = typer.Typer(
    name="storylens",
    help="Follow news stories across languages: ingest articles, group them into stories, compare outlets.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        console.print(f"storylens {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True)] = False,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="Settings file (TOML: db, encoder, translator, [clustering]); default $STORYLENS_CONFIG or"
            " ./storylens.toml when present.",
        ),
    ] = None,
) -> None:
    """storylens command line."""
    try:
        use_settings(load_settings(config))
    except SettingsError as error:
        fail(str(error), code=2)


@app.command()
def ingest(
    inputs: Annotated[list[str] | None, typer.Argument(help="Files, folders, article URLs, or - for stdin.")] = None,
    feed: Annotated[list[str] | None, typer.Option("--feed", help="An RSS/Atom feed URL (repeatable).")] = None,
    db: DbOption = None,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Allow fetching from loopback and private addresses.")
    ] = False,
    timeout: Annotated[float, typer.Option(help="Seconds before a fetch gives up.")] = 20.0,
    max_bytes: Annotated[int, typer.Option(help="Largest input file or page accepted, in bytes.")] = DEFAULT_MAX_BYTES,
    max_chars: Annotated[
        int, typer.Option(help="Longest article accepted (one JSON record, text file or page), in characters.")
    ] = DEFAULT_MAX_CHARS,
    include: Annotated[
        list[str] | None, typer.Option("--include", help="In folders, read only files matching this glob (repeatable).")
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="In folders, leave out files matching this glob (repeatable).")
    ] = None,
    encoding: Annotated[str | None, typer.Option(help="Text encoding of the input files (default UTF-8).")] = None,
    encoder: EncoderOption = None,
    json_output: JsonOption = False,
) -> None:
    """Read articles, clean them, detect language and date, and store them; then bring every stored article
    through every stage (also what an interrupted run left: with no inputs, only that)."""
    names = inputs or []
    if not names and not feed and not _unfinished(db):
        fail("nothing to ingest: give files, folders, URLs, - for stdin, or --feed URL", code=2)
    options = SourceOptions(
        max_bytes=max_bytes,
        max_chars=max_chars,
        encoding=encoding,
        include=include or (),
        exclude=exclude or (),
        timeout=timeout,
        allow_private=allow_private,
        feeds=feed or (),
    )

    def results():
        yield from read_sources(names, options)

    with open_store(db) as store, progress_bars(quiet=json_output) as progress:
        reading = progress.add_task("reading", total=None)

        def advance(origin: str) -> None:
            progress.update(reading, advance=1, description=f"reading {safe(origin)[-50:]}")

        ingestor = Ingestor(store, pipeline_for(store, encoder), on_wait=_say_waiting(store.name))
        notices: list[SkippedInput] = []
        shown: set[int] = set()
        with store_errors_reported():
            report = ingestor.ingest(
                _with_errors_shown(results(), notices, shown), on_item=advance, progress=stage_progress(progress)
            )
            alerts = deliver_to_terminal(store, json_output)
    for error in report.errors:  # raised inside the pipeline, after reading
        if id(error) not in shown:
            _show_error(error)
    _print_report(report, json_output, notices, alerts)
    if report.errors:
        raise typer.Exit(1)


def _unfinished(db: str | None) -> bool:
    """Whether the store exists and an interrupted run left work in it."""
    if not store_exists(db or current_settings().db):
        return False
    with open_store(db) as store:
        return default_pipeline().unfinished(store)


def _say_waiting(path: object):
    return lambda: err_console.print(f"waiting for another process writing {safe(path)}", highlight=False)


def _with_errors_shown(results, notices: list[SkippedInput], shown: set[int]):
    """The results, each error printed as it comes; files that hold no articles are noted and left out."""
    for result in results:
        if isinstance(result, SkippedInput):
            err_console.print(f"skipped: {escape(result.line())}", highlight=False, soft_wrap=True)
            notices.append(result)
            continue
        if isinstance(result, InputError):
            _show_error(result)
            shown.add(id(result))
        yield result


def _show_error(error: InputError) -> None:
    """``error: <input>[:line]: <reason>``, one line whatever the input's name holds."""
    err_console.print(f"[red]error:[/red] {escape(error.line())}", highlight=False, soft_wrap=True)


def _print_report(
    report: IngestReport, json_output: bool, notices: list[SkippedInput], alerts: list[dict[str, Any]]
) -> None:
    if json_output:
        extra = {"alerts": alerts} if alerts else {}
        print_json(
            {**report.as_dict(), "not_articles": [{"input": n.origin, "reason": n.message} for n in notices], **extra}
        )
        return
    console.print(
        f"read {report.read}, new articles {report.new_articles}, duplicates {report.duplicates}, "
        f"errors {len(report.errors)}" + (f", not articles {len(notices)}" if notices else ""),
        highlight=False,
    )


@app.command()
def articles(
    lang: Annotated[str | None, typer.Option(help="Only articles in this language (ISO 639-1).")] = None,
    since: Annotated[
        str | None,
        typer.Option("--published-since", "--since", help="Only articles published on or after YYYY-MM-DD."),
    ] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many.")] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """List stored articles."""
    with open_store(db, readonly=True) as store:
        found = list_articles(store, lang=lang, since=parse_date(since, "--published-since"), limit=limit)
        rows = [article_dict(store, a) for a in found]
    if json_output:
        print_json(rows)
        return
    table = listing_table(
        "id",
        "lang",
        "published",
        "role",
        "source",
        "title / start of text",
        wide=("title / start of text",),
        ids=[row["id"] for row in rows],
    )
    for row, article in zip(rows, found, strict=True):
        heading = article.title or " ".join(article.text.split())[:120]
        role = f"translation of {row['translation_of']}" if row["translation_of"] else row["role"]
        table.add_row(
            safe(row["id"]),
            row["lang"],
            row["published"] or "?",
            safe(role),
            safe(row["source"] or ""),
            safe(heading),
        )
    print_listing(table, drop=("role", "source"))
    console.print(f"{len(rows)} articles", highlight=False)


@app.command()
def show(
    article_id: ArticleArgument,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Show one article: text, segments, language, date with its provenance, source, translations."""
    with open_store(db, readonly=True) as store:
        article = require_article(store, article_id)
        data = article_dict(store, article, with_text=True)
        data["segments"] = [
            {"start": s.start, "end": s.end, "role": s.role, "note": s.note}
            for s in article_segments(store, article.id)
        ]
        data["translations"] = [article_dict(store, t, with_text=True) for t in translations_of(store, article.id)]
    if json_output:
        print_json(data)
        return
    console.print(f"[bold]{safe(data['title'] or data['id'])}[/bold]")
    for label, value in (
        ("id", data["id"]),
        ("language", f"{data['lang']} (confidence {data['lang_confidence']:.2f})"),
        (
            "published",
            f"{data['published'] or 'unknown'} ({data['date_method']}"
            + (f": {data['date_evidence']!r})" if data["date_evidence"] else ")"),
        ),
        ("source", data["source"] or "unknown"),
        ("from", data["path"] or data["url"] or ""),
        ("role", data["role"] + (f" of {data['translation_of']}" if data["translation_of"] else "")),
    ):
        console.print(f"[dim]{label}:[/dim] {safe(value)}", highlight=False)
    console.print()
    console.print(safe(data["text"]), highlight=False)
    for translation in data["translations"]:
        console.print(f"\n[bold]translation {safe(translation['id'])} ({translation['lang']})[/bold]")
        console.print(safe(translation["text"]), highlight=False)


@app.command("stats")
def stats_command(db: DbOption = None, json_output: JsonOption = False) -> None:
    """Count what is stored."""
    with open_store(db, readonly=True) as store:
        data = stats(store)
    if json_output:
        print_json(data)
        return
    for key, value in data.items():
        console.print(f"[dim]{key}:[/dim] {safe(value)}", highlight=False)


register_story_commands(app)
register_document_commands(app)
register_clustering_commands(app)
register_search_command(app)
register_follow_commands(app)
register_backfill_command(app)


def main() -> None:
    app()
