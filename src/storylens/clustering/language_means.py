"""Running mean vector per language, shrunk toward a background mean where a language has few articles.

Multilingual encoders place texts of one language close together whatever they report. Subtracting each
language's mean vector removes most of that pull, so the same story in two languages ends up closer than
two stories in one language. A language with few stored articles leans on its shipped background mean
(``data/background_means.npz``, built by ``scripts/build_language_means.py`` from openly licensed corpora,
valid for the encoder named in ``data/background_means.json``), else on the mean over all languages.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from importlib import resources

import numpy as np


def load_background(encoder_name: str) -> dict[str, np.ndarray]:
    """The shipped background mean per language, if they were built with this encoder; else none."""
    folder = resources.files("storylens.clustering") / "data"
    about = folder / "background_means.json"
    if not about.is_file() or json.loads(about.read_text(encoding="utf-8"))["encoder"] != encoder_name:
        return {}
    with resources.as_file(folder / "background_means.npz") as path, np.load(path) as arrays:
        return {lang: arrays[lang].astype(np.float64) for lang in arrays.files}


class LanguageMeans:
    """Sums and counts per language; ``prior`` is how many articles the background counts as."""

    def __init__(
        self,
        dim: int,
        prior: float = 10.0,
        background: Mapping[str, np.ndarray] | None = None,
        background_weight: float = 20.0,
    ) -> None:
        self.dim = dim
        self.prior = prior
        self.background_weight = background_weight
        self.background = {lang: vector for lang, vector in (background or {}).items() if len(vector) == dim}
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

    def add_sums(self, lang: str, count: int, vector_sum: np.ndarray) -> None:
        """Count ``count`` articles of ``lang`` whose vectors sum to ``vector_sum`` (totals kept in the store)."""
        self._sums[lang] = self._sums.get(lang, np.zeros(self.dim, dtype=np.float64)) + vector_sum
        self._counts[lang] = self._counts.get(lang, 0) + count
        self._total += vector_sum
        self._count += count

    def mean(self, lang: str) -> np.ndarray:
        """The language's mean, shrunk toward an anchor (zero with no article and no background).

        The anchor is the mean over all stored articles; for a language with a background mean it starts
        as that background and gives way to the store's own mean as the store grows past
        ``background_weight`` articles.
        """
        background = self.background.get(lang)
        if self._count:
            anchor = self._total / self._count
            if background is not None:
                weight = self.background_weight / (self.background_weight + self._count)
                anchor = weight * background + (1.0 - weight) * anchor
        elif background is not None:
            anchor = background
        elif self.background:
            anchor = np.mean(list(self.background.values()), axis=0)
        else:
            return np.zeros(self.dim, dtype=np.float32)
        count = self._counts.get(lang, 0)
        own = self._sums.get(lang, np.zeros(self.dim))
        return ((own + self.prior * anchor) / (count + self.prior)).astype(np.float32)

    def center(self, langs: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        """Vectors minus their language's mean, renormalised to unit length."""
        means = {lang: self.mean(lang) for lang in set(langs)}
        centred = np.asarray(vectors, dtype=np.float32) - np.stack([means[lang] for lang in langs])
        norms = np.linalg.norm(centred, axis=1, keepdims=True)
        return centred / np.where(norms > 0, norms, 1.0)
