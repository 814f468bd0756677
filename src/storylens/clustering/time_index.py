"""Nearest stored articles within a time window: one flat inner-product faiss index per time bucket.

A dated query scans only the buckets its window touches, so its cost follows how many articles were
published around its date, not how many the store holds. Undated articles sit in a bucket of their own
that every query scans; an undated query has no window and scans every bucket. A stored vector can be read
back and replaced in place (consolidation re-centres articles once better language means are known).
"""

from __future__ import annotations

import datetime as dt

import faiss
import numpy as np

UNDATED = None


class TimeBucketedIndex:
    """Rows are item numbers given by the caller; search returns (item number, similarity) pairs."""

    def __init__(self, dim: int, bucket_days: int = 7) -> None:
        self.dim = dim
        self.bucket_days = bucket_days
        self._indexes: dict[int | None, faiss.IndexFlatIP] = {}
        self._items: dict[int | None, list[int]] = {}
        self._where: dict[int, tuple[int | None, int]] = {}  # item number -> (bucket, row in its index)

    def __len__(self) -> int:
        return sum(index.ntotal for index in self._indexes.values())

    def add(self, items: list[int], dates: list[dt.date | None], vectors: np.ndarray) -> None:
        buckets = [self._bucket(date) for date in dates]
        for bucket in dict.fromkeys(buckets):
            rows = [i for i, item_bucket in enumerate(buckets) if item_bucket == bucket]
            if bucket not in self._indexes:
                self._indexes[bucket] = faiss.IndexFlatIP(self.dim)
                self._items[bucket] = []
            first_row = self._indexes[bucket].ntotal
            self._indexes[bucket].add(np.ascontiguousarray(vectors[rows], dtype=np.float32))
            self._items[bucket].extend(items[i] for i in rows)
            self._where.update((items[i], (bucket, first_row + offset)) for offset, i in enumerate(rows))

    def vector(self, item: int) -> np.ndarray:
        """A copy of the vector stored for ``item``."""
        bucket, row = self._where[item]
        return self._rows(bucket)[row].copy()

    def replace(self, item: int, vector: np.ndarray) -> None:
        """Overwrite the vector stored for ``item`` (same dimension)."""
        bucket, row = self._where[item]
        self._rows(bucket)[row] = vector

    def _rows(self, bucket: int | None) -> np.ndarray:
        """A writable view of a bucket's stored vectors (valid until the bucket grows)."""
        index = self._indexes[bucket]
        return faiss.rev_swig_ptr(index.get_xb(), index.ntotal * self.dim).reshape(index.ntotal, self.dim)

    def search(self, vector: np.ndarray, date: dt.date | None, window_days: int, k: int) -> list[tuple[int, float]]:
        """Up to ``k`` nearest items per scanned bucket, best first."""
        if date is None:
            buckets = list(self._indexes)
        else:
            low, high = self._bucket(date - dt.timedelta(days=window_days)), self._bucket(
                date + dt.timedelta(days=window_days)
            )
            buckets = [b for b in range(low, high + 1) if b in self._indexes]  # type: ignore[operator]
            if UNDATED in self._indexes:
                buckets.append(UNDATED)
        query = np.ascontiguousarray(vector.reshape(1, -1), dtype=np.float32)
        found: list[tuple[int, float]] = []
        for bucket in buckets:
            index = self._indexes[bucket]
            similarities, rows = index.search(query, min(k, index.ntotal))
            found.extend(
                (self._items[bucket][row], float(similarity))
                for row, similarity in zip(rows[0], similarities[0], strict=True)
                if row >= 0
            )
        found.sort(key=lambda pair: -pair[1])
        return found

    def _bucket(self, date: dt.date | None) -> int | None:
        return UNDATED if date is None else date.toordinal() // self.bucket_days
