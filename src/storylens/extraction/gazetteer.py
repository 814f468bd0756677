"""Word lists the extractor relies on: CLDR place names (via babel) and the cue words of the language
profiles (``name_cues`` in ``lang/<code>/profile.json``).

Places: every CLDR territory name and time-zone exemplar city in he/ar/en, keyed by its CLDR id, which
also links the same place across scripts (Moscow in Arabic, Hebrew and Latin script share ``Europe/Moscow``).
Calendar words: CLDR day and month names; day names alone end a Latin name after a title (months also name people).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from babel import Locale

from storylens.extraction.records import EntityType
from storylens.lang import normalise, prefix_splits, script_of, tokenize
from storylens.lang.profile import LanguageProfile, all_profiles, get_profile, word_table

LANGS = ("he", "ar", "en")
WORLD = "001"  # the CLDR region "World" is not a place name; other numeric regions (150 Europe) are
ORGANISATION_CODES = frozenset({"EU", "UN", "EZ"})  # CLDR "territories" that are organisations


@dataclass(frozen=True)
class Place:
    id: str  # CLDR territory code or time-zone id
    name: str  # English display name
    kind: EntityType = "place"


@dataclass(frozen=True)
class Gazetteer:
    places: dict[tuple[str, ...], Place]  # normalised token tuple -> place
    place_heads: frozenset[str]  # first token of every place name, for quick rejection
    max_place_words: int


@dataclass(frozen=True)
class CueWords:
    titles: frozenset[str]
    title_modifiers: frozenset[str]
    reporting_verbs: frozenset[str]
    pronouns: frozenset[str]
    person_nouns: frozenset[str]
    # "but", Arabic lakin, mudifan "adding": after a comma, a new clause starts (reported speech ends)
    clause_openers: frozenset[str]
    place_nouns: frozenset[str]  # "region", Arabic mintaqa, Hebrew ezor: the name next to one is a place
    # Arabic matar "airport", Hebrew rehov "street": a Hebrew/Arabic place noun that is part of the name after it
    facility_nouns: frozenset[str]
    # "ministry", "agency" (Arabic wakala, Hebrew sokhnut): head or introduce an organisation's name
    organisation_nouns: frozenset[str]
    # "Radio": a Latin-script name opening with one (or with an organisation noun: "Bank of X") is an organisation
    organisation_openers: frozenset[str]
    denomination_adjectives: frozenset[str]  # Catholic, Orthodox: a church named by them is the institution
    denomination_nouns: frozenset[str]  # church
    # "supreme", Arabic al-'ulya, Hebrew ha-elyon: an adjective that closes an organisation's name as a relation
    # adjective does ("the Supreme Court")
    organisation_adjectives: frozenset[str]
    measure_nouns: frozenset[str]  # "degrees", "scale", Arabic daraja: next to the name of a unit or scale (Celsius)
    place_openers: frozenset[str]  # "Kiryat", "Mount", "Lake": a Latin-script name opening with one is a place
    place_modifiers: frozenset[str]  # "Southern", "East": a capitalised word before a place name, not a name of its own
    # "Cup", "League", Arabic ka's: head or open a sports competition's name (no entity)
    competition_nouns: frozenset[str]
    # "model", "helicopter", Arabic ta'ira "plane", Hebrew degem "model": a name right after one is a product or a
    # vehicle's maker (a Black Hawk helicopter, a Bombardier plane), no person
    product_nouns: frozenset[str]
    comparison_clitics: frozenset[str]  # Arabic ka-, Hebrew ke- "like": read before a place name no more
    list_nouns: dict[str, EntityType]  # "companies", "players": type the names listed after them ("such as X, Y")
    list_openers: frozenset[tuple[str, ...]]  # "such as", "including": open such a list
    articles: frozenset[str]  # free-standing definite articles ("the"): a "person" after one is none
    name_connectors: frozenset[str]  # "of", "for": join a head noun to the rest of a name ("Gulf of Mexico")
    conjunctions: frozenset[str]  # free-standing "and": joins listed names
    source_openers: frozenset[str]  # "according" (to X): X is a source that speaks
    infinitive_markers: frozenset[str]  # "to" (tell): X before "to" + a reporting verb speaks
    ordinals: frozenset[str]  # "second", Arabic al-rabi' "the fourth": no name alone; after a name, a regnal number
    team_nouns: frozenset[str]  # "side", "striker", "winners": a sentence holding one speaks of sports teams
    locative_prepositions: frozenset[str]  # "in", "at", "from": a place after one is the place itself
    role_nouns: frozenset[str]  # "analyst", "professor": a job; "analyst at X" names X's employer
    employer_prepositions: frozenset[str]  # "at" between a job and its employer


def _key(name: str) -> tuple[str, ...]:
    return tuple(t.norm for t in tokenize(name) if t.is_word or t.text in "'\"-")


@cache
def gazetteer() -> Gazetteer:
    places: dict[tuple[str, ...], Place] = {}
    english = Locale.parse("en")
    for code, name in english.territories.items():
        if code == WORLD:
            continue
        place = Place(code, name, "organisation" if code in ORGANISATION_CODES else "place")
        for lang in LANGS:
            localised = Locale.parse(lang).territories.get(code)
            if localised:
                places.setdefault(_key(localised), place)
    zones = set(Locale.parse("he").time_zones) | set(english.time_zones)
    for zone in sorted(zones):
        if "/" not in zone or zone.startswith("Etc/"):
            continue
        city = english.time_zones.get(zone, {}).get("city") or zone.rsplit("/", 1)[1].replace("_", " ")
        place = Place(zone, city)
        places.setdefault(_key(city), place)
        for lang in ("he", "ar"):
            localised = Locale.parse(lang).time_zones.get(zone, {}).get("city")
            if localised:
                places.setdefault(_key(localised), place)
    places.pop((), None)
    return Gazetteer(places, frozenset(k[0] for k in places), max(len(k) for k in places))


@cache
def country_short_names() -> tuple[dict[str, Place], dict[tuple[str, ...], Place]]:
    """Short and abbreviated country names of the language profiles (``name_cues.country_short_names``: "US",
    "Britain", Hebrew Arhab, Arabic Britaniya -> the CLDR territory CLDR lists under a longer name): the Latin-script
    ones as written, the others by normalised word tuple. They link a mention already found to its country (see
    ``short_named_country``) and propose none ("us" is also a pronoun)."""
    english = Locale.parse("en").territories
    exact: dict[str, Place] = {}
    folded: dict[tuple[str, ...], Place] = {}
    for surface, code in word_table("name_cues", "country_short_names"):
        place = Place(code, english[code])
        if script_of(surface) == "latin":
            exact[surface] = place
        else:
            folded[_key(surface)] = place
    return exact, folded


def short_named_country(text: str) -> Place | None:
    """The country a short or abbreviated name denotes: a Latin-script one only as listed, capitals included ("US",
    not "Us"), a Hebrew or Arabic one also after clitic prefixes ("in the US")."""
    exact, folded = country_short_names()
    if script_of(text) == "latin":
        return exact.get(text.strip())
    return folded.get(_key(text)) or next(
        (folded[key] for key in (_key(stem) for stem in place_stems(normalise(text))) if key in folded), None
    )


REGION_IDS = "geonames-adm1:"  # first-level regions of the name lexicon (states, provinces, governorates)
MIN_REGION_LETTERS = 4  # a one-word region name this short is a common word too often (Arabic "wan", Somali "Bay")


@cache
def regions() -> dict[tuple[str, ...], Place]:
    """First-level regions of the name lexicon (GeoNames: Texas, Andhra Pradesh, Arabic Tiksas), by normalised word
    tuple, for proposing places CLDR lacks. A name is kept only when it is a proper name written alike across
    scripts: its transliteration score with a name of the same region in another script reaches the calibrated
    threshold (``lexicon.score``). Translated names, which are ordinary words (Northern, Arabic al-shamaliyya,
    Hebrew merkaz), do not reach it, and one-word names under four letters are left out. CLDR names are left to
    ``gazetteer``."""
    from storylens.lexicon.names import name_lexicon
    from storylens.lexicon.score import name_score, score_threshold

    threshold = score_threshold()
    found: dict[tuple[str, ...], Place] = {}
    for entry in name_lexicon().entries(REGION_IDS):
        by_script = [(script_of(name), name) for names in entry.names.values() for name in names]
        for script, name in by_script:
            others = [other for s, other in by_script if s != script]
            key = _key(name)
            if len(key) == 1 and len(key[0]) < MIN_REGION_LETTERS:
                continue
            if others and max(name_score(name, other) for other in others) >= threshold:
                found.setdefault(key, Place(entry.id, entry.label))
    places = gazetteer().places
    return {key: place for key, place in found.items() if key and key not in places}


@cache
def day_words() -> frozenset[str]:
    """Normalised CLDR weekday names in he/ar/en ("Thursday", Arabic al-khamis, Hebrew hamishi): no word of a
    person's name, unlike some month names (Theresa May)."""
    return _cldr_calendar_names("days")


