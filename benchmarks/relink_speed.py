"""Entity relinking cost after an ingest: every mention (as before) against only what a few new articles touch.

Runs on a copy of an ingested database: times ``ExtractionStage.relink`` over all mentions, then over the mentions
touched by K articles (the step an ingest of K new articles takes), for a few seeded random choices of articles.

    PYTHONPATH=src /work/venv/bin/python benchmarks/relink_speed.py /tmp/lex.db [--articles 1 5] [--repeats 3]
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from pathlib import Path

from storylens.extraction.linking import link_anchors
from storylens.extraction.stage import ExtractionStage, _refs
from storylens.store.db import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--articles", type=int, nargs="+", default=[1, 5])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "copy.db"
        shutil.copyfile(args.db, copy)
        stage = ExtractionStage()
        with Store(copy) as store:
            ids = [r[0] for r in store.conn.execute("SELECT DISTINCT article_id FROM mentions ORDER BY article_id")]
            total = store.conn.execute("SELECT count(*) FROM mentions").fetchone()[0]
            with store.stage_batch(stage.name, writer=stage.writer) as writer:
                stage.relink(writer)  # warm caches (lexicon, skeletons)
                start = time.process_time()
                stage.relink(writer)
                print(f"full relink: {total} mentions, {time.process_time() - start:.2f} s CPU")
            rng = random.Random(3)
            for k in args.articles:
                for _ in range(args.repeats):
                    chosen = rng.sample(ids, k)
                    with store.stage_batch(stage.name, writer=stage.writer) as writer:
                        start = time.process_time()
                        stage.relink(writer, chosen)
                        spent = time.process_time() - start
                        anchors = set().union(*link_anchors(_refs(writer.article_mentions(chosen))))
                        rows, _ = writer.touched_mentions(chosen, anchors)
                    print(f"{k} new article(s): relinked {len(rows)} mentions, {spent:.2f} s CPU")


if __name__ == "__main__":
    main()
