"""The PostgreSQL backend (psycopg 3; ``pip install 'storylens[postgres]'``).

``PgConnection`` gives a psycopg connection the few ``sqlite3.Connection`` manners the repositories use:
``execute``/``executemany`` with ``?`` placeholders (turned into ``%s``), rows read by position or column name,
booleans stored as 0/1 integers. It runs in autocommit mode; ``Store.transaction`` opens each write
transaction, which first takes a transaction-level advisory lock so write transactions follow one another as
SQLite's ``BEGIN IMMEDIATE`` makes them. The writer lock of a whole run is a session-level advisory lock.

Schema: ``schema_version`` holds the last migration applied. A migration runs as the backend's own file
``migrations/postgresql/NNNN_name.sql`` when there is one, else as ``translate``'s rendering of the SQLite
file (types, ids, ``WITHOUT ROWID``, the ``end`` column). Full-text search: a ``tsvector`` per article kept
by a trigger (``migrations/postgresql/0004_search.sql``), accents folded (``0016_search_folding.sql``: the
``unaccent`` extension where installed, and always ``storylens_fold``), ranked with ``ts_rank``. Vectors are
``bytea``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from storylens.store.backend import Connection, StoreTarget, own_migration

try:
    import psycopg
except ImportError:  # the optional extra is not installed
    psycopg = None  # type: ignore[assignment]

WRITER_LOCK = 0x5354_4C31  # advisory lock keys: the writer of a whole run ...
WRITE_TRANSACTION = 0x5354_4C32  # ... and each write transaction
SEARCH_CONFIG = "storylens_search"  # 'simple' (lower-cased words, no stemming: the same for every language) with
# accents folded (migrations/postgresql/0016_search_folding.sql); FOLD folds the words of a query as the index's.
FOLD = "storylens_fold"
# ts_rank's weights for D, C, B (the text), A (the title): the title three times the text, as FTS5's bm25 weighs
# them; with normalisation 1 (divided by 1 + log of the length) a shorter match ranks first, as with bm25.
RANK_WEIGHTS = [0.1, 0.2, 1 / 3, 1.0]


class PgRow(tuple[Any, ...]):
    """A row readable by position or column name, like ``sqlite3.Row``."""

    _index: dict[str, int]

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


def _row_factory(cursor: Any) -> Callable[[Sequence[Any]], PgRow]:
    names = [column.name for column in cursor.description or ()]
    index: dict[str, int] = {}
    for position, name in enumerate(names):
        index.setdefault(name, position)

    def make(values: Sequence[Any]) -> PgRow:
        row = PgRow(values)
        row._index = index
        return row

    return make


_TOKENS = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|\?|%")


@lru_cache(maxsize=1024)
def placeholders(sql: str) -> str:
    """``?`` placeholders (outside quoted text) as psycopg's ``%s``, and every literal ``%`` as ``%%``."""

    def swap(match: re.Match[str]) -> str:
        token = match.group(0)
        return "%s" if token == "?" else token.replace("%", "%%")

    return _TOKENS.sub(swap, sql)


def _value(value: Any) -> Any:
    return int(value) if isinstance(value, bool) else value


def _params(params: Any) -> Any:
    return None if params is None else [_value(v) for v in params]


class PgCursor:
    """A cursor with ``sqlite3.Cursor``'s reading methods and ``rowcount`` (rows a write changed)."""

    lastrowid: int | None = None

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        return list(self._cursor.fetchall()) if self._cursor.description else []

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


class PgConnection:
    """A psycopg connection spoken to as the repositories speak to ``sqlite3``."""

    def __init__(self, conn: Any) -> None:
        self.raw = conn
        self.backend = POSTGRES

    def execute(self, sql: str, parameters: Any = None, /) -> PgCursor:
        if parameters is None:
            return PgCursor(self.raw.execute(sql))
        return PgCursor(self.raw.execute(placeholders(sql), _params(parameters)))

    def executemany(self, sql: str, parameters: Any, /) -> None:
        rows = [_params(row) for row in parameters]
        if rows:
            with self.raw.cursor() as cursor:
                cursor.executemany(placeholders(sql), rows)

    def commit(self) -> None:
        self.raw.execute("COMMIT")

    def rollback(self) -> None:
        self.raw.execute("ROLLBACK")

    def close(self) -> None:
        self.raw.close()


