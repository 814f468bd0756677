"""Where the shipped clusterer's remaining errors sit, per gold set: which splits and merges, with their scores.

Each set is clustered as ``storylens eval`` does (``OnlineClusterer.consolidate`` over the batch from the shipped
background means, store ids). Then, with the clusterer's own centred vectors, language levels and key rarities:

- **splits**: for every gold story cut into several predicted stories, each pair of its fragments (the parts of
  predicted stories holding its articles) with the fragments' story-to-story fit (``_fit``: similarity read
  against the language levels, key bonus, time penalty), the languages on each side and whether they are dated;
- **merges**: for every predicted story holding several gold stories, each pair of gold parts with the same fit;
- **identical texts**: items of one language with the same text under different gold stories (itn_dev keys one
  blurb under each Wikidata subject it names); one vector cannot be in two stories, so the figures of the gold
  partition with each such group put in its best single story are a ceiling for any clusterer;
- **article margins**: per article, its score against the rest of its gold story (as a story) and against the
  best other gold story, by kind (same-language story or not, dated or not); the share of articles whose own gold
  story scores under the threshold, and whose best wrong story scores over it.

Run: PYTHONPATH=src:benchmarks python benchmarks/cluster_errors.py [--sets news_dev news_dev2 itn_dev news_dev3]
"""

from __future__ import annotations

import argparse
import statistics
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from cluster_loso import BACKGROUND
from cluster_quality import scores
from gold_cache import load

from storylens.clustering.evaluate import GoldArticle, bcubed, pairwise
from storylens.clustering.online import ClusterItem, OnlineClusterer, Story

ROOT = Path(__file__).resolve().parents[1]


def part_story(clusterer: OnlineClusterer, numbers: list[int], story_id: int) -> Story:
    """A throwaway story of these item numbers, with the sums the clusterer scores against."""
    book = clusterer
    story = Story(story_id, [], np.zeros(book._dim or 0), Counter(), None, None)
    for number in numbers:
        vector = book._index.vector(number).astype(np.float64)
        story.members.append(number)
        story.vector_sum += vector
        lang = book._item_langs[number]
        story.language_sums[lang] = story.language_sums.get(lang, 0.0) + vector
        story.keys.update(book._item_keys[number])
        date = book._item_dates[number]
        if date is not None:
            story.first = min(story.first or date, date)
            story.last = max(story.last or date, date)
    return story


def describe(clusterer: OnlineClusterer, numbers: list[int]) -> str:
    langs = Counter(clusterer._item_langs[n] for n in numbers)
    dated = sum(clusterer._item_dates[n] is not None for n in numbers)
    return f"{'+'.join(f'{lang}{c}' for lang, c in langs.most_common())} ({dated}/{len(numbers)} dated)"


def fit_line(clusterer: OnlineClusterer, left: list[int], right: list[int]) -> str:
    fit = clusterer._fit(part_story(clusterer, left, -1), part_story(clusterer, right, -2))
    gap = "undated" if fit.gap_days is None else f"{fit.gap_days}d"
    inner = [cohesion(clusterer, side) for side in (left, right)]
    inner_text = "/".join("-" if c is None else f"{c:.2f}" for c in inner)
    return f"fit {fit.score:.3f} (sim {fit.similarity:.3f} keys +{fit.key_bonus:.3f} {gap}) cohesion {inner_text}"


def cohesion(clusterer: OnlineClusterer, numbers: list[int]) -> float | None:
    """Mean similarity of a story's members to each other, weighted as the clusterer weighs them."""
    if len(numbers) < 2:
        return None
    total = weights = 0.0
    for i, a in enumerate(numbers):
        for b in numbers[i + 1 :]:
            la, lb = clusterer._item_langs[a], clusterer._item_langs[b]
            total += clusterer._weight(la, lb) * float(clusterer._index.vector(a) @ clusterer._index.vector(b))
            weights += 1.0
    return total / weights


