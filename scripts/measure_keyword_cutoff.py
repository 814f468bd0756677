"""Measure the cosine cut-off for watchlist keywords (`storylens follow keyword`), by leave-one-set-out over the
gold dev sets, and compare it with the search cut-off shipped in `views/search_cutoffs.json`.

A followed keyword is checked against every new article: an article at or above the cut-off raises a story
alert. So, per keyword, what matters is whether *some* article of its own story reaches the cut-off (the story is
found) and how many *other* stories have an article that does (false story alerts). Keywords: the first 6 words
of each gold story's description (`SET_stories.md`, where present) and of each article's lead (scored against
the other articles of its story; the article itself is left out). Vectors: the shipped encoder on each
article's title and lead (as the clustering stage embeds it), keywords embedded as queries (as search does).
A cut-off is scored by the F1 of story alerts (own story found: a true alert; each other story found: a false
one; own story missed: a miss); the cut-off for a held-out set maximises it on the other sets.

    PYTHONPATH=src python scripts/measure_keyword_cutoff.py --data ../shared/data
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

from storylens.encoders import get_encoder, lead_text
from storylens.views.search import article_baseline, measured_cutoffs, probe_queries

SETS = ("news_dev", "news_dev2", "itn_dev")
GRIDS = {  # cut-offs tried, per relevance statistic (the search's, views/search.py)
    "absolute": np.round(np.arange(0.78, 0.90, 0.001), 4),
    "probe_margin": np.round(np.arange(-0.02, 0.15, 0.001), 4),
}
GRID = GRIDS["absolute"]
STATISTIC = "absolute"


def load(data: Path, name: str):
    sys.path.insert(0, str(Path(__file__).parent))
    from measure_search_cutoff import first_words, story_descriptions

    records = [json.loads(line) for line in (data / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
    return records, story_descriptions(data / f"{name}_stories.md"), first_words


def keyword_scores(data: Path, name: str, encoder) -> tuple[np.ndarray, np.ndarray]:
    """Per keyword and cut-off in GRID: (own story found 0/1, share of other stories found)."""
    records, descriptions, first_words = load(data, name)
    stories = sorted({r["story"] for r in records})
    index = {story: i for i, story in enumerate(stories)}
    article_story = np.array([index[r["story"]] for r in records])
    vectors = encoder.encode([lead_text(r.get("title") or None, r["text"]) for r in records]).astype(np.float32)
    keywords: list[tuple[str, int, int]] = []  # (text, story index, article row to leave out or -1)
    for story, description in descriptions.items():
        if story in index:
            keywords.append((first_words(description), index[story], -1))
    members = defaultdict(list)
    for row, story in enumerate(article_story):
        members[int(story)].append(row)
    for row, record in enumerate(records):
        if len(members[int(article_story[row])]) > 1:
            keywords.append(
                (first_words(lead_text(record.get("title") or None, record["text"])), int(article_story[row]), row)
            )
    queries = encoder.encode_queries([text for text, _, _ in keywords]).astype(np.float32)
    scores = queries @ vectors.T
    if STATISTIC == "probe_margin":  # as search judges it: above the article's mean similarity to nonsense probes
        probes = encoder.encode_queries(probe_queries()).astype(np.float32)
        scores = scores - article_baseline(probes @ vectors.T)[0][None, :]
    found = np.zeros((len(keywords), len(GRID)))
    false = np.zeros((len(keywords), len(GRID)))
    for k, (_, story, skip) in enumerate(keywords):
        row_scores = scores[k].copy()
        if skip >= 0:
            row_scores[skip] = -1
        best = np.full(len(stories), -1.0)
        np.maximum.at(best, article_story, row_scores)
        own = best[story]
        others = np.delete(best, story)
        found[k] = own >= GRID
        false[k] = (others[:, None] >= GRID[None, :]).sum(axis=0)
    print(f"{name}: {len(keywords)} keywords, {len(stories)} stories", file=sys.stderr, flush=True)
    return found, false


def f1(names: list[str], measured: dict[str, tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Per cut-off: F1 of story alerts over the sets' keywords (a found own story is a true alert, each other story
    found a false one; a keyword whose own story is not found misses one)."""
    found = sum(measured[n][0].sum(axis=0) for n in names)
    false = sum(measured[n][1].sum(axis=0) for n in names)
    total = sum(len(measured[n][0]) for n in names)
    precision = found / np.maximum(found + false, 1)
    recall = found / total
    return 2 * precision * recall / np.maximum(precision + recall, 1e-9)


def rates(test: list[str], measured: dict[str, tuple[np.ndarray, np.ndarray]], c: int) -> tuple[float, float, float]:
    """At cut-off column ``c``: share of keywords whose story is found, false story alerts per keyword, F1."""
    total = sum(len(measured[n][0]) for n in test)
    found = sum(measured[n][0][:, c].sum() for n in test) / total
    false = sum(measured[n][1][:, c].sum() for n in test) / total
    return found, false, float(f1(test, measured)[c])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--statistic", choices=sorted(GRIDS), help="default: the search's measured statistic")
    args = parser.parse_args()
    encoder = get_encoder()
    search_statistic, search_cutoff = measured_cutoffs()[encoder.name]
    global GRID, STATISTIC
    STATISTIC = args.statistic or search_statistic
    GRID = GRIDS[STATISTIC]
    measured = {name: keyword_scores(args.data, name, encoder) for name in SETS}
    if search_statistic != STATISTIC:
        search_cutoff = float("nan")
    search_column = int(np.argmin(np.abs(GRID - search_cutoff))) if search_cutoff == search_cutoff else 0
    print(f"encoder {encoder.name}; statistic {STATISTIC}; search cut-off {search_cutoff}\n")
    print(
        "| held out | cut-off (max F1 on the others) | own story found | false story alerts per keyword | F1 |"
        " at the search cut-off: found / false per keyword / F1 | keywords |"
    )
    print("|---|---|---|---|---|---|---|")
    for held in [*SETS, "all"]:
        train = [n for n in SETS if n != held] if held != "all" else list(SETS)
        test = list(SETS) if held == "all" else [held]
        column = int(np.argmax(f1(train, measured)))
        total = sum(len(measured[n][0]) for n in test)

        a, b, c = rates(test, measured, column)
        d, e, g = rates(test, measured, search_column)
        print(f"| {held} | {GRID[column]:.3f} | {a:.1%} | {b:.2f} | {c:.3f} | {d:.1%} / {e:.2f} / {g:.3f} | {total} |")


if __name__ == "__main__":
    main()
