"""How many articles of the news gold sets get a title, and from where; prints every title to judge by hand.

Each set is ingested (cleaning, language, dates; no clustering) into a temporary store and each article's
stored title is printed with where it came from: the input's title field or HTML title (``field``), a title
line cleaning found at the start of the article (``first line``), or the first headline-like line of the
opening (``headline``, ``cleaning.headline.opening_headline``), or none.

Run: PYTHONPATH=src python benchmarks/title_coverage.py [--data /work/shared/data] [--quiet]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from pathlib import Path

from storylens.cleaning.headline import lead_title
from storylens.cleaning.lines import split_lines
from storylens.pipeline import Ingestor
from storylens.sources.files import read_inputs
from storylens.store.articles import list_articles
from storylens.store.db import Store

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--sets", nargs="*", default=["news_dev", "news_dev2"])
    parser.add_argument("--quiet", action="store_true", help="counts only")
    args = parser.parse_args()
    for name in args.sets:
        path = args.data / f"{name}.jsonl"
        fields = {json.loads(line)["id"]: json.loads(line).get("title") or "" for line in path.open(encoding="utf-8")}
        with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "t.db") as store:
            Ingestor(store, []).ingest(read_inputs([str(path)]))
            articles = [a for a in list_articles(store) if a.role == "article"]
        origins: Counter[str] = Counter()
        for article in articles:
            if not article.title:
                origin = "none"
            elif fields.get(article.external_id or ""):
                origin = "field"
            else:
                origin = "lead" if article.title == lead_title(split_lines(article.text)) else "headline"
            origins[origin] += 1
            if not args.quiet:
                print(f"{name} {article.external_id} [{origin}] {article.title or ''}")
        print(f"{name}: {len(articles)} articles, titles by origin {dict(origins)}")


if __name__ == "__main__":
    main()
