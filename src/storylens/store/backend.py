"""Database backends: what differs between SQLite (the embedded default) and PostgreSQL, behind one protocol.

Repositories write their SQL once, in the dialect both databases read: ``?`` placeholders, ``INSERT ... ON
CONFLICT`` upserts, ``NULLS FIRST``, ``"end"`` quoted. What cannot be written once they ask the connection's
backend (``dialect(conn)``): a NULL-safe comparison, JSON aggregation, an insert that returns its row id,
full-text search. The ``Store`` (``db.py``) asks its backend to connect, migrate, open write transactions and
hold the writer lock. A store target is a file path (SQLite) or a ``postgresql://`` URL (``postgres.py``).

Migrations: ``migrations/NNNN_name.sql`` is the SQLite text; a backend may run it translated
(``postgres.translate``) or use its own file of the same name (``migrations/postgresql/NNNN_name.sql``).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

StoreTarget = str | os.PathLike[str]
Params = Sequence[Any] | None


class Row(Protocol):
    """A result row: by position or by column name (``sqlite3.Row`` or ``postgres.PgRow``)."""

    def __getitem__(self, key: Any, /) -> Any: ...

    def keys(self) -> list[str]: ...


class Cursor(Protocol):
    lastrowid: int | None

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """What repositories use of a connection: ``sqlite3.Connection`` or ``postgres.PgConnection``."""

    def execute(self, sql: str, parameters: Any = ..., /) -> Any: ...

    def executemany(self, sql: str, parameters: Any, /) -> Any: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def close(self) -> None: ...


class Backend(Protocol):
    """One database system. ``SQLiteBackend`` below; ``postgres.PostgresBackend``."""

    name: str
    null_safe_eq: str  # ``a <op> b`` is true when both are NULL
    instr: str  # the function giving the 1-based position of a string in another (0: absent)

    @property
    def errors(self) -> tuple[type[Exception], ...]:
        """What a database failure raises (the CLI reports it in one line)."""

    def describe(self, target: StoreTarget) -> str: ...

    def exists(self, target: StoreTarget) -> bool: ...

    def connect(self, target: StoreTarget, *, readonly: bool) -> Connection: ...

    def version(self, conn: Connection) -> int: ...

    def apply_migration(self, conn: Connection, version: int, name: str, sql: str) -> None: ...

    def migration_sql(self, name: str, sqlite_sql: str) -> str: ...

    def begin_write(self, conn: Connection) -> None: ...

    def writer_lock(
        self, target: StoreTarget, conn: Connection, on_wait: Callable[[], None] | None
    ) -> AbstractContextManager[None]: ...

    def query_only(self, conn: Connection) -> None: ...

    def json_array_distinct(self, expression: str) -> str: ...

    def insert_id(self, conn: Connection, sql: str, params: Sequence[Any]) -> int: ...

    def has_text_index(self, conn: Connection) -> bool: ...

    def text_search(self, conn: Connection, words: Sequence[str], limit: int, marks: tuple[str, str]) -> list[Any]: ...

    def reader_pool(self, target: StoreTarget, size: int) -> ReaderPool | None:
        """Connections a server keeps open for its readers, or None (each request connects)."""


class ReaderPool(Protocol):
    """Read-only connections lent one at a time (``postgres.ReaderPool``); ``readers.Readers`` uses it."""

    def connection(self) -> AbstractContextManager[Connection]: ...

    def stats(self) -> dict[str, int]: ...

    def close(self) -> None: ...


def is_url(target: StoreTarget) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def backend_for(target: StoreTarget) -> Backend:
    if is_url(target):
        from storylens.store.postgres import POSTGRES

        return POSTGRES
    return SQLITE


def database_errors() -> tuple[type[Exception], ...]:
    """What a database failure raises, on any backend that is installed."""
    errors: tuple[type[Exception], ...] = (sqlite3.Error,)
    try:
        import psycopg
    except ImportError:
        return errors
    return (*errors, psycopg.Error)


def dialect(conn: Connection) -> Backend:
    """The backend a connection belongs to."""
    found = getattr(conn, "backend", None)
    return found if found is not None else SQLITE


def sqlite_migrations() -> list[tuple[int, str, str]]:
    """(version, file name, SQLite text) of every shipped migration, in order."""
    folder = resources.files("storylens.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            found.append((int(entry.name.split("_", 1)[0]), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def own_migration(backend: str, name: str) -> str | None:
    """A backend's own text of a migration (``migrations/<backend>/<name>``), if it has one."""
    entry = resources.files("storylens.store") / "migrations" / backend / name
    return entry.read_text(encoding="utf-8") if entry.is_file() else None


class SQLiteBackend:
    """One SQLite file in WAL mode; the writer lock is a ``flock`` on ``<db>.lock`` (``db.file_lock``)."""

    name = "sqlite"
    instr = "instr"
    null_safe_eq = "IS"
    busy_timeout_ms = 60_000  # a writer waits this long for another process's write transaction before giving up

    @property
    def errors(self) -> tuple[type[Exception], ...]:
        return (sqlite3.Error,)

    def describe(self, target: StoreTarget) -> str:
        return str(target)

    def exists(self, target: StoreTarget) -> bool:
        return Path(target).exists()

    def connect(self, target: StoreTarget, *, readonly: bool) -> Connection:
        path = Path(target)
        if readonly:
            conn = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True, check_same_thread=False)
        else:
            conn = sqlite3.connect(path, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {self.busy_timeout_ms}")
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    def version(self, conn: Connection) -> int:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])

    def migration_sql(self, name: str, sqlite_sql: str) -> str:
        return sqlite_sql

    def apply_migration(self, conn: Connection, version: int, name: str, sql: str) -> None:
        assert isinstance(conn, sqlite3.Connection)
        # executescript commits implicitly, so the transaction is spelled out in the script itself.
        try:
            conn.executescript(f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;")
        except sqlite3.Error:
            if conn.in_transaction:
                conn.rollback()
            raise

    def begin_write(self, conn: Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")

    def writer_lock(
        self, target: StoreTarget, conn: Connection, on_wait: Callable[[], None] | None
    ) -> AbstractContextManager[None]:
        from storylens.store.db import file_lock

        path = Path(target)
        return file_lock(path.with_name(path.name + ".lock"), on_wait)

    def query_only(self, conn: Connection) -> None:
        conn.execute("PRAGMA query_only = ON")

    def json_array_distinct(self, expression: str) -> str:
        return f"json_group_array(DISTINCT {expression})"

    def insert_id(self, conn: Connection, sql: str, params: Sequence[Any]) -> int:
        row_id = conn.execute(sql, params).lastrowid
        assert row_id is not None
        return int(row_id)

    def has_text_index(self, conn: Connection) -> bool:
        return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'article_search'").fetchone() is not None

    def text_search(self, conn: Connection, words: Sequence[str], limit: int, marks: tuple[str, str]) -> list[Any]:
        """FTS5: every word as a word or a word prefix, ranked by bm25 with the title weighted 3 to 1; ties by id."""
        match = " ".join('"' + word.replace('"', '""') + '"*' for word in words)
        return conn.execute(
            f"""SELECT rowid AS id, snippet(article_search, 1, '{marks[0]}', '{marks[1]}', '…', 16) AS snippet
                FROM article_search WHERE article_search MATCH ? ORDER BY bm25(article_search, 3.0, 1.0), rowid
                LIMIT ?""",
            (match, limit),
        ).fetchall()

    def reader_pool(self, target: StoreTarget, size: int) -> ReaderPool | None:
        return None  # opening a file read-only is cheap, and WAL gives each connection its snapshot


SQLITE = SQLiteBackend()
