"""A disk cache in front of any encoder: one .npy file per text, keyed by encoder name and text hash."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from storylens.encoders.base import Encoder


class CachedEncoder:
    """Wraps an encoder; only texts not seen before with the same encoder reach it."""

    def __init__(self, encoder: Encoder, directory: Path) -> None:
        self.encoder = encoder
        self.name = encoder.name
        self.dim = encoder.dim
        self.directory = Path(directory) / hashlib.sha256(encoder.name.encode()).hexdigest()[:16]
        self.directory.mkdir(parents=True, exist_ok=True)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, "passage")

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, "query")

    def _embed(self, texts: Sequence[str], kind: str) -> np.ndarray:
        paths = [self.directory / f"{kind}-{hashlib.sha256(text.encode()).hexdigest()[:32]}.npy" for text in texts]
        missing = [i for i, path in enumerate(paths) if not path.exists()]
        if missing:
            embed = self.encoder.encode if kind == "passage" else self.encoder.encode_queries
            fresh = embed([texts[i] for i in missing])
            for i, vector in zip(missing, fresh, strict=True):
                np.save(paths[i], vector)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([np.load(path) for path in paths]).astype(np.float32)
