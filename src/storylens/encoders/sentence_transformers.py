"""Any sentence-transformers model as an encoder (an optional extra: ``storylens[sentence-transformers]``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from storylens.encoders.base import EncoderError, l2_normalise


class SentenceTransformersEncoder:
    """Loads ``model_name_or_path`` with ``sentence_transformers.SentenceTransformer``.

    Models that define a "query" prompt (E5, BGE and others configured so) get it for search queries.
    """

    def __init__(self, model_name_or_path: str, device: str | None = None, batch_size: int = 32) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise EncoderError(
                "the sentence-transformers encoder needs its extra: pip install storylens[sentence-transformers]"
            ) from error
        try:
            self._model: Any = SentenceTransformer(model_name_or_path, device=device)
        except Exception as error:  # the library raises many types for a missing or broken model
            raise EncoderError(f"cannot load sentence-transformers model {model_name_or_path!r}: {error}") from error
        self.name = f"st:{model_name_or_path}"
        self.dim = int(self._model.get_sentence_embedding_dimension())
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, prompt_name=None)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        prompts = getattr(self._model, "prompts", None) or {}
        return self._embed(texts, prompt_name="query" if "query" in prompts else None)

    def _embed(self, texts: Sequence[str], prompt_name: str | None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts), batch_size=self.batch_size, prompt_name=prompt_name, convert_to_numpy=True
        )
        return l2_normalise(vectors)
