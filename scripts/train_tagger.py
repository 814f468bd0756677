"""Train, select and evaluate the shipped he/ar/en CRF name taggers on the openly licensed corpora in shared/ner.

Usage: PYTHONPATH=src python scripts/train_tagger.py [--shared /work/shared/ner] [--corpora DIR] [--langs he ar en]
    [--ship]

For each language: (1) every (feature groups, L1 weight) setting of the grid is trained on the selection-train
split and scored on the selection-dev split (never a test split); the best mean F1 wins. (2) The winner is
retrained on the evaluation-train split and scored on each test split; the table is printed and written to
data/tagger_scores.json. (3) With --ship it is retrained on all the trainable data and written to
src/storylens/extraction/data/tagger_<lang>.crfsuite, with the chosen settings (data/tagger_settings.json).
The name-lexicon token sets the features read (data/name_tokens_<lang>.tsv.gz) are rebuilt first on every run
(deterministically, from shared/ner/lexicon), so selection sees the sets that ship.
Hebrew NEMO (Haaretz) is evaluation only: it is read only as a test split, never trained on.
With ``--corpora DIR`` the extra training files of ``scripts/tagger_corpora.py`` are read from DIR (Hebrew: IAHLT
Knesset named entities; English: the UNER EWT train split) and added to every training split of their language.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import pycrfsuite

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tagger_corpora

from storylens.extraction import tagger
from storylens.extraction.gazetteer import after_title_flags, known_type
from storylens.extraction.tagger import CrfTagger, spans_from_tags, token_features
from storylens.lang import normalise, prefix_splits, tokenize

DATA = Path(__file__).resolve().parents[1] / "src" / "storylens" / "extraction" / "data"
Sentence = tuple[list[str], list[str]]
Split = list[Sentence]

HEBREW_TYPES = {"PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
_ARABIC_FINE = {
    "PER": "Politician Athlete Artist Other_PER Religious_PER Scientist Police Businessperson Lawyer Engineer",
    "ORG": "Non-Governmental Government Sports Media Commercial Educational Medical-Science Entertainment "
    "Religious_ORG",
    "LOC": "Nation Population-Center State-or-Province GPE-Cluster County-or-District Continent Water-Body "
    "Land-Region-Natural Building-Grounds Airport",
}
ARABIC_TYPES = {fine: coarse for coarse, names in _ARABIC_FINE.items() for fine in names.split()}
COARSE_TYPES = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}
ENGLISH_TYPES = {**COARSE_TYPES, "person": "PER", "location": "LOC", "corporation": "ORG", "group": "ORG"}

GROUP_SETS = {
    "core": frozenset(),
    "lexicon": frozenset({"lexicon"}),
    "all": frozenset({"lexicon", "cues", "wide"}),
    "lexicon-clusters": frozenset({"lexicon", "clusters"}),  # + word classes (data/word_clusters_<lang>.tsv.gz)
    "all-clusters": frozenset({"lexicon", "cues", "wide", "clusters"}),
    "all-shape": frozenset({"lexicon", "cues", "wide", "shape"}),  # + fine word shapes (X.X., XxXx)
    "all-clusters-shape": frozenset({"lexicon", "cues", "wide", "clusters", "shape"}),
}
C1_GRID = (0.05, 0.1, 0.3)
C2 = 0.01
COPIES_GRID = (1, 2)  # name-substituted copies of the training sentences, tried with the best setting
MAX_ITERATIONS = 120
ITERATIONS = [MAX_ITERATIONS]  # L-BFGS iteration cap of this run (--iterations)


def read_columns(path: Path, token_col: int, tag_col: int, types: dict[str, str]) -> Split:
    """Sentences from a blank-line separated token/tag file (``#`` comment lines skipped; BOM, CR and
    left-to-right marks removed); entity types missing from ``types`` become O."""
    return parse_columns(path.read_text(encoding="utf-8-sig"), token_col, tag_col, types)


def parse_columns(text: str, token_col: int, tag_col: int, types: dict[str, str]) -> Split:
    sentences: Split = []
    words: list[str] = []
    tags: list[str] = []
    for line in [*text.replace("\r", "").replace("\u200e", "").split("\n"), ""]:
        if line.startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) <= max(token_col, tag_col) or not columns[token_col].strip():
            if words:
                sentences.append((words, repair(tags)))
            words, tags = [], []
            continue
        word, tag = columns[token_col].strip(), columns[tag_col].strip()
        kind = types.get(tag[2:]) if tag[:2] in {"B-", "I-"} else None
        tags.append(f"{tag[:2]}{kind}" if kind else "O")
        words.append(word)
    return sentences


def repair(tags: list[str]) -> list[str]:
    """I- tags that follow a different type (after mapping) or O start a new entity."""
    fixed: list[str] = []
    for tag in tags:
        if tag.startswith("I-") and (not fixed or fixed[-1][2:] != tag[2:]):
            tag = "B-" + tag[2:]
        fixed.append(tag)
    return fixed


def cut_by_words(sentences: Split, fraction: float) -> tuple[Split, Split]:
    """The sentences holding the first ``fraction`` of the words, and the rest (the ANERcorp/CAMeL convention)."""
    total, seen = sum(len(w) for w, _ in sentences), 0
    for k, (words, _) in enumerate(sentences):
        seen += len(words)
        if seen >= total * fraction:
            return sentences[: k + 1], sentences[k + 1 :]
    return sentences, []


def splits(root: Path, lang: str, corpora: Path | None = None) -> dict[str, object]:
    """For ``lang``: selection (train, {dev name: split}), evaluation (train, {test name: split}) and ship data.
    With ``corpora``, its extra training sentences for ``lang`` join every training split."""
    if lang == "he":
        held_out = tagger_corpora.conllu_texts(sorted((root / "he").glob("he_iahlt*-ud-*.conllu")))
        extra = tagger_corpora.knesset_ne(corpora, held_out, HEBREW_TYPES) if corpora else []
        iahlt = {
            f"{part}-{split}": read_columns(root / "he" / f"he_iahlt{part}-ud-{split}.bio", 0, 1, HEBREW_TYPES)
            for part in ("wiki", "knesset")
            for split in ("dev", "test")
        }
        dev = iahlt["wiki-dev"] + iahlt["knesset-dev"]
        test = iahlt["wiki-test"] + iahlt["knesset-test"]
        nemo = read_columns(root / "he" / "nemo.test.bio", 0, 1, COARSE_TYPES)  # evaluation only
        return {
            "select": [(dev + extra, {"iahlt-test": test}), (test + extra, {"iahlt-dev": dev})],
            "evaluate": [
                (dev + extra, {"iahlt-test (held out)": test}),
                (dev + test + extra, {"nemo-test (news)": nemo}),
            ],
            "ship": dev + test + extra,
        }
    if lang == "ar":
        fane = read_columns(root / "ar" / "NewsFANE_Gold_2014_170K.txt", 0, 1, ARABIC_TYPES)
        fane_train, fane_test = cut_by_words(fane, 5 / 6)
        fane_fit, fane_dev = cut_by_words(fane_train, 4 / 5)
        wojood = {s: read_columns(root / "ar" / f"wojood_sample.{s}.bio", 0, 1, COARSE_TYPES) for s in ("train", "dev")}
        wojood_test = read_columns(root / "ar" / "wojood_sample.test.bio", 0, 1, COARSE_TYPES)
        train = fane_train + wojood["train"] + wojood["dev"]
        return {
            "select": [(fane_fit + wojood["train"], {"newsfane-dev": fane_dev, "wojood-dev": wojood["dev"]})],
            "evaluate": [(train, {"newsfane-test (1/6)": fane_test, "wojood-test": wojood_test})],
            "ship": train + fane_test + wojood_test,
        }
    read_uner = lambda name: read_uner_from(root / "en", name)  # noqa: E731
    ewt_dev, ewt_test, pud = (
        read_uner("en_ewt-ud-dev.iob2"),
        read_uner("en_ewt-ud-test.iob2"),
        read_uner("en_pud-ud-test.iob2"),
    )
    wnut = [read_columns(root / "en" / f, 0, 1, ENGLISH_TYPES) for f in ("wnut17train.conll", "emerging.dev.conll")]
    extra = read_uner_from(corpora, tagger_corpora.UNER_EWT_TRAIN) if corpora else []
    social = wnut[0] + wnut[1] + extra  # every training split takes WNUT and the extra EWT train split
    half = len(ewt_dev) // 2
    folds = [pud[k::3] for k in range(3)]
    pud_cv = [
        (ewt_dev + social + [s for j, f in enumerate(folds) if j != k for s in f], {f"pud-fold{k + 1}": folds[k]})
        for k in range(3)
    ]
    return {
        "select": [(ewt_dev[:half] + pud + social, {"ewt-dev-2nd-half": ewt_dev[half:]})],
        "evaluate": [(ewt_dev + pud + social, {"ewt-test": ewt_test}), *pud_cv],
        "ship": ewt_dev + pud + social + ewt_test,
    }


def read_uner_from(folder: Path, name: str) -> Split:
    return read_columns(folder / name, 1, 2, ENGLISH_TYPES)


def substitute_names(sentences: Split, lang: str, copies: int, seed: int = 0) -> Split:
    """Extra training copies of the sentences that hold a person or a one-word place, with each such name
    replaced by random lexicon names of its type (person-name tokens, one-word place names; words wordfreq
    rates rarer than Zipf 3 only), keeping a clitic prefix the original's first word carries before a lexicon
    word. So the model learns a name's context and lexicon class, not the few names the corpus repeats."""
    rng = random.Random(seed)
    lexicon = tagger.name_tokens(lang)
    pools = {
        kind: sorted(w for w, k in lexicon.items() if kind in k.split("+") and tagger.frequency(w, lang) < 3)
        for kind in ("per", "loc")
    }
    cased = (lambda w: w.title()) if lang == "en" else (lambda w: w)
    extra: Split = []
    for _ in range(copies):
        for words, tags in sentences:
            spans = [s for s in spans_from_tags(tags) if s[2] == "person" or (s[2] == "place" and s[0] == s[1])]
            if not spans:
                continue
            new_words = list(words)
            for first, last, kind in spans:
                pool = pools["per" if kind == "person" else "loc"]
                norm = normalise(words[first])
                prefix = next((p for p, stem in prefix_splits(norm) if stem in lexicon and norm not in lexicon), "")
                for k in range(first, last + 1):
                    new_words[k] = (prefix if k == first else "") + cased(rng.choice(pool))
            extra.append((new_words, tags))
    return extra