_TYPES = [
    (re.compile(r"\bINTEGER PRIMARY KEY\b"), "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    (re.compile(r"\bINTEGER\b(?=[^,\n]*\bREFERENCES\b)"), "BIGINT"),  # ids are 64-bit, offsets 32-bit
    (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),
    (re.compile(r"\bBLOB\b"), "BYTEA"),
    (re.compile(r"\)\s*WITHOUT ROWID"), ")"),
    (re.compile(r"(?<![\w.\"])end(?![\w\"])"), '"end"'),  # the column (SQL words are upper case here)
]


def translate(sqlite_sql: str) -> str:
    """A SQLite migration in PostgreSQL: 64-bit identity row ids and references, double precision, ``bytea``, no
    ``WITHOUT ROWID``, the ``end`` column quoted. What this cannot render needs its own file (see module doc)."""
    for pattern, replacement in _TYPES:
        sqlite_sql = pattern.sub(replacement, sqlite_sql)
    return sqlite_sql


def _configure(raw: Any, *, readonly: bool) -> None:
    raw.execute("SET client_min_messages = warning")
    if readonly:
        raw.execute("SET default_transaction_read_only = on")


class ReaderPool:
    """Read-only connections kept open for a server's requests (``psycopg_pool``, the ``postgres`` extra): at
    most ``size`` at once, opened at the first request, each checked when lent (a restarted server is noticed)."""

    def __init__(self, target: StoreTarget, size: int) -> None:
        from psycopg_pool import ConnectionPool

        self.pool = ConnectionPool(
            str(target), min_size=1, max_size=size, open=False, name="storylens-readers",
            kwargs={"autocommit": True, "row_factory": _row_factory},
            configure=lambda raw: _configure(raw, readonly=True), check=ConnectionPool.check_connection,
        )  # fmt: skip
        self._opened = False

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        if not self._opened:
            self.pool.open()
            self._opened = True
        with self.pool.connection() as raw:
            yield PgConnection(raw)

    def stats(self) -> dict[str, int]:
        """The pool's counters (``requests_num``, ``connections_num``, ``pool_max``...)."""
        return dict(self.pool.get_stats())

    def close(self) -> None:
        self.pool.close()


class PostgresBackend:
    """A PostgreSQL database given by a ``postgresql://`` URL."""

    name = "postgresql"
    null_safe_eq = "IS NOT DISTINCT FROM"
    instr = "strpos"

    @property
    def errors(self) -> tuple[type[Exception], ...]:
        return (psycopg.Error,) if psycopg is not None else ()

    def describe(self, target: StoreTarget) -> str:
        """The URL without its password."""
        return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", str(target))

    def exists(self, target: StoreTarget) -> bool:
        return True  # a server database; whether it holds a store is known once connected

    def connect(self, target: StoreTarget, *, readonly: bool) -> Connection:
        if psycopg is None:
            raise ImportError("a postgresql:// store needs psycopg: pip install 'storylens[postgres]'")
        raw = psycopg.connect(str(target), autocommit=True, row_factory=_row_factory)
        _configure(raw, readonly=readonly)
        return PgConnection(raw)

    def reader_pool(self, target: StoreTarget, size: int) -> ReaderPool:
        return ReaderPool(target, size)

    def version(self, conn: Connection) -> int:
        exists = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()[0]
        if not exists:
            return 0
        row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def migration_sql(self, name: str, sqlite_sql: str) -> str:
        own = own_migration(self.name, name)
        return own if own is not None else translate(sqlite_sql)

    def apply_migration(self, conn: Connection, version: int, name: str, sql: str) -> None:
        self.begin_write(conn)
        try:
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            conn.execute(sql)  # no parameters: several statements in one call
            conn.execute("DELETE FROM schema_version")
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
        except BaseException:
            conn.rollback()
            raise
        conn.commit()

    def begin_write(self, conn: Connection) -> None:
        conn.execute("BEGIN")
        conn.execute("SELECT pg_advisory_xact_lock(?)", (WRITE_TRANSACTION,))

    @contextmanager
    def writer_lock(self, target: StoreTarget, conn: Connection, on_wait: Callable[[], None] | None) -> Iterator[None]:
        """A session advisory lock, on a connection of its own so the store's transactions do not touch it."""
        assert psycopg is not None
        with psycopg.connect(str(target), autocommit=True) as lock:
            if not (lock.execute("SELECT pg_try_advisory_lock(%s)", (WRITER_LOCK,)).fetchone() or (False,))[0]:
                if on_wait:
                    on_wait()
                lock.execute("SELECT pg_advisory_lock(%s)", (WRITER_LOCK,))
            try:
                yield
            finally:
                lock.execute("SELECT pg_advisory_unlock(%s)", (WRITER_LOCK,))

    def query_only(self, conn: Connection) -> None:
        conn.execute("SET default_transaction_read_only = on")

    def json_array_distinct(self, expression: str) -> str:
        return f"json_agg(DISTINCT {expression})::text"  # text, as SQLite gives it

    def insert_id(self, conn: Connection, sql: str, params: Sequence[Any]) -> int:
        return int(conn.execute(f"{sql} RETURNING id", params).fetchone()[0])

    def has_text_index(self, conn: Connection) -> bool:
        return bool(conn.execute("SELECT to_regclass('article_search') IS NOT NULL").fetchone()[0])

    def text_search(self, conn: Connection, words: Sequence[str], limit: int, marks: tuple[str, str]) -> list[Any]:
        """Every word as a word or a word prefix (``word:*``). Ranked as FTS5's bm25 ranks, as far as ``ts_rank``
        can: the sum of each word's own rank (``ts_rank`` of several words at once weighs how close together
        they stand, bm25 does not), title weighted 3 to 1, a shorter article first; ties by id, on both."""
        parts = [f"{part}:*" for word in words for part in re.sub(r"[^\w]+", " ", word).split()]
        if not parts:
            return []
        tsquery = f"to_tsquery('{SEARCH_CONFIG}', {FOLD}(?))"
        rank = " + ".join([f"ts_rank(?::real[], s.document, {tsquery}, 1)"] * len(parts))
        headline = f"StartSel={marks[0]}, StopSel={marks[1]}, MaxWords=16, MinWords=6, FragmentDelimiter=…"
        return conn.execute(
            f"""WITH q AS (SELECT {tsquery} AS query),
                hits AS (SELECT s.id, {rank} AS rank FROM article_search s, q
                         WHERE s.document @@ q.query ORDER BY rank DESC, s.id LIMIT ?)
                SELECT hits.id, ts_headline('{SEARCH_CONFIG}', substr(d.text, a.start + 1, a."end" - a.start),
                       q.query, ?) AS snippet
                FROM hits JOIN articles a ON a.id = hits.id JOIN documents d ON d.id = a.document_id, q
                ORDER BY hits.rank DESC, hits.id""",
            (" & ".join(parts), *[v for part in parts for v in (RANK_WEIGHTS, part)], limit, headline),
        ).fetchall()


POSTGRES = PostgresBackend()
