"""A small greedy averaged-perceptron BIO tagger for person/organisation/place names, shipped per language.

Training (``scripts/train_tagger.py``) and tagging share ``token_features`` so the model sees the same
evidence at both times: the word and its clitic-stripped stems, affixes, shape, word rarity (wordfreq),
neighbouring words, place-gazetteer membership and a preceding title/role cue.
"""

from __future__ import annotations

import io
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from importlib import resources

import numpy as np
from wordfreq import available_languages, zipf_frequency

from storylens.extraction.text import prefix_splits

TAGS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC")
ENTITY_TYPES = {"PER": "person", "ORG": "organisation", "LOC": "place"}


WORDFREQ_LANGUAGES = frozenset(available_languages())


@lru_cache(maxsize=200_000)
def frequency(word: str, lang: str) -> float:
    """Zipf frequency of a word in ``lang`` (0 = unknown to wordfreq, about 7 for the most common words).

    Languages wordfreq has no list for know no word: every word counts as unknown there.
    """
    return zipf_frequency(word, lang) if lang in WORDFREQ_LANGUAGES else 0.0


def rarity(word: str, lang: str) -> int:
    """Zipf frequency bucket of a word (0 = unknown to wordfreq, 7 = the most common words)."""
    return int(frequency(word, lang))


def _shape(word: str) -> str:
    if word[:1].isupper():
        return "UPPER" if word.isupper() and len(word) > 1 else "Cap"
    if word[:1].isdigit():
        return "digit"
    if not word[:1].isalpha():
        return "punct"
    return "lower" if word[:1].islower() else "nocase"


def token_features(
    words: Sequence[str],
    norms: Sequence[str],
    lang: str,
    i: int,
    known: Callable[[str], str | None],
    after_title: Sequence[bool],
) -> list[str]:
    """Tag-independent features of token ``i``. ``known`` maps a normalised word to a gazetteer type."""
    norm, word = norms[i], words[i]
    features = [
        "bias",
        f"w={norm}",
        f"suf3={norm[-3:]}",
        f"suf2={norm[-2:]}",
        f"pre3={norm[:3]}",
        f"shape={_shape(word)}",
        f"zipf={rarity(norm, lang)}",
        f"len={min(len(norm), 8)}",
        f"title={after_title[i]}",
        f"w-1={norms[i - 1] if i > 0 else '<s>'}",
        f"w+1={norms[i + 1] if i + 1 < len(norms) else '</s>'}",
        f"w-2={norms[i - 2] if i > 1 else '<s>'}",
        f"shape-1={_shape(words[i - 1]) if i > 0 else '<s>'}",
        f"shape+1={_shape(words[i + 1]) if i + 1 < len(words) else '</s>'}",
        f"suf3+1={norms[i + 1][-3:] if i + 1 < len(norms) else '</s>'}",
    ]
    if '"' in norm or "'" in norm:
        features.append("acronym-or-foreign")
    gazetteer = known(norm)
    for prefix, stem in prefix_splits(norm)[:3]:
        features += [f"stem={stem}", f"pfx={prefix}", f"stemzipf={rarity(stem, lang)}"]
        gazetteer = gazetteer or known(stem)
    if gazetteer:
        features.append(f"gaz={gazetteer}")
    return features


def _allowed(previous: str, tag: str) -> bool:
    return not tag.startswith("I-") or previous[2:] == tag[2:]


