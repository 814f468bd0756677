"""Nearest stored articles within a time window: per time bucket, exact vectors plus sign codes for a fast first pass.

A dated query scans only the buckets its window touches, so its cost follows how many articles were
published around its date, not how many the store holds. Undated articles sit in a bucket of their own
that every query scans; an undated query has no window and scans every bucket.

Each bucket keeps its vectors exactly (a flat inner-product faiss index) and, beside them, a sign code per
vector: one bit per random hyperplane (two per dimension), set when the vector lies on its positive side.
Two codes differ in about angle / pi of their bits, so the Hamming distance ranks rows roughly as the
cosine does, from a 16th of the bytes. A bucket of at most ``shortlist`` rows is searched exactly. A larger
one is ranked by Hamming distance first; its nearest ``shortlist`` rows are then scored exactly and the best
``k`` of them returned with exact similarities. That first pass is approximate: a row clearly nearer than
the bucket's crowd (a member of the same story) is all but sure to make the shortlist, one that barely
stands out may not. On a 50k-article synthetic store, ``recluster`` puts 99.8% of articles in the same story
as with exact search (with one bit per dimension: 95.6%). The cost per row scanned is several times lower
than the exact scan's; the exact scoring adds a fixed cost per bucket.

A stored vector can be read back and replaced in place (consolidation re-centres articles once better
language means are known); its code is replaced with it.
"""

from __future__ import annotations

import datetime as dt

import faiss
import numpy as np

UNDATED = None
SHORTLIST_MIN = 256  # rows scored exactly per bucket, at least ...
SHORTLIST_PER_RESULT = 4  # ... and at least this many per row asked for
CODE_BITS_PER_DIMENSION = 2
PLANES_SEED = 0


class _Bucket:
    """The rows of one time bucket: item numbers, exact vectors and their sign codes (one column per row)."""

    def __init__(self, dim: int, words: int) -> None:
        self.items: list[int] = []
        self.vectors = faiss.IndexFlatIP(dim)
        self.codes = np.zeros((words, 0), dtype=np.uint64)

    def add(self, items: list[int], vectors: np.ndarray, codes: np.ndarray) -> None:
        first, size = len(self.items), len(self.items) + len(items)
        if size > self.codes.shape[1]:  # grow by doubling, so appending one row at a time stays cheap
            grown = np.zeros((len(self.codes), max(size, 2 * self.codes.shape[1])), dtype=np.uint64)
            grown[:, :first] = self.codes[:, :first]
            self.codes = grown
        self.codes[:, first:size] = codes
        self.vectors.add(vectors)
        self.items.extend(items)

    def rows(self) -> np.ndarray:
        """A writable view of the stored vectors (valid until the bucket grows)."""
        size, dim = self.vectors.ntotal, self.vectors.d
        return faiss.rev_swig_ptr(self.vectors.get_xb(), size * dim).reshape(size, dim)

    def search(self, query: np.ndarray, code: np.ndarray, k: int, shortlist: int) -> list[tuple[int, float]]:
        if len(self.items) <= shortlist:
            similarities, rows = self.vectors.search(query[None, :], min(k, len(self.items)))
            return [(self.items[row], float(s)) for row, s in zip(rows[0], similarities[0], strict=True) if row >= 0]
        distances = np.bitwise_count(self.codes[:, : len(self.items)] ^ code[:, None]).sum(axis=0, dtype=np.uint16)
        radius = np.searchsorted(np.bincount(distances).cumsum(), shortlist)
        near = np.flatnonzero(distances <= radius)  # the nearest ``shortlist`` codes and any tied with the last
        similarities = self.rows()[near] @ query
        best = np.argpartition(-similarities, k)[:k]  # the shortlist is longer than k
        best = best[np.argsort(-similarities[best], kind="stable")]
        return [(self.items[row], float(similarities[i])) for i, row in zip(best, near[best], strict=True)]


class TimeBucketedIndex:
    """Rows are item numbers given by the caller; search returns (item number, similarity) pairs."""

    def __init__(self, dim: int, bucket_days: int = 7) -> None:
        self.dim = dim
        self.bucket_days = bucket_days
        self._words = -(-CODE_BITS_PER_DIMENSION * dim // 64)  # one bit per hyperplane, in whole 64-bit words
        self._planes = np.random.default_rng(PLANES_SEED).standard_normal((dim, 64 * self._words)).astype(np.float32)
        self._buckets: dict[int | None, _Bucket] = {}
        self._where: dict[int, tuple[int | None, int]] = {}  # item number -> (bucket, row in it)

    def __len__(self) -> int:
        return sum(len(bucket.items) for bucket in self._buckets.values())

    def add(self, items: list[int], dates: list[dt.date | None], vectors: np.ndarray) -> None:
        buckets = [self._bucket(date) for date in dates]
        for key in dict.fromkeys(buckets):
            rows = [i for i, item_bucket in enumerate(buckets) if item_bucket == key]
            if key not in self._buckets:
                self._buckets[key] = _Bucket(self.dim, self._words)
            bucket = self._buckets[key]
            chosen = np.ascontiguousarray(vectors[rows], dtype=np.float32)
            first_row = len(bucket.items)
            bucket.add([items[i] for i in rows], chosen, self._codes(chosen))
            self._where.update((items[i], (key, first_row + offset)) for offset, i in enumerate(rows))

    def vector(self, item: int) -> np.ndarray:
        """A copy of the vector stored for ``item``."""
        key, row = self._where[item]
        return self._buckets[key].rows()[row].copy()

    def replace(self, item: int, vector: np.ndarray) -> None:
        """Overwrite the vector stored for ``item`` (same dimension), and its code."""
        key, row = self._where[item]
        bucket = self._buckets[key]
        bucket.rows()[row] = vector
        bucket.codes[:, row] = self._codes(np.asarray(vector, dtype=np.float32)[None, :])[:, 0]

    def search(self, vector: np.ndarray, date: dt.date | None, window_days: int, k: int) -> list[tuple[int, float]]:
        """Up to ``k`` nearest items per scanned bucket, best first."""
        if date is None:
            keys = list(self._buckets)
        else:
            low = self._day_bucket(date - dt.timedelta(days=window_days))
            high = self._day_bucket(date + dt.timedelta(days=window_days))
            keys = [b for b in range(low, high + 1) if b in self._buckets]
            if UNDATED in self._buckets:
                keys.append(UNDATED)
        query = np.ascontiguousarray(vector, dtype=np.float32).reshape(-1)
        code = self._codes(query[None, :])[:, 0]
        shortlist = max(SHORTLIST_MIN, SHORTLIST_PER_RESULT * k)
        found = [pair for key in keys for pair in self._buckets[key].search(query, code, k, shortlist)]
        found.sort(key=lambda pair: -pair[1])
        return found

    def _codes(self, vectors: np.ndarray) -> np.ndarray:
        """Sign codes of ``vectors`` (rows), one column of 64-bit words per vector."""
        return np.packbits(vectors @ self._planes > 0, axis=1).view(np.uint64).T

    def _bucket(self, date: dt.date | None) -> int | None:
        return UNDATED if date is None else self._day_bucket(date)

    def _day_bucket(self, date: dt.date) -> int:
        return date.toordinal() // self.bucket_days
