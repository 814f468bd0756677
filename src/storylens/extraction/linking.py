"""Link mentions across articles, languages and scripts into canonical entities.

Evidence: the same CLDR place id (موسكو / מוסקבה / Moscow), the same consonant skeleton of the name
(Putin / פוטין / بوتين -> "btn"; ترمب / ترامب -> "trmb"; h and ḥ are no consonant, Hamas / حماس -> "ms", and a
Hebrew ח reads both ways, חמאס -> "kms" or "ms"), a surname standing for a full name found in
the same story (same word, or same skeleton) or a first name standing for the one full name of the story
that opens with it, and a user alias table (``variant<TAB>canonical`` lines).
Short skeletons collide with common words (Putin's "btn" with ביטחון), so single words link by skeleton
across stories only when it has at least ``MIN_SKELETON`` + 1 consonants and the types agree; within one
story, ``MIN_SKELETON`` consonants and the same type suffice. An acronym (נאט"ו, NATO) links to a
one-word organisation of the same skeleton (الناتو). Two CLDR places link only by id, and a CLDR place links by
skeleton only to names in other scripts than its own names (Vatican / الفاتيكان, but Brasilia is no Brazil).
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

_HEBREW_CONSONANTS = str.maketrans(
    {
        "א": "",
        "ב": "b",
        "ג": "g",
        "ד": "d",
        "ה": "",
        "ו": "",
        "ז": "z",
        "ח": "H",
        "ט": "t",
        "י": "",
        "כ": "k",
        "ך": "k",
        "ל": "l",
        "מ": "m",
        "ם": "m",
        "נ": "n",
        "ן": "n",
        "ס": "s",
        "ע": "",
        "פ": "b",
        "ף": "b",
        "צ": "s",
        "ץ": "s",
        "ק": "k",
        "ר": "r",
        "ש": "s",
        "ת": "t",
        "'": "",
        '"': "",
    }
)
_ARABIC_CONSONANTS = str.maketrans(
    {
        "ا": "",
        "ء": "",
        "ؤ": "",
        "ئ": "",
        "ع": "",
        "ه": "",
        "و": "",
        "ي": "",
        "ب": "b",
        "ت": "t",
        "ث": "s",
        "ج": "g",
        "ح": "",
        "خ": "k",
        "د": "d",
        "ذ": "d",
        "ر": "r",
        "ز": "z",
        "س": "s",
        "ش": "s",
        "ص": "s",
        "ض": "d",
        "ط": "t",
        "ظ": "z",
        "غ": "g",
        "ف": "b",
        "ق": "k",
        "ك": "k",
        "ل": "l",
        "م": "m",
        "ن": "n",
        "پ": "b",
        "چ": "s",
        "ڤ": "b",
        "گ": "g",
    }
)
_LATIN_DIGRAPHS = [
    ("sch", "s"),
    ("sh", "s"),
    ("ch", "k"),
    ("kh", "k"),
    ("ph", "b"),
    ("th", "t"),
    ("ts", "s"),
    ("tz", "s"),
    ("zh", "g"),
    ("dzh", "g"),
    ("x", "ks"),
]
_LATIN_CONSONANTS = str.maketrans(
    {
        "a": "",
        "e": "",
        "i": "",
        "o": "",
        "u": "",
        "y": "",
        "w": "",
        "h": "",
        "'": "",
        "p": "b",
        "f": "b",
        "v": "b",
        "c": "k",
        "q": "k",
        "j": "g",
    }
)


def _word_skeletons(word: str) -> tuple[str, ...]:
    """A word's consonant skeletons: one, or two for a Hebrew ח, which writes both kh (k) and h (no consonant)."""
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
    skeleton = re.sub(r"[^a-zH]", "", skeleton).replace("ts", "s").replace("z", "s")
    readings = (skeleton.replace("H", "k"), skeleton.replace("H", ""))
    return tuple(dict.fromkeys(re.sub(r"(.)\1+", r"\1", reading) for reading in readings))


def link_key(text: str) -> str:
    """Script-preserving key: normalised words, without the Arabic article on each word."""
    words = [w[2:] if w.startswith("ال") and len(w) > 4 else w for w in normalise(text).split()]
    return " ".join(words)