def analyse(name: str, items: list[ClusterItem], articles: list[GoldArticle]) -> None:
    clusterer = OnlineClusterer(background_means=BACKGROUND)
    clusterer.consolidate(items)
    labels = clusterer.labels()
    p, r, f1, cross, count = scores(labels, articles)
    print(f"== {name}: B3 P {p:.3f} R {r:.3f} F1 {f1:.3f} cross {cross:.3f}, {count} stories")
    gold = {a.id: a.story for a in articles}
    number = clusterer._number_of
    by_gold: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    by_pred: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for item_id, story in labels.items():
        by_gold[gold[item_id]][story].append(number[item_id])
        by_pred[story][gold[item_id]].append(number[item_id])
    print(" splits (gold story: fragment pairs)")
    for story, parts in sorted(by_gold.items(), key=lambda pair: -sum(map(len, pair[1].values()))):
        if len(parts) < 2:
            continue
        fragments = sorted(parts.values(), key=len, reverse=True)
        print(f"  {story} ({sum(map(len, fragments))}) -> {len(fragments)}")
        for i, left in enumerate(fragments):
            for right in fragments[i + 1 :]:
                sides = f"{describe(clusterer, left)} | {describe(clusterer, right)}"
                print(f"    {sides}: {fit_line(clusterer, left, right)}")
    print(" merges (predicted story: gold part pairs)")
    for parts in by_pred.values():
        if len(parts) < 2:
            continue
        named = sorted(parts.items(), key=lambda pair: -len(pair[1]))
        for i, (left_name, left) in enumerate(named):
            for right_name, right in named[i + 1 :]:
                print(
                    f"  {left_name} {describe(clusterer, left)} + {right_name} {describe(clusterer, right)}: "
                    f"{fit_line(clusterer, left, right)}"
                )
    margins(clusterer, by_gold)
    ceiling(articles)


def ceiling(articles: list[GoldArticle]) -> None:
    """B-cubed and cross-language pair F1 of the gold partition once identical texts must share one story."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for article in articles:
        groups[(article.lang, article.body.strip())].append(article.id)
    shared = [ids for ids in groups.values() if len({a.story for a in articles if a.id in ids}) > 1]
    gold = {a.id: a.story for a in articles}
    langs = {a.id: a.lang for a in articles}

    def figures(pred: dict[str, str]) -> tuple[float, float]:
        return bcubed(pred, gold)[2], pairwise(pred, gold, cross_language_only=True, langs=langs)[2]

    pred = dict(gold)
    for ids in shared:
        options = []
        for label in sorted({gold[i] for i in ids}):
            trial = {**pred, **dict.fromkeys(ids, label)}
            options.append((sum(figures(trial)), label, trial))
        pred = max(options, key=lambda option: (option[0], option[1]))[2]
    b3, cross = figures(pred)
    print(
        f" identical texts under different gold stories: {len(shared)} texts, {sum(map(len, shared))} items; "
        f"ceiling with each kept together: B3 F1 {b3:.3f} cross {cross:.3f}"
    )


def margins(clusterer: OnlineClusterer, by_gold: dict[str, dict[int, list[int]]]) -> None:
    members = {story: [n for part in parts.values() for n in part] for story, parts in by_gold.items()}
    rows: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for story, numbers in members.items():
        for number in numbers:
            rest = [n for n in numbers if n != number]
            if not rest:
                continue
            lang, date, keys = (
                clusterer._item_langs[number],
                clusterer._item_dates[number],
                clusterer._item_keys[number],
            )
            vector = clusterer._index.vector(number).astype(np.float64)
            own = clusterer.score(vector, date, keys, part_story(clusterer, rest, 0), lang).score
            wrong = max(
                clusterer.score(vector, date, keys, part_story(clusterer, other, 1), lang).score
                for name, other in members.items()
                if name != story
            )
            other_lang = any(clusterer._item_langs[n] != lang for n in rest)
            kind = f"{'dated' if date else 'undated'}, {'multilingual' if other_lang else 'one-language'} story"
            rows[kind].append((own, wrong))
            rows["all"].append((own, wrong))
    threshold = clusterer.threshold
    print(f" article margins (threshold {threshold}): own gold story / best wrong gold story")
    for kind, pairs in sorted(rows.items()):
        own = [o for o, _ in pairs]
        wrong = [w for _, w in pairs]
        print(
            f"  {kind:36s} n {len(pairs):4d}  own median {statistics.median(own):.3f}  under threshold "
            f"{sum(o < threshold for o in own) / len(own):.2f}  wrong median {statistics.median(wrong):.3f}  over "
            f"threshold {sum(w >= threshold for w in wrong) / len(wrong):.2f}  wrong > own "
            f"{sum(w > o for o, w in pairs) / len(pairs):.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--sets", nargs="+", default=["news_dev", "news_dev2", "itn_dev", "news_dev3"])
    args = parser.parse_args()
    for name in args.sets:
        analyse(name, *load(name, args.data))


if __name__ == "__main__":
    main()
