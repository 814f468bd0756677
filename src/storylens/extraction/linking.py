"""Link mentions across articles, languages and scripts into canonical entities.

Evidence: the same CLDR place id (موسكو / מוסקבה / Moscow), the same consonant skeleton of the name
(Putin / פוטין / بوتين -> "btn"; ترمب / ترامب -> "trmb"), a surname standing for a full name found in
the same story (same word, or same skeleton) or a first name standing for the one full name of the story
that opens with it, and a user alias table (``variant<TAB>canonical`` lines).
Short skeletons collide with common words (Putin's "btn" with ביטחון), so single words link by skeleton
across stories only when it has at least ``MIN_SKELETON`` + 1 consonants and the types agree; within one
story, ``MIN_SKELETON`` consonants and the same type suffice. An acronym (נאט"ו, NATO) links to a
one-word organisation of the same skeleton (الناتو).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

from anyascii import anyascii

from storylens.extraction.gazetteer import Place, gazetteer, place_of
from storylens.extraction.records import CanonicalEntity, EntityType, MentionRef, Variant
from storylens.extraction.romanise import romanise
from storylens.extraction.text import normalise, script_of

MIN_SKELETON = 3

_HEBREW_CONSONANTS = str.maketrans({
    "א": "", "ב": "b", "ג": "g", "ד": "d", "ה": "", "ו": "", "ז": "z", "ח": "k", "ט": "t", "י": "",
    "כ": "k", "ך": "k", "ל": "l", "מ": "m", "ם": "m", "נ": "n", "ן": "n", "ס": "s", "ע": "", "פ": "b",
    "ף": "b", "צ": "s", "ץ": "s", "ק": "k", "ר": "r", "ש": "s", "ת": "t", "'": "", '"': "",
})
_ARABIC_CONSONANTS = str.maketrans({
    "ا": "", "ء": "", "ؤ": "", "ئ": "", "ع": "", "ه": "", "و": "", "ي": "", "ب": "b", "ت": "t",
    "ث": "s", "ج": "g", "ح": "k", "خ": "k", "د": "d", "ذ": "d", "ر": "r", "ز": "z", "س": "s", "ش": "s",
    "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "غ": "g", "ف": "b", "ق": "k", "ك": "k", "ل": "l", "م": "m",
    "ن": "n", "پ": "b", "چ": "s", "ڤ": "b", "گ": "g",
})
_LATIN_DIGRAPHS = [("sch", "s"), ("sh", "s"), ("ch", "k"), ("kh", "k"), ("ph", "b"), ("th", "t"),
                   ("ts", "s"), ("tz", "s"), ("zh", "g"), ("dzh", "g"), ("x", "ks")]
_LATIN_CONSONANTS = str.maketrans({
    "a": "", "e": "", "i": "", "o": "", "u": "", "y": "", "w": "", "h": "", "'": "",
    "p": "b", "f": "b", "v": "b", "c": "k", "q": "k", "j": "g",
})


def _word_skeleton(word: str) -> str:
    script = script_of(word)
    if script == "he":
        word = re.sub(r"[זג]['׳]", "g", word).replace("צ'", "s")
        skeleton = word.translate(_HEBREW_CONSONANTS)
    elif script == "ar":
        skeleton = word.translate(_ARABIC_CONSONANTS)
    else:
        word = anyascii(word).lower()
        for digraph, sound in _LATIN_DIGRAPHS:
            word = word.replace(digraph, sound)
        skeleton = word.translate(_LATIN_CONSONANTS)
    # ts is one sound (Donetsk / دونيتسك); s and z trade places across scripts (Lines / لاينز)
    skeleton = re.sub(r"[^a-z]", "", skeleton).replace("ts", "s").replace("z", "s")
    return re.sub(r"(.)\1+", r"\1", skeleton)


def link_key(text: str) -> str:
    """Script-preserving key: normalised words, without the Arabic article on each word."""
    words = [w[2:] if w.startswith("ال") and len(w) > 4 else w for w in normalise(text).split()]
    return " ".join(words)


def skeleton(text: str) -> str:
    """Consonant skeleton of a name, comparable across Latin, Hebrew and Arabic script."""
    return " ".join(filter(None, (_word_skeleton(w) for w in link_key(text).split())))


def load_aliases(path: Path) -> dict[str, str]:
    """A user alias file: one ``variant<TAB>canonical name`` per line; '#' starts a comment."""
    aliases: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#") and "\t" in line:
            variant, canonical = line.split("\t", 1)
            aliases[link_key(variant)] = canonical.strip()
    return aliases


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def _compatible(a: EntityType, b: EntityType) -> bool:
    return a == b or {a, b} == {"organisation", "place"}


def link_entities(refs: Iterable[MentionRef], aliases: Mapping[str, str] | None = None) -> list[CanonicalEntity]:
    """Canonical entities for mentions from many articles (any languages), most mentioned first."""
    refs = list(refs)
    aliases = aliases or {}
    keys = [link_key(r.mention.text) for r in refs]
    types: dict[str, Counter[EntityType]] = defaultdict(Counter)
    for ref, key in zip(refs, keys, strict=True):
        types[key][ref.mention.type] += 1
    key_type = {k: c.most_common(1)[0][0] for k, c in types.items()}
    surface_of = {key: ref.mention.text for ref, key in zip(refs, keys, strict=True)}
    stories: dict[str, set[str]] = defaultdict(set)
    for ref, key in zip(refs, keys, strict=True):
        stories[key].add(ref.story_id or ref.article_id)
    groups = _UnionFind()
    by_anchor: dict[str, str] = {}
    for key in key_type:
        groups.find(key)
        for anchor in _anchors(key, surface_of[key], key_type[key], stories[key], aliases):
            if anchor in by_anchor and _compatible(key_type[by_anchor[anchor]], key_type[key]):
                groups.union(key, by_anchor[anchor])
            by_anchor.setdefault(anchor, key)
    _link_acronyms(key_type, surface_of, groups)
    _link_surnames(refs, keys, key_type, groups)
    return _entities(refs, keys, key_type, groups, aliases)


def _anchors(
    key: str, surface: str, kind: EntityType, stories: set[str], aliases: Mapping[str, str]
) -> list[str]:
    """Evidence strings two names share when they name the same entity (see module doc)."""
    anchors = [f"alias:{aliases[key]}"] if key in aliases else []
    place = _place(surface)
    if place is not None:
        anchors.append(f"place:{place.id}")
    full = skeleton(key)
    consonants = len(full.replace(" ", ""))
    if consonants >= MIN_SKELETON + (0 if " " in full else 1):
        anchors.append(f"skeleton:{kind}:{full}")
    elif consonants == MIN_SKELETON:
        anchors += [f"story-skeleton:{story}:{kind}:{full}" for story in sorted(stories)]
    return anchors


def _is_acronym(surface: str) -> bool:
    """A Hebrew acronym with gershayim (נאט"ו, ארה"ב) or a Latin all-capitals word (NATO)."""
    return ('"' in surface or "״" in surface) or (surface.isascii() and surface.isupper() and len(surface) > 1)


def _link_acronyms(key_type: dict[str, EntityType], surface_of: dict[str, str], groups: _UnionFind) -> None:
    """Join one-word organisations sharing a skeleton when one of them is written as an acronym."""
    by_sound: dict[str, list[str]] = defaultdict(list)
    for key, kind in key_type.items():
        if kind == "organisation" and " " not in key and len(sound := skeleton(key)) >= 2:
            by_sound[sound].append(key)
    for members in by_sound.values():
        if len(members) > 1 and any(_is_acronym(surface_of[k]) for k in members):
            for key in members[1:]:
                groups.union(key, members[0])


def _link_surnames(
    refs: list[MentionRef], keys: list[str], key_type: dict[str, EntityType], groups: _UnionFind
) -> None:
    """A one-word person name joins the full name in the same story whose last word is that word or has its
    skeleton, else the one full name there whose first word is (Yuri -> Yuri Ushakov)."""
    full_names: dict[tuple[str | None, str], Counter[str]] = defaultdict(Counter)
    for ref, key in zip(refs, keys, strict=True):
        words = key.split()
        if key_type[key] == "person" and len(words) > 1:
            story = ref.story_id or ref.article_id
            for place, word in (("last", words[-1]), ("first", words[0])):
                full_names[(story, f"{place}-word:{word}")][key] += 1
                full_names[(story, f"{place}-sound:{_word_skeleton(word)}")][key] += 1
    for ref, key in zip(refs, keys, strict=True):
        if key_type[key] != "person" or " " in key:
            continue
        story = ref.story_id or ref.article_id
        sound = _word_skeleton(key)
        for place in ("last", "first"):
            lookups = [f"{place}-word:{key}"] + ([f"{place}-sound:{sound}"] if len(sound) >= MIN_SKELETON else [])
            candidates = next((c for c in (full_names.get((story, k)) for k in lookups) if c), None)
            if candidates and (place == "last" or len(candidates) == 1):
                groups.union(key, candidates.most_common(1)[0][0])
                break


def _entities(
    refs: list[MentionRef],
    keys: list[str],
    key_type: dict[str, EntityType],
    groups: _UnionFind,
    aliases: Mapping[str, str],
) -> list[CanonicalEntity]:
    members: dict[str, list[tuple[MentionRef, str]]] = defaultdict(list)
    for ref, key in zip(refs, keys, strict=True):
        members[groups.find(key)].append((ref, key))
    entities = []
    for group in members.values():
        variants = Counter((ref.mention.text, ref.lang) for ref, _ in group)
        kind = Counter(key_type[key] for _, key in group).most_common(1)[0][0]
        name = _display_name(group, aliases)
        entities.append(CanonicalEntity(
            id=f"{kind[:3]}:{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}",
            name=name,
            type=kind,
            variants=[Variant(text, lang, count) for (text, lang), count in variants.most_common()],
            mentions=[ref for ref, _ in group],
        ))
    entities.sort(key=lambda e: -len(e.mentions))
    return entities


def _display_name(group: list[tuple[MentionRef, str]], aliases: Mapping[str, str]) -> str:
    for _, key in group:
        if key in aliases:
            return aliases[key]
    latin = Counter(r.mention.text for r, _ in group if script_of(r.mention.text) == "latin")
    if latin:
        return max(latin, key=lambda t: (len(t.split()), latin[t]))
    for ref, _ in group:
        place = _place(ref.mention.text)
        if place is not None:
            return place.name
    texts = Counter(r.mention.text for r, _ in group)
    best = max(texts, key=lambda t: (len(t.split()), texts[t]))
    return romanise(best)


def _place(text: str) -> Place | None:
    """The CLDR place a name denotes, if any (multi-word names such as الولايات المتحدة included)."""
    words = tuple(normalise(text).split())
    return gazetteer().places.get(words) or (place_of(words[0]) if len(words) == 1 else None)
