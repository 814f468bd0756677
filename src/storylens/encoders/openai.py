"""An encoder that calls an OpenAI-compatible ``POST {base_url}/embeddings`` endpoint over HTTP."""

from __future__ import annotations

from collections.abc import Sequence

import httpx
import numpy as np

from storylens.encoders.base import EncoderError, l2_normalise


class OpenAIEmbeddingsEncoder:
    """Sends texts in batches; the dimension is learnt from the first answer unless given."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        batch_size: int = 64,
        timeout: float = 60.0,
        dim: int | None = None,
        client: httpx.Client | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.name = f"openai:{model}@{self.base_url}"
        self.batch_size = batch_size
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = client or httpx.Client(timeout=timeout, headers=headers)
        self._dim = dim

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = int(self._embed(["dimension probe"], input_type=None).shape[1])
        return self._dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, input_type="passage")

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, input_type="query")

    def _embed(self, texts: Sequence[str], input_type: str | None) -> np.ndarray:
        batches = [list(texts[i : i + self.batch_size]) for i in range(0, len(texts), self.batch_size)]
        vectors = [self._post(batch, input_type) for batch in batches]
        if not vectors:
            return np.zeros((0, self.dim), dtype=np.float32)
        matrix = l2_normalise(np.concatenate(vectors))
        self._dim = matrix.shape[1]
        return matrix

    def _post(self, batch: list[str], input_type: str | None) -> np.ndarray:
        url = f"{self.base_url}/embeddings"
        payload: dict[str, object] = {"model": self.model, "input": batch, "encoding_format": "float"}
        if input_type:
            payload["input_type"] = input_type  # read by servers that embed queries and passages apart
        try:
            response = self._client.post(url, json=payload)
        except httpx.HTTPError as error:
            raise EncoderError(f"embeddings request to {url} failed: {error}") from error
        if response.status_code != 200:
            raise EncoderError(f"embeddings request to {url} answered {response.status_code}: {response.text[:300]}")
        try:
            rows = sorted(response.json()["data"], key=lambda row: row["index"])
            matrix = np.asarray([row["embedding"] for row in rows], dtype=np.float32)
        except (ValueError, KeyError, TypeError) as error:
            raise EncoderError(f"embeddings answer from {url} is not in the OpenAI format: {error}") from error
        if matrix.ndim != 2 or len(matrix) != len(batch):
            raise EncoderError(f"embeddings answer from {url} has {len(matrix)} vectors for {len(batch)} texts")
        return matrix