@cache
def calendar_words() -> frozenset[str]:
    """Normalised CLDR day and month names in he/ar/en ("Thursday", Arabic maris "March", Hebrew yanuar): never part
    of a name."""
    return day_words() | _cldr_calendar_names("months")


def _cldr_calendar_names(table: str) -> frozenset[str]:
    words: set[str] = set()
    for lang in LANGS:
        for context in getattr(Locale.parse(lang), table).values():
            for names in context.values():
                words.update(t.norm for name in names.values() for t in tokenize(name) if t.is_word)
    return frozenset(words)


def _profile_of_script(script: str) -> LanguageProfile:
    return get_profile("en" if script == "latin" else script)


def demonym_suffixes(script: str) -> tuple[str, ...]:
    """Adjective and plural endings of nationality words, longest first (profile ``grammar.demonym_suffixes``)."""
    return tuple(_profile_of_script(script).grammar.get("demonym_suffixes", ()))


MIN_DEMONYM_ROOT = 4  # letters of a place name a nationality word must keep (3 before a suffix of 3 or more)


@cache
def _place_prefixes() -> frozenset[str]:
    """One-word place names and those names less their last one or two letters (cypr- of Cyprus)."""
    names = [key[0] for key in gazetteer().places if len(key) == 1]
    return frozenset(name[: len(name) - cut] for name in names for cut in range(3) if len(name) - cut >= 3)


