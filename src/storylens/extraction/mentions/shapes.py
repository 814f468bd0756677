"""Word shapes: is a word of the text a dictionary word, an inflected form, a verb, an adjective, a name word?

Names differ from vocabulary in how general usage inflects them: a common noun takes the article and a plural or
possessive (Hebrew namal "port": ha-namal, namalim), an Arabic adjective takes both genders (al-tarikhi,
tarikhiyya), an Arabic imperfect verb has ta- and -un forms (yu'azzi "consoles"), an inflected word's stem is far more
frequent than itself (wafduna "our delegation"). Names have none of these (Haifa, Butin, al-Sisi, Yusuf). The
morphemes come from the ``grammar`` of the he/ar language profiles; the frequencies from wordfreq.
"""

from __future__ import annotations

import re

from storylens.extraction.gazetteer import day_words, demonym_of_place, is_cue, place_of
from storylens.extraction.mentions.text import AR_ARTICLE, AR_ARTICLE_AFTER_LAM, Text
from storylens.extraction.tagger import frequency, name_tokens
from storylens.lang import inflection_stems, normalise, prefix_splits
from storylens.lang.profile import get_profile, word_table

RARE_NAME_ZIPF = 3  # a word joined by a conjunction is taken as a further name only when this rare
MODIFIER_NOUN_MAX_ZIPF = 4  # a definite Arabic noun between a title and a name is this rare (al-Kremlin)
REPEATED_NAME_MAX_ZIPF = 3.5  # a prefixed-looking word this rare, repeated whole, is a name (Hebrew lavrov)
INFLECTED_STEM_ZIPF = 3.9  # a word whose stem is this frequent ...
INFLECTED_GAP = 1.0  # ... and this much more frequent than the word itself is an inflected dictionary word
DEMONYM_SINGULAR_ZIPF = 4  # "Russians": a plural whose singular is this common is a people, not a name
DEFINITE_NOUN_ZIPF = 3  # a Hebrew/Arabic word whose definite form is this frequent ...
INFLECTED_NOUN_ZIPF = 2  # ... and that has a plural or possessive form this frequent is a common noun
VERB_FORM_MIN_ZIPF = 1.5  # an Arabic word opening with ya- whose ta- and plural -un forms are this frequent ...
VERB_FORM_GAP = 1.0  # ... and at most this much rarer than the word itself is an imperfect verb
PREFIXED_FORM_GAP = 1.5  # a clitic + noun form in common use is at most this much rarer than the noun
FUNCTION_WORD_ZIPF = 6  # prepositions and particles: no title's modifier, and they end an organisation name

_HE = get_profile("he").grammar
_AR = get_profile("ar").grammar
NAME_PARTICLES = frozenset(_AR["name_particles"])  # "servant of", "father of", "son of"
# Latin initials spelled out in Hebrew/Arabic letters (Arabic di "D", dabliu "W"): inside a name, one initial
SPELLED_INITIALS = frozenset(normalise(w) for w in word_table("name_cues", "spelled_initials"))
CONJUNCTION_CLITICS = frozenset(word_table("grammar", "conjunction_clitics"))  # "and" fused to the next word
HE_ARTICLE = _HE["article"]
HEBREW_NOUN_SUFFIXES = tuple(_HE["plural_suffixes"])
HEBREW_FEMININE_ENDINGS = tuple(_HE["feminine_endings"])
HEBREW_NISBA_ENDINGS = tuple(_HE["nisba_endings"])
ARABIC_NOUN_SUFFIXES = tuple(_AR["possessive_suffixes"])
TANWEEN = re.compile(f"[{_AR['tanween']}]")
AR_TA_MARBUTA, AR_OPEN_TA = _AR["ta_marbuta"], _AR["open_ta"]
TA_MARBUTA_KEY, OPEN_TA_KEY = normalise(AR_TA_MARBUTA), normalise(AR_OPEN_TA)  # as look-up keys write them
AR_IMPERFECT_PREFIX, AR_SECOND_PERSON_PREFIX = _AR["imperfect_prefix"], _AR["second_person_prefix"]
AR_PLURAL_SUFFIX = _AR["plural_suffix"]
AR_SOUND_PLURALS = tuple(_AR["sound_plural_suffixes"])
AR_FINAL_YA = tuple(_AR["final_ya"])
AR_ALIF_MAQSURA, AR_YA = _AR["alif_maqsura"], _AR["ya"]
AR_NISBA_PLURALS = tuple(_AR["nisba_plurals"])
AR_NISBA_FEMININE = _AR["nisba_feminine"]
AR_NISBA_ENDINGS = tuple(_AR["nisba_endings"])


