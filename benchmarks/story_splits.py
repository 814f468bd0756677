"""Per gold story: into how many stories the shipped defaults split it, and which gold stories they merge.

Made for news_dev3 (issue 11: one event reported the same day in several languages ends up as many stories),
but runs on any gold set. The clustering stage's inputs come from ``gold_cache`` and each run is what
``storylens eval`` does with a set (``OnlineClusterer.consolidate`` over the whole batch from the shipped
background language means), in the store's id order and in ``--orders`` random renamings of the ids (which
reorder articles of the same day). For every gold story the report gives its size, languages, days, and the
number of predicted stories its articles fall into (per id order) and the languages of each fragment; then
every predicted story that holds articles of more than one gold story (a merge, e.g. of two hard negatives).

Run: PYTHONPATH=src:benchmarks python benchmarks/story_splits.py [--set news_dev3] [--orders 3]
"""

from __future__ import annotations

import argparse
import statistics
from collections import Counter, defaultdict
from pathlib import Path

from cluster_loso import BACKGROUND, id_orders
from cluster_quality import scores
from gold_cache import load

from storylens.clustering.evaluate import GoldArticle
from storylens.clustering.online import ClusterItem, OnlineClusterer

ROOT = Path(__file__).resolve().parents[1]


def runs(items: list[ClusterItem], orders: int) -> list[dict[str, int]]:
    """Predicted story per article id, for the store's ids and ``orders`` random renamings."""
    labelled = []
    for renamed, back in id_orders(items, orders):
        clusterer = OnlineClusterer(background_means=BACKGROUND)
        clusterer.consolidate(renamed)
        labelled.append({back[key]: story for key, story in clusterer.labels().items()})
    return labelled


def split_table(articles: list[GoldArticle], labelled: list[dict[str, int]]) -> None:
    by_story: dict[str, list[GoldArticle]] = defaultdict(list)
    for article in articles:
        by_story[article.story].append(article)
    print("gold story | articles | languages | days | predicted stories per id order")
    multilingual_split = []
    for story, members in sorted(by_story.items(), key=lambda pair: -len(pair[1])):
        langs = Counter(a.lang for a in members)
        days = sorted({a.date for a in members if a.date})
        parts = [len({labels[a.id] for a in members}) for labels in labelled]
        print(
            f"  {story:48s} {len(members):3d}  {' '.join(f'{lang}:{n}' for lang, n in langs.most_common()):28s}"
            f" {days[0] + '..' + days[-1] if days else '-':22s} {' / '.join(map(str, parts))}"
        )
        if len(langs) >= 3:
            multilingual_split.append((story, statistics.mean(parts)))
        fragments: dict[int, list[str]] = defaultdict(list)
        for article in members:
            fragments[labelled[0][article.id]].append(article.lang)
        if len(fragments) > 1:
            print("      fragments (store's ids): " + " | ".join(" ".join(sorted(f)) for f in fragments.values()))
    split = [(story, parts) for story, parts in multilingual_split if parts > 1]
    print(
        f"stories in 3+ languages: {len(multilingual_split)}; split (mean over id orders > 1): {len(split)}; "
        f"mean predicted stories per such gold story: "
        f"{statistics.mean(parts for _, parts in multilingual_split):.2f}"
    )


def merges(articles: list[GoldArticle], labels: dict[str, int]) -> None:
    gold = {a.id: a.story for a in articles}
    by_predicted: dict[int, Counter[str]] = defaultdict(Counter)
    for article_id, story in labels.items():
        by_predicted[story][gold[article_id]] += 1
    mixed = [counts for counts in by_predicted.values() if len(counts) > 1]
    print(f"predicted stories holding more than one gold story (store's id order): {len(mixed)}")
    for counts in mixed:
        print("  " + " + ".join(f"{story} ({n})" for story, n in counts.most_common()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--set", default="news_dev3")
    parser.add_argument("--orders", type=int, default=3, help="random id renamings besides the store's ids")
    args = parser.parse_args()
    items, articles = load(args.set, args.data)
    labelled = runs(items, args.orders)
    results = [scores(labels, articles) for labels in labelled]
    print(
        f"{args.set}: {len(articles)} articles, {len({a.story for a in articles})} gold stories; shipped defaults "
        f"(consolidate, as storylens eval), {len(labelled)} id orders"
    )
    for name, index in (("B-cubed P", 0), ("B-cubed R", 1), ("B-cubed F1", 2), ("cross-language pair F1", 3)):
        values = [r[index] for r in results]
        print(f"  {name:24s} mean {statistics.mean(values):.3f}  min {min(values):.3f}  max {max(values):.3f}")
    print(f"  predicted stories: {' / '.join(str(r[4]) for r in results)}")
    split_table(articles, labelled)
    merges(articles, labelled[0])


if __name__ == "__main__":
    main()
