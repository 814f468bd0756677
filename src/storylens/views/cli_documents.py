"""CLI commands that write documents or serve the store: brief (with translation), serve and export."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated

import typer

from storylens.settings import SettingsError, checked_pool_size, current_settings
from storylens.views.cli_stories import ChangedSinceOption, changed_since, record_briefing
from storylens.views.common import (
    DbOption,
    console,
    fail,
    open_store,
    safe,
)
from storylens.views.export import (
    EXPORT_KINDS,
    ExportError,
    export_formats,
    export_rows,
    exporter,
    flat_rows,
    write_export,
)
from storylens.views.outlets import OutletFileError, OutletRegistry, load_registry

OutletsOption = Annotated[
    Path | None,
    typer.Option(
        "--outlets",
        help="Outlet registry (JSON, see src/storylens/views/data/outlets.json); default $STORYLENS_OUTLETS,"
        " else the shipped one.",
    ),
]


def outlet_registry(path: Path | None) -> OutletRegistry:
    """The registry from ``--outlets``, ``$STORYLENS_OUTLETS`` or the default; a bad file ends in one line."""
    try:
        return load_registry(path)
    except OutletFileError as error:
        fail(str(error))


def brief(
    ref: Annotated[str, typer.Argument(help="Story id (12 or story:12) or storyline id (storyline:3).")],
    since: ChangedSinceOption = None,
    output_format: Annotated[str, typer.Option("--format", help="md, html or json.")] = "md",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default stdout).")] = None,
    to: Annotated[
        str | None,
        typer.Option("--to", help="Reader's language (e.g. en): translations and names in it beside the originals."),
    ] = None,
    translator: Annotated[
        str | None,
        typer.Option(
            help="none (names only), argos (installed Argos models), openai:MODEL@BASE_URL or a plugin's name;"
            " results are cached (default: the settings' translator, none unless set).",
            show_default=False,
        ),
    ] = None,
    outlets: OutletsOption = None,
    db: DbOption = None,
) -> None:
    """Write an extractive briefing on a story or storyline, citing every article it quotes."""
    from storylens.translation import TranslationError, get_translator
    from storylens.translation.cached import CachedTranslator
    from storylens.views.brief import BriefError, build_brief, parse_ref, render

    if output_format not in ("md", "html", "json"):
        fail(f"--format {output_format!r}: expected md, html or json", code=2)
    if to is not None and not re.fullmatch(r"[a-z]{2,3}", to):
        fail(f"--to {to!r}: expected a language code such as en, he or ar", code=2)
    try:
        kind, number = parse_ref(ref)
    except BriefError as error:
        fail(str(error))
    try:
        chosen = get_translator(translator or current_settings().translator) if to else None
    except TranslationError as error:
        fail(str(error), code=2)
    caching = chosen is not None and chosen.name != "none"
    registry = outlet_registry(outlets)
    start = changed_since(since, f"{kind}:{number}", db) if since else None
    with open_store(db, readonly=not caching) as store:
        try:
            content = build_brief(
                store,
                ref,
                since=start,
                registry=registry,
                to=to,
                translator=CachedTranslator(chosen, store) if caching and chosen else chosen,
            )
        except (BriefError, TranslationError) as error:
            fail(str(error))
    text = render(content, output_format)  # type: ignore[arg-type]
    record_briefing(f"{kind}:{number}", db)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback only by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    encoder: Annotated[
        str | None, typer.Option(help="Encoder for search queries (default: the one the store was built with).")
    ] = None,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            help="Also answer requests for this host name (repeatable); by default only localhost, 127.0.0.1"
            " and [::1] are answered, others get HTTP 400.",
        ),
    ] = None,
    outlets: OutletsOption = None,
    translator: Annotated[
        str | None,
        typer.Option(
            help="Translator for briefs asked for with ?to= (none, argos, openai:MODEL@BASE_URL or a plugin's name;"
            " default: the settings' translator).",
            show_default=False,
        ),
    ] = None,
    pool_size: Annotated[
        str | None,
        typer.Option(
            help="PostgreSQL connections kept open for requests, at most (1 or more; default: the settings'"
            " pool_size, 10 unless set).",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Serve the web UI and the JSON API (read-only) on http://HOST:PORT/."""
    import uvicorn

    from storylens.views.web import LOCAL_HOSTS, create_app

    try:
        pool = None if pool_size is None else checked_pool_size(pool_size, "--pool-size")
    except SettingsError as error:
        fail(str(error), code=2)
    with open_store(db, readonly=True) as store:  # fails here, in one line, if there is no usable store
        path, name = store.path, store.name  # the name shows a URL without its password
    console.print(
        f"serving {safe(name)} on http://{host}:{port}/ (API: /api/, OpenAPI: /openapi.json)", highlight=False
    )
    from storylens.translation import TranslationError, get_translator

    registry = outlet_registry(outlets)
    try:
        chosen = get_translator(translator or current_settings().translator)
    except TranslationError as error:
        fail(str(error), code=2)
    app = create_app(
        path,
        encoder_spec=encoder,
        allowed_hosts=[*LOCAL_HOSTS, *(allow_host or [])],
        outlets=registry,
        translator=chosen,
        pool_size=pool,
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")


# ---------------------------------------------------------------- exports


def export(
    what: Annotated[str, typer.Option("--what", help=f"{', '.join(EXPORT_KINDS)}.")] = "articles",
    output_format: Annotated[
        str, typer.Option("--format", help="jsonl or json (the API's shapes), csv or parquet (flat rows).")
    ] = "jsonl",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default stdout).")] = None,
    excel: Annotated[
        bool, typer.Option("--excel", help="CSV with a UTF-8 byte order mark, for spreadsheet programs.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Export articles, stories, storylines, entities, mentions, quotes or figures. CSV and Parquet have one row
    per article, story, storyline, entity spelling, mention, quote occurrence or figure occurrence."""
    if what not in EXPORT_KINDS:
        fail(f"--what {what!r}: expected one of {', '.join(EXPORT_KINDS)}", code=2)
    if output_format not in export_formats():
        fail(f"--format {output_format!r}: expected {', '.join(export_formats())}", code=2)
    chosen = exporter(output_format)
    if excel and output_format != "csv":
        fail("--excel applies to --format csv only", code=2)
    fmt = output_format
    binary = chosen.binary
    try:
        with open_store(db, readonly=True) as store:
            rows = export_rows(store, what)
            if chosen.flat:
                rows = iter(flat_rows(store, what, rows))
            if output is None:
                write_export(rows, fmt, sys.stdout.buffer if binary else sys.stdout, excel=excel)
            else:
                with output.open("wb") if binary else output.open("w", encoding="utf-8", newline="") as stream:
                    write_export(rows, fmt, stream, excel=excel)
    except ExportError as error:
        fail(str(error))


def register(app: typer.Typer) -> None:
    """Add brief, serve and export to the ``storylens`` app."""
    for command in (brief, serve, export):
        app.command()(command)
