"""Vetoes: named rules that remove a proposed span, each saying what it removes and why.

A veto judges the proposals of the proposers it lists (``Veto.judges``): a title's name is already checked word by
word when proposed (``shapes.name_like``), a CLDR place is known, so most vetoes judge the tagger's guesses. Vetoes
marked ``after_choice`` judge the spans left after overlaps are resolved: the span they remove keeps its words
from any other proposal ("Champions League" removes "Champions" too).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from storylens.extraction.gazetteer import gazetteer, is_cue, place_of
from storylens.extraction.mentions import shapes
from storylens.extraction.mentions.numbered import ordinal_word
from storylens.extraction.mentions.text import ARTICLES, LATIN_TAGGER, Candidate, Text, tags_latin_runs
from storylens.extraction.tagger import name_tokens
from storylens.lang.words import HYPHENS

TAGGED_SINGLE_WORD_MAX_ZIPF = 4.8  # a lone tagged word more frequent than this is vocabulary
TAGGED_SINGLE_PERSON_MAX_ZIPF = 3.5  # ... and a lone Hebrew/Arabic word tagged as a person
SENTENCE_START_MAX_ZIPF = 3.5  # ... and a lone Latin word opening a sentence
PHRASE_WORD_ZIPF = 4  # a tagged Hebrew/Arabic phrase of words all this frequent is a description
QUOTE_MARKS = frozenset("\"«»“”„‘’'")
MIN_POSSESSED_STEM = 3  # letters of a noun before a possessive suffix (Abha, Banha: too short to read so)


@dataclass(frozen=True)
class Veto:
    name: str
    rule: Callable[[Text, Candidate], bool]  # True: remove the span
    judges: frozenset[str]  # proposers whose spans it judges
    after_choice: bool = False

    def removes(self, t: Text, c: Candidate) -> bool:
        return c.proposer in self.judges and self.rule(t, c)


def headline_capitals(t: Text, c: Candidate) -> bool:
    """A span opening on a title-case headline line ("Leaders Gather Ahead Of Summit"): capitals show nothing."""
    return c.first in t.title_case_tokens


def compound_tail(t: Text, c: Candidate) -> bool:
    """The second part of a hyphenated compound (Arabic al-yuro-atlasi, Euro-Atlantic), or a word after an underscore
    joining it to a word (Arabic "Petropavlovsk _ Kamchatsky"): prose writes no underscore as a dash."""
    start = t.tokens[c.first].start
    joined = t.text[:start].rstrip(" ")
    return start > 1 and (
        (t.text[start - 1] in HYPHENS and t.text[start - 2].isalpha())
        or (joined.endswith("_") and joined[:-1].rstrip(" ")[-1:].isalpha())
    )


def common_word(t: Text, c: Candidate) -> bool:
    """A span holding an ordinary word of the language (Zipf >= 5) or an inflected form of one (Arabic sa-yajtami'
    "will meet", wafduna "our delegation"): names are rare words. In Latin script, capitals are evidence of their
    own: a span of two or more capitalised words inside a sentence ("Supreme Court", "Middle East") and an acronym
    ("US") stay; their words are common as vocabulary, not as names."""
    if t.latin(c.first) and _capitalised_name(t, c):
        return False
    return any(t.common(n) or shapes.inflected(t, n) for n in t.norms[c.first : c.last + 1])


def _capitalised_name(t: Text, c: Candidate) -> bool:
    """Latin-script words that capitals show to be a name: an acronym, or two or more words each capitalised, a
    connector ("of", "for") or a possessive ending ("St Peter's Basilica"), not opening the sentence."""
    if c.first == c.last:
        return t.capitals(c.first)
    words = range(c.first, c.last + 1)
    return not t.sentence_initial(c.first) and all(
        t.tokens[k].text[:1].isupper() or t.norms[k] in t.cues.name_connectors or shapes.possessive_ending(t, k)
        for k in words
    )


def nationality_word(t: Text, c: Candidate) -> bool:
    """A nationality word or a people ("Cypriot", "Russians", Arabic birufi), not an entity."""
    return shapes.demonym(t, c.first, c.last)


def unit_name(t: Text, c: Candidate) -> bool:
    """A unit or scale next to a measure noun ("21 degrees Celsius", Arabic "miqyas Richter"): no entity."""
    return any(0 <= n < len(t) and is_cue(t.norms[n], t.cues.measure_nouns) for n in (c.first - 1, c.first + 1))


def product_name(t: Text, c: Candidate) -> bool:
    """A "person" right after a product or vehicle noun, a quote mark or bracket between allowed ("a Black Hawk
    helicopter" in Arabic word order, "model (Black Hawk)", Hebrew "degem X"): a product or its maker, no person."""
    k = c.first - 1
    while k >= 0 and t.tokens[k].text in QUOTE_MARKS | {"("}:
        k -= 1
    return c.type == "person" and k >= 0 and is_cue(t.norms[k], t.cues.product_nouns)


def tail_of_longer_name(t: Text, c: Candidate) -> bool:
    """A Latin-script span right after another capitalised name word is the tail of a longer name ("Aurora Sky",
    "Real Madrid"); a place modifier ("Southern California") or a compound modifier ("Taliban-run") before it does not
    count. A one-word place of the
    place list is judged alone; a longer one is a name of its own."""
    if not t.latin(c.first) or (c.proposer == "places" and c.first != c.last):
        return False
    before = c.first - 1
    return t.name_word(before) and not (is_cue(t.norms[before], t.cues.place_modifiers) or t.modifier_compound(before))


def place_opening_longer_name(t: Text, c: Candidate) -> bool:
    """A Latin-script place right before another capitalised name word opens a longer name ("Halden Times"), unless
    that word is a place word ("Gaza Strip") or on a headline."""
    last = c.last
    if not t.latin(last) or last in t.title_case_tokens or not t.name_word(last + 1):
        return False
    norm = t.norms[last + 1]
    cues = t.cues
    return not (
        is_cue(norm, cues.place_nouns)
        or norm in cues.place_openers
        or norm in cues.place_modifiers
        or norm in gazetteer().place_heads
    )


def lone_capitalised_person(t: Text, c: Candidate) -> bool:
    """A single capitalised word tagged as a person that the text never writes next to another name word: more
    often a club, company or town ("the cup went to Dorvanne") than a person named by one word."""
    if c.type != "person" or c.first != c.last or not t.latin(c.first):
        return False
    norm = t.norms[c.first]
    return not any(t.name_word(k - 1) or t.name_word(k + 1) for k, other in enumerate(t.norms) if other == norm)


def model_designation(t: Text, c: Candidate) -> bool:
    """A word joined to a number, by a hyphen or directly: a model designation or a flight code ("X-60", "AI171"),
    not a name."""
    end = t.tokens[c.last].end
    after = t.text[end : end + 2]
    return after[:1].isdigit() or (after[:1] in HYPHENS and after[1:].isdigit())


def unknown_foreign_person(t: Text, c: Candidate) -> bool:
    """A person tagged in a Latin-script run of a Hebrew/Arabic text (tagged by the English model out of context)
    with no word that the lexicon knows as a person's name: a Latin phrase or a title ("Habemus Papam"), not a
    person. "Justin Sullivan" of a photo credit has two."""
    if c.type != "person" or not t.latin(c.first) or not tags_latin_runs(t.lang):
        return False
    person_words = name_tokens(LATIN_TAGGER)
    return not any("per" in person_words.get(t.norms[k], "").split("+") for k in range(c.first, c.last + 1))


def scrap(t: Text, c: Candidate) -> bool:
    """A lone Latin word of at most two letters that is no acronym ("Ca"), or an all-capitals acronym of
    consecutive lowercase words of the text ("AI" beside "artificial intelligence"): no names."""
    if c.first != c.last:
        return False
    text = t.tokens[c.first].text
    if text.isascii() and len(text) <= 2 and not t.capitals(c.first):
        return True
    return t.capitals(c.first) and text.lower() in t.lowercase_initials


def indefinite_noun(t: Text, c: Candidate) -> bool:
    """A word with tanween (nadin "a club"): an indefinite Arabic noun, never a name."""
    return any(shapes.TANWEEN.search(t.tokens[k].text) for k in range(c.first, c.last + 1))


def description(t: Text, c: Candidate) -> bool:
    """A Hebrew/Arabic phrase of vocabulary: words all frequent (Arabic "mina' rusi", a Russian port), all common
    nouns (take the article and a plural or possessive), or adjectives after an indefinite noun (Arabic "wad' karithi
    mukhzi", a disastrous, shameful state)."""
    if t.latin(c.first):
        return False
    norms = t.norms[c.first : c.last + 1]
    if len(norms) > 1 and all(t.frequency(n) >= PHRASE_WORD_ZIPF for n in norms):
        return True
    if all(shapes.dictionary_noun(t, n) for n in norms):
        return True
    if t.lang != "ar" or c.first == c.last or c.first == 0:
        return False
    noun = t.norms[c.first - 1]
    if shapes.definite(noun) or t.frequency(noun) < PHRASE_WORD_ZIPF:
        return False
    return all(shapes.adjective(t, n) for n in norms)


def plural_people(t: Text, c: Candidate) -> bool:
    """An Arabic "person" whose words are all sound plurals of common words ("mas'ulin akharin", other officials):
    a group of people, no name."""
    return c.type == "person" and all(shapes.plural_noun(t, k) for k in range(c.first, c.last + 1))


def possessed_noun(t: Text, c: Candidate) -> bool:
    """One Arabic word made of a dictionary noun and a possessive suffix of two or more letters (sawahiluha "its
    coasts"; ``shapes.dictionary_noun``), the noun more frequent than the whole: vocabulary, not a name."""
    if c.first != c.last or t.lang != "ar" or t.latin(c.first):
        return False
    norm = t.norms[c.first]
    return any(
        norm.endswith(suffix)
        and len(stem := norm[: -len(suffix)]) >= MIN_POSSESSED_STEM
        and t.frequency(stem) > t.frequency(norm)
        and shapes.dictionary_noun(t, stem)
        for suffix in shapes.ARABIC_NOUN_SUFFIXES
        if len(suffix) > 1
    )


def frequent_single_word(t: Text, c: Candidate) -> bool:
    """One tagged word that is too frequent to be a name on its own (above 4.8 Zipf; 3.5 for a Hebrew/Arabic person,
    3.5 for a Latin word opening a sentence: "Simpler life"), or a cue noun (a title, "ministry", "region"). An
    acronym inside a sentence is judged by its capitals ("US" is no "us")."""
    if c.first != c.last or (t.capitals(c.first) and not t.sentence_initial(c.first)):
        return False  # an acronym inside a sentence ("US")
    norm = t.norms[c.first]
    single_max = TAGGED_SINGLE_WORD_MAX_ZIPF
    if not t.latin(c.first) and c.type == "person":
        single_max = TAGGED_SINGLE_PERSON_MAX_ZIPF
    if t.frequency(norm) >= single_max or shapes.cue_noun(t, norm):
        return True
    return t.sentence_initial(c.first) and t.frequency(norm) >= SENTENCE_START_MAX_ZIPF


def listed_common_word(t: Text, c: Candidate) -> bool:
    """A one-word Hebrew/Arabic name of the organisation list that is also a common word (Arabic hamas also means
    "zeal"), or "and" + a common word (Arabic wa-illa "otherwise", written as the news site Walla): the list alone
    does not tell them apart. A dictionary noun of the language (``shapes.dictionary_noun``: Hebrew teva "nature",
    the company Teva) written bare, with no article or clitic prefix, needs a second piece of evidence: the tagger's
    span over it or an organisation noun before it ("the company Teva"). A name the list writes definite (Hebrew
    ha-Mossad, "the institution") is the institution of that name, and a prefix may hide the article (Hebrew
    ba-Kongres, "in the Congress"). A word of Zipf >= 5 is vocabulary whatever the tagger says."""
    if c.first != c.last or t.latin(c.first):
        return False
    stem = t.stem(c.first)
    if t.common(stem) or (stem[:1] in shapes.CONJUNCTION_CLITICS and t.common(stem[1:])):
        return True
    before = t.norms[c.first - 1] if c.first > 0 else ""
    return (
        stem == t.norms[c.first]
        and not stem.startswith(ARTICLES)
        and shapes.dictionary_noun(t, t.norms[c.first])
        and c.first not in t.tagged_tokens
        and not is_cue(before, t.cues.organisation_nouns)
    )


def competition(t: Text, c: Candidate) -> bool:
    """A sports competition's name, no entity: headed by a competition noun (English: its last word, "Champions
    League"; Hebrew/Arabic: its first, Arabic "ka's al-alam"), or a Hebrew/Arabic name one or two words after one
    (Arabic "ka's Italia", the Italian Cup)."""
    nouns = t.cues.competition_nouns
    if t.latin(c.first):
        return is_cue(t.norms[c.last], nouns)
    opener = next((k for k in (c.first - 1, c.first - 2) if k >= 0 and is_cue(t.norms[k], nouns)), None)
    return is_cue(t.norms[c.first], nouns) or (
        opener is not None and all(t.tokens[k].is_word for k in range(opener, c.first))
    )


def cut_off(t: Text, c: Candidate) -> bool:
    """The last word of a truncated text: nothing follows it, and a quote mark opens right before it (Arabic: the
    management of the airport "Ronal) or it begins a longer word of the text ("Ca" beside "California")."""
    k = c.last
    if k != len(t) - 1 or t.text[t.tokens[k].end :].strip():
        return False
    norm = t.norms[k]
    return (k > 0 and t.tokens[k - 1].text in QUOTE_MARKS) or any(
        len(word) > len(norm) and word.startswith(norm) for word in t.bare_words
    )


TAGGED = frozenset({"tagger"})
ALL = frozenset(
    {"tagger", "titles", "regnal", "people", "places", "organisations", "context", "credits", "datelines", "document"}
)
VETOES: tuple[Veto, ...] = (
    Veto("headline capitals", headline_capitals, TAGGED),
    Veto("compound tail", compound_tail, TAGGED),
    Veto("common word", common_word, TAGGED),
    Veto("nationality word", nationality_word, TAGGED),
    Veto("unit name", unit_name, TAGGED),
    Veto("product name", product_name, TAGGED),
    Veto("tail of a longer name", tail_of_longer_name, frozenset({"tagger", "places"})),
    Veto("place opening a longer name", place_opening_longer_name, frozenset({"places"})),
    Veto("lone capitalised person", lone_capitalised_person, TAGGED),
    Veto("model designation", model_designation, TAGGED),
    Veto("unknown foreign person", unknown_foreign_person, TAGGED),
    Veto("scrap", scrap, TAGGED),
    Veto("indefinite noun", indefinite_noun, TAGGED),
    Veto("description", description, TAGGED),
    Veto("frequent single word", frequent_single_word, TAGGED),
    Veto("ordinal word", ordinal_word, ALL - {"regnal"}),
    Veto("plural people", plural_people, ALL),
    Veto("possessed noun", possessed_noun, frozenset({"tagger", "context"})),
    Veto("listed common word", listed_common_word, frozenset({"organisations"})),
    Veto(
        "competition",
        competition,
        ALL,
        True,
    ),
    Veto("cut-off word", cut_off, ALL, True),
)


def vetoed(t: Text, c: Candidate, after_choice: bool) -> str | None:
    """The name of the first veto of that stage removing ``c``, or None."""
    return next((v.name for v in VETOES if v.after_choice == after_choice and v.removes(t, c)), None)


def club_tails(t: Text, candidates: list[Candidate]) -> list[Candidate]:
    """A Hebrew/Arabic "person" right after a place name (no punctuation between) continues a longer name: a club
    such as Arabic "Baris San Jirman" (Paris Saint-Germain) is no person, there, anywhere else in the text, or in a
    person span overlapping it. Not after a title's place (Hebrew "Russia's president Vladimir Putin"). The place
    and its tail together are an organisation named after the place, which replaces the place there."""
    tails = [
        c
        for c in candidates
        if c.type == "person"
        and c.source != "cue"
        and c.first > 0
        and not t.latin(c.first)
        and t.tokens[c.first - 1].is_word
        and place_of(t.norms[c.first - 1]) is not None
        and not any(t.title_at(k) for k in range(max(0, c.first - 4), c.first - 1))
    ]
    words = {t.words(c) for c in tails}
    tokens = {k for c in tails for k in range(c.first, c.last + 1)}
    named = {c.first - 1: Candidate(c.first - 1, c.last, "organisation", "context", proposer="context") for c in tails}
    kept = [
        c
        for c in candidates
        if not (c.type == "person" and (t.words(c) in words or tokens.intersection(range(c.first, c.last + 1))))
        and not (c.type == "place" and c.first == c.last and c.first in named)
    ]
    return kept + list(named.values())
