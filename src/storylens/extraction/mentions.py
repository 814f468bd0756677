"""Mentions of people, organisations and places in he/ar/en text, with offsets into the original text.

Examples are transliterated (Arabic "al-" is the article, Hebrew "ha-"; "wa-"/"ve-" is "and").
Evidence, strongest first: a name right after a title or role (Arabic "al-ra'is al-rusi Fladimir Butin", Hebrew
"sar ha-huts ha-rusi Sergey Lavrov", "President X"), CLDR place names, the shipped per-language tagger,
names already found in the same text (a surname alone, with or without a clitic prefix), and context
cues: a place noun (Arabic "mintaqat Dunbas", "the Donbas region"), an organisation noun (Arabic "wakalat
«France Presse»"), or a rare definite word speaking (Hebrew "masar ha-Kremlin", "the Kremlin said").
Name shape checks drop dictionary words: common words, inflected forms of common words (Arabic sa-yajtami' "will
meet", wafduna "our delegation", Hebrew be-shitkhan "in their territory"), Hebrew/Arabic common nouns (words that
take the article and a plural or possessive in general usage: Hebrew namal "port", Arabic qubtan "captain"),
nationality words ("Cypriot", "Russians", Arabic birufi "Peruvian"), units next to a measure noun ("degrees
Celsius"), the tail of a longer capitalised name ("Aurora Sky" -> "Sky", a club "Real Ostrava" -> "Ostrava",
but not after a place modifier such as "East"), a definite common noun right after a title (Arabic "qa'id
al-ta'ira", the plane's captain), a lone Latin-script word tagged as a person that the text never writes next to
another name word (a club or company: "the cup went to Dorvanne"), a Latin place right before another capitalised
name word ("Halden Times"), sports competitions (a name headed by Cup / League / Arabic ka's, or a place right
after one: Arabic "ka's Faransa", the French Cup), model designations ("X-60"), two-letter Latin scraps ("Ca"),
Arabic adjectives after a common noun ("wad' karithi mukhzi", a disastrous, shameful state), and tagger spans on
title-case headline lines. A tagged Hebrew/Arabic span is cut where "and" + a rare name word starts a further name
(Arabic "Miluni wa-Shultz"). The comparison clitic ka-/ke- "like" is not split off a place name. A clitic prefix
is not read into a word more frequent than its stem (Hebrew medubar "it is about" is no me- + dover "spokesman"),
nor the Hebrew article into a place name (Hebrew heferu "they violated" is no ha- + Peru).
Types: gazetteer places are places; a name next to a place noun is a place; a name headed or introduced
by an organisation noun ("Kestrel Lines", "the Joint Rescue Coordination Centre", "Central Bank of X"), or a
non-gazetteer "place" that speaks ("the Kremlin said"), is an organisation; a Latin-script name opening with a
place word ("Kiryat Shmona", "Mount Hermon") is a place; capitalised words after a title and "the", or a tagged
"person" after "the", are no person. The type the context gives a name at one occurrence holds at all its
occurrences in the text. Capitalised names listed after a list noun and "such as" / "including" take its type
("companies such as X, Y and Z" are organisations, "stars such as ..." people), and every name listed after
"<place noun> of" is a place ("the districts of X, Y and Z"). An all-capitals acronym that speaks is an
organisation ("KLM said"); a Latin-script tagged name ends at a lowercase word ("Valtoria Chapel chimney"); a
Latin-script name opening or ending with a one-word CLDR place, itself no place, is an organisation ("Bayern
Munich"); a Hebrew/Arabic "person" right after a place (no title before it) is a club's tail (Arabic "Baris San
Jirman", Paris Saint-Germain) and no person anywhere in the text; an Arabic organisation noun before a definite
common noun (Arabic "mawqi' al-tahattum", the crash site) names nothing; a third name word after a title stays
when the text writes it alone (Arabic "Rubirt Fransis Brifust ... Brifust").
A name after a title or a place noun ends where "and" + a further name starts (Arabic "Witkuf wa-Kushnir"), at a
weekday ("Xi Jinping Thursday") or at an Arabic imperfect verb (yu'azzi "consoles": its ta- and -un forms are in
use); a definite nisba word after a title is a modifier only as an adjective or nationality (al-rusi "the
Russian", not al-Sisi); Arabic adjectives are no place names (Arabic "manatiq sahiliyya", coastal areas) nor
their end (Arabic "Mandalay al-tarikhi", historic Mandalay); a Latin name opening or ending with a place the
tagger finds alone in the text is an organisation ("Bayern Munich"), and that place + -an a nationality word
("Hawaiian"); an acronym of lowercase words of the text ("AI": artificial intelligence), the cut-off last word of
a truncated text and a word after an underscore ("X _ Y") are no names.
Clitic prefixes are left out of a mention only when the stripped form is known (a place, a name found
in the text) or is a rarer-than-common word more frequent than the whole form, so that Hebrew "lavrov" stays
Lavrov (not le- + "rov").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, replace
from functools import cached_property

from storylens.extraction.gazetteer import (
    after_title_flags,
    calendar_words,
    cue_words,
    day_words,
    demonym_of_place,
    gazetteer,
    is_cue,
    known_type,
    place_of,
    place_stems,
)
from storylens.extraction.records import EntityType, Mention
from storylens.extraction.tagger import frequency, model_for, spans_from_tags, token_features
from storylens.lang import (
    Token,
    inflection_stems,
    normalise,
    plain,
    prefix_splits,
    script_of,
    sentence_spans,
    surface_length,
    tokenize,
)
from storylens.lang.profile import get_profile, word_table
from storylens.lang.words import HYPHENS

COMMON_WORD_ZIPF = 5  # words at least this frequent are ordinary vocabulary, not names
RARE_NAME_ZIPF = 3  # a word joined by a conjunction is taken as a further name only when this rare
TAGGED_SINGLE_WORD_MAX_ZIPF = 4.8  # a lone tagged Latin-script word more frequent than this is vocabulary
SENTENCE_START_MAX_ZIPF = 3.5  # ... and a lone Latin word opening a sentence
TAGGED_SINGLE_PERSON_MAX_ZIPF = 3.5  # ... and a lone Hebrew/Arabic word tagged as a person
MODIFIER_NOUN_MAX_ZIPF = 4  # a definite Arabic noun between a title and a name is this rare (al-Kremlin)
TITLE_NAME_CHECK_ZIPF = 4  # a Hebrew/Arabic word after a title this frequent needs more evidence of a name
REPEATED_NAME_MAX_ZIPF = 3.5  # a prefixed-looking word this rare, repeated whole, is a name (Hebrew lavrov)
# a tagged Hebrew/Arabic phrase of words all this frequent is a description (Arabic "mina' rusi", a Russian port)
PHRASE_WORD_ZIPF = 4
INFLECTED_STEM_ZIPF = 3.9  # a word whose stem is this frequent ...
INFLECTED_GAP = 1.0  # ... and this much more frequent than the word itself is an inflected dictionary word
SPEAKER_STEM_MAX_ZIPF = 3  # a definite word this rare speaking after a reporting verb is an organisation
SPEAKER_NAME_MAX_ZIPF = 3.5  # a name speaking after a reporting verb has a word this rare
CONTEXT_NAME_MAX_ZIPF = 4  # a name shown only by a neighbouring place noun or reporting verb is rarer than this
DEMONYM_SINGULAR_ZIPF = 4  # "Russians": a plural whose singular is this common is a people, not a name
DEFINITE_NOUN_ZIPF = 3  # a Hebrew/Arabic word whose definite form is this frequent ...
INFLECTED_NOUN_ZIPF = 2  # ... and that has a plural or possessive form this frequent is a common noun
VERB_FORM_MIN_ZIPF = 1.5  # an Arabic word opening with ya- whose ta- and plural -un forms are this frequent ...
VERB_FORM_GAP = 1.0  # ... and at most this much rarer than the word itself is an imperfect verb (yatahaddar, yu'azzi)
# a clitic + noun form is in common use: at most this much rarer than the noun (Hebrew ba-namal "in the port",
# not lavrov read as lev + rov)
PREFIXED_FORM_GAP = 1.5
ACRONYM_MAX_LETTERS = 5
MAX_TITLE_CHAIN = 7
MAX_NAME_WORDS = 3
MAX_QUOTED_NAME_WORDS = 3
MAX_ORGANISATION_WORDS = 4
FUNCTION_WORD_ZIPF = 6  # prepositions and particles end an organisation name
SOURCE_RANK = {"cue": 0, "gazetteer": 1, "document": 2, "tagger": 3, "context": 4}
PROPAGATION_WEIGHT = {"tagger": 1, "context": 2}  # other sources weigh 3; a name spreads at a total above 1
QUOTE_MARKS = frozenset("\"«»“”„‘’'")
COMMAS = (",", "\u060c")  # the Latin and the Arabic comma
SENTENCE_MARKS = ".!?\u061f\n:"  # marks after which a word opens a sentence (\u061f: Arabic question mark)
# Grammar of the he/ar profiles (``grammar`` in lang/<code>/profile.json), as the rules below use it.
_HE = get_profile("he").grammar
_AR = get_profile("ar").grammar
POSSESSIVE_WORDS = frozenset(word_table("grammar", "possessive_words"))  # "of" and its Hebrew word
NAME_PARTICLES = frozenset(_AR["name_particles"])  # normalised: "servant of", "father of", "son of"
CONJUNCTION_CLITICS = frozenset(word_table("grammar", "conjunction_clitics"))  # "and" fused to the next word
HE_ARTICLE = _HE["article"]
HEBREW_NOUN_SUFFIXES = tuple(_HE["plural_suffixes"])  # plurals (ports, reports)
HEBREW_FEMININE_ENDINGS = tuple(_HE["feminine_endings"])  # a noun's free and construct feminine endings
AR_ARTICLE = _AR["article"]
AR_ARTICLE_AFTER_LAM = _AR["article_after_lam"]  # li- + al- written without the alif
ARABIC_NOUN_SUFFIXES = tuple(_AR["possessive_suffixes"])  # possessives (its captain, his plane)
TANWEEN = re.compile(f"[{_AR['tanween']}]")
AR_TA_MARBUTA, AR_OPEN_TA = _AR["ta_marbuta"], _AR["open_ta"]  # a feminine ending, and its form before a suffix
AR_IMPERFECT_PREFIX, AR_SECOND_PERSON_PREFIX = _AR["imperfect_prefix"], _AR["second_person_prefix"]
AR_PLURAL_SUFFIX = _AR["plural_suffix"]  # masculine plural of an imperfect verb
AR_FINAL_YA = tuple(_AR["final_ya"])  # a final ya, also written as alif maqsura
AR_ALIF_MAQSURA, AR_YA = _AR["alif_maqsura"], _AR["ya"]
AR_NISBA_PLURALS = tuple(_AR["nisba_plurals"])
AR_NISBA_FEMININE = _AR["nisba_feminine"]
AR_NISBA_ENDINGS = tuple(_AR["nisba_endings"])  # adjective of relation, also feminine (normalised) and plural
TITLE_CASE_WORD = re.compile(r"[A-Z][\w'’-]*")
ELISION = re.compile(r"^[ldLD]['’]")  # the French elided article or preposition before a name (l’Atlético)


@dataclass
class _Candidate:
    first: int
    last: int
    type: EntityType
    source: str
    clitic: int | None = None  # characters of clitic prefix to leave out of the head word; None: decide by text


class _Document:
    def __init__(self, text: str, lang: str) -> None:
        self.text = text
        self.lang = lang
        self.tokens = tokenize(text)
        self.norms = [t.norm for t in self.tokens]
        self.cues = cue_words()
        self.bare_words = set(self.norms)
        self.bare_counts = Counter(self.norms)
        self.spelling = self.spellings()
        self.tagged_people: set[int] = set()  # tokens the tagger put in a person span, filled by tagged()
        self.tagged_places: set[str] = set()  # one-word places of the tagger, never in its people, filled by tagged()

    def spellings(self) -> dict[str, str]:
        """Normalised words and their stems -> the dictionary spelling in this text (bishan -> bi-sha'n, with its
        hamza), because word frequencies are looked up by spelling while everything else works on normalised keys."""
        spelling: dict[str, str] = {}
        for token in self.tokens:
            written = plain(token.text)
            if token.norm in spelling or len(written) != len(token.norm) or not token.is_word:
                continue
            spelling[token.norm] = written
            for part in (*(stem for _, stem in prefix_splits(token.norm)), *inflection_stems(token.norm)):
                at = token.norm.find(part)
                spelling.setdefault(part, written[at : at + len(part)])
        return spelling

    def frequency(self, norm: str) -> float:
        """Zipf frequency of a normalised word (or stem) as spelled in this text."""
        return frequency(self.spelling.get(norm, norm), self.lang)

    def rarity(self, norm: str) -> int:
        return int(self.frequency(norm))

    def common(self, norm: str) -> bool:
        return self.frequency(norm) >= COMMON_WORD_ZIPF

    def is_modifier(self, norm: str) -> bool:
        """Words between a title and a name: cue modifiers and nationality adjectives (al-rusi, ha-rusi: the
        Russian)."""
        if is_cue(norm, self.cues.title_modifiers) or is_cue(norm, self.cues.titles):
            return True
        if self.frequency(norm) >= FUNCTION_WORD_ZIPF:  # alladhi "who" is no title's modifier
            return False
        if self.definite(norm):  # al-rusi, al-Kremlin yes; "qa'id al-ta'ira" (the plane's captain) ends the title
            if self.relational(norm):  # al-Sisi is a name: no feminine al-sisiyya in use
                return self.adjective(norm) or demonym_of_place(norm)
            return self.frequency(norm) < MODIFIER_NOUN_MAX_ZIPF
        return norm.startswith(HE_ARTICLE)

    def definite(self, norm: str) -> bool:
        """An Arabic word with the article, bare or after a clitic (al-rusi, li-l-Kremlin, wa-l-mab'uthin)."""
        return norm.startswith((AR_ARTICLE, AR_ARTICLE_AFTER_LAM)) or any(
            p.endswith(AR_ARTICLE) for p, _ in prefix_splits(norm)
        )

    def name_like(self, i: int, first: bool, place_ok: bool = False) -> bool:
        """Could token i be a word of a person's name? ``place_ok``: a first name that is also a place name
        (Arabic Jurjiya Miluni, Giorgia Meloni), allowed when a further name word follows."""
        if i >= len(self.tokens):
            return False
        token = self.tokens[i]
        norm = token.norm
        if not token.is_word or is_cue(norm, self.cues.reporting_verbs) or is_cue(norm, self.cues.titles):
            return False
        if TANWEEN.search(token.text):  # nadin "a club", mazidan "more": an indefinite Arabic noun, never a name
            return False
        if norm in NAME_PARTICLES:  # Abd al-Ati, Abu Mazen, bin Salman: the particle and the word after it
            return not first and i + 1 < len(self.tokens) and self.tokens[i + 1].is_word
        if i > 0 and self.norms[i - 1] in NAME_PARTICLES and not first:
            return not self.common(norm) or self.definite(norm)
        if token.text[0].isascii():  # "President Xi Jinping Thursday": a weekday ends the name
            return token.text[0].isupper() and not is_cue(norm, self.cues.title_modifiers) and norm not in day_words()
        if '"' in norm or (self.is_modifier(norm) and (first or not norm.startswith(HE_ARTICLE))):
            return False
        return not (
            self.common(norm)
            or self.cue_noun(norm)
            or (place_of(norm) is not None and not place_ok)
            # Arabic: Hakan Fidan (ha- is no Arabic prefix)
            or ((first or self.lang == "he") and self.prefixed_word(norm))
            or self.inflected(norm)
            or (first and self.definite(norm) and i not in self.tagged_people and self.dictionary_noun(norm))
        )

    def shown_name(self, names: list[int]) -> bool:
        """Hebrew/Arabic words after a title are a name when one of them is rare, tagged as a person, or
        recurs in the text (Arabic Donald Trump yes; mazidan "more" in "the American president ... more of" no)."""
        return any(
            self.tokens[k].text[0].isascii()
            or self.frequency(self.norms[k]) < TITLE_NAME_CHECK_ZIPF
            or k in self.tagged_people
            or self.bare_counts[self.norms[k]] > 1
            for k in names
        )

    def repeated_whole(self, norm: str) -> bool:
        """Repeated as a whole and none of its stems stands alone in the text: a name such as Hebrew lavrov or Arabic
        fidan."""
        return (
            self.bare_counts[norm] > 1
            and self.frequency(norm) < REPEATED_NAME_MAX_ZIPF
            and not any(self.bare_counts[s] for s in inflection_stems(norm))
        )

    def prefixed_word(self, norm: str) -> bool:
        """A clitic prefix on another word (bi-sha'n "about", Hebrew li-shluhav "to his envoys", wa-Jarid, ba-Kremlin),
        unless the text shows the whole is a name."""
        if self.repeated_whole(norm):
            return False
        if any(len(self.prefix_evidence.get(stem, ())) > 1 for _, stem in prefix_splits(norm)):
            return True  # the stem takes several prefixes in this text (Hebrew ba-Kremlin, ha-Kremlin)
        return any(
            self.rarity(stem) > self.rarity(norm) and not self.inner_common(stem) for _, stem in prefix_splits(norm)
        )

    def inflected(self, norm: str) -> bool:
        """An inflected or clitic-laden form of a common word (sa-yajtami' "will meet", wafduna "our delegation", Hebrew
        be-shitkhan), unless repeated whole."""
        whole = self.frequency(norm)
        return not self.repeated_whole(norm) and any(
            (f := self.frequency(stem)) >= INFLECTED_STEM_ZIPF and f - whole >= INFLECTED_GAP
            for stem in inflection_stems(norm)
        )

    def dictionary_noun(self, norm: str) -> bool:
        """A Hebrew/Arabic common noun or adjective: it takes the definite article and a plural or possessive suffix in
        general usage (Hebrew namal: ha-namal, namalim; Arabic qubtan: al-qubtan, qubtanuha), which names do not (Haifa,
        Butin). The article is looked through (al-ta'ira -> ta'ira); a clitic prefix only when the prefixed form is
        itself in common use."""
        if self.lang == "he":
            article, suffixes = HE_ARTICLE, HEBREW_NOUN_SUFFIXES
        elif self.lang == "ar":
            article, suffixes = AR_ARTICLE, ARABIC_NOUN_SUFFIXES
        else:
            return False
        whole = self.frequency(norm)
        stems = [stem for _, stem in prefix_splits(norm) if whole >= self.frequency(stem) - PREFIXED_FORM_GAP]
        for form in (norm, *stems):  # ba-namal -> namal, bi-l-tayaran -> tayaran
            word = self.spelling.get(form, form)
            if word.startswith(article) and len(word) - len(article) > 2:
                word = word[len(article) :]
            if frequency(article + word, self.lang) < DEFINITE_NOUN_ZIPF:
                continue
            if word.endswith(AR_TA_MARBUTA):
                bases = [word[:-1] + AR_OPEN_TA]  # ta'ira -> ta'iratuh (its plane)
            elif self.lang == "he" and word.endswith(HEBREW_FEMININE_ENDINGS):
                bases = [word, word[:-1]]  # mitkafa, mitkefet -> mitkafot (attacks)
            else:
                bases = [word]
            if any(frequency(b + suffix, self.lang) >= INFLECTED_NOUN_ZIPF for b in bases for suffix in suffixes):
                return True
        return False

    def inner_common(self, stem: str) -> bool:
        """The stem itself splits into a prefix and a common word (Hebrew be-rov = be- + rov), so it is no evidence."""
        return any(self.common(inner) for _, inner in prefix_splits(stem))

    @cached_property
    def occurrences(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for norm in self.norms:
            counts.update({norm, *(stem for _, stem in prefix_splits(norm))})
        return counts

    def title_at(self, i: int) -> bool:
        """Token i is a title or role, bare or after a clitic prefix; a word more frequent than its title stem
        is a word of its own (Hebrew medubar "it is about", not me- + dover "spokesman")."""
        norm = self.norms[i]
        return norm in self.cues.titles or any(
            stem in self.cues.titles and self.clitic_on(stem, norm) for _, stem in prefix_splits(norm)
        )

    def clitic_on(self, stem: str, norm: str) -> bool:
        """Is ``norm`` a clitic prefix on ``stem`` rather than a word of its own? Then it is rarer than the stem
        (or unknown to the word list)."""
        whole = self.frequency(norm)
        return whole == 0 or self.frequency(stem) > whole

    def after_titles(self) -> list[_Candidate]:
        found: list[_Candidate] = []
        i = 0
        while i < len(self.tokens):
            if not self.title_at(i):
                i += 1
                continue
            j = i + 1
            while j < len(self.tokens) and j - i <= MAX_TITLE_CHAIN and self.is_modifier(self.norms[j]):
                j += 1
            possessor = self.norms[j - 1] in POSSESSIVE_WORDS  # Hebrew "Trump's son-in-law, Jared Kushner"
            clitic: int | None = None
            while j < len(self.tokens):
                k = j + (clitic is not None)  # a coordinated name's first word keeps its conjunction
                while (
                    k < len(self.tokens)
                    and k - j < MAX_NAME_WORDS
                    and not (k > j and self.further_name(k))
                    and (self.name_like(k, first=k == j, place_ok=k == j and self.name_like(k + 1, first=False)))
                ):
                    k += 1
                names = self.trim_name(list(range(j, k)))
                if not names or not self.shown_name(names) or self.organisation_after_title(names):
                    break
                found.append(_Candidate(names[0], names[-1], "person", "cue", clitic))
                j = names[-1] + 1
                clitic = None
                if self.coordinated_name(j):
                    clitic = surface_length(self.tokens[j].text, 1)
                elif possessor and j < len(self.tokens) and self.tokens[j].text in COMMAS:
                    j += 1
                    possessor = False
                else:
                    break
            i = max(j, i + 1)
        return found

    def organisation_after_title(self, names: list[int]) -> bool:
        """English capitalised words after a title that name an organisation, not a person: after "the" or
        headed by an organisation noun ("a spokeswoman for the Joint Rescue Coordination Centre")."""
        if not self.tokens[names[0]].text[0].isascii():
            return False
        after = names[-1] + 1
        heads = [*names, after] if after < len(self.tokens) and self.tokens[after].text[0].isupper() else names
        return (names[0] > 0 and self.norms[names[0] - 1] == "the") or any(
            self.norms[k] in self.cues.organisation_nouns for k in heads
        )

    def coordinated_name(self, j: int) -> bool:
        """Does a name joined by a conjunction start at token j? (Arabic "Witkuf wa-Jarid Kushnir": both share the
        title)"""
        if j >= len(self.tokens) or self.norms[j][:1] not in CONJUNCTION_CLITICS:
            return False
        stem = self.norms[j][1:]
        rare_enough = self.rarity(stem) <= RARE_NAME_ZIPF or (  # a common first name needs a surname after it
            not self.common(stem) and self.name_like(j + 1, first=False)
        )
        return (
            self.rarity(self.norms[j]) < self.rarity(stem)
            and rare_enough
            and not self.is_modifier(stem)
            and not self.cue_noun(stem)
            and place_of(stem) is None
        )

    def trim_name(self, names: list[int]) -> list[int]:
        """Keep words after the first only when the text shows they belong to the name (see module doc)."""
        if len(names) < 2 or self.tokens[names[0]].text[0].isascii():
            return names
        verb = next((n for n, k in enumerate(names) if n and self.imperfect_verb(k)), None)
        names = names[:verb]  # Arabic "President al-Sisi consoles Trump": the name ends before its verb
        if len(names) < 2:
            return names
        first, second = (self.occurrences[self.norms[k]] for k in names[:2])
        if second <= 1 and first > 1:
            return names[:1]
        third = names[2] if len(names) > 2 else None
        if (
            third is not None
            and not self.recurring_name(third)
            and (
                second > 1
                or (self.frequency(self.norms[third]) >= RARE_NAME_ZIPF + 0.5 and third not in self.tagged_people)
            )
        ):
            return names[:2]  # a known word after a two-word name is more likely its verb (Hebrew "Lavrov attacked")
        return names

    def imperfect_verb(self, k: int) -> bool:
        """Token k is an Arabic imperfect verb, third person (yatahaddar "descends", yu'azzi "consoles"): it opens with
        ya- and its second-person / feminine form (ta-) and its plural (-un) are in general use, hardly rarer than
        itself. Names opening with ya- have no such forms (Yusuf), or much rarer ones (Yuri / yurun, Yazan /
        yazinun)."""
        word = self.spelling.get(self.norms[k], self.norms[k])
        if self.lang != "ar" or not word.startswith(AR_IMPERFECT_PREFIX) or len(word) < 4:
            return False
        whole = frequency(word, "ar")
        forms = (
            AR_SECOND_PERSON_PREFIX + word[1:],
            (word[:-1] if word.endswith(AR_FINAL_YA) else word) + AR_PLURAL_SUFFIX,
        )
        return all((f := frequency(form, "ar")) >= VERB_FORM_MIN_ZIPF and whole - f <= VERB_FORM_GAP for form in forms)

    def recurring_name(self, k: int) -> bool:
        """Token k is a rare word the text also writes alone: a surname (Arabic "Robert Francis Prevost ...
        Prevost")."""
        norm = self.norms[k]
        return self.bare_counts[norm] > 1 and self.frequency(norm) < RARE_NAME_ZIPF

    def places(self) -> list[_Candidate]:
        places = gazetteer()
        found: list[_Candidate] = []
        for i, token in enumerate(self.tokens):
            heads = [token.norm, *(s for s in place_stems(token.norm) if self.clitic_on(s, token.norm))]
            if not token.is_word or not any(h in places.place_heads for h in heads):
                continue
            if token.text[0].isascii() and not token.text[0].isupper():
                continue
            for size in range(places.max_place_words, 0, -1):
                rest = tuple(self.norms[i + 1 : i + size])
                if len(rest) != size - 1:
                    continue
                place = next((places.places[(h, *rest)] for h in heads if (h, *rest) in places.places), None)
                if place is not None:
                    # a club such as "Real Ostrava", a newspaper such as "Halden Times"
                    if (size > 1 or not self.fragment(i)) and not self.name_head(i + size - 1):
                        found.append(_Candidate(i, i + size - 1, place.kind, "gazetteer"))
                    break
        return found

    def organisations(self) -> list[_Candidate]:
        """Names of the lexicon's organisation list, also after clitic prefixes (Hebrew ve-Hamas): a Latin-script one
        capitalised and no credit, a one-word Hebrew or Arabic one no common word (Arabic hamas also means "zeal")."""
        from storylens.lexicon.names import organisation_names, strip_candidates

        names = organisation_names()
        longest = max(len(key) for key in names)
        found: list[_Candidate] = []
        for i, token in enumerate(self.tokens):
            if not token.is_word or (token.text[0].isascii() and not token.text[0].isupper()):
                continue
            heads = list(dict.fromkeys(normalise(stem) for _, stem in strip_candidates(token.text)))
            for size in range(longest, 0, -1):
                rest = tuple(self.norms[i + 1 : i + size])
                head = next((h for h in heads if len(rest) == size - 1 and (h, *rest) in names), None)
                if head is not None:
                    if (size > 1 or token.text.isascii() or not self.common(head)) and not self.credit_after(i, size):
                        found.append(_Candidate(i, i + size - 1, "organisation", "gazetteer"))
                    break
        return found

    def credit_after(self, k: int, size: int) -> bool:
        """A one-word all-capitals name right after a capitalised name ("Photo: Jane Doe AFP"): a credit."""
        previous = self.tokens[k - 1] if k > 0 else None
        return size == 1 and self.capitals(k) and previous is not None and previous.text[:1].isupper()

    def tagged(self) -> list[_Candidate]:
        model = model_for(self.lang)
        if model is None:
            return []
        spans: list[tuple[int, int, EntityType]] = []
        starts = [t.start for t in self.tokens]
        for start, end in sentence_spans(self.text):
            ids = range(bisect_left(starts, start), bisect_left(starts, end))
            if not ids:
                continue
            words = [self.tokens[k].text for k in ids]
            norms = [self.norms[k] for k in ids]
            titles = after_title_flags(norms)
            features = [token_features(words, norms, self.lang, n, known_type, titles) for n in range(len(ids))]
            spans += [(ids[first], ids[last], kind) for first, last, kind in spans_from_tags(model.tag(features))]
        people = [range(first, last + 1) for first, last, kind in spans if kind == "person"]
        self.tagged_people.update(k for span in people for k in span)
        self.tagged_places.update(self.norms[first] for first, last, kind in spans if kind == "place" and first == last)
        # a "person" ending with a describing adjective (Arabic "Mandalay al-tarikhi") is no evidence against a place
        person_words = {self.norms[k] for span in people if not self.describing(span[-1]) for k in span}
        self.tagged_places.difference_update(person_words)
        found: list[_Candidate] = []
        for first, last, kind in spans:
            span_ids = range(first, last + 1)  # Hebrew nat"o, a lone PSG: acronyms name organisations
            acronym = kind != "place" and (
                any('"' in self.norms[k] for k in span_ids) or (first == last and self.capitals(first))
            )
            kind = "organisation" if acronym else kind
            for part_first, part_last, clitic in self.coordinated_parts(first, last):
                span = self.clean_tagged(part_first, part_last, kind)
                if span is not None:
                    typed: EntityType = "organisation" if self.named_after_place(*span) else kind
                    found.append(_Candidate(*span, typed, "tagger", clitic if span[0] == part_first else None))
        return found

    def text_place(self, norm: str) -> bool:
        """A one-word place: a CLDR place or a word the tagger types a place alone in this text ("in Munich") and
        never puts in a person's name (not "Hakimi" of "Achraf Hakimi")."""
        return place_of(norm) is not None or norm in self.tagged_places

    def coordinated_parts(self, first: int, last: int) -> list[tuple[int, int, int | None]]:
        """A tagged span cut where "and" + a name word starts a further name: a word the text also has alone
        (Arabic "Putin wa-Ushakov") or, in Hebrew/Arabic, a rare name word that the conjunction makes rarer
        still (Arabic "Witkuf wa-Kushnir"). Each part after the first comes with its conjunction's length, left out of
        the mention."""
        cuts = [k for k in range(first + 1, last + 1) if self.further_name(k)]
        ends = [*(k - 1 for k in cuts), last]
        return [
            (start, end, None if start == first else surface_length(self.tokens[start].text, 1))
            for start, end in zip([first, *cuts], ends, strict=True)
        ]

    def clean_tagged(self, first: int, last: int, kind: EntityType) -> tuple[int, int] | None:
        """Trim a tagged span to its name (see module doc); None when what is left is not a name."""
        while first <= last and kind == "person" and is_cue(self.norms[first], self.cues.titles):
            first += 1
        while last > first and not self.tokens[last].text[0].isascii() and self.prefixed_word(self.norms[last]):
            last -= 1
        while last > first and (
            self.norms[last] in calendar_words()
            or self.credit(last, kind)
            or self.tokens[last].text.islower()
            or self.described_place(first, last, kind)
        ):
            # "Xi Jinping Thursday", "Hector Retamal AFP", "the Sistine Chapel chimney", "Mandalay al-tarikhi"
            last -= 1
        if first > last or first in self.title_case_tokens or self.compound_tail(first):
            return None
        norms = self.norms[first : last + 1]
        if any(self.common(n) or self.inflected(n) for n in norms) or self.demonym(first, last):
            return None
        if self.measured(first) or self.fragment(first) or self.lone_person(first, last, kind):
            return None
        if self.designation(last) or (first == last and (self.scrap(first) or self.spelled_out(first))):
            return None
        if any(TANWEEN.search(self.tokens[k].text) for k in range(first, last + 1)):
            return None
        if self.tokens[first].text[0].isascii():
            single_max = TAGGED_SINGLE_WORD_MAX_ZIPF
        else:
            if len(norms) > 1 and all(self.frequency(n) >= PHRASE_WORD_ZIPF for n in norms):
                return None
            if all(self.dictionary_noun(n) for n in norms) or self.described(first, last):
                return None
            single_max = TAGGED_SINGLE_PERSON_MAX_ZIPF if kind == "person" else TAGGED_SINGLE_WORD_MAX_ZIPF
        if len(norms) == 1 and (self.frequency(norms[0]) >= single_max or self.cue_noun(norms[0])):
            return None
        if len(norms) == 1 and self.sentence_initial(first) and self.frequency(norms[0]) >= SENTENCE_START_MAX_ZIPF:
            return None  # "Simpler life": an opening capital shows nothing
        return first, last

    def without_place_tails(self, candidates: list[_Candidate]) -> list[_Candidate]:
        """A Hebrew/Arabic "person" right after a place name (no punctuation between) continues a longer name: a club
        such as Arabic "Baris San Jirman" (Paris Saint-Germain) is no person, there, anywhere else in the text, or in a
        person span overlapping it. Not after a title's place (Hebrew "Russia's president Vladimir Putin")."""
        tails = [
            c
            for c in candidates
            if c.type == "person"
            and c.source != "cue"
            and c.first > 0
            and not self.tokens[c.first].text[0].isascii()
            and self.tokens[c.first - 1].is_word
            and place_of(self.norms[c.first - 1]) is not None
            and not any(self.title_at(k) for k in range(max(0, c.first - 4), c.first - 1))
        ]
        words = {self.words(c) for c in tails}
        tokens = {k for c in tails for k in range(c.first, c.last + 1)}
        return [
            c
            for c in candidates
            if c.type != "person" or not (self.words(c) in words or tokens.intersection(range(c.first, c.last + 1)))
        ]

    def named_after_place(self, first: int, last: int) -> bool:
        """A Latin-script name of capitalised words opening or ending with a one-word place (CLDR, or typed a place
        alone elsewhere in the text), itself no place, with no place word or acronym in it: a club or company named
        after its city ("Bayern Munich" beside "in Munich", "Paris Saint-Germain")."""
        if first == last or not self.tokens[first].text[0].isascii():
            return False
        norms = self.norms[first : last + 1]
        cues = self.cues
        return (
            all(self.tokens[k].text[0].isupper() for k in range(first, last + 1))
            and (self.text_place(norms[0]) or self.text_place(norms[-1]))
            and not any(self.capitals(k) for k in range(first, last + 1))  # "Washington DC"
            and tuple(norms) not in gazetteer().places
            and not any(
                is_cue(n, cues.place_nouns) or n in cues.place_openers or n in cues.place_modifiers for n in norms
            )
        )

    def designation(self, k: int) -> bool:
        """Token k is joined to a number by a hyphen: a model designation ("X-60"), not a name."""
        end = self.tokens[k].end
        return self.text[end : end + 1] in tuple(HYPHENS) and self.text[end + 1 : end + 2].isdigit()

    def spelled_out(self, k: int) -> bool:
        """Token k is an all-capitals acronym whose letters open consecutive lowercase words of the text: the
        abbreviation of a common noun ("AI" beside "artificial intelligence"), not a name."""
        return self.capitals(k) and self.tokens[k].text.lower() in self.lowercase_initials

    @cached_property
    def lowercase_initials(self) -> frozenset[str]:
        """Initials of every run of two to five consecutive lowercase Latin words ("artificial intelligence": ai)."""
        initials: set[str] = set()
        run = ""
        for token in self.tokens:
            lower = token.is_word and token.text.isascii() and token.text.islower()
            run = (run + token.text[0])[-ACRONYM_MAX_LETTERS:] if lower else ""
            initials.update(run[-n:] for n in range(2, len(run) + 1))
        return frozenset(initials)

    def cut_off(self, k: int) -> bool:
        """Token k ends a truncated text: nothing follows it, and a quote mark opens right before it (Arabic: the
        management of the airport "Ronal) or it begins a longer word of the text ("Ca" beside "California")."""
        norm = self.norms[k]
        if k != len(self.tokens) - 1 or self.text[self.tokens[k].end :].strip():
            return False
        return (k > 0 and self.tokens[k - 1].text in QUOTE_MARKS) or any(
            len(word) > len(norm) and word.startswith(norm) for word in self.bare_words
        )

    def scrap(self, k: int) -> bool:
        """A lone Latin word of at most two letters that is no all-capitals acronym: a cut-off word ("Ca")."""
        text = self.tokens[k].text
        return text.isascii() and len(text) <= 2 and not self.capitals(k)

    def described(self, first: int, last: int) -> bool:
        """Arabic adjectives after a common indefinite noun (Arabic "bi-wad' ma'sawi mukhjil", in a tragic, shameful
        state): several words that all take the article and the feminine ending in general usage."""
        if self.lang != "ar" or first == last or first == 0:
            return False
        noun = self.norms[first - 1]
        if self.definite(noun) or self.frequency(noun) < PHRASE_WORD_ZIPF:
            return False
        return all(self.adjective(n) for n in self.norms[first : last + 1])

    def described_place(self, first: int, last: int, kind: EntityType) -> bool:
        """A tagged place, or a place of the text tagged otherwise, ending with a describing adjective (see below)."""
        return self.describing(last) and (kind == "place" or (last == first + 1 and self.text_place(self.norms[first])))

    def describing(self, k: int) -> bool:
        """Token k is a definite Arabic nisba adjective after a word without the article: it describes a name
        (Arabic "Mandalay al-tarikhi", historic Mandalay) rather than ends it (Arabic "al-Diffa al-Gharbiyya",
        the West Bank, keeps its adjective)."""
        norm = self.norms[k]
        return (
            k > 0
            and norm.startswith(AR_ARTICLE)
            and self.relational(norm)
            and self.adjective(norm)
            and not self.definite(self.norms[k - 1])
        )

    def adjective(self, norm: str) -> bool:
        """An Arabic adjective: the word (a plural nisba as its singular) takes the article and its other gender in
        general usage (mukhjil: al-mukhjil, mukhjila; al-tarikhi: tarikhiyya; sahiliyya: sahili); names do not
        (al-Sisi, no al-sisiyya).
        A feminine form counts only with the nisba ending -iyya, as -a also ends nouns (Basra / basar)."""
        if self.lang != "ar":
            return False
        word = self.spelling.get(norm, norm)
        word = word[len(AR_ARTICLE) :] if word.startswith(AR_ARTICLE) and len(word) > 4 else word
        word = word[:-1] + AR_YA if word.endswith(AR_ALIF_MAQSURA) else word  # Egyptian spelling (al-amriki)
        word = word[:-2] if word.endswith(AR_NISBA_PLURALS) else word  # plural nisba (al-amrikiyyin)
        if word.endswith(AR_TA_MARBUTA) and not word.endswith(AR_NISBA_FEMININE):
            return False
        other = word[:-1] if word.endswith(AR_TA_MARBUTA) else word + AR_TA_MARBUTA
        return all(frequency(form, "ar") >= INFLECTED_NOUN_ZIPF for form in (AR_ARTICLE + word, other))

    def credit(self, k: int, kind: EntityType) -> bool:
        """An all-capitals acronym after a person's name: an agency credit, not part of the name."""
        return kind == "person" and self.capitals(k)

    def capitals(self, k: int) -> bool:
        """Token k is a Latin word of two or more capitals (AFP, PSG)."""
        text = self.tokens[k].text
        return len(text) > 1 and text.isascii() and text.isupper()

    def compound_tail(self, k: int) -> bool:
        """Token k is the second part of a hyphenated compound (Arabic al-yuro-atlasi, Euro-Atlantic), or follows an
        underscore joining it to a word, spaced or not (Arabic "Petropavlovsk _ Kamchatsky"): prose writes no underscore
        as a dash."""
        start = self.tokens[k].start
        joined = self.text[:start].rstrip(" ")
        return start > 1 and (
            (self.text[start - 1] in HYPHENS and self.text[start - 2].isalpha())
            or (joined.endswith("_") and joined[:-1].rstrip(" ")[-1:].isalpha())
        )

    def cue_noun(self, norm: str) -> bool:
        """A title, place noun or organisation noun, also inflected (mab'uthin, envoys)."""
        nouns = (self.cues.titles, self.cues.place_nouns, self.cues.organisation_nouns)
        return any(is_cue(form, words) for form in (norm, *inflection_stems(norm)) for words in nouns)

    def further_name(self, k: int) -> bool:
        """Does "and" + a further name start at token k? A word the text also has alone, or in Hebrew/Arabic a rare
        name word the conjunction makes rarer still (see ``coordinated_name``)."""
        return self.conjoined_name(k) or (not self.tokens[k].text[0].isascii() and self.coordinated_name(k))

    def conjoined_name(self, k: int) -> bool:
        """Token k is "and" + a word the text also has alone (Arabic "Putin wa-Ushakov"): a second name starts there."""
        norm = self.norms[k]
        return norm[:1] in CONJUNCTION_CLITICS and len(norm) > 3 and self.bare_counts[norm[1:]] > 0

    def demonym(self, first: int, last: int) -> bool:
        """A nationality word ("Cypriot", Arabic birufi, or a Latin place of the text + -an / -n: "Hawaiian" beside
        "Hawaii") or a people named by a plural ("Russians", "Afghans"), not an entity."""
        word = self.tokens[first].text.lower()
        return first == last and (
            demonym_of_place(self.norms[first])
            or (word.endswith("ans") and self.frequency(word[:-1]) >= DEMONYM_SINGULAR_ZIPF)
            or any(word in (place + "an", place + "n") for place in self.tagged_places)
        )

    def measured(self, k: int) -> bool:
        """Token k names a unit or scale next to a measure noun ("21 degrees Celsius", Arabic "miqyas Richter")."""
        return any(0 <= n < len(self.tokens) and is_cue(self.norms[n], self.cues.measure_nouns) for n in (k - 1, k + 1))

    def fragment(self, first: int) -> bool:
        """A Latin-script span right after another capitalised name word is the tail of a longer name ("Aurora
        Sky", "Real Madrid"); a place modifier ("Southern California") does not count."""
        if not self.tokens[first].text[0].isascii():
            return False
        return self.name_word(first - 1) and not is_cue(self.norms[first - 1], self.cues.place_modifiers)

    def name_head(self, last: int) -> bool:
        """A Latin-script place right before another capitalised name word opens a longer name ("Halden Times",
        "Paris Saint-Germain"), unless that word is a place word ("Gaza Strip", "Tigris Valley") or on a headline."""
        if not self.tokens[last].text[0].isascii() or last in self.title_case_tokens or not self.name_word(last + 1):
            return False
        norm = self.norms[last + 1]
        cues = self.cues
        return not (
            is_cue(norm, cues.place_nouns)
            or norm in cues.place_openers
            or norm in cues.place_modifiers
            or norm in gazetteer().place_heads
        )

    def competition(self, c: _Candidate) -> bool:
        """A sports competition's name, no entity: headed by a competition noun (English: its last word, "Champions
        League"; Hebrew/Arabic: its first, Arabic "ka's al-alam", the World Cup), or a Hebrew/Arabic name one or two
        words after one (Arabic "ka's Italia", "dawri abtal Uruba": Italian Cup, Champions League)."""
        nouns = self.cues.competition_nouns
        if self.tokens[c.first].text[0].isascii():
            return is_cue(self.norms[c.last], nouns)
        opener = next((k for k in (c.first - 1, c.first - 2) if k >= 0 and is_cue(self.norms[k], nouns)), None)
        return is_cue(self.norms[c.first], nouns) or (
            opener is not None and all(self.tokens[k].is_word for k in range(opener, c.first))
        )

    def name_word(self, k: int) -> bool:
        """Token k is a capitalised word that can belong to a name: not a title, a month or day, or a common
        word opening the sentence."""
        if not 0 <= k < len(self.tokens):
            return False
        token = self.tokens[k]
        return (
            token.is_word
            and ELISION.sub("", token.text)[:1].isupper()  # "l’Atlético"
            and not is_cue(token.norm, self.cues.titles)
            and token.norm not in calendar_words()
            and not (self.sentence_initial(k) and self.frequency(token.norm) >= SENTENCE_START_MAX_ZIPF)
        )

    def lone_person(self, first: int, last: int, kind: EntityType) -> bool:
        """A single capitalised word tagged as a person that the text never writes next to another name word:
        more often a club, company or town ("the cup went to Dorvanne") than a person named by one word, whose
        full name or title the text usually gives somewhere."""
        if kind != "person" or first != last or not self.tokens[first].text[0].isascii():
            return False
        norm = self.norms[first]
        return not any(
            self.name_word(k - 1) or self.name_word(k + 1) for k, other in enumerate(self.norms) if other == norm
        )

    @cached_property
    def title_case_tokens(self) -> frozenset[int]:
        """Tokens on English title-case lines (headlines such as "Zelensky Meets Witkoff")."""
        flagged: set[int] = set()
        line_start = 0
        for line in self.text.split("\n"):
            words = line.split()
            long_words = [w for w in words if len(w) > 3 and w[0].isalpha()]
            if (
                len(words) >= 2
                and long_words
                and all(TITLE_CASE_WORD.fullmatch(w) for w in long_words)
                and not line.rstrip().endswith((".", ":", '"', "”"))
            ):
                end = line_start + len(line)
                flagged.update(k for k, t in enumerate(self.tokens) if line_start <= t.start < end)
            line_start += len(line) + 1
        return frozenset(flagged)

    def context_cued(self) -> list[_Candidate]:
        """Names shown by a neighbouring place noun, organisation noun or reporting verb (see module doc)."""
        found: list[_Candidate] = []
        cues = self.cues
        latin = self.lang not in ("he", "ar")
        for i, norm in enumerate(self.norms):
            if not latin and is_cue(norm, cues.place_nouns):
                names = self.name_run(i + 1)
                if names:
                    found.append(_Candidate(names[0], names[-1], "place", "context"))
            elif latin and norm in cues.place_nouns and self.tokens[i].text.islower():
                before = self.capitalised_run_before(i)
                of = i + 1 < len(self.tokens) and self.norms[i + 1] == "of"
                runs = [before] if before else self.listed_names(i + 2) if of else []
                found.extend(_Candidate(run[0], run[-1], "place", "context") for run in runs)
            if latin and norm in cues.list_nouns and self.tokens[i].text.islower():
                kind = cues.list_nouns[norm]
                found.extend(_Candidate(run[0], run[-1], kind, "context") for run in self.listed_names(self.opened(i)))
            if is_cue(norm, cues.organisation_nouns):
                named = self.quoted_name(i + 1) or (
                    self.capitalised_organisation(i)
                    if latin
                    else self.organisation_phrase(i)
                    if self.lang == "ar"
                    else []
                )
                if named:
                    found.append(_Candidate(named[0], named[-1], "organisation", "context"))
            if is_cue(norm, cues.reporting_verbs):
                speaker = self.speaking_name(i)
                if speaker is not None:
                    found.append(speaker)
        return found

    def name_run(self, i: int) -> list[int]:
        """Up to two rare, name-like Hebrew/Arabic words starting at token i; not an imperfect verb (yatahaddar), an
        indefinite adjective (Arabic "manatiq sahiliyya", coastal areas) or, after the first word, a further name joined
        by "and" (Arabic "the regions of Sagaing wa-Mandalay") or a nisba adjective (Arabic "qasr Mandalay al-tarikhi",
        the historic Mandalay palace)."""
        names: list[int] = []
        while (
            i < len(self.tokens)
            and len(names) < 2
            and self.name_like(i, first=not names)
            and self.frequency(self.norms[i]) < CONTEXT_NAME_MAX_ZIPF
            and not self.dictionary_noun(self.norms[i])
            and not self.imperfect_verb(i)
            and not (names and self.further_name(i))
            and not (self.describing(i) if names else self.adjective(norm := self.norms[i]) and not self.definite(norm))
        ):
            names.append(i)
            i += 1
        return names

    def capitalised_run_before(self, i: int) -> list[int]:
        """Up to two capitalised, uncommon words right before token i ("the Donbas region", "The Kremlin said")."""
        names: list[int] = []
        k = i - 1
        while k >= 0 and len(names) < 2 and self.uncommon_capitalised(k):
            names.insert(0, k)
            k -= 1
        if not names or names[0] in self.title_case_tokens or self.sentence_initial(names[0]):
            return []
        return [] if self.demonym(names[0], names[-1]) else names  # "the Hawaiian islands"

    def opened(self, noun: int) -> int:
        """The token after a list opener that follows token ``noun`` ("companies such as"), or past the text."""
        for opener in self.cues.list_openers:
            if tuple(self.norms[noun + 1 : noun + 1 + len(opener)]) == opener:
                return noun + 1 + len(opener)
        return len(self.tokens)

    def listed_names(self, k: int) -> list[list[int]]:
        """The capitalised names listed from token k on, joined by commas and "and" ("Nurgal, Suki, Chapa Dara and
        Pech Dara"), up to three words each."""
        runs: list[list[int]] = []
        while True:
            run: list[int] = []
            while len(run) < MAX_NAME_WORDS and self.name_word(k):
                run.append(k)
                k += 1
            if not run:
                return runs
            runs.append(run)
            k += k < len(self.tokens) and self.norms[k] == ","
            k += k < len(self.tokens) and self.norms[k] == "and"

    def sentence_initial(self, k: int) -> bool:
        """Is token k the first word of a sentence or line, where capitals show nothing?"""
        before = self.text[: self.tokens[k].start].rstrip(" \t\"'“‘«")
        return not before or before[-1] in SENTENCE_MARKS

    def uncommon_capitalised(self, k: int) -> bool:
        token = self.tokens[k]
        return (
            token.is_word
            and token.text[0].isupper()
            and self.frequency(token.norm) < CONTEXT_NAME_MAX_ZIPF
            and not self.cue_noun(token.norm)
        )

    def quoted_name(self, i: int) -> list[int]:
        """The words of a short quoted name right after token i - 1 (Arabic "wakalat «France Presse»"), or Latin
        capitals."""
        if i < len(self.tokens) and self.tokens[i].text in QUOTE_MARKS:
            words: list[int] = []
            k = i + 1
            while k < len(self.tokens) and self.tokens[k].is_word and len(words) < MAX_QUOTED_NAME_WORDS:
                words.append(k)
                k += 1
            closed = k < len(self.tokens) and self.tokens[k].text in QUOTE_MARKS
            return words if words and closed else []
        if self.lang in ("he", "ar"):
            words = []
            k = i
            while k < len(self.tokens) and script_of(self.tokens[k].text) == "latin" and self.tokens[k].is_word:
                if not self.tokens[k].text[0].isupper():
                    break
                words.append(k)
                k += 1
            return words[:MAX_QUOTED_NAME_WORDS]
        return []

    def capitalised_organisation(self, head: int) -> list[int]:
        """An English organisation name headed by a capitalised organisation noun: the capitalised words before
        the head and an "of"/"for" complement after it ("Kestrel Lines", "Joint Rescue Coordination Centre",
        "Central Bank of Maravia"). Empty when the head stands alone ("Police said")."""
        if not self.tokens[head].text[0].isupper() or head in self.title_case_tokens:
            return []
        first = head
        while first > 0 and head - first < MAX_ORGANISATION_WORDS - 1 and self.organisation_word(first - 1):
            first -= 1
        last = head
        if head + 1 < len(self.tokens) and self.norms[head + 1] in ("of", "for"):
            k = head + 2
            while k - head - 2 < MAX_NAME_WORDS and self.organisation_word(k):
                k += 1
            last = k - 1 if k > head + 2 else head
        return list(range(first, last + 1)) if (first, last) != (head, head) else []

    def organisation_word(self, k: int) -> bool:
        """A capitalised word that can be part of an English organisation's name (not "The", not "Monday")."""
        if k >= len(self.tokens):
            return False
        token = self.tokens[k]
        return (
            token.is_word
            and token.text[0].isupper()
            and self.frequency(token.norm) < FUNCTION_WORD_ZIPF
            and token.norm not in calendar_words()
            and not is_cue(token.norm, self.cues.titles)
        )

    def organisation_phrase(self, head: int) -> list[int]:
        """An Arabic organisation name in construct state: an indefinite organisation noun, its indefinite
        complements, the first definite word and the definite adjectives after it (Arabic "wizarat al-kharijiyya
        al-turkiyya", the Turkish foreign ministry; "hilf shamal al-atlasi", NATO). The last word must be an adjective
        of relation (Arabic -i/-iyya, Hebrew -i/-it) or rare."""
        if self.definite(self.norms[head]):
            return []
        words = [head]
        seen_definite = False
        for k in range(head + 1, min(head + MAX_ORGANISATION_WORDS, len(self.tokens))):
            norm = self.norms[k]
            definite = norm.startswith(AR_ARTICLE)
            if not self.tokens[k].is_word or self.frequency(norm) >= FUNCTION_WORD_ZIPF:
                break
            if seen_definite and not (definite and self.relational(norm)):
                break
            words.append(k)
            seen_definite |= definite
        last = self.norms[words[-1]]
        vocabulary = (
            self.frequency(last.removeprefix(AR_ARTICLE)) >= CONTEXT_NAME_MAX_ZIPF
        )  # Arabic "mawqi' al-tahattum": the crash site
        if not seen_definite or not (
            self.relational(last) or (self.frequency(last) < CONTEXT_NAME_MAX_ZIPF and not vocabulary)
        ):
            return []
        return words

    @staticmethod
    def relational(norm: str) -> bool:
        """An adjective of relation (nisba), also plural: al-turkiyya, al-atlasi, al-amrikiyyin."""
        return norm.endswith(AR_NISBA_ENDINGS)

    def speaking_name(self, verb: int) -> _Candidate | None:
        """Who speaks in Arabic "qala X" / Hebrew "masar X" (verb first) or, in English, "X said": a rare definite
        Hebrew/Arabic word or an English name after "the" is an organisation (Arabic qala al-Kremlin, The Kremlin said);
        rare name-like words are a person (Arabic wa-qala Ushakov, Hebrew amar Lavrov, Ushakov said)."""
        if self.lang not in ("he", "ar"):
            names = self.capitalised_run_before(verb)
            if not names:
                return None
            after_the = names[0] > 0 and self.norms[names[0] - 1] == "the"
            acronym = len(names) == 1 and self.capitals(names[0])  # "PSG claimed", "USGS said"
            kind: EntityType = "organisation" if after_the or acronym else "person"
            return _Candidate(names[0], names[-1], kind, "context")
        k = verb + 1
        if k >= len(self.tokens) or not self.tokens[k].is_word:
            return None
        norm = self.norms[k]
        if self.common(norm) or self.inflected(norm) or self.cue_noun(norm) or place_of(norm):
            return None
        stem = (
            norm[len(AR_ARTICLE) :]
            if norm.startswith(AR_ARTICLE)
            else norm[len(HE_ARTICLE) :]
            if norm.startswith(HE_ARTICLE)
            else None
        )
        if stem is not None and len(stem) > 2 and self.frequency(stem) < SPEAKER_STEM_MAX_ZIPF:
            return _Candidate(k, k, "organisation", "context")
        names = self.name_run(k)
        if names and min(self.frequency(self.norms[n]) for n in names) < SPEAKER_NAME_MAX_ZIPF:
            return _Candidate(names[0], names[-1], "person", "context")
        return None

    def retyped(self, c: _Candidate) -> _Candidate:
        """Type from context (see module doc) for names the tagger or the text found."""
        if c.source in ("cue", "gazetteer"):
            return c
        cues = self.cues
        before = self.norms[c.first - 1] if c.first > 0 else ""
        before_quote = self.norms[c.first - 2] if c.first > 1 and before in QUOTE_MARKS else before
        after = self.tokens[c.last + 1] if c.last + 1 < len(self.tokens) else None
        # the context outweighs a tagger's guess wherever the name recurs (see ``propagated``)
        opening = self.norms[c.first]
        # English names end with their head noun: "Gatwick Airport", "Deutsche Bank"
        head = opening if self.lang in ("he", "ar") else self.norms[c.last]
        if is_cue(head, cues.place_nouns) and c.first != c.last:
            return replace(c, type="place", source="context")
        if is_cue(head, cues.organisation_nouns) or is_cue(before_quote, cues.organisation_nouns):
            return replace(c, type="organisation", source="context")
        if c.first != c.last and self.tokens[c.first].text[0].isascii() and is_cue(opening, cues.place_openers):
            return replace(c, type="place", source="context")  # "Kiryat Shmona", "Mount Hermon"
        if self.lang in ("he", "ar") and is_cue(before, cues.place_nouns):
            return replace(c, type="place", source="context")
        if after is not None and after.norm in cues.place_nouns and after.text.islower():
            return replace(c, type="place", source="context")
        if c.type == "place" and place_of(self.stem(c.first)) is None and self.speaks(c):
            return replace(c, type="organisation", source="context")
        if c.type == "person" and before == "the" and self.tokens[c.first].text[0].isascii():
            return replace(c, type="organisation", source="context")  # "the Kremlin described": no person
        return c

    def words(self, c: _Candidate) -> tuple[str, ...]:
        """A candidate's name as normalised words, the head word without a clitic prefix that should go."""
        return (self.stem(c.first), *self.norms[c.first + 1 : c.last + 1])

    def context_typed(self, candidates: list[_Candidate]) -> list[_Candidate]:
        """The type the context gives a name at some of its occurrences holds at all of them (Hebrew "shel Air India"
        takes the type of "hevrat Air India", the company Air India); tagger guesses and propagated types give way."""
        votes: dict[tuple[str, ...], Counter[EntityType]] = {}
        for c in candidates:
            if c.source == "context":
                votes.setdefault(self.words(c), Counter())[c.type] += 1
        return [
            replace(c, type=votes[key].most_common(1)[0][0])
            if c.source in ("tagger", "document") and (key := self.words(c)) in votes
            else c
            for c in candidates
        ]

    def speaks(self, c: _Candidate) -> bool:
        """Is the name the subject of a reporting verb or the source of "according to"?"""
        verbs = self.cues.reporting_verbs
        near = [self.norms[k] for k in (c.first - 1, c.first - 2, c.last + 1) if 0 <= k < len(self.norms)]
        return (
            any(is_cue(n, verbs) for n in near[:1] + near[2:])
            or near[1:2] == ["according"]
            or (len(near) > 1 and near[0] == "to" and is_cue(near[1], verbs))
        )

    def propagated(self, known: list[_Candidate]) -> list[_Candidate]:
        """Other occurrences of names already found: full names and, for people, the surname alone."""
        votes: dict[tuple[str, ...], Counter[EntityType]] = {}
        for c in known:
            words = self.words(c)
            weight = PROPAGATION_WEIGHT.get(c.source, 3)
            votes.setdefault(words, Counter())[c.type] += weight
            if c.type == "person" and len(words) > 1 and not self.common(words[-1]):
                votes.setdefault(words[-1:], Counter())["person"] += weight
        phrases = {p: v.most_common(1)[0][0] for p, v in votes.items() if v.total() > 1}
        longest = max((len(p) for p in phrases), default=0)
        found: list[_Candidate] = []
        i = 0
        while i < len(self.tokens):
            for size in range(longest, 0, -1):
                window = tuple(self.norms[i : i + size])
                if len(window) < size or not self.tokens[i].is_word:
                    continue
                heads = [("", window[0]), *prefix_splits(window[0])]
                match = next(((p, h) for p, h in heads if (h, *window[1:]) in phrases), None)
                if match is not None:
                    prefix, head = match
                    kind = phrases[(head, *window[1:])]
                    clitic = surface_length(self.tokens[i].text, len(prefix))
                    found.append(_Candidate(i, i + size - 1, kind, "document", clitic))
                    i += size - 1
                    break
            i += 1
        return found

    def stem(self, k: int) -> str:
        """The token's key without a clitic prefix when the prefix should go (see module doc)."""
        return self.tokens[k].norm[self.clitic_length(k) :]

    def clitic_length(self, k: int) -> int:
        norm = self.tokens[k].norm
        for prefix, stem in prefix_splits(norm):
            if AR_ARTICLE in prefix and prefix != AR_ARTICLE_AFTER_LAM:
                continue  # the Arabic article belongs to the name (al-Kremlin)
            if self.known_stem(prefix, stem, norm):
                return len(prefix)
        return 0

    def known_stem(self, prefix: str, stem: str, whole: str) -> bool:
        """Is ``stem`` the real word behind ``prefix`` + ``stem``? (see module doc)"""
        if stem in self.bare_words or ((stem,) in gazetteer().places and stem in place_stems(whole)):
            return True
        if len(self.prefix_evidence.get(stem, ())) > 1:
            return True  # the stem occurs after different prefixes (ba-Kremlin, ha-Kremlin)
        if self.common(stem) or self.rarity(stem) <= self.rarity(whole):
            return False
        return not any(self.common(inner) for _, inner in prefix_splits(stem))

    @cached_property
    def prefix_evidence(self) -> dict[str, set[str]]:
        evidence: dict[str, set[str]] = {}
        for norm in self.bare_words:
            for prefix, stem in prefix_splits(norm):
                evidence.setdefault(stem, set()).add(prefix[-1])
        return evidence

    def mentions(self) -> list[Mention]:
        tagged = self.tagged()
        firm = self.after_titles() + self.places() + self.organisations()
        found = [self.retyped(c) for c in firm + tagged + self.context_cued()]
        candidates = self.context_typed(found + [self.retyped(c) for c in self.propagated(found)])
        candidates = self.without_place_tails(candidates)
        candidates.sort(key=lambda c: (SOURCE_RANK[c.source] > 1, c.first - c.last, SOURCE_RANK[c.source]))
        taken: set[int] = set()
        chosen: list[_Candidate] = []
        for c in candidates:
            span = set(range(c.first, c.last + 1))
            if not span & taken:
                taken |= span
                if not (self.competition(c) or self.cut_off(c.last)):
                    chosen.append(c)
        chosen.sort(key=lambda c: c.first)
        return [m for c in self.listed_places(chosen) if (m := self.mention(c)) is not None]

    def listed_places(self, chosen: list[_Candidate]) -> list[_Candidate]:
        """Names listed with a sure place ("Kunar, Laghman and Panjshir provinces", Arabic "al-Qirim wa-Dunbas
        wa-Khirsun") are places too, unless a title, the gazetteer or a name found earlier in the text says otherwise
        ("from India, Mehta has lived" keeps the surname of a person named before)."""
        typed = list(chosen)
        for _ in range(2):  # a list can spread both ways
            for n, c in enumerate(typed):
                if c.source in ("cue", "gazetteer", "document") or c.type == "place":
                    continue
                neighbours = [typed[m] for m in (n - 1, n + 1) if 0 <= m < len(typed)]
                if any(o.type == "place" and o.source != "tagger" and self.listed(o, c) for o in neighbours):
                    typed[n] = replace(c, type="place", source="context")
        return typed

    def listed(self, a: _Candidate, b: _Candidate) -> bool:
        """Are two names next items of one list (joined by a comma, "and", or a wa-/ve- prefix)?"""
        first, second = (a, b) if a.first < b.first else (b, a)
        between = self.norms[first.last + 1 : second.first]
        conjunction_prefix = self.norms[second.first][:1] in CONJUNCTION_CLITICS and not between
        return conjunction_prefix or between in ([COMMAS[0]], [COMMAS[1]], ["and"], [",", "and"])

    def mention(self, c: _Candidate) -> Mention | None:
        head: Token = self.tokens[c.first]
        clitic = c.clitic if c.clitic is not None else surface_length(head.text, self.clitic_length(c.first))
        start = head.start + clitic
        end = self.tokens[c.last].end
        surface = self.text[start:end]
        if len(surface) < 2 or not any(ch.isalpha() for ch in surface):
            return None
        key = " ".join([normalise(head.text[clitic:]), *self.norms[c.first + 1 : c.last + 1]])
        return Mention(start, end, surface, c.type, key, c.source)


def extract_mentions(text: str, lang: str) -> list[Mention]:
    """People, organisations and places named in ``text`` (a single article), in text order."""
    return _Document(text, lang).mentions()
