"""Calibrate the cross-script name score threshold on lexicon pairs; write ``lexicon/data/score.json``.

Four pair sets from the shipped lexicon: he<->en and ar<->en person-name tokens (Wikidata) and he<->en and ar<->en
place names (GeoNames). Each set holds up to N positive pairs (a Hebrew/Arabic name and an English name of the same
entry) and as many hard negative pairs (the same Hebrew/Arabic name with the English name of another entry of the
set whose skeleton starts with the same consonant, so the pair is not trivially apart). The threshold maximises
F0.5 (precision weighs more: a wrong merge joins two entities in every view) over candidate values. Leave-one-set-out:
the threshold is chosen on three sets and precision/recall are reported on the fourth; the shipped threshold is the
one chosen on all four sets.

    PYTHONPATH=src /work/venv/bin/python scripts/calibrate_name_score.py [--pairs 3000]
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path

from storylens.lexicon import name_lexicon, name_score
from storylens.lexicon.score import _compact_skeletons

OUT = Path(__file__).resolve().parents[1] / "src/storylens/lexicon/data/score.json"
CANDIDATES = [round(0.5 + 0.05 * i, 2) for i in range(11)]
BETA = 0.5


def pair_sets(size: int, seed: int = 7) -> dict[str, list[tuple[str, str, bool]]]:
    lexicon = name_lexicon()
    rng = random.Random(seed)
    sets: dict[str, list[tuple[str, str, bool]]] = {}
    for source, prefix in (("person tokens", "wdtok:"), ("places", "geonames")):
        entries = [lexicon._entry(i) for i, row in enumerate(lexicon._rows) if row[0].startswith(prefix)]
        for lang in ("he", "ar"):
            both = [e for e in entries if e.names[lang] and e.names["en"]]
            rng.shuffle(both)
            by_initial: dict[str, list[str]] = defaultdict(list)
            for entry in both:
                skeleton = _compact_skeletons(entry.names["en"][0])[0]
                by_initial[skeleton[:1]].append(entry.names["en"][0])
            pairs = []
            for entry in both[:size]:
                foreign, english = entry.names[lang][0], entry.names["en"][0]
                pairs.append((foreign, english, True))
                pool = by_initial[_compact_skeletons(english)[0][:1]]
                other = rng.choice(pool)
                tries = 0
                while other in entry.names["en"] and tries < 10:
                    other, tries = rng.choice(pool), tries + 1
                if other not in entry.names["en"]:
                    pairs.append((foreign, other, False))
            sets[f"{lang}-en {source}"] = pairs
    return sets


def scored(pairs: list[tuple[str, str, bool]]) -> list[tuple[float, bool]]:
    return [(name_score(a, b), same) for a, b, same in pairs]


def precision_recall(scores: list[tuple[float, bool]], threshold: float) -> tuple[float, float, float]:
    tp = sum(1 for s, same in scores if same and s >= threshold)
    fp = sum(1 for s, same in scores if not same and s >= threshold)
    fn = sum(1 for s, same in scores if same and s < threshold)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f = (1 + BETA**2) * precision * recall / (BETA**2 * precision + recall) if precision + recall else 0.0
    return precision, recall, f


def choose(scores: list[tuple[float, bool]]) -> float:
    return max(CANDIDATES, key=lambda t: (precision_recall(scores, t)[2], t))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pairs", type=int, default=3000, help="positive pairs per set")
    args = parser.parse_args()
    sets = {name: scored(pairs) for name, pairs in pair_sets(args.pairs).items()}
    folds = {}
    for held_out in sets:
        calibration = [s for name, scores in sets.items() if name != held_out for s in scores]
        threshold = choose(calibration)
        precision, recall, _ = precision_recall(sets[held_out], threshold)
        equal_p, equal_r, _ = precision_recall(sets[held_out], 1.0)
        folds[held_out] = {
            "threshold": threshold,
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "pairs": len(sets[held_out]),
            "skeleton_equality": {"precision": round(equal_p, 3), "recall": round(equal_r, 3)},
        }
        print(f"{held_out:20s} t={threshold:.2f} P={precision:.3f} R={recall:.3f}", end=" ")
        print(f"(equal skeletons: P={equal_p:.3f} R={equal_r:.3f})")
    threshold = choose([s for scores in sets.values() for s in scores])
    result = {"threshold": threshold, "objective": f"F{BETA}", "pairs_per_set": args.pairs, "folds": folds}
    OUT.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"threshold {threshold} -> {OUT}")


if __name__ == "__main__":
    main()
