"""The SQLite store: connection, versioned migrations, transactions and the writer lock.

Each migration in ``migrations/NNNN_name.sql`` runs once, in order, inside a transaction, and
``PRAGMA user_version`` records the last one applied. WAL mode lets readers work while an
ingest writes. ``writer_lock`` serialises the processes that change a store (ingest, recluster): a lock
file beside the database, held for the whole run, so two ingests give what one after the other gives.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from storylens.store import progress as stage_progress

try:
    import fcntl
except ImportError:  # Windows: no lock file; SQLite's own write lock still keeps each transaction whole
    fcntl = None  # type: ignore[assignment]

DEFAULT_DB = "storylens.db"
DB_ENV = "STORYLENS_DB"
BUSY_TIMEOUT_MS = 60_000  # a writer waits this long for another process's write transaction before giving up


class StoreError(Exception):
    """The database cannot be opened or is not a storylens store."""


MAX_ROWID = 2**63 - 1  # SQLite integers are 64-bit: no id (or row offset) is larger


def row_id(text: str) -> int | None:
    """``text`` as a stored id if it is ASCII digits within SQLite's integers (not "²" nor Arabic-Indic), else None."""
    return int(text) if text.isascii() and text.isdigit() and int(text) <= MAX_ROWID else None


def default_db_path() -> Path:
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every shipped migration, in order."""
    folder = resources.files("storylens.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            found.append((version, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


class Store:
    """A storylens database. Use as a context manager or call ``close``."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, readonly: bool = False) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        self._lock_depth = 0
        if readonly and not self.path.exists():
            raise StoreError(f"{self.path}: no storylens database here (run `storylens ingest` first)")
        try:
            if readonly:
                uri = f"file:{self.path.resolve()}?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            else:
                self.conn = sqlite3.connect(self.path, check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if not readonly:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
                self._check_version()
                if self.version < migrations()[-1][0]:
                    with self.writer_lock():  # two processes opening a new store: one migrates, the other waits
                        self._migrate()
            else:
                self._check_version()
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: not a usable storylens database ({error})") from error

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def query_only(self) -> None:
        """Refuse every write on this connection from now on (a second guard for read-only request stores)."""
        self.conn.execute("PRAGMA query_only = ON")

    @property
    def version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _check_version(self) -> None:
        latest = migrations()[-1][0]
        if self.version > latest:
            raise StoreError(f"{self.path}: made by a newer storylens (schema {self.version} > {latest})")

    def _migrate(self) -> None:
        self._check_version()
        current = self.version
        for version, _name, sql in migrations():
            if version <= current:
                continue
            # executescript commits implicitly, so the transaction is spelled out in the script itself.
            try:
                self.conn.executescript(f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;")
            except sqlite3.Error:
                if self.conn.in_transaction:
                    self.conn.rollback()
                raise

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All writes inside commit together or not at all."""
        self.conn.execute("BEGIN IMMEDIATE")
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
    ) -> Iterator[sqlite3.Connection]:
        """A transaction for a stage's writes that also records, in the same commit, that the stage has completed
        ``article_ids`` (None: every stored article) and, with ``rebuilt``, that its whole-store rebuild is done."""
        with self.transaction() as conn:
            yield conn
            stage_progress.mark_done(conn, stage, article_ids)
            if rebuilt:
                stage_progress.rebuild_done(conn, stage)

    @contextmanager
    def writer_lock(self, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """Hold the store's writer lock (``<db>.lock``; re-entrant in one process); ``on_wait`` is called once if
        another process holds it, before waiting for it."""
        if fcntl is None or self._lock_depth:
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        handle = open(self.path.with_name(self.path.name + ".lock"), "a+b")  # noqa: SIM115 (held across the yield)
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait:
                    on_wait()
                fcntl.flock(handle, fcntl.LOCK_EX)
            self._lock_depth = 1
            yield
        finally:
            self._lock_depth = 0
            handle.close()  # closing the file releases the lock