def definite(norm: str) -> bool:
    """An Arabic word with the article, bare or after a clitic (al-rusi, li-l-Kremlin, wa-l-mab'uthin)."""
    return norm.startswith((AR_ARTICLE, AR_ARTICLE_AFTER_LAM)) or any(
        p.endswith(AR_ARTICLE) for p, _ in prefix_splits(norm)
    )


def relational(norm: str) -> bool:
    """An adjective of relation (nisba), also plural: al-turkiyya, al-atlasi, al-amrikiyyin."""
    return norm.endswith(AR_NISBA_ENDINGS)


def hebrew_relational(norm: str) -> bool:
    """A definite Hebrew adjective of relation: the article, a stem, a nisba ending (ha-yapanit, "the Japanese";
    ha-liberalit-demokratit); without the article it is a word in use (not historit, "historic", whose first
    letter is no article)."""
    stem = norm[len(HE_ARTICLE) :]
    return (
        norm.startswith(HE_ARTICLE)
        and len(stem) > 2
        and norm.endswith(HEBREW_NISBA_ENDINGS)
        and frequency(stem, "he") >= INFLECTED_NOUN_ZIPF
    )


def adjective(t: Text, norm: str) -> bool:
    """An Arabic adjective: the word (a plural nisba as its singular) takes the article and its other gender in
    general usage (al-tarikhi: tarikhiyya); names do not (al-Sisi). A feminine form counts only with -iyya."""
    if t.lang != "ar":
        return False
    word = t.spelling.get(norm, norm)
    word = word[len(AR_ARTICLE) :] if word.startswith(AR_ARTICLE) and len(word) > 4 else word
    word = word[:-1] + AR_YA if word.endswith(AR_ALIF_MAQSURA) else word
    word = word[:-2] if word.endswith(AR_NISBA_PLURALS) else word
    if word.endswith(AR_TA_MARBUTA) and not word.endswith(AR_NISBA_FEMININE):
        return False
    other = word[:-1] if word.endswith(AR_TA_MARBUTA) else word + AR_TA_MARBUTA
    return all(frequency(form, "ar") >= INFLECTED_NOUN_ZIPF for form in (AR_ARTICLE + word, other))


def dictionary_noun(t: Text, norm: str) -> bool:
    """A Hebrew/Arabic common noun or adjective: it takes the definite article and a plural or possessive suffix in
    general usage (Hebrew namal: ha-namal, namalim; Arabic qubtan: al-qubtan, qubtanuha), which names do not. The
    article is looked through; a clitic prefix only when the prefixed form is itself in common use."""
    if t.lang == "he":
        article, suffixes = HE_ARTICLE, HEBREW_NOUN_SUFFIXES
    elif t.lang == "ar":
        article, suffixes = AR_ARTICLE, ARABIC_NOUN_SUFFIXES
    else:
        return False
    whole = t.frequency(norm)
    stems = [stem for _, stem in prefix_splits(norm) if whole >= t.frequency(stem) - PREFIXED_FORM_GAP]
    for form in (norm, *stems):
        word = t.spelling.get(form, form)
        if word.startswith(article) and len(word) - len(article) > 2:
            word = word[len(article) :]
        if frequency(article + word, t.lang) < DEFINITE_NOUN_ZIPF:
            continue
        if word.endswith(AR_TA_MARBUTA):
            bases = [word[:-1] + AR_OPEN_TA]
        elif t.lang == "he" and word.endswith(HEBREW_FEMININE_ENDINGS):
            bases = [word, word[:-1]]
        else:
            bases = [word]
        if any(frequency(b + suffix, t.lang) >= INFLECTED_NOUN_ZIPF for b in bases for suffix in suffixes):
            return True
    return False


def repeated_whole(t: Text, norm: str) -> bool:
    """Repeated as a whole and none of its stems stands alone in the text: a name such as Hebrew lavrov."""
    return (
        t.bare_counts[norm] > 1
        and t.frequency(norm) < REPEATED_NAME_MAX_ZIPF
        and not any(t.bare_counts[s] for s in inflection_stems(norm))
    )


def prefixed_word(t: Text, norm: str) -> bool:
    """A clitic prefix on another word (bi-sha'n "about", wa-Jarid, ba-Kremlin), unless the text shows the whole is
    a name."""
    if repeated_whole(t, norm):
        return False
    if any(len(t.prefix_evidence.get(stem, ())) > 1 for _, stem in prefix_splits(norm)):
        return True
    return any(t.rarity(stem) > t.rarity(norm) and not t.inner_common(stem) for _, stem in prefix_splits(norm))


def inflected(t: Text, norm: str) -> bool:
    """An inflected or clitic-laden form of a common word (sa-yajtami' "will meet", wafduna "our delegation"),
    unless repeated whole."""
    whole = t.frequency(norm)
    return not repeated_whole(t, norm) and any(
        (f := t.frequency(stem)) >= INFLECTED_STEM_ZIPF and f - whole >= INFLECTED_GAP
        for stem in inflection_stems(norm)
    )