def skeletons(text: str) -> tuple[str, ...]:
    """Consonant skeletons of a name, comparable across Latin, Hebrew and Arabic script: h and ḥ (ح, ח) are
    no consonant, as Latin spelling drops them (Hamas / حماس), and a Hebrew ח may also read as kh (k)."""
    words = [_word_skeletons(w) for w in link_key(text).split()]
    readings = (" ".join(filter(None, (w[min(n, len(w) - 1)] for w in words))) for n in range(2))
    return tuple(dict.fromkeys(readings))


def skeleton(text: str) -> str:
    """The first of a name's ``skeletons`` (a Hebrew ח read as k)."""
    return skeletons(text)[0]


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
    places = {key: _place(surface) for key, surface in surface_of.items()}
    spellings = _Spellings(places, surface_of)
    groups = _UnionFind()
    by_anchor: dict[str, list[str]] = defaultdict(list)
    for key in key_type:
        groups.find(key)
        for anchor in _anchors(key, places[key], key_type[key], stories[key], aliases):
            by_sound = anchor.startswith(("skeleton:", "story-skeleton:"))
            for other in by_anchor[anchor]:
                if _compatible(key_type[other], key_type[key]) and (
                    not by_sound or spellings.compatible(groups.find(key), groups.find(other))
                ):
                    spellings.merge(groups.find(other), groups.find(key))
                    groups.union(key, other)
            by_anchor[anchor].append(key)
    _link_acronyms(key_type, surface_of, groups)
    _link_surnames(refs, keys, key_type, groups)
    return _entities(refs, keys, key_type, groups, aliases)


def _anchors(
    key: str, place: Place | None, kind: EntityType, stories: set[str], aliases: Mapping[str, str]
) -> list[str]:
    """Evidence strings two names share when they name the same entity (see module doc)."""
    anchors = [f"alias:{aliases[key]}"] if key in aliases else []
    if place is not None:
        anchors.append(f"place:{place.id}")
    for full in skeletons(key):
        consonants = len(full.replace(" ", ""))
        if consonants >= MIN_SKELETON + (0 if " " in full else 1):
            anchors.append(f"skeleton:{kind}:{full}")
        elif consonants == MIN_SKELETON:
            anchors += [f"story-skeleton:{story}:{kind}:{full}" for story in sorted(stories)]
    return anchors


class _Spellings:
    """Per group of linked names: its CLDR place ids and the scripts of its place and non-place names. Two groups
    link by skeleton only when they name at most one CLDR place and no name of one is written in the script of the
    other's place name: CLDR gives each place its usual spelling per script, so Brasilia is no Brazil (nor برازيليا
    البرازيل), while Vatican links to الفاتيكان."""

    def __init__(self, places: Mapping[str, Place | None], surface_of: Mapping[str, str]) -> None:
        self.of: dict[str, tuple[frozenset[str], frozenset[str], frozenset[str]]] = {}
        for key, place in places.items():
            script = frozenset({script_of(surface_of[key])})
            self.of[key] = (
                frozenset({place.id}) if place else frozenset(),
                script if place else frozenset(),
                frozenset() if place else script,
            )

    def compatible(self, a: str, b: str) -> bool:
        (ids_a, placed_a, free_a), (ids_b, placed_b, free_b) = self.of[a], self.of[b]
        return len(ids_a | ids_b) <= 1 and not (placed_a & free_b or placed_b & free_a)

    def merge(self, into: str, other: str) -> None:
        (ids_a, placed_a, free_a), (ids_b, placed_b, free_b) = self.of[into], self.of[other]
        self.of[into] = (ids_a | ids_b, placed_a | placed_b, free_a | free_b)


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
                for sound in _word_skeletons(word):
                    full_names[(story, f"{place}-sound:{sound}")][key] += 1
    for ref, key in zip(refs, keys, strict=True):
        if key_type[key] != "person" or " " in key:
            continue
        story = ref.story_id or ref.article_id
        sounds = [sound for sound in _word_skeletons(key) if len(sound) >= MIN_SKELETON]
        for place in ("last", "first"):
            lookups = [f"{place}-word:{key}"] + [f"{place}-sound:{sound}" for sound in sounds]
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
        entities.append(
            CanonicalEntity(
                id=f"{kind[:3]}:{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}",
                name=name,
                type=kind,
                variants=[Variant(text, lang, count) for (text, lang), count in variants.most_common()],
                mentions=[ref for ref, _ in group],
            )
        )
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
