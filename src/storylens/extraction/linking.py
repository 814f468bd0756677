"""Link mentions across articles, languages and scripts into canonical entities.

Evidence: the same CLDR place id (Moscow in Arabic, Hebrew and Latin script), the same consonant skeleton of the
name (Putin, Hebrew pwtyn, Arabic bwtyn -> "btn"; Arabic trmb / tramb -> "trmb"; h and the pharyngeal h are no
consonant, Hamas -> "ms", and a Hebrew het reads both ways, Hebrew Hmas -> "kms" or "ms"), a surname standing for
a full name found in
the same story (same word, or same skeleton) or a first name standing for the one full name of the story
that opens with it, and a user alias table (``variant<TAB>canonical`` lines).
Short skeletons collide with common words (Putin's "btn" with Hebrew bitahon, "security"), so single words link
by skeleton across stories only when it has at least ``MIN_SKELETON`` + 1 consonants and the types agree; within one
story, ``MIN_SKELETON`` consonants and the same type suffice. An acronym (Hebrew nat"o, NATO) links to a
one-word organisation of the same skeleton (Arabic al-natu). Two CLDR places link only by id, and a CLDR place links by
skeleton only to names in other scripts than its own names (Vatican / Arabic al-fatikan, but Brasilia is no Brazil).

The name lexicon (``storylens.lexicon``: GeoNames places, Wikidata person names, an organisation list) comes first:
names it knows link by its entry ids in any script, after clitic prefixes (Hebrew Hamas, Arabic wa-Hamas
"and Hamas", Hamas), and two groups with Latin-script names it knows by different ids never merge (Barenboim is
no Birnbaum, though both read "brnbm").
Within one story, names of different scripts of at least ``MIN_SKELETON`` + 1 consonants also link by the
calibrated transliteration score (``lexicon.score``) when it is the best match.
The display name is the English label of the one lexicon entry a name has, else the most frequent Latin-script
variant, else a CLDR place name, else the lexicon's English name (of the first of several entries, or name tokens
put together), else a romanisation, flagged as such (``CanonicalEntity.romanised``).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from storylens.extraction.gazetteer import Place, cue_words, gazetteer, is_cue, place_of, short_named_country
from storylens.extraction.mentions.shapes import relational
from storylens.extraction.records import CanonicalEntity, EntityType, MentionRef, Variant
from storylens.extraction.romanise import romanise
from storylens.extraction.skeleton import _word_skeletons, link_key, skeleton, skeletons
from storylens.lang import all_profiles, normalise, script_of
from storylens.lexicon.names import strip_candidates
from storylens.lexicon.resolve import ENTRY_LABEL, Resolution, resolve
from storylens.lexicon.score import name_score, score_threshold

MIN_SKELETON = 3


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
    known = {key: resolve(surface_of[key], kind) for key, kind in key_type.items()}
    key_type.update({key: found.kind for key, found in known.items() if found.kind})
    places = {key: _place(known[key].name) for key in key_type}
    spellings = _Spellings(places, surface_of, {key: found.ids for key, found in known.items()})
    groups = _UnionFind()
    by_anchor: dict[str, list[str]] = defaultdict(list)
    for key in key_type:
        groups.find(key)
        for anchor in _anchors(key, places[key], key_type[key], stories[key], aliases, known[key]):
            by_sound = anchor.startswith(("skeleton:", "story-skeleton:"))
            for other in by_anchor[anchor]:
                if _compatible(key_type[other], key_type[key]) and spellings.compatible(
                    groups.find(key), groups.find(other), by_sound
                ):
                    spellings.merge(groups.find(other), groups.find(key))
                    groups.union(key, other)
            by_anchor[anchor].append(key)
    _link_by_score(stories, key_type, surface_of, groups, spellings)
    _link_by_score(stories, key_type, surface_of, groups, spellings, cores=True)
    _link_acronyms(key_type, surface_of, groups, known)
    _link_surnames(refs, keys, key_type, groups)
    return _entities(refs, keys, key_type, groups, aliases, known)


def link_anchors(refs: Iterable[MentionRef], aliases: Mapping[str, str] | None = None) -> list[frozenset[str]]:
    """For each mention, the evidence through which ``link_entities`` could join it to other names: its key,
    lexicon and place ids, skeletons and acronym sound (a superset: types and vetoes are checked when linking)."""
    aliases = aliases or {}
    anchors = []
    for ref in refs:
        key, kind = link_key(ref.mention.text), ref.mention.type
        known = resolve(ref.mention.text, kind)
        stories = {ref.story_id or ref.article_id}
        found = _anchors(key, _place(known.name), known.kind or kind, stories, aliases, known)
        found += [f"key:{key}", f"sound:{skeleton(key)}"]
        anchors.append(frozenset(found))
    return anchors


def _anchors(
    key: str, place: Place | None, kind: EntityType, stories: set[str], aliases: Mapping[str, str], known: Resolution
) -> list[str]:
    """Evidence strings two names share when they name the same entity (see module doc)."""
    anchors = [f"alias:{aliases[key]}"] if key in aliases else []
    anchors += [f"lexicon:{entry}" for entry in sorted(known.ids)]
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
    """Per group of linked names: its CLDR place ids, the scripts of its place and non-place names, and the lexicon
    ids all its known names share. Two groups link by skeleton only when they name at most one CLDR place and no
    name of one is written in the script of the other's place name: CLDR gives each place its usual spelling per
    script, so Brasilia is no Brazil (nor in Arabic script), while Vatican links to Arabic al-fatikan. No two
    groups link when both hold Latin-script names the lexicon knows by different ids (a Hebrew or Arabic name's
    ids are only candidates: the lexicon lists some of its English spellings)."""

    def __init__(
        self, places: Mapping[str, Place | None], surface_of: Mapping[str, str], lexicon: Mapping[str, frozenset[str]]
    ) -> None:
        self.of: dict[str, tuple[frozenset[str], frozenset[str], frozenset[str]]] = {}
        self.certain = {key: ids for key, ids in lexicon.items() if ids and script_of(surface_of[key]) == "latin"}
        for key, place in places.items():
            script = frozenset({script_of(surface_of[key])})
            self.of[key] = (
                frozenset({place.id}) if place else frozenset(),
                script if place else frozenset(),
                frozenset() if place else script,
            )

    def compatible(self, a: str, b: str, by_sound: bool = True) -> bool:
        known_a, known_b = self.certain.get(a), self.certain.get(b)
        if known_a and known_b and not known_a & known_b:
            return False
        (ids_a, placed_a, free_a), (ids_b, placed_b, free_b) = self.of[a], self.of[b]
        return not by_sound or (len(ids_a | ids_b) <= 1 and not (placed_a & free_b or placed_b & free_a))

    def merge(self, into: str, other: str) -> None:
        (ids_a, placed_a, free_a), (ids_b, placed_b, free_b) = self.of[into], self.of[other]
        self.of[into] = (ids_a | ids_b, placed_a | placed_b, free_a | free_b)
        known_a, known_b = self.certain.get(into), self.certain.get(other)
        if known_a or known_b:
            self.certain[into] = (known_a & known_b) if known_a and known_b else (known_a or known_b or frozenset())


def _core(key: str, kind: EntityType) -> tuple[str, bool]:
    """An organisation's or place's name without the organisation and place nouns that head it and, after one, the
    adjectives of relation that describe it (Arabic "sharikat Roskosmos al-rusiyya", the Russian company
    Roscosmos: "Roskosmos"; "Gatwick Airport": "gatwick"), and whether a place noun went: "X Region" is no city X,
    so such a core compares only with another that lost a place noun. The key itself when nothing is left out."""
    if kind == "person":
        return key, False
    cues = cue_words()
    words = key.split()
    placed = any(is_cue(w, cues.place_nouns) for w in words)
    kept = [w for w in words if not (is_cue(w, cues.organisation_nouns) or is_cue(w, cues.place_nouns))]
    if len(kept) == len(words):
        return key, False
    while kept and relational(kept[-1]):
        kept.pop()
    return (" ".join(kept), placed) if kept else (key, False)


def _link_by_score(
    stories: Mapping[str, set[str]],
    key_type: Mapping[str, EntityType],
    surface_of: Mapping[str, str],
    groups: _UnionFind,
    spellings: _Spellings,
    cores: bool = False,
) -> None:
    """Within each story, a name joins its best-scoring name of another script with as many words and a compatible
    type, when the transliteration score reaches the calibrated threshold (the best match only: one story seldom
    names two people of nearly one sound). With ``cores``, names are compared without their head nouns
    (``_core``: Arabic "matar Jatwik" and "Gatwick Airport" compare as "Jatwik" and "Gatwick"); two cores that both
    lost a place noun may then have ``MIN_SKELETON`` consonants when their skeletons are equal."""
    core = {key: _core(key, key_type[key]) if cores else (key, False) for key in stories}
    name = {key: found for key, (found, _) in core.items()}
    short = {
        key for key, (found, placed) in core.items() if placed and len(skeleton(found).replace(" ", "")) == MIN_SKELETON
    }
    by_story: dict[str, list[str]] = defaultdict(list)
    for key, in_stories in stories.items():
        if len(skeleton(name[key]).replace(" ", "")) > MIN_SKELETON or key in short:
            for story in in_stories:
                by_story[story].append(key)
    threshold = score_threshold()
    for members in by_story.values():
        for key in members:
            script, words = script_of(surface_of[key]), len(name[key].split())
            scored = [
                (name_score(name[key], name[other]), other)
                for other in members
                if script_of(surface_of[other]) != script
                and len(name[other].split()) == words
                and _compatible(key_type[key], key_type[other])
                and (not cores or name[key] != key or name[other] != other)
                and core[key][1] == core[other][1]
            ]
            if not scored:
                continue
            score, best = max(scored)
            a, b = groups.find(key), groups.find(best)
            needed = 1.0 if key in short or best in short else threshold
            if score >= needed and a != b and spellings.compatible(a, b):
                spellings.merge(b, a)
                groups.union(key, best)


@cache
def _double_quote_marks() -> frozenset[str]:
    """The ASCII double quote and the script marks profiles fold to it (Hebrew gershayim)."""
    folded = (mark for p in all_profiles() for mark, ascii in p.punctuation_folds.items() if ascii == '"')
    return frozenset(['"', *folded])


def _is_acronym(surface: str) -> bool:
    """A Hebrew acronym with gershayim (nat"o NATO, arh"b USA) or a Latin all-capitals word (NATO)."""
    quoted = any(mark in surface for mark in _double_quote_marks())
    return quoted or (surface.isascii() and surface.isupper() and len(surface) > 1)


def _link_acronyms(
    key_type: dict[str, EntityType],
    surface_of: dict[str, str],
    groups: _UnionFind,
    known: Mapping[str, Resolution],
) -> None:
    """Join one-word organisations sharing a skeleton when one of them is written as an acronym, unless the lexicon
    knows the two groups by different ids: a two-consonant sound is weak evidence (the IDF's Hebrew acronym reads
    like Tesla), so it only reaches names the lexicon cannot tell apart."""
    by_sound: dict[str, list[str]] = defaultdict(list)
    for key, kind in key_type.items():
        if kind == "organisation" and " " not in key and len(sound := skeleton(key)) >= 2:
            by_sound[sound].append(key)
    group_ids: dict[str, set[str]] = defaultdict(set)
    for key in key_type:
        group_ids[groups.find(key)].update(known[key].ids)
    for members in by_sound.values():
        if len(members) < 2 or not any(_is_acronym(surface_of[k]) for k in members):
            continue
        for key in members[1:]:
            root, other = groups.find(members[0]), groups.find(key)
            if root == other or (group_ids[root] and group_ids[other] and not group_ids[root] & group_ids[other]):
                continue
            groups.union(key, members[0])
            group_ids[groups.find(key)] = group_ids[root] | group_ids[other]


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
    known: Mapping[str, Resolution],
) -> list[CanonicalEntity]:
    members: dict[str, list[tuple[MentionRef, str]]] = defaultdict(list)
    for ref, key in zip(refs, keys, strict=True):
        members[groups.find(key)].append((ref, key))
    entities = []
    for group in members.values():
        variants = Counter((ref.mention.text, ref.lang) for ref, _ in group)
        kind = Counter(key_type[key] for _, key in group).most_common(1)[0][0]
        name, romanised = _display_name(group, aliases, known)
        entities.append(
            CanonicalEntity(
                id=f"{kind[:3]}:{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}",
                name=name,
                type=kind,
                variants=[Variant(text, lang, count) for (text, lang), count in variants.most_common()],
                mentions=[ref for ref, _ in group],
                romanised=romanised,
            )
        )
    entities.sort(key=lambda e: -len(e.mentions))
    return entities


def _display_name(
    group: list[tuple[MentionRef, str]], aliases: Mapping[str, str], known: Mapping[str, Resolution]
) -> tuple[str, bool]:
    """The group's display name and whether it is a romanisation (see module doc for the order)."""
    for _, key in group:
        if key in aliases:
            return aliases[key], False
    labels = Counter(label for _, key in group if (label := known[key].label) and known[key].label_rank == ENTRY_LABEL)
    latin = Counter(r.mention.text for r, _ in group if script_of(r.mention.text) == "latin")
    if labels:
        label = labels.most_common(1)[0][0]
        fuller = [text for text in latin if _extends(text, label)]  # "Yuri Ushakov" written, "Yuri" the label
        return (max(fuller, key=lambda t: (len(t.split()), latin[t])) if fuller else label), False
    if latin:
        return max(latin, key=lambda t: (len(t.split()), latin[t])), False
    for _, key in group:
        place = _place(known[key].name)
        if place is not None:
            return place.name, False
    tokens = Counter(label for _, key in group if (label := known[key].label))
    if tokens:
        return max(tokens, key=lambda t: (len(t.split()), tokens[t])), False
    texts = Counter(known[key].name for _, key in group)
    best = max(texts, key=lambda t: (len(t.split()), texts[t]))
    return romanise(best), True


def _extends(text: str, label: str) -> bool:
    """A written Latin name holds every word of a one-word label and more (the label names a part of it)."""
    words, label_words = text.casefold().split(), label.casefold().split()
    return len(label_words) == 1 and len(words) > 1 and label_words[0] in words


def _place(text: str) -> Place | None:
    """The CLDR place a name denotes, if any (multi-word names such as Arabic al-wilayat al-muttahida, the
    United States, included, also after a clitic prefix: wa-l-wilayat, "and the United States")."""
    words = tuple(normalise(text).split())
    if not words:
        return None
    found = (
        gazetteer().places.get(words) or (place_of(words[0]) if len(words) == 1 else None) or short_named_country(text)
    )
    if found is None and len(words) > 1:
        stems = (tuple(normalise(stem).split()) for _, stem in strip_candidates(text)[1:])
        found = next((gazetteer().places[s] for s in stems if s in gazetteer().places), None)
    return found
