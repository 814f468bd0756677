"""Running mean vector per language, shrunk toward the global mean where a language has few articles.

Multilingual encoders place texts of one language close together whatever they report. Subtracting each
language's mean vector removes most of that pull, so the same story in two languages ends up closer than
two stories in one language.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class LanguageMeans:
    """Sums and counts per language; ``prior`` is how many articles the global mean counts as."""

    def __init__(self, dim: int, prior: float = 10.0) -> None:
        self.dim = dim
        self.prior = prior
        self._sums: dict[str, np.ndarray] = {}
        self._counts: dict[str, int] = {}
        self._total = np.zeros(dim, dtype=np.float64)
        self._count = 0

    def add(self, lang: str, vector: np.ndarray) -> None:
        self._sums.setdefault(lang, np.zeros(self.dim, dtype=np.float64))
        self._sums[lang] += vector
        self._counts[lang] = self._counts.get(lang, 0) + 1
        self._total += vector
        self._count += 1

    def add_many(self, langs: Sequence[str], vectors: np.ndarray) -> None:
        for lang in sorted(set(langs)):
            rows = np.fromiter((i for i, item_lang in enumerate(langs) if item_lang == lang), dtype=np.int64)
            self._sums.setdefault(lang, np.zeros(self.dim, dtype=np.float64))
            self._sums[lang] += vectors[rows].sum(axis=0)
            self._counts[lang] = self._counts.get(lang, 0) + len(rows)
        self._total += vectors.sum(axis=0)
        self._count += len(langs)

    def mean(self, lang: str) -> np.ndarray:
        """The language's mean, shrunk toward the global mean (zero before any article is added)."""
        if not self._count:
            return np.zeros(self.dim, dtype=np.float32)
        global_mean = self._total / self._count
        count = self._counts.get(lang, 0)
        own = self._sums.get(lang, np.zeros(self.dim))
        return ((own + self.prior * global_mean) / (count + self.prior)).astype(np.float32)

    def center(self, langs: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        """Vectors minus their language's mean, renormalised to unit length."""
        means = {lang: self.mean(lang) for lang in set(langs)}
        centred = np.asarray(vectors, dtype=np.float32) - np.stack([means[lang] for lang in langs])
        norms = np.linalg.norm(centred, axis=1, keepdims=True)
        return centred / np.where(norms > 0, norms, 1.0)
