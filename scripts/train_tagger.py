"""Train and evaluate the shipped he/ar/en name taggers on the openly licensed corpora in shared/ner.

Usage: PYTHONPATH=src python scripts/train_tagger.py [--shared /work/shared/ner] [--langs he ar en]

For each language it trains on the train split, prints entity-level precision/recall/F1 on the
held-out split, then (with --ship) retrains on train+test and writes
src/storylens/extraction/data/tagger_<lang>.npz and data/tagger_scores.json.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from storylens.extraction.gazetteer import after_title_flags, known_type
from storylens.extraction.tagger import Perceptron, spans_from_tags, token_features, train
from storylens.extraction.text import normalise

DATA = Path(__file__).resolve().parents[1] / "src" / "storylens" / "extraction" / "data"
Sentence = tuple[list[str], list[str]]

HEBREW_TYPES = {"PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
ARABIC_TYPES = {
    **dict.fromkeys(
        [
            "Politician",
            "Athlete",
            "Artist",
            "Other_PER",
            "Religious_PER",
            "Scientist",
            "Police",
            "Businessperson",
            "Lawyer",
            "Engineer",
        ],
        "PER",
    ),
    **dict.fromkeys(
        [
            "Non-Governmental",
            "Government",
            "Sports",
            "Media",
            "Commercial",
            "Educational",
            "Medical-Science",
            "Entertainment",
            "Religious_ORG",
        ],
        "ORG",
    ),
    **dict.fromkeys(
        [
            "Nation",
            "Population-Center",
            "State-or-Province",
            "GPE-Cluster",
            "County-or-District",
            "Continent",
            "Water-Body",
            "Land-Region-Natural",
            "Building-Grounds",
            "Airport",
        ],
        "LOC",
    ),
}
ENGLISH_TYPES = {
    "PER": "PER",
    "ORG": "ORG",
    "LOC": "LOC",
    "person": "PER",
    "location": "LOC",
    "corporation": "ORG",
    "group": "ORG",
}


def read_columns(path: Path, token_col: int, tag_col: int, types: dict[str, str]) -> list[Sentence]:
    """Sentences from a blank-line separated token/tag file; unmapped entity types become O."""
    sentences: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []
    text = path.read_text(encoding="utf-8-sig").replace("\r", "").replace("\u200e", "")
    for line in [*text.split("\n"), ""]:
        if line.startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) <= max(token_col, tag_col) or not columns[token_col].strip():
            if words:
                sentences.append((words, tags))
            words, tags = [], []
            continue
        word, tag = columns[token_col].strip(), columns[tag_col].strip()
        kind = types.get(tag[2:]) if tag[:2] in {"B-", "I-"} else None
        tags.append(f"{tag[:2]}{kind}" if kind else "O")
        words.append(word)
    return [(w, _repair(t)) for w, t in sentences]


def _repair(tags: list[str]) -> list[str]:
    """I- tags that follow a different type (after mapping) start a new entity."""
    fixed: list[str] = []
    for tag in tags:
        if tag.startswith("I-") and (not fixed or fixed[-1][2:] != tag[2:]):
            tag = "B-" + tag[2:]
        fixed.append(tag)
    return fixed


def corpora(root: Path, lang: str) -> tuple[list[Sentence], list[Sentence]]:
    if lang == "he":
        dev = [read_columns(root / "he" / f"he_iahlt{p}-ud-dev.bio", 0, 1, HEBREW_TYPES) for p in ("wiki", "knesset")]
        test = [read_columns(root / "he" / f"he_iahlt{p}-ud-test.bio", 0, 1, HEBREW_TYPES) for p in ("wiki", "knesset")]
        return dev[0] + dev[1], test[0] + test[1]
    if lang == "ar":
        sentences = read_columns(root / "ar" / "NewsFANE_Gold_2014_170K.txt", 0, 1, ARABIC_TYPES)
        total = sum(len(w) for w, _ in sentences)
        seen, cut = 0, len(sentences)
        for k, (words, _) in enumerate(sentences):
            seen += len(words)
            if seen >= total * 5 / 6:
                cut = k + 1
                break
        return sentences[:cut], sentences[cut:]
    train_sets = [
        read_columns(root / "en" / "en_ewt-ud-dev.iob2", 1, 2, ENGLISH_TYPES),
        read_columns(root / "en" / "en_pud-ud-test.iob2", 1, 2, ENGLISH_TYPES),
        read_columns(root / "en" / "wnut17train.conll", 0, 1, ENGLISH_TYPES),
    ]
    test = read_columns(root / "en" / "en_ewt-ud-test.iob2", 1, 2, ENGLISH_TYPES)
    return [s for part in train_sets for s in part], test


def featurise(sentences: list[Sentence], lang: str) -> list[tuple[list[list[str]], list[str]]]:
    out = []
    for words, tags in sentences:
        norms = [normalise(w) for w in words]
        titles = after_title_flags(norms)
        out.append(([token_features(words, norms, lang, i, known_type, titles) for i in range(len(words))], tags))
    return out


def evaluate(model: Perceptron, data: list[tuple[list[list[str]], list[str]]]) -> dict[str, dict[str, float]]:
    counts: dict[str, list[int]] = {}
    for features, gold in data:
        guessed = set(spans_from_tags(model.tag(features)))
        truth = set(spans_from_tags(gold))
        for kind in {"all", *(s[2] for s in guessed | truth)}:
            g = {s for s in guessed if kind in ("all", s[2])}
            t = {s for s in truth if kind in ("all", s[2])}
            c = counts.setdefault(kind, [0, 0, 0])
            c[0] += len(g & t)
            c[1] += len(g)
            c[2] += len(t)
    scores = {}
    for kind, (hit, predicted, gold) in sorted(counts.items()):
        p, r = hit / max(predicted, 1), hit / max(gold, 1)
        scores[kind] = {
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(2 * p * r / max(p + r, 1e-9), 3),
            "gold": gold,
        }
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("/work/shared/ner"))
    parser.add_argument("--langs", nargs="+", default=["he", "ar", "en"])
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--ship", action="store_true", help="retrain on all data and write the model files")
    args = parser.parse_args()
    report_path = DATA / "tagger_scores.json"
    report = json.loads(report_path.read_text()) if report_path.exists() else {}
    for lang in args.langs:
        started = time.time()
        train_sentences, test_sentences = corpora(args.shared, lang)
        train_data, test_data = featurise(train_sentences, lang), featurise(test_sentences, lang)
        model = train(train_data, args.epochs)
        scores = evaluate(model, test_data)
        print(
            f"{lang}: train {len(train_sentences)} sentences, test {len(test_sentences)}, {time.time() - started:.0f}s"
        )
        for kind, s in scores.items():
            print(f"  {kind:13s} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}  (gold {s['gold']})")
        report[lang] = {
            "train_sentences": len(train_sentences),
            "test_sentences": len(test_sentences),
            "epochs": args.epochs,
            "test_scores": scores,
        }
        if args.ship:
            final = train(train_data + test_data, args.epochs)
            final.save(str(DATA / f"tagger_{lang}.npz"))
            report[lang]["shipped_on"] = "train + test splits"
            report[lang]["features"] = len(final.index)
    report_path.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
