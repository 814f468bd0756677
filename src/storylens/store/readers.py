"""Read-only stores for a server's requests (``storylens serve``): ``Readers(target).store()`` lends one per
request. On PostgreSQL the connections come from a pool kept open across requests (``postgres.ReaderPool``,
psycopg_pool: at most ``size`` at once, a request waits for a free one); on SQLite each request opens the file
read-only, which is cheap, and WAL gives each its own snapshot."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from storylens.store.backend import ReaderPool, StoreTarget, backend_for
from storylens.store.db import Store, store_target

POOL_SIZE = 10  # connections one server keeps to PostgreSQL at most; requests beyond it wait for one


class Readers:
    def __init__(self, target: StoreTarget, *, size: int = POOL_SIZE) -> None:
        self.target = store_target(target)
        self.size = size
        self._pool: ReaderPool | None = None
        self._made = False
        self._lock = threading.Lock()

    @property
    def pool(self) -> ReaderPool | None:
        """The connection pool (made at the first request), or None on a backend that needs none."""
        with self._lock:
            if not self._made:
                self._pool = backend_for(self.target).reader_pool(self.target, self.size)
                self._made = True
            return self._pool

    @contextmanager
    def store(self) -> Iterator[Store]:
        """A read-only store for one request; every write on it is refused."""
        pool = self.pool
        if pool is None:
            with Store(self.target, readonly=True) as store:
                store.query_only()
                yield store
            return
        with pool.connection() as conn, Store(self.target, borrowed=conn) as store:
            yield store

    def close(self) -> None:
        """Close the pool's connections (when the server stops)."""
        with self._lock:
            if self._pool is not None:
                self._pool.close()
            self._pool, self._made = None, False