class Perceptron:
    """Greedy left-to-right multiclass perceptron over ``TAGS`` with previous-tag features."""

    def __init__(self, index: dict[str, int] | None = None, weights: np.ndarray | None = None) -> None:
        self.index = index or {}
        self.weights = weights if weights is not None else np.zeros((0, len(TAGS)), dtype=np.float32)

    def scores(self, features: list[str]) -> np.ndarray:
        rows = [self.index[f] for f in features if f in self.index]
        return self.weights[rows].sum(axis=0) if rows else np.zeros(len(TAGS), dtype=np.float32)

    def tag(self, static_features: list[list[str]]) -> list[str]:
        tags: list[str] = []
        previous = "O"
        for features in static_features:
            scores = self.scores([*features, f"t-1={previous}", f"t-1={previous}|{features[1]}"])
            best = max((k for k, tag in enumerate(TAGS) if _allowed(previous, tag)), key=lambda k: scores[k])
            previous = TAGS[best]
            tags.append(previous)
        return tags

    def save(self, path: str) -> None:
        vocabulary = np.array("\n".join(self.index).encode())
        np.savez_compressed(path, vocabulary=vocabulary, weights=self.weights.astype(np.float16))

    @classmethod
    def load(cls, data: bytes) -> Perceptron:
        arrays = np.load(io.BytesIO(data))
        vocabulary = bytes(arrays["vocabulary"]).decode().split("\n")
        return cls({f: k for k, f in enumerate(vocabulary)}, arrays["weights"].astype(np.float32))


def train(
    sentences: Sequence[tuple[list[list[str]], list[str]]], epochs: int, seed: int = 0, min_weight: float = 0.01
) -> Perceptron:
    """Averaged perceptron over (static features per token, gold tags) sentences."""
    weights: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(TAGS))
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(TAGS))
    stamps: dict[str, list[int]] = defaultdict(lambda: [0] * len(TAGS))
    step = 0
    order = list(range(len(sentences)))
    rng = random.Random(seed)
    tag_id = {tag: k for k, tag in enumerate(TAGS)}

    def update(feature: str, k: int, delta: float) -> None:
        totals[feature][k] += (step - stamps[feature][k]) * weights[feature][k]
        stamps[feature][k] = step
        weights[feature][k] += delta

    for _ in range(epochs):
        rng.shuffle(order)
        for s in order:
            static, gold = sentences[s]
            previous = "O"
            for features, gold_tag in zip(static, gold, strict=True):
                step += 1
                full = [*features, f"t-1={previous}", f"t-1={previous}|{features[1]}"]
                scores = [0.0] * len(TAGS)
                for f in full:
                    if f in weights:
                        for k, w in enumerate(weights[f]):
                            scores[k] += w
                guess = max((k for k, t in enumerate(TAGS) if _allowed(previous, t)), key=scores.__getitem__)
                truth = tag_id[gold_tag]
                if guess != truth:
                    for f in full:
                        update(f, truth, 1.0)
                        update(f, guess, -1.0)
                previous = gold_tag
    averaged: dict[str, list[float]] = {}
    for feature, row in weights.items():
        mean = [(totals[feature][k] + (step - stamps[feature][k]) * row[k]) / step for k in range(len(TAGS))]
        if max(abs(v) for v in mean) >= min_weight:
            averaged[feature] = mean
    index = {f: k for k, f in enumerate(averaged)}
    matrix = np.array(list(averaged.values()), dtype=np.float32).reshape(-1, len(TAGS))
    return Perceptron(index, matrix)


@cache
def model_for(lang: str) -> Perceptron | None:
    """The shipped tagger for ``lang`` ('he', 'ar', 'en'), or None when none ships."""
    resource = resources.files("storylens.extraction").joinpath(f"data/tagger_{lang}.npz")
    if not resource.is_file():
        return None
    return Perceptron.load(resource.read_bytes())


def spans_from_tags(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(first token, last token, entity type) for each B/I run."""
    spans: list[tuple[int, int, str]] = []
    for k, tag in enumerate(tags):
        if tag.startswith("B-") or (tag.startswith("I-") and (not spans or spans[-1][1] != k - 1)):
            spans.append((k, k, ENTITY_TYPES[tag[2:]]))
        elif tag.startswith("I-"):
            first, _, kind = spans[-1]
            spans[-1] = (first, k, kind)
    return spans