def imperfect_verb(t: Text, k: int) -> bool:
    """Token k is an Arabic imperfect verb, third person (yu'azzi "consoles"): it opens with ya- and its ta- and
    plural -un forms are in general use, hardly rarer than itself. Names opening with ya- have no such forms."""
    word = t.spelling.get(t.norms[k], t.norms[k])
    if t.lang != "ar" or not word.startswith(AR_IMPERFECT_PREFIX) or len(word) < 4:
        return False
    whole = frequency(word, "ar")
    forms = (
        AR_SECOND_PERSON_PREFIX + word[1:],
        (word[:-1] if word.endswith(AR_FINAL_YA) else word) + AR_PLURAL_SUFFIX,
    )
    return all((f := frequency(form, "ar")) >= VERB_FORM_MIN_ZIPF and whole - f <= VERB_FORM_GAP for form in forms)


def cue_noun(t: Text, norm: str) -> bool:
    """A title, place noun or organisation noun, also inflected (mab'uthin, envoys)."""
    nouns = (t.cues.titles, t.cues.place_nouns, t.cues.organisation_nouns)
    return any(is_cue(form, words) for form in (norm, *inflection_stems(norm)) for words in nouns)


def is_modifier(t: Text, norm: str) -> bool:
    """Words between a title and a name: cue modifiers and nationality adjectives (al-rusi, ha-rusi), also a cue
    modifier with a possessive suffix instead of its article (Arabic "wazir kharijiyyatihi", his foreign minister)."""
    if is_cue(norm, t.cues.title_modifiers) or is_cue(norm, t.cues.titles) or possessed_modifier(t, norm):
        return True
    if t.frequency(norm) >= FUNCTION_WORD_ZIPF:
        return False
    if definite(norm):  # al-rusi, al-Kremlin yes; "qa'id al-ta'ira" (the plane's captain) ends the title
        if relational(norm):  # al-Sisi is a name: no feminine al-sisiyya in use
            return adjective(t, norm) or demonym_of_place(norm)
        return t.frequency(norm) < MODIFIER_NOUN_MAX_ZIPF
    return norm.startswith(HE_ARTICLE)


def possessed_modifier(t: Text, norm: str) -> bool:
    """An Arabic title modifier written with a possessive suffix (kharijiyyatuhu "his foreign [ministry]" for
    al-kharijiyya): its stem, the open ta back to ta marbuta, with the article is a cue modifier."""
    if t.lang != "ar":
        return False
    for stem in inflection_stems(norm):
        base = stem[: -len(OPEN_TA_KEY)] + TA_MARBUTA_KEY if stem.endswith(OPEN_TA_KEY) else stem
        if len(base) > 2 and AR_ARTICLE + base in t.cues.title_modifiers:
            return True
    return False


def given_name(t: Text, norm: str) -> bool:
    """A person-name word of the tagger's lexicon (Wikidata name tokens) that is no title, place or organisation
    noun: common words such as Arabic Ibrahim or Husayn are first names too."""
    return "per" in name_tokens(t.lang).get(norm, "").split("+") and not cue_noun(t, norm) and place_of(norm) is None


def describing(t: Text, k: int) -> bool:
    """Token k is a definite Arabic nisba adjective after a word without the article: it describes a name
    ("Mandalay al-tarikhi", historic Mandalay) rather than ends it ("al-Diffa al-Gharbiyya", the West Bank)."""
    norm = t.norms[k]
    return (
        k > 0
        and norm.startswith(AR_ARTICLE)
        and relational(norm)
        and adjective(t, norm)
        and not definite(t.norms[k - 1])
    )


def plural_noun(t: Text, k: int) -> bool:
    """Token k is an Arabic sound plural (-un, -in) of a common word, and no person-name word of the lexicon
    (mas'ulin "officials", akharin "others"; not Husayn, whose -in is no plural), bare or after a clitic."""
    if t.lang != "ar":
        return False
    norm = t.norms[k]
    return any(
        form.endswith(AR_SOUND_PLURALS)
        and "per" not in name_tokens(t.lang).get(form, "").split("+")
        and t.frequency(form[: -len(AR_SOUND_PLURALS[0])]) >= DEMONYM_SINGULAR_ZIPF
        for form in (norm, *(stem for _, stem in prefix_splits(norm)))
    )


