"""Entity-level recall and precision of a store against hand-annotated articles (people, organisations, places).

    PYTHONPATH=src /work/venv/bin/python -m storylens ingest ../shared/data/news_dev2.jsonl --db /tmp/nd2.db
    PYTHONPATH=src /work/venv/bin/python benchmarks/entity_recall.py /tmp/nd2.db \
        [--gold benchmarks/data/news_dev2_entities_gold.json] [--details]

    # the second hand gold (18 news_dev3 articles, drawn and annotated before anything was run on them):
    PYTHONPATH=src /work/venv/bin/python -m storylens ingest benchmarks/data/news_dev3.jsonl --db /tmp/nd3.db
    PYTHONPATH=src /work/venv/bin/python benchmarks/entity_recall.py /tmp/nd3.db \
        --gold benchmarks/data/news_dev3_entities_gold.json

    # the third hand gold (18 news_dev4 articles, annotated before it was scored; see benchmarks/data/README.md):
    PYTHONPATH=src /work/venv/bin/python -m storylens ingest benchmarks/data/news_dev4.jsonl --db /tmp/nd4.db
    PYTHONPATH=src /work/venv/bin/python benchmarks/entity_recall.py /tmp/nd4.db \
        --gold benchmarks/data/news_dev4_entities_gold.json

Per article, the gold is a set of distinct entities (each with the forms written in the article, acceptable types
and an ``optional`` flag) and the prediction is the set of distinct stored entities with a mention in the article.
A predicted entity matches a gold entity when one of its mentions in the article has the text of one of the gold
forms (case, apostrophe and space differences ignored). ``strict`` needs the exact form; ``lenient`` also accepts
a Hebrew/Arabic mention that keeps a clitic prefix of at most two letters (ובירושלים for ירושלים).

- recall = gold entities (not optional) matched by a predicted entity / gold entities (not optional);
- precision = predicted entities matching a gold entity / predicted entities, where a predicted entity matching
  only optional gold is left out, and a second predicted entity matching the same gold entity (a split) is false.
- ``typed`` figures also need the predicted entity's type to be one of the gold entity's types.

The gold file's ``set`` names the JSON Lines set the store must hold. ``typed`` rows are the headline figures
(lenient matching, type required). Scores are micro-averaged over articles, overall and per language.
``--no-credits`` drops the gold entities marked ``credit`` (named only in a byline, photo credit, outlet tag or
dateline): they are then neither counted missing nor counted false when found.
"""

from __future__ import annotations

import argparse
import json
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

from storylens.store.articles import get_article
from storylens.store.db import Store
from storylens.store.reads import article_detail

DEFAULT_GOLD = Path(__file__).parent / "data" / "news_dev2_entities_gold.json"
APOSTROPHES = str.maketrans({"\u2019": "'", "\u05f3": "'", "\u2018": "'", "`": "'", "\u05f4": '"'})
EDGE_PUNCT = "\"'«»“”()[].,:;!?-–—|"
MAX_CLITIC = 2


def normalise(text: str) -> str:
    """Compare forms without case, apostrophe variants, edge punctuation or space differences."""
    text = unicodedata.normalize("NFKC", text).translate(APOSTROPHES).casefold()
    return " ".join(text.split()).strip(EDGE_PUNCT).strip()


def _is_semitic(text: str) -> bool:
    return any("\u0590" <= ch <= "\u06ff" for ch in text)


def form_matches(mention: str, form: str, *, lenient: bool) -> bool:
    if mention == form:
        return True
    extra = len(mention) - len(form)
    return lenient and _is_semitic(form) and mention.endswith(form) and 0 < extra <= MAX_CLITIC


def score_article(
    gold: list[dict[str, Any]], mentions: list[dict[str, Any]], *, lenient: bool, typed: bool
) -> dict[str, Any]:
    """Counts for one article: gold found, gold total, predicted right, predicted counted; and the errors."""
    predicted: dict[Any, dict[str, Any]] = {}
    for m in mentions:
        key = m["entity"] if m["entity"] is not None else ("unlinked", normalise(m["text"]))
        entry = predicted.setdefault(
            key, {"name": m.get("entity_name") or m["text"], "type": m["type"], "texts": set()}
        )
        entry["texts"].add(normalise(m["text"]))
    forms = [[normalise(n) for n in g["names"]] for g in gold]
    found: set[int] = set()
    right = counted = 0
    false: list[str] = []
    for entry in predicted.values():
        owners = {
            i
            for i, g_forms in enumerate(forms)
            if any(form_matches(t, f, lenient=lenient) for t in entry["texts"] for f in g_forms)
            and (not typed or entry["type"] in gold[i]["types"])
        }
        if owners and all(gold[i].get("optional") for i in owners):
            found |= owners
            continue
        counted += 1
        new = owners - found
        if new:
            right += 1
            found |= owners
        else:
            why = "split" if owners else "no gold"
            false.append(f"{entry['name']} [{entry['type']}] ({why}: {', '.join(sorted(entry['texts']))})")
    required = [i for i, g in enumerate(gold) if not g.get("optional")]
    missed = [f"{gold[i]['names'][0]} [{gold[i]['types'][0]}]" for i in required if i not in found]
    return {
        "found": sum(i in found for i in required),
        "gold": len(required),
        "right": right,
        "predicted": counted,
        "missed": missed,
        "false": false,
    }


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.2f} ({a}/{b})" if b else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("db", type=Path, help="a store made by 'storylens ingest' of the gold's set")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--details", action="store_true", help="print each article's misses and false entities")
    parser.add_argument("--no-credits", action="store_true", help="treat bylines, credits and datelines as optional")
    args = parser.parse_args()
    gold = json.loads(args.gold.read_text(encoding="utf-8"))["articles"]
    if args.no_credits:
        for item in gold:
            for entity in item["entities"]:
                entity["optional"] = entity.get("optional") or entity.get("credit", False)
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    with Store(args.db, readonly=True) as store:
        for item in gold:
            article = get_article(store, item["id"])
            if article is None:
                raise SystemExit(f"article {item['id']} is not in {args.db}")
            detail = article_detail(store, article.id) or {"mentions": []}
            mentions = [m for m in detail["mentions"] if m["type"] in {"person", "organisation", "place"}]
            for mode in ("strict", "lenient", "typed"):
                counts = score_article(item["entities"], mentions, lenient=mode != "strict", typed=mode == "typed")
                for lang in (item["lang"], "all"):
                    for n, k in enumerate(("found", "gold", "right", "predicted")):
                        totals[(lang, mode)][n] += counts[k]
                if args.details and mode == "typed":
                    print(f"{item['id']} ({item['lang']}): missed {counts['missed'] or '-'}")
                    print(f"    false {counts['false'] or '-'}")
    print(f"{'lang':5s} {'mode':8s} {'recall':16s} {'precision':16s}")
    for (lang, mode), (found, total, right, predicted) in sorted(totals.items()):
        print(f"{lang:5s} {mode:8s} {_ratio(found, total):16s} {_ratio(right, predicted):16s}")


if __name__ == "__main__":
    main()
