"""What the lexicon says about one mention: its candidate entry ids, an English label, a type, the prefix-free name.

Places and organisations are looked up whole (GeoNames, CLDR countries, the organisation list). People are looked up
whole (Wikidata he<->en full names), else word by word in the Wikidata name tokens: a Hebrew or Arabic token may
stand for several English spellings (khn: Cohen, Kahan, Cohn...), kept when their score with the token reaches the
calibrated threshold. A person's ids are English word sequences ("per:vladimir putin"), so the same name resolves
to the same id from any script. ``ids`` is a set: names link when their sets meet; the ids of a Latin-script name
are certain (its own spelling), those of a Hebrew or Arabic name are candidates (the lexicon lists some spellings).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from storylens.extraction.records import EntityType
from storylens.lang import script_of
from storylens.lexicon.names import Entry, lookup_key, name_lexicon, strip_candidates
from storylens.lexicon.score import name_score, score_threshold

MAX_PERSON_IDS = 32  # readings of an ambiguous multi-word name kept (product of its words' spellings)
# label ranks: a whole entry's English name, the first of several entries' names, English name tokens put together
ENTRY_LABEL, AMBIGUOUS_LABEL, TOKEN_LABEL = 0, 1, 2
_PLACE_ORDER = ("geonames-cc:", "org:", "geonames-adm1:", "geonames:")


def person_id(english: str) -> str:
    """The id of a person name spelled in English: its look-up key without accents (Prévost is Prevost)."""
    decomposed = unicodedata.normalize("NFKD", lookup_key(english))
    return "per:" + "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class Resolution:
    ids: frozenset[str] = frozenset()
    label: str | None = None
    label_rank: int = ENTRY_LABEL
    kind: EntityType | None = None  # a type the lexicon is sure of (an organisation tagged as a person)
    name: str = ""  # the name without clitic prefixes, when the lexicon knows it that way; else as written


def _rank(entry: Entry, kind: EntityType) -> int:
    order = _PLACE_ORDER if kind == "place" else ("org:", *_PLACE_ORDER[:1], *_PLACE_ORDER[2:])
    return next((i for i, prefix in enumerate(order) if entry.id.startswith(prefix)), len(order))


def _case_agrees(entry: Entry, name: str) -> bool:
    """A Latin-script name matches an all-capitals lexicon name (an acronym: UN, AP) only in capitals too."""
    key = lookup_key(name)
    names = [n for ns in entry.names.values() for n in ns if lookup_key(n) == key]
    return not names or name.isupper() or any(not n.isupper() for n in names)


def _whole(surface: str, kind: EntityType) -> Resolution | None:
    for _, name in strip_candidates(surface):
        entries = [e for e in name_lexicon().exact(name) if not e.is_token]
        if kind == "person":
            people = [e for e in entries if e.type == "person"]
            if people:
                label = people[0].label
                return Resolution(frozenset({person_id(label)}), label, ENTRY_LABEL, None, name)
            entries = [e for e in entries if e.type == "organisation"]
            override: EntityType | None = "organisation"
        else:
            entries = [e for e in entries if e.type != "person"]
            override = None
        entries = [e for e in entries if _case_agrees(e, name)]
        if entries:
            entries.sort(key=lambda e: (_rank(e, kind), -sum(bool(n) for n in e.names.values()), e.id))
            rank = ENTRY_LABEL if len(entries) == 1 else AMBIGUOUS_LABEL
            return Resolution(frozenset(e.id for e in entries), entries[0].label, rank, override, name)
    return None


def _token_spellings(word: str, first: bool) -> list[str]:
    """English spellings of one name word (lower case), best score first; empty when the lexicon lacks it."""
    readings = strip_candidates(word) if first else (("", word),)
    for _, name in readings:
        tokens = [e for e in name_lexicon().exact(name) if e.is_token]
        if not tokens:
            continue
        if script_of(name) == "latin":
            return [lookup_key(name)]
        english = [e.names["en"][0] for e in tokens]
        scored = sorted((-name_score(name, spelling), not spelling.isascii(), spelling) for spelling in english)
        kept = [spelling for score, _, spelling in scored if -score >= score_threshold()]
        if kept:
            return kept
    return []


def _person_tokens(surface: str) -> Resolution | None:
    words = surface.split()
    spellings = [_token_spellings(word, i == 0) for i, word in enumerate(words)]
    if not words or not all(spellings):
        return None
    ids = [person_id(" ".join(reading)) for reading in product(*spellings)][:MAX_PERSON_IDS]
    label = " ".join(reading[0][:1].upper() + reading[0][1:] for reading in spellings)
    return Resolution(frozenset(ids), label, TOKEN_LABEL, None, surface)


@lru_cache(maxsize=100_000)
def resolve(surface: str, kind: EntityType) -> Resolution:
    """The lexicon's reading of a mention ``surface`` of type ``kind`` (empty when it knows nothing)."""
    found = _whole(surface, kind)
    if found is None and kind == "person":
        found = _person_tokens(surface)
    return found or Resolution(name=surface)
