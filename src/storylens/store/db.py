"""The store: connection, versioned migrations, transactions and the writer lock, on a backend (``backend.py``).

A store is a SQLite file (the default) or a PostgreSQL database (a ``postgresql://`` URL, ``postgres.py``).
Each migration in ``migrations/NNNN_name.sql`` runs once, in order, inside a transaction, and the backend records
the last one applied (SQLite ``PRAGMA user_version``, PostgreSQL ``schema_version``). SQLite runs in WAL mode,
so readers work while an ingest writes. ``writer_lock`` serialises the processes that change a store (ingest,
recluster) for a whole run (a lock file beside a SQLite database, an advisory lock in PostgreSQL), so two
ingests give what one after the other gives.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from storylens.store import progress as stage_progress
from storylens.store.backend import Connection, StoreTarget, backend_for, is_url, sqlite_migrations

try:
    import fcntl
except ImportError:  # Windows: no lock file; SQLite's own write lock still keeps each transaction whole
    fcntl = None  # type: ignore[assignment]

DEFAULT_DB = "storylens.db"
DB_ENV = "STORYLENS_DB"


class StoreError(Exception):
    """The database cannot be opened or is not a storylens store."""


MAX_ROWID = 2**63 - 1  # SQLite integers are 64-bit: no id (or row offset) is larger


def row_id(text: str) -> int | None:
    """``text`` as a stored id if it is ASCII digits within SQLite's integers (not "²" nor Arabic-Indic), else None."""
    return int(text) if text.isascii() and text.isdigit() and int(text) <= MAX_ROWID else None


def store_target(value: StoreTarget | None) -> Path | str:
    """A store given on the command line or in ``$STORYLENS_DB``: a ``postgresql://`` URL, else a file path."""
    value = value if value is not None else (os.environ.get(DB_ENV) or DEFAULT_DB)
    return str(value) if is_url(value) else Path(value)


def default_db_path() -> Path | str:
    return store_target(None)


def store_exists(target: StoreTarget | None) -> bool:
    target = store_target(target)
    return backend_for(target).exists(target)


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, SQLite sql) for every shipped migration, in order."""
    return sqlite_migrations()


class Store:
    """A storylens database. Use as a context manager or call ``close``."""

    def __init__(
        self, path: StoreTarget | None = None, *, readonly: bool = False, borrowed: Connection | None = None
    ) -> None:
        """``borrowed``: a read-only connection lent by a pool (``readers.py``), which ``close`` leaves open."""
        self.path = store_target(path)
        self.backend = backend_for(self.path)
        self.name = self.backend.describe(self.path)
        self._lock_depth = 0
        self._borrowed = borrowed is not None
        readonly = readonly or self._borrowed
        if readonly and not self.backend.exists(self.path):
            raise StoreError(f"{self.name}: no storylens database here (run `storylens ingest` first)")
        try:
            self.conn: Connection = borrowed or self.backend.connect(self.path, readonly=readonly)
            self._check_version()
            if readonly and self.version == 0:  # an empty file or database: nothing to read
                self.close()
                raise StoreError(f"{self.name}: no storylens database here (run `storylens ingest` first)")
            if not readonly and self.version < migrations()[-1][0]:
                with self.writer_lock():  # two processes opening a new store: one migrates, the other waits
                    self._migrate()
        except self.backend.errors as error:
            raise StoreError(f"{self.name}: not a usable storylens database ({error})") from error

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if not self._borrowed:
            self.conn.close()

    def query_only(self) -> None:
        """Refuse every write on this connection from now on (a second guard for read-only request stores)."""
        self.backend.query_only(self.conn)

    @property
    def version(self) -> int:
        return self.backend.version(self.conn)

    def _check_version(self) -> None:
        latest = migrations()[-1][0]
        if self.version > latest:
            raise StoreError(f"{self.name}: made by a newer storylens (schema {self.version} > {latest})")

    def _migrate(self) -> None:
        self._check_version()
        current = self.version
        for version, name, sql in migrations():
            if version > current:
                self.backend.apply_migration(self.conn, version, name, self.backend.migration_sql(name, sql))

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """All writes inside commit together or not at all."""
        self.backend.begin_write(self.conn)
        try:
            yield self.conn
        except BaseException:
            self.conn.rollback()
            raise
        else:
            self.conn.commit()

    @contextmanager
    def stage_batch(
        self, stage: str, article_ids: Sequence[int] | None = (), *, rebuilt: bool = False
    ) -> Iterator[Connection]:
        """A transaction for a stage's writes that also records, in the same commit, that the stage has completed
        ``article_ids`` (None: every stored article) and, with ``rebuilt``, that its whole-store rebuild is done."""
        with self.transaction() as conn:
            yield conn
            stage_progress.mark_done(conn, stage, article_ids)
            if rebuilt:
                stage_progress.rebuild_done(conn, stage)

    @contextmanager
    def writer_lock(self, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """Hold the store's writer lock (re-entrant in one process); ``on_wait`` is called once if another process
        holds it, before waiting for it."""
        if self._lock_depth:
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        with self.backend.writer_lock(self.path, self.conn, on_wait):
            self._lock_depth = 1
            try:
                yield
            finally:
                self._lock_depth = 0


@contextmanager
def file_lock(path: Path, on_wait: Callable[[], None] | None) -> Iterator[None]:
    """An exclusive ``flock`` on ``path`` (created if missing) while inside; nothing where there is no flock."""
    if fcntl is None:
        yield
        return
    handle = open(path, "a+b")  # noqa: SIM115 (held across the yield)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait:
                on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        handle.close()  # closing the file releases the lock