def demonym_of_place(norm: str) -> bool:
    """A nationality word of a gazetteer place ("Cypriot", "Israeli", "Peruvians", Arabic qubrusi, birufi, Hebrew
    israeli): a place name, less up to two final letters, then a demonym ending. Place names themselves are not."""
    if (norm,) in gazetteer().places:
        return False
    script = script_of(norm)
    article = _profile_of_script(script).article
    word = norm[len(article) :] if article and norm.startswith(article) else norm
    prefixes = _place_prefixes()
    for suffix in demonym_suffixes(script):
        root = word[: -len(suffix)]
        if not word.endswith(suffix) or len(root) < MIN_DEMONYM_ROOT - (len(suffix) >= 3 or script == "ar"):
            continue
        if root in prefixes or (root[:-1],) in gazetteer().places:  # Arabic biruf-i: Peru + a glide
            return True
    return False


def place_stems(norm: str) -> list[str]:
    """Stems of a normalised word after clitic prefixes that can stand before a place name: not after the
    Hebrew article (a place name takes none, so Hebrew heferu "they violated" is no ha- + Peru), nor after the rare
    comparison clitic "like" (cue words: Arabic klaus is Klaus, no ka- + Laos)."""
    comparison = cue_words().comparison_clitics
    articles = tuple(p.hidden_article["article"] for p in all_profiles() if p.hidden_article)
    return [stem for prefix, stem in prefix_splits(norm) if not prefix.endswith((*articles, *comparison))]


def place_of(norm: str) -> Place | None:
    """The place a single normalised word names, trying it bare and without clitic prefixes."""
    places = gazetteer().places
    found = places.get((norm,))
    if found is None:
        found = next((places[(stem,)] for stem in place_stems(norm) if (stem,) in places), None)
    return found


@cache
def cue_words() -> CueWords:
    """The ``name_cues`` of every language profile, normalised and merged."""

    def merged(key: str) -> frozenset[str]:
        return frozenset(normalise(word) for word in word_table("name_cues", key))

    # a word listed under two kinds takes the last in name order (organisation, person, place)
    list_nouns = sorted((kind, word) for kind, words in word_table("name_cues", "list_nouns") for word in words)
    return CueWords(
        titles=merged("titles"),
        title_modifiers=merged("title_modifiers"),
        reporting_verbs=merged("reporting_verbs"),
        pronouns=merged("pronouns"),
        person_nouns=merged("person_nouns_after_verb"),
        clause_openers=merged("clause_openers"),
        place_nouns=merged("place_nouns"),
        facility_nouns=merged("facility_nouns"),
        organisation_nouns=merged("organisation_nouns"),
        organisation_openers=merged("organisation_openers"),
        denomination_adjectives=merged("denomination_adjectives"),
        denomination_nouns=merged("denomination_nouns"),
        organisation_adjectives=merged("organisation_adjectives"),
        measure_nouns=merged("measure_nouns"),
        place_openers=merged("place_openers"),
        place_modifiers=merged("place_modifiers"),
        competition_nouns=merged("competition_nouns"),
        product_nouns=merged("product_nouns"),
        comparison_clitics=merged("comparison_clitics"),
        list_nouns={normalise(word): kind for kind, word in list_nouns},
        list_openers=frozenset(tuple(normalise(opener).split()) for opener in merged("list_openers")),
        articles=merged("articles"),
        name_connectors=merged("name_connectors"),
        conjunctions=merged("conjunctions"),
        source_openers=merged("source_openers"),
        infinitive_markers=merged("infinitive_markers"),
        ordinals=merged("ordinals"),
        team_nouns=merged("team_nouns"),
        locative_prepositions=merged("locative_prepositions"),
        role_nouns=merged("role_nouns"),
        employer_prepositions=merged("employer_prepositions"),
    )


def is_cue(norm: str, words: frozenset[str]) -> bool:
    """``norm`` or one of its clitic-stripped stems is in ``words``."""
    return norm in words or any(stem in words for _, stem in prefix_splits(norm))


def after_title_flags(norms: list[str]) -> list[bool]:
    """For each token: does a title/role word stand within the three tokens before it?"""
    titles = cue_words().titles
    is_title = [is_cue(norm, titles) for norm in norms]
    return [any(is_title[max(0, i - 3) : i]) for i in range(len(norms))]


def known_type(norm: str) -> str | None:
    """Gazetteer type of a normalised word, for tagger features."""
    return "place" if (norm,) in gazetteer().places else None
