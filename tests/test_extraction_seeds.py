"""Score extraction on the five sample documents against shared/seeds/expected.json and assert the targets.

Articles: 000 he; 001 lines 1-26 ar + 27-end en; 002 lines 1-20 and 24-end ar; 003 he; 004 lines 1-17 ar
(boilerplate lines and the " date YYYY-MM-DD " header dropped). Run with -s to see every reported entity.

Targets (from the issue): >= 16 of 18 gold entities found; >= 90% of gold variants linked to the right
entity and none to a wrong one; all 3 quote groups with the right speaker and >= 80% of their occurrences
grouped; all 6 figures; at most 10% of reported people/organisations/places wrong. A reported entity is
wrong when its variants do not all belong to one entity (gold, or a real name judged by hand below), when
one of them is not a name at all, or when its type is wrong.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from storylens.extraction import FigureRef, MentionRef, QuoteRef, extract, group_quotes, link_entities
from storylens.extraction.linking import link_key

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"
pytestmark = pytest.mark.skipif(not (SEEDS / "expected.json").exists(), reason="shared/seeds is absent")

PARTS = [  # (article id, file, first line, last line or None, lang)
    ("000", "000_ae2abf275166ac5c.txt", 1, None, "he"),
    ("001-ar", "001_acec1598fe2289e9.txt", 1, 26, "ar"),
    ("001-en", "001_acec1598fe2289e9.txt", 27, None, "en"),
    ("002-a", "002_e81a8655c739328e.txt", 1, 20, "ar"),
    ("002-b", "002_e81a8655c739328e.txt", 24, None, "ar"),
    ("003", "003_15b2b4d102e71c3f.txt", 1, None, "he"),
    ("004", "004_b78be68ad95a6154.txt", 1, 17, "ar"),
]
STORY = {"003": "S2"}

# Names on the samples that the gold leaves out, judged by hand to be real names of that type (surface forms
# as the articles write them). Anything reported that is neither gold nor listed here counts as wrong.
REAL_NAMES: dict[str, tuple[str, list[str]]] = {
    "Ukraine": ("place", ["أوكرانيا", "אוקראינה", "Ukraine"]),
    "Russia": ("place", ["روسيا", "רוסיה", "Russia"]),
    "United States": ("place", ["الولايات المتحدة", "ארצות הברית", 'ארה"ב', "United States", "Washington", "واشنطن"]),
    "Washington": ("place", ["واشنطن", "Washington", "וושינגטון"]),
    "Kyiv": ("place", ["كييف", "קייב", "Kyiv"]),
    "Europe": ("place", ["أوروبا", "אירופה", "Europe"]),
    "Ankara": ("place", ["أنقرة", "انقرة"]),
    "Brussels": ("place", ["بروكسل"]),
    "European Union": ("organisation", ["الاتحاد الأوروبي"]),
    "European Commission": ("organisation", ["المفوضية الأوروبية"]),
    "Switzerland": ("place", ["שווייץ"]),
    "Dublin": ("place", ["דבלין", "دبلن"]),
    "Axios": ("organisation", ["أكسيوس", "Axios"]),
    "Fox News": ("organisation", ["فوكس نيوز", "Fox News"]),
    "Agence France-Presse": ("organisation", ["فرانس برس"]),
    "Reuters": ("organisation", ["רויטרס"]),
    "Bloomberg": ("organisation", ["بلومبرج"]),
    "Sky News Arabia": ("organisation", ["سكاي نيوز عربية"]),
    "Central Bank of Russia": ("organisation", ["البنك المركزي الروسي"]),
    "Turkish Foreign Ministry": ("organisation", ["وزارة الخارجية التركية"]),
    "Institute for the Study of War": ("organisation", ["معهد دراسة الحرب"]),
    "White House": ("organisation", ["البيت الأبيض", "הבית הלבן", "בית הלבן", "White House"]),
    "Telegram": ("organisation", ["טלגרם"]),
    "International Criminal Court": ("organisation", ["בית הדין הפלילי הבינלאומי"]),
    "Andrii Sybiha": ("person", ["أندريه سيبيها", "سيبيها"]),
    "Hakan Fidan": ("person", ["هاكان فيدان", "فيدان"]),
    "Johann Wadephul": ("person", ["يوهان فاديفول", "فاديفول"]),
    "Boris Pistorius": ("person", ["بوريس بيستوريوس"]),
    "Yvette Cooper": ("person", ["إيفيت كوبر"]),
    "Maxime Prévot": ("person", ["ماكسيم بريفوت"]),
    "Mark Rutte": ("person", ["مارك روته", "روته"]),
    "Recep Tayyip Erdogan": ("person", ["رجب طيب أردوغان", "أردوغان"]),
    "Sean Hannity": ("person", ["شون هانيتي"]),
    "Giuseppe Cavo Dragone": ("person", ["ג'וזפה קאוו דראגונה", "דראגונה"]),
    "Alexus Grynkewich": ("person", ["אלכסוס גרינקוויץ'"]),
    "Ayman Safadi": ("person", ["איימן אל-ספאדי"]),
    "Dan Caine": ("person", ["דן קיין", "קיין"]),
    "Germany": ("place", ["ألمانيا"]),
    "Türkiye": ("place", ["تركيا"]),
    "Istanbul": ("place", ["إسطنبول", "איסטנבול"]),
    "Donetsk": ("place", ["دونيتسك", "Donetsk"]),
    "Pokrovsk": ("place", ["بوكروفسك"]),
    "Kherson": ("place", ["خيرسون"]),
    "Zaporizhzhia": ("place", ["زابوريجيا"]),
    "Crimea": ("place", ["القرم"]),
    "Alaska": ("place", ["ألاسكا", "אלסקה"]),
    "Belgium": ("place", ["بلجيكا"]),
    "Canada": ("place", ["كندا"]),
    "Senegal": ("place", ["السنغال"]),
    "Japan": ("place", ["יפן"]),
    "Australia": ("place", ["אוסטרליה"]),
    "France": ("place", ["צרפת"]),
    "Greece": ("place", ["יוון"]),
    "Sumy": ("place", ["סומי"]),
    "Odesa": ("place", ["אודסה"]),
    "The Hague": ("place", ["האג"]),
    "Black Sea": ("place", ["البحر الأسود", "הים השחור"]),
    "Syria": ("place", ["سوريا"]),
}


def _articles() -> list[tuple[str, str, str, str]]:
    articles = []
    for article_id, name, first, last, lang in PARTS:
        lines = (SEEDS / name).read_text(encoding="utf-8").split("\n")[first - 1 : last]
        text = re.sub(r"^ date \d{4}-\d{2}-\d{2} ", "", "\n".join(lines))
        articles.append((article_id, name, lang, text))
    return articles


@pytest.fixture(scope="module")
def results():
    gold = json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))
    articles = _articles()
    extractions = {a: extract(text, lang) for a, _, lang, text in articles}
    refs = [MentionRef(m, lang, a, STORY.get(a, "S1")) for a, _, lang, _ in articles for m in extractions[a].mentions]
    entities = link_entities(refs)
    return gold, articles, extractions, entities


def _same_name(reported: str, known: str) -> bool:
    """Link keys equal, or equal once a Hebrew/Arabic clitic prefix (at most two letters) is left on."""
    return reported == known or (reported.endswith(known) and 0 < len(reported) - len(known) <= 2)


@dataclass
class _Lexicon:
    """Known names: gold entities and the hand-judged real names, each with its type and variant keys."""

    types: dict[str, str] = field(default_factory=dict)
    variants: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, kind: str, surfaces: list[str]) -> None:
        self.types[name] = kind
        self.variants.setdefault(name, []).extend(link_key(s) for s in surfaces)

    def owners(self, text: str) -> set[str]:
        """Known names a reported variant belongs to: as a whole, else word by word (empty: not a known name)."""
        key = link_key(text)
        whole = {n for n, keys in self.variants.items() if any(_same_name(key, k) for k in keys)}
        if whole:
            return whole
        owners: set[str] = set()
        words = key.split()
        for word in words:
            if word == words[-1]:  # the last word must end a known name: a first name alone is a fragment
                found = {n for n, keys in self.variants.items() if any(_same_name(word, k.split()[-1]) for k in keys)}
            else:  # an unknown word before a known surname is tolerated (a first name the gold leaves out)
                found = {
                    n for n, keys in self.variants.items() if any(_same_name(word, w) for k in keys for w in k.split())
                }
            if not found and word == words[-1]:
                return set()
            if len(found) == 1:
                owners |= found
        return owners


def _lexicon(gold: dict) -> tuple[_Lexicon, set[str]]:
    lexicon = _Lexicon()
    for g in gold["entities"]:
        lexicon.add(g["name"], g["type"], [v for vs in g["variants"].values() for v in vs])
    gold_names = set(lexicon.types)
    for name, (kind, surfaces) in REAL_NAMES.items():
        lexicon.add(name, kind, surfaces)
    return lexicon, gold_names


def _holder(entities, variant: str):
    """The canonical entity that holds ``variant`` (by link key, or with a Hebrew/Arabic prefix left on)."""
    key = link_key(variant)
    for entity in entities:
        if any(_same_name(link_key(v.text), key) for v in entity.variants):
            return entity
    return None


def test_entities_found_and_linked(results) -> None:
    gold, _, _, entities = results
    lexicon, _ = _lexicon(gold)
    by_id = {e.id: e for e in entities}
    found, linked, total, misplaced = 0, 0, 0, 0
    for g in gold["entities"]:
        variants = [v for vs in g["variants"].values() for v in vs]
        holders = Counter(h.id for v in variants if (h := _holder(entities, v)) is not None)
        total += len(variants)
        if not holders:
            print(f"  MISSING {g['name']}")
            continue
        found += 1
        best = holders.most_common(1)[0][0]
        linked += holders[best]
        for other, count in holders.items():  # a variant held by an entity that is another gold entity's
            names = set().union(*(lexicon.owners(v.text) for v in by_id[other].variants))
            misplaced += count if other != best and names - {g["name"]} else 0
        unlinked = [v for v in variants if (h := _holder(entities, v)) is None or h.id != best]
        if unlinked:
            print(f"  {g['name']}: not in {best}: {', '.join(unlinked)}")
    print(f"entities found {found}/{len(gold['entities'])}; variants linked {linked}/{total}; misplaced {misplaced}")
    assert found >= 16
    assert linked / total >= 0.9
    assert misplaced == 0


def test_entity_precision(results) -> None:
    gold, _, _, entities = results
    lexicon, gold_names = _lexicon(gold)
    wrong = 0
    print("\nReported entities:")
    for e in entities:
        owners = [lexicon.owners(v.text) for v in e.variants]
        names = set().union(*owners)
        shared = set.intersection(*owners) if owners else set()
        if len(names) > 1 and len(shared) == 1:  # variants all of one gold name, some also listed under another
            names = shared
        verdict = "ok"
        if any(not o for o in owners):
            verdict = "WRONG not a name: " + ", ".join(v.text for v, o in zip(e.variants, owners, strict=True) if not o)
        elif len(names) > 1:
            verdict = "WRONG merges " + " + ".join(sorted(names))
        elif lexicon.types[next(iter(names))] != e.type:
            verdict = f"WRONG type, is {lexicon.types[next(iter(names))]}"
        else:
            verdict = "gold" if names <= gold_names else "ok"
        wrong += verdict.startswith("WRONG")
        variants = ", ".join(f"{v.text}/{v.lang}x{v.count}" for v in e.variants)
        print(f"  {e.type:12s} {e.name:26s} {verdict:10s} {variants}")
    print(f"reported {len(entities)}, wrong {wrong} ({wrong / len(entities):.0%})")
    assert wrong <= 0.10 * len(entities)


def test_quotes(results) -> None:
    gold, articles, extractions, entities = results
    files = {a: name for a, name, _, _ in articles}
    langs = {a: lang for a, _, lang, _ in articles}
    entity_of = {(r.article_id, r.mention.start): e.id for e in entities for r in e.mentions}
    refs = [
        QuoteRef(q, langs[a], a, entity_of.get((a, q.speaker.start)) if q.speaker else None)
        for a, x in extractions.items()
        for q in x.quotes
    ]
    story_of = {r.article_id: r.story_id for e in entities for r in e.mentions}
    groups = {  # one story at a time, as the pipeline groups them
        f"{story}/{group.id}": group
        for story in sorted(set(story_of.values()))
        for group in group_quotes([r for r in refs if story_of.get(r.article_id) == story])
    }
    print()
    for ref in refs:
        print(f"  {ref.article_id:7s} {ref.quote.kind:8s} {ref.speaker_entity!s:24s} {ref.quote.text[:70]}")
    right_speaker, grouped, occurrences = 0, 0, 0
    for g in gold["quotes"]:
        speaker = next(
            (e.id for e in entities if any(link_key(v.text) == link_key(g["speaker"]) for v in e.variants)), None
        )
        hits: Counter[tuple[str, str | None]] = Counter()
        for occurrence in g["occurrences"]:
            for group_id, group in groups.items():
                if any(
                    files[r.article_id] == occurrence["file"] and occurrence["text"] in r.quote.text
                    for r in group.occurrences
                ):
                    hits[(group_id, group.speaker_entity)] += 1
        best = hits.most_common(1)[0] if hits else None
        right_speaker += best is not None and best[0][1] == speaker
        grouped += best[1] if best is not None and best[0][1] == speaker else 0
        occurrences += len(g["occurrences"])
        print(f"quote {g['gist'][:40]!r}: speaker {speaker}, best group {best}, of {len(g['occurrences'])}")
    print(
        f"quote groups with the right speaker: {right_speaker}/{len(gold['quotes'])}; "
        f"occurrences grouped {grouped}/{occurrences}"
    )
    assert right_speaker == len(gold["quotes"])
    assert grouped >= 0.8 * occurrences


def test_figures(results) -> None:
    gold, articles, extractions, _ = results
    files = {a: name for a, name, _, _ in articles}
    found = 0
    for g in gold["figures"]:
        value = tuple(g["value"]) if isinstance(g["value"], list) else g["value"]
        ok = any(
            files[a] == o["file"]
            and (o["text"] in f.text or f.text in o["text"])
            and f.value == value
            and f.unit == g["unit"]
            for o in g["occurrences"]
            for a, x in extractions.items()
            for f in x.figures
        )
        found += ok
        print(f"figure {g['gist'][:45]!r}: {'found' if ok else 'MISSING'}")
    refs = [FigureRef(f, "", a) for a, x in extractions.items() for f in x.figures]
    print(f"figures found {found}/{len(gold['figures'])} ({len(refs)} reported)")
    assert found == len(gold["figures"])
