"""Measure the relevance cut-off of meaning matches in search, by leave-one-set-out over the gold dev sets.

For each set (a store built by `storylens ingest SET.jsonl --db SET.db`), with the encoder the store was built with:
- real queries: the first words of each gold story's description (`SET_stories.md`, where present) and the first
  words of each article's lead; each scores its best relevance to another article of the same gold story;
- nonsense queries: seeded random letter strings in Latin, Cyrillic, Greek, Hebrew and Arabic letters (code point
  ranges, 1-3 words; another seed than the search's own probes), each scoring its best relevance to any article;
- a check family the probes are not drawn from: made-up pronounceable Latin words (reported, not used to choose).
Relevance is one of `search.STATISTICS`: the raw cosine, its margin or z-score within the query's own scores, or
its margin or z-score over each article's similarity to the search's fixed nonsense probes (`probe_*`).
The cut-off for a held-out set is the one maximising balanced accuracy on the other sets; the statistic with the
best mean held-out balanced accuracy is shipped, its cut-off chosen on all sets. Writes
`src/storylens/views/search_cutoffs.json` with `--write`.

    PYTHONPATH=src python scripts/measure_search_cutoff.py --data ../shared/data --stores DIR [--write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
from pathlib import Path

import numpy as np

from storylens.encoders import encoder_spec_for, get_encoder, lead_text
from storylens.store import reads
from storylens.store.articles import list_articles
from storylens.store.db import Store
from storylens.views.search import CUTOFFS_FILE, STATISTICS, article_baseline, nonsense, probe_queries, relevance

SETS = ("news_dev", "news_dev2", "itn_dev")
QUERY_WORDS = 6
NONSENSE_PER_SET = 200


def pseudo_word(rng: random.Random) -> str:
    """Pronounceable made-up Latin words ("tovelka brisun"), a nonsense family the probes are not drawn from."""
    consonants, vowels = "bcdfghklmnprstvz", "aeiou"
    return " ".join(
        "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.randint(2, 4)))
        for _ in range(rng.randint(1, 3))
    )


def story_descriptions(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"- `([^`]+)` \|.*\| ([^|]+)$", line)
        if match:
            found[match.group(1)] = match.group(2).strip()
    return found


def first_words(text: str) -> str:
    words = [w for w in text.split() if any(ch.isalpha() for ch in w)]
    return " ".join(words[:QUERY_WORDS])


Measured = dict[str, tuple[list[float], list[float], list[float]]]


def measure(data: Path, store_path: Path, seed: int) -> tuple[str, Measured]:
    gold = {}
    for line in (data / f"{store_path.stem}.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        gold[record["id"]] = record["story"]
    with Store(store_path, readonly=True) as store:
        name = reads.store_encoder(store)
        assert name, f"{store_path} has no vectors"
        ids, matrix = reads.load_vectors(store, name)
        articles = [a for a in list_articles(store) if a.external_id in gold and a.part == 1]
    encoder = get_encoder(encoder_spec_for(name))
    row = {int(article_id): index for index, article_id in enumerate(ids)}
    story_rows: dict[str, list[int]] = {}
    for article in articles:
        if article.id in row:
            story_rows.setdefault(gold[article.external_id], []).append(row[article.id])
    real: list[tuple[str, list[int]]] = []
    for story, description in story_descriptions(data / f"{store_path.stem}_stories.md").items():
        if story in story_rows:
            real.append((first_words(description), story_rows[story]))
    for article in articles:
        others = [r for r in story_rows.get(gold[article.external_id], []) if r != row.get(article.id)]
        if others:
            real.append((first_words(lead_text(article.title, article.text)), others))
    rng = random.Random(seed)
    junk = [nonsense(rng) for _ in range(NONSENSE_PER_SET)]
    pseudo = [pseudo_word(rng) for _ in range(NONSENSE_PER_SET)]
    vectors = encoder.encode_queries([q for q, _ in real] + junk + pseudo)
    scores = vectors @ matrix.T
    baseline = article_baseline(np.asarray(encoder.encode_queries(probe_queries()), dtype=np.float32) @ matrix.T)
    found: Measured = {}
    for statistic in STATISTICS:
        relative = relevance(scores, statistic, baseline)
        real_best = [float(relative[i, rows].max()) for i, (_, rows) in enumerate(real)]
        junk_best = [float(row.max()) for row in relative[len(real) : len(real) + len(junk)]]
        pseudo_best = [float(row.max()) for row in relative[len(real) + len(junk) :]]
        found[statistic] = (real_best, junk_best, pseudo_best)
    return name, found


def rates(cutoff: float, real: list[float], junk: list[float]) -> tuple[float, float]:
    """(share of real queries kept, share of nonsense queries rejected)."""
    return float(np.mean(np.asarray(real) >= cutoff)), float(np.mean(np.asarray(junk) < cutoff))


def choose(real: list[float], junk: list[float]) -> float:
    candidates = sorted(set(real) | set(junk))
    return max(candidates, key=lambda c: (sum(rates(c, real, junk)), -c))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--stores", type=Path, required=True)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    measured = {s: measure(args.data, args.stores / f"{s}.db", seed) for seed, s in enumerate(SETS)}
    names = {name for name, _ in measured.values()}
    assert len(names) == 1, f"the stores were built with different encoders: {names}"
    held_out_accuracy = {}
    for statistic in STATISTICS:
        print(f"\nstatistic: {statistic}\n")
        print(
            "| held out | cut-off (chosen on the others) | real queries kept | nonsense rejected"
            " | made-up words rejected (check) | real / nonsense |"
        )
        print("|---|---|---|---|---|---|")
        accuracies = []
        for held in SETS:
            real = [x for s in SETS if s != held for x in measured[s][1][statistic][0]]
            junk = [x for s in SETS if s != held for x in measured[s][1][statistic][1]]
            cutoff = choose(real, junk)
            held_real, held_junk, held_pseudo = measured[held][1][statistic]
            kept, rejected = rates(cutoff, held_real, held_junk)
            made_up = rates(cutoff, held_real, held_pseudo)[1]
            accuracies.append((kept + rejected) / 2)
            sizes = f"{len(held_real)} / {len(held_junk)}"
            print(f"| {held} | {cutoff:.4f} | {kept:.1%} | {rejected:.1%} | {made_up:.1%} | {sizes} |")
        real = [x for s in SETS for x in measured[s][1][statistic][0]]
        junk = [x for s in SETS for x in measured[s][1][statistic][1]]
        cutoff = choose(real, junk)
        kept, rejected = rates(cutoff, real, junk)
        made_up = rates(cutoff, real, [x for s in SETS for x in measured[s][1][statistic][2]])[1]
        print(
            f"| all (shipped) | {cutoff:.4f} | {kept:.1%} | {rejected:.1%} | {made_up:.1%}"
            f" | {len(real)} / {len(junk)} |"
        )
        held_out_accuracy[statistic] = (float(np.mean(accuracies)), cutoff)
        print(f"mean held-out balanced accuracy: {np.mean(accuracies):.3f}")
    best = max(STATISTICS, key=lambda st: held_out_accuracy[st][0])
    print(f"\nchosen statistic: {best} (cut-off {held_out_accuracy[best][1]:.4f})")
    if args.write:
        (name,) = names
        entry = {
            "statistic": best,
            "cutoff": round(held_out_accuracy[best][1], 4),
            "measured": dt.date.today().isoformat(),
            "sets": list(SETS),
        }
        CUTOFFS_FILE.write_text(json.dumps({"encoders": {name: entry}}, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {CUTOFFS_FILE}")


if __name__ == "__main__":
    main()
