"""The encoder protocol, the error type, and the helpers every encoder shares (normalising, lead text)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

DEFAULT_LEAD_TOKENS = 128


class EncoderError(RuntimeError):
    """An encoder could not be built or could not embed: the message says what to do."""


@runtime_checkable
class Encoder(Protocol):
    """Embeds texts into unit-length float32 vectors of a fixed dimension."""

    name: str  # stable identifier of encoder and model; stored with each vector

    @property
    def dim(self) -> int:
        """Length of every vector (an attribute or, e.g. when learnt from the first answer, a property)."""
        ...

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed documents: shape (len(texts), dim), float32, L2-normalised rows."""
        ...

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed search queries the same way (models with a query prefix use it)."""
        ...


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length, as float32 (all-zero rows stay zero)."""
    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


def lead_text(
    title: str | None,
    body: str,
    max_tokens: int = DEFAULT_LEAD_TOKENS,
    count_tokens: Callable[[str], int] | None = None,
) -> str:
    """Title and the start of the body, cut at a word boundary to at most ``max_tokens`` tokens.

    Title and lead separate stories better than the full text does. ``count_tokens`` is the model's
    tokenizer count; without one, a word counts as two tokens (a safe bound for multilingual subwords).
    """
    count = count_tokens or (lambda text: 2 * len(text.split()))
    words = (
        [*(title or "").split(), *body.split()]
        if title and title.strip().rstrip("…") not in body[:400]
        else body.split()
    )
    if count(" ".join(words)) <= max_tokens:
        return " ".join(words)
    low, high = 1, len(words)  # largest prefix of words that fits
    while low < high:
        middle = (low + high + 1) // 2
        if count(" ".join(words[:middle])) <= max_tokens:
            low = middle
        else:
            high = middle - 1
    return " ".join(words[:low])


def body_passages(
    title: str | None,
    body: str,
    count: int,
    max_tokens: int = DEFAULT_LEAD_TOKENS,
    count_tokens: Callable[[str], int] | None = None,
) -> list[str]:
    """Up to ``count`` passages of the body that follow the lead (``lead_text``), each cut like the lead.

    The lead holds the title and the body's first words; each passage holds the next words, at most
    ``max_tokens`` tokens, cut at a word boundary. A body no longer than its lead has no passages."""
    lead = lead_text(title, body, max_tokens, count_tokens)
    words = body.split()
    used = max(
        0, len(lead.split()) - (len(title.split()) if title and title.strip().rstrip("…") not in body[:400] else 0)
    )
    passages: list[str] = []
    while len(passages) < count and used < len(words):
        passage = lead_text(None, " ".join(words[used:]), max_tokens, count_tokens)
        if not passage:
            break
        passages.append(passage)
        used += len(passage.split())
    return passages
