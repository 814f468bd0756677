"""CLI command `backfill`: a whole corpus at once, the per-article work in parallel (Ray or a local loop)."""

from __future__ import annotations

from typing import Annotated

import typer

from storylens.backfill import Backfill, BackfillError, BackfillOptions, make_engine
from storylens.backfill.windows import DEFAULT_OVERLAP_DAYS, DEFAULT_WINDOW_DAYS
from storylens.sources.plugins import SourceOptions, read_sources
from storylens.views.common import (
    DbOption,
    EncoderOption,
    JsonOption,
    console,
    err_console,
    fail,
    open_store,
    pipeline_for,
    print_json,
    progress_bars,
    safe,
    stage_progress,
    store_errors_reported,
)


def register(app: typer.Typer) -> None:
    app.command()(backfill)


def backfill(
    corpus: Annotated[list[str], typer.Argument(help="Files or folders of articles (as `ingest` reads them).")],
    engine: Annotated[
        str, typer.Option(help="ray (Ray Data batches) or local (a plain loop in this process).")
    ] = "ray",
    address: Annotated[
        str | None,
        typer.Option(
            help="Ray cluster to use (HEAD:6379, auto, or ray://HEAD:10001 with ray[client]); default: a local Ray"
            " instance. The driver's storylens is shipped to the cluster's nodes.",
        ),
    ] = None,
    workers: Annotated[int, typer.Option(help="Ray actors preparing, embedding and extracting at once.")] = 2,
    window_days: Annotated[int, typer.Option(help="Stories are decided in time windows this many days long ...")] = (
        DEFAULT_WINDOW_DAYS
    ),
    overlap_days: Annotated[int, typer.Option(help="... overlapping by this many days, then stitched.")] = (
        DEFAULT_OVERLAP_DAYS
    ),
    db: DbOption = None,
    encoder: EncoderOption = None,
    json_output: JsonOption = False,
) -> None:
    """Store a whole corpus with the per-article work (cleaning, language, dates, embedding, evidence keys,
    extraction) in parallel, then decide every story by overlapping time windows, and rebuild entity links,
    quote and figure groups and storylines. Documents already stored are left out: a rerun adds nothing. An
    interrupted backfill is finished by `storylens ingest`."""
    if not 0 <= overlap_days < window_days:
        fail(f"--overlap-days must be from 0 to {window_days - 1} (less than --window-days)", code=2)
    try:
        chosen = make_engine(engine, address, workers)
    except BackfillError as error:
        fail(str(error), code=2)
    try:
        with open_store(db) as store, progress_bars(quiet=json_output) as progress:
            pipeline = pipeline_for(store, encoder)
            options = BackfillOptions(window_days=window_days, overlap_days=overlap_days)
            waiting = lambda: err_console.print(f"waiting for another process writing {safe(store.path)}")  # noqa: E731
            with store_errors_reported():
                report = Backfill(store, pipeline, chosen, options, on_wait=waiting).run(
                    read_sources(corpus, SourceOptions()), stage_progress(progress)
                )
    except BackfillError as error:
        fail(str(error))
    finally:
        chosen.close()
    for skipped in report.errors:
        err_console.print(f"[red]error:[/red] {safe(skipped.line())}", highlight=False, soft_wrap=True)
    if json_output:
        print_json(report.as_dict())
    else:
        stories = "" if report.stories is None else f", stories {report.stories}"
        nodes = f" on {len(report.nodes)} node{'s' * (len(report.nodes) != 1)}" if report.nodes else ""
        console.print(
            f"read {report.read}, new articles {report.new_articles}, duplicates {report.duplicates}, "
            f"errors {len(report.errors)}{stories} ({engine}{nodes})",
            highlight=False,
        )
    if report.errors:
        raise typer.Exit(1)