def featurise(sentences: Split, lang: str, groups: frozenset[str]) -> list[list[list[str]]]:
    out = []
    for words, _ in sentences:
        norms = [normalise(w) for w in words]
        titles = after_title_flags(norms)
        out.append([token_features(words, norms, lang, i, known_type, titles, groups) for i in range(len(words))])
    return out


def train(sentences: Split, lang: str, groups: frozenset[str], c1: float) -> bytes:
    """A crfsuite model (L-BFGS, elastic net: L1 ``c1`` prunes features, L2 fixed) as bytes."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for features, (_, tags) in zip(featurise(sentences, lang, groups), sentences, strict=True):
        trainer.append(features, tags)
    trainer.set_params({"c1": c1, "c2": C2, "max_iterations": ITERATIONS[0], "feature.possible_transitions": True})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.crfsuite"
        trainer.train(str(path))
        return path.read_bytes()


def evaluate(model: bytes, sentences: Split, lang: str, groups: frozenset[str]) -> dict[str, dict[str, float]]:
    """Entity-level exact-match precision / recall / F1, overall ("all") and per type, at surface tokens."""
    crf = CrfTagger(model)
    counts: dict[str, list[int]] = {kind: [0, 0, 0] for kind in ("all", *tagger.ENTITY_TYPES.values())}
    for features, (_, gold) in zip(featurise(sentences, lang, groups), sentences, strict=True):
        guessed, truth = set(spans_from_tags(crf.tag(features))), set(spans_from_tags(gold))
        for kind, c in counts.items():
            g = {s for s in guessed if kind in ("all", s[2])}
            t = {s for s in truth if kind in ("all", s[2])}
            c[0], c[1], c[2] = c[0] + len(g & t), c[1] + len(g), c[2] + len(t)
    scores = {}
    for kind, (hit, predicted, gold) in counts.items():
        p, r = hit / max(predicted, 1), hit / max(gold, 1)
        f1 = 2 * p * r / max(p + r, 1e-9)
        scores[kind] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f1, 3), "gold": gold}
    return scores


def name_token_sets(lexicon: Path, lang: str) -> dict[str, set[str]]:
    """Feature token sets from the shared lexicons: person-name tokens (Wikidata, CC0) and place names (GeoNames,
    CC BY 4.0): one-word place names ("loc") and the words of longer ones ("locpart"); one-letter words dropped."""
    sets: dict[str, set[str]] = {kind: set() for kind in tagger.LEXICON_KINDS}
    files = (
        ("geonames_ubports.tsv", None),
        ("wikidata_name_tokens.tsv", "per"),
        ("wikidata_person_names_he_en.tsv", "per"),
    )
    for name, kind in files:
        for line in (lexicon / name).read_text(encoding="utf-8").splitlines()[1:]:
            columns = line.split("\t")
            if len(columns) < 4 or columns[2] != lang:
                continue
            words = [t.norm for t in tokenize(columns[3]) if t.is_word and len(t.norm) > 1]
            place_kind = "loc" if len(words) == 1 else "locpart"
            sets[kind or place_kind].update(words)
    return sets


def write_name_tokens(sets: dict[str, set[str]], lang: str) -> Path:
    path = DATA / f"name_tokens_{lang}.tsv.gz"
    lines = [f"{kind}\t{word}" for kind in tagger.LEXICON_KINDS for word in sorted(sets[kind])]
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0))
    return path


def mean_f1(scores: Iterable[dict[str, dict[str, float]]]) -> float:
    values = [s["all"]["f1"] for s in scores]
    return sum(values) / len(values)


def print_scores(name: str, scores: dict[str, dict[str, float]]) -> None:
    print(f"  {name}")
    for kind, s in scores.items():
        print(f"    {kind:13s} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}  (gold {s['gold']})")


def dev_f1(data: dict[str, object], lang: str, groups: frozenset[str], c1: float, copies: int) -> dict[str, object]:
    """Mean overall F1 over the selection dev splits of one setting."""
    started = time.time()
    scores = [
        evaluate(train(fit + substitute_names(fit, lang, copies), lang, groups, c1), dev, lang, groups)
        for fit, devs in data["select"]
        for dev in devs.values()
    ]
    f1 = mean_f1(scores)
    print(
        f"{lang} select: groups {sorted(groups)} c1 {c1} copies {copies}: dev F1 {f1:.3f}",
        f"({time.time() - started:.0f}s)",
    )
    return {"groups": sorted(groups), "c1": c1, "copies": copies, "dev_f1": round(f1, 3)}


def run(root: Path, lang: str, ship: bool, grid_args: argparse.Namespace) -> dict[str, object]:
    # the lexicon token sets are features: build them first, so selection sees what ships
    write_name_tokens(name_token_sets(root / "lexicon", lang), lang)
    tagger.name_tokens.cache_clear()
    tagger._word_features.cache_clear()
    data = splits(root, lang, grid_args.corpora)
    if grid_args.fixed:
        # no selection: the shipped setting (tagger_settings.json) with the copies of the last selection
        previous = json.loads((DATA / "tagger_scores.json").read_text())[lang]
        shipped = json.loads((DATA / "tagger_settings.json").read_text())[lang]
        groups, c1, copies, grid = (
            frozenset(shipped["groups"]),
            shipped["c1"],
            previous["copies"],
            previous["selection"],
        )
    else:
        group_grid = [GROUP_SETS[name] for name in grid_args.groups]
        grid = [dev_f1(data, lang, groups, c1, 0) for groups in group_grid for c1 in grid_args.c1]
        best = max(grid, key=lambda g: g["dev_f1"])
        groups, c1 = frozenset(best["groups"]), best["c1"]
        grid += [dev_f1(data, lang, groups, c1, copies) for copies in grid_args.copies if copies]
        copies = max(grid, key=lambda g: g["dev_f1"])["copies"]
    if grid_args.select_only:
        return {"selection": grid}
    print(f"{lang}: chosen groups {sorted(groups)}, c1 {c1}, c2 {C2}, name-substituted copies {copies}")
    augment = lambda split: split + substitute_names(split, lang, copies)  # noqa: E731
    tests = {}
    for fit, test_splits in data["evaluate"]:
        model = train(augment(fit), lang, groups, c1)
        for name, test in test_splits.items():
            scores = evaluate(model, test, lang, groups)
            tests[name] = {"train_sentences": len(fit), "test_sentences": len(test), "scores": scores}
            print_scores(f"{name}: train {len(fit)} sentences, test {len(test)}", scores)
    report = {
        "groups": sorted(groups),
        "c1": c1,
        "c2": C2,
        "copies": copies,
        "iterations": ITERATIONS[0],
        "selection": grid,
        "tests": tests,
    }
    if ship:
        model = train(augment(data["ship"]), lang, groups, c1)
        (DATA / f"tagger_{lang}.crfsuite").write_bytes(model)
        report["shipped_sentences"] = len(data["ship"])
    return report


def markdown_table(scores: dict[str, dict]) -> str:
    """The score table of data/tagger_scores.json as markdown (for the model card and BENCHMARKS.md)."""
    rows = [
        "| lang | test split | train sents | P | R | F1 | person P/R/F1 | organisation P/R/F1 | place P/R/F1 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for lang, report in scores.items():
        for name, test in report["tests"].items():
            s = test["scores"]
            per_type = [
                f"{s[k]['precision']:.3f} / {s[k]['recall']:.3f} / {s[k]['f1']:.3f}"
                for k in tagger.ENTITY_TYPES.values()
            ]
            overall = f"{s['all']['precision']:.3f} | {s['all']['recall']:.3f} | **{s['all']['f1']:.3f}**"
            rows.append(
                f"| {lang} | {name} ({test['test_sentences']}) | {test['train_sentences']} | {overall} | "
                f"{' | '.join(per_type)} |"
            )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=Path("/work/shared/ner"))
    parser.add_argument("--corpora", type=Path, help="folder of the extra training files (see tagger_corpora.py)")
    parser.add_argument("--langs", nargs="+", default=["he", "ar", "en"])
    parser.add_argument("--ship", action="store_true", help="retrain on all trainable data and write the model files")
    parser.add_argument("--groups", nargs="+", choices=sorted(GROUP_SETS), default=list(GROUP_SETS))
    parser.add_argument("--c1", nargs="+", type=float, default=list(C1_GRID), help="L1 weights to try")
    parser.add_argument("--copies", nargs="+", type=int, default=list(COPIES_GRID), help="name-substituted copies")
    parser.add_argument(
        "--fixed",
        action="store_true",
        help="skip selection: retrain and evaluate the shipped setting (tagger_settings.json, copies of the last run)",
    )
    parser.add_argument("--iterations", type=int, default=MAX_ITERATIONS, help="L-BFGS iteration cap")
    parser.add_argument("--select-only", action="store_true", help="only train and score the selection grid")
    parser.add_argument("--table", action="store_true", help="only print data/tagger_scores.json as a markdown table")
    args = parser.parse_args()
    ITERATIONS[0] = args.iterations
    scores_path, settings_path = DATA / "tagger_scores.json", DATA / "tagger_settings.json"
    if args.table:
        print(markdown_table(json.loads(scores_path.read_text())))
        return
    for lang in args.langs:
        report = run(args.shared, lang, args.ship, args)
        if args.select_only:
            continue
        # read and written per language, so runs for different languages may go side by side
        scores = json.loads(scores_path.read_text()) if scores_path.exists() else {}
        scores[lang] = report
        scores_path.write_text(json.dumps(scores, indent=1, ensure_ascii=False) + "\n")
        if args.ship:
            settings = json.loads(settings_path.read_text()) if settings_path.exists() else {}
            settings[lang] = {"groups": report["groups"], "c1": report["c1"], "c2": report["c2"]}
            settings_path.write_text(json.dumps(settings, indent=1) + "\n")
    print(markdown_table({lang: json.loads(scores_path.read_text())[lang] for lang in args.langs}))


if __name__ == "__main__":
    main()