def demonym(t: Text, first: int, last: int) -> bool:
    """A nationality word ("Cypriot", Arabic birufi, a place of the text + -an: "Hawaiian") or a people named by a
    plural ("Russians"), not an entity."""
    word = t.tokens[first].text.lower()
    return first == last and (
        demonym_of_place(t.norms[first])
        or (word.endswith("ans") and t.frequency(word[:-1]) >= DEMONYM_SINGULAR_ZIPF)
        or any(word in (place + "an", place + "n") for place in t.tagged_places)
    )


def name_like(t: Text, i: int, first: bool, place_ok: bool = False) -> bool:
    """Could token i be a word of a person's name? ``place_ok``: a first name that is also a place name (Arabic
    Jurjiya Miluni, Giorgia Meloni), allowed when a further name word follows."""
    if i >= len(t.tokens):
        return False
    token = t.tokens[i]
    norm = token.norm
    if not token.is_word or is_cue(norm, t.cues.reporting_verbs) or is_cue(norm, t.cues.titles):
        return False
    if TANWEEN.search(token.text):  # nadin "a club", mazidan "more": an indefinite Arabic noun, never a name
        return False
    if norm in NAME_PARTICLES:  # Abd al-Ati, Abu Mazen, bin Salman: the particle and the word after it
        return not first and i + 1 < len(t.tokens) and t.tokens[i + 1].is_word
    if i > 0 and t.norms[i - 1] in NAME_PARTICLES and not first:
        return not t.common(norm) or definite(norm)
    if norm in SPELLED_INITIALS and not first:  # Arabic "Jay Di Fans" (JD Vance): an initial before a surname
        surname = i + 1
        return surname < len(t.tokens) and t.tokens[surname].is_word and not t.common(t.norms[surname])
    if token.text[0].isascii():  # "President Xi Jinping Thursday": a weekday ends the name
        return token.text[0].isupper() and not is_cue(norm, t.cues.title_modifiers) and norm not in day_words()
    if '"' in norm or (is_modifier(t, norm) and (first or not norm.startswith(HE_ARTICLE))):
        return False
    after = t.norms[i + 1] if i + 1 < len(t.tokens) else ""
    named = first and given_name(t, norm) and given_name(t, after) and not t.common(after)  # Arabic Husayn Amir
    return not (
        (t.common(norm) and not named)
        or cue_noun(t, norm)
        or (place_of(norm) is not None and not place_ok)
        or ((first or t.lang == "he") and prefixed_word(t, norm))
        or inflected(t, norm)
        or (first and definite(norm) and i not in t.tagged_people and dictionary_noun(t, norm))
    )


def recurring_name(t: Text, k: int) -> bool:
    """Token k is a rare word the text also writes alone: a surname ("Robert Francis Prevost ... Prevost")."""
    norm = t.norms[k]
    return t.bare_counts[norm] > 1 and t.frequency(norm) < RARE_NAME_ZIPF


def conjoined_name(t: Text, k: int) -> bool:
    """Token k is "and" + a word the text also has alone (Arabic "Putin wa-Ushakov"): a second name starts there."""
    norm = t.norms[k]
    return norm[:1] in CONJUNCTION_CLITICS and len(norm) > 3 and t.bare_counts[norm[1:]] > 0


def coordinated_name(t: Text, j: int) -> bool:
    """Does a name joined by a fused conjunction start at token j? (Arabic "Witkuf wa-Jarid Kushnir")"""
    if j >= len(t.tokens) or t.norms[j][:1] not in CONJUNCTION_CLITICS:
        return False
    stem = t.norms[j][1:]
    rare_enough = t.rarity(stem) <= RARE_NAME_ZIPF or (not t.common(stem) and name_like(t, j + 1, first=False))
    return (
        t.rarity(t.norms[j]) < t.rarity(stem)
        and rare_enough
        and not is_modifier(t, stem)
        and not cue_noun(t, stem)
        and place_of(stem) is None
    )


def further_name(t: Text, k: int) -> bool:
    """Does "and" + a further name start at token k? A word the text also has alone, or in Hebrew/Arabic a rare
    name word the conjunction makes rarer still."""
    return conjoined_name(t, k) or (not t.latin(k) and coordinated_name(t, k))


POSSESSIVE_MARKS = frozenset("'’")
SENTENCE_ENDS = frozenset({".", "!", "?"})  # a token that closes a sentence


def possessive_ending(t: Text, k: int) -> bool:
    """Token k is the apostrophe or the "s" of a Latin possessive glued to the word before ("Peter's")."""
    mark = k if t.tokens[k].text in POSSESSIVE_MARKS else k - 1
    return (
        mark > 0
        and mark + 1 < len(t)
        and t.tokens[mark].text in POSSESSIVE_MARKS
        and t.norms[mark + 1] == "s"
        and t.tokens[mark - 1].end == t.tokens[mark].start
        and t.tokens[mark].end == t.tokens[mark + 1].start
    )
