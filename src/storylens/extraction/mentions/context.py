"""The context proposer: names shown by the cue words next to them (``name_cues`` of the language profiles).

- a place noun: Arabic "mintaqat Dunbas", "the Donbas region", "the districts of X, Y and Z" -> places; a facility
  noun is part of the name (Arabic "matar Gatwick", Gatwick Airport; Hebrew "rehov Aza", Gaza Street), firm over a
  place named inside;
- an organisation noun: Arabic "wakalat «France Presse»", "Kestrel Lines", "Central Bank of X", Arabic "wizarat
  al-kharijiyya al-turkiyya" (the Turkish foreign ministry) -> organisations;
- a list noun and opener: "companies such as X, Y and Z" -> the list noun's type;
- a reporting verb: Arabic "qala X", Hebrew "amar X", "X said": a rare definite word or a name after "the" is an
  organisation (the Kremlin said), rare name-like words a person.
"""

from __future__ import annotations

from dataclasses import replace

from storylens.extraction.gazetteer import calendar_words, demonym_of_place, is_cue, place_of
from storylens.extraction.mentions import shapes
from storylens.extraction.mentions.shapes import FUNCTION_WORD_ZIPF
from storylens.extraction.mentions.text import AR_ARTICLE, Candidate, Text
from storylens.extraction.records import EntityType
from storylens.lang import prefix_splits, script_of, surface_length

CONTEXT_NAME_MAX_ZIPF = 4  # a name shown only by a neighbouring place noun or reporting verb is rarer than this
SPEAKER_STEM_MAX_ZIPF = 3  # a definite word this rare speaking after a reporting verb is an organisation
SPEAKER_NAME_MAX_ZIPF = 3.5  # a name speaking after a reporting verb has a word this rare
MAX_NAME_WORDS = 3
MAX_QUOTED_NAME_WORDS = 3
MAX_ORGANISATION_WORDS = 4
QUOTE_MARKS = frozenset("\"«»“”„‘’'")
HYPHENS = frozenset("-‐–")


def context(t: Text) -> list[Candidate]:
    """Names shown by a neighbouring place noun, organisation noun, list noun or reporting verb."""
    found: list[Candidate] = []
    cues = t.cues
    latin = t.lang not in ("he", "ar")
    for i, norm in enumerate(t.norms):
        if not latin and is_cue(norm, cues.facility_nouns):
            named = name_run(t, i + 1) or _place_word(t, i + 1)
            if named:
                prefix = next((len(p) for p, stem in prefix_splits(norm) if stem in cues.facility_nouns), 0)
                cut = surface_length(t.tokens[i].text, prefix)
                found.append(Candidate(i, named[-1], "place", "cue", cut, "context"))
        elif not latin and is_cue(norm, cues.place_nouns):
            names = name_run(t, i + 1)
            if names:
                found.append(_found(names, "place"))
        elif latin and norm in cues.place_nouns and t.tokens[i].text.islower():
            before = capitalised_run_before(t, i)
            of = i + 1 < len(t) and t.norms[i + 1] in cues.name_connectors
            runs = [before] if before else _listed_names(t, i + 2) if of else []
            found.extend(_found(run, "place") for run in runs)
        if latin and norm in cues.list_nouns and t.tokens[i].text.islower():
            kind = cues.list_nouns[norm]
            found.extend(_found(run, kind) for run in _listed_names(t, _opened(t, i)))
        if is_cue(norm, cues.organisation_nouns):
            named = _quoted_name(t, i + 1) or _organisation_named(t, i, latin)
            if named:
                described = named[0] == i and t.lang == "ar" and shapes.definite(norm)
                clitic = described_clitic(t, i) if described else None
                source = "cue" if t.lang == "ar" and _named_after_place(t, named) else "context"
                found.append(replace(_found(named, "organisation"), clitic=clitic, source=source))
        if is_cue(norm, cues.reporting_verbs):
            speaker = _speaking_name(t, i)
            if speaker is not None:
                found.append(speaker)
    return found


def _found(run: list[int], kind: EntityType) -> Candidate:
    return Candidate(run[0], run[-1], kind, "context", proposer="context")


def name_run(t: Text, i: int) -> list[int]:
    """Up to two rare, name-like Hebrew/Arabic words starting at token i (the first may be a common given name
    before a rarer surname); not an imperfect verb, an indefinite adjective (Arabic "manatiq sahiliyya", coastal
    areas) or, after the first word, a further name joined by "and"
    or a describing nisba adjective ("qasr Mandalay al-tarikhi", the historic Mandalay palace)."""
    if _given_before_surname(t, i):
        return [i, i + 1]
    names: list[int] = []
    while (
        i < len(t)
        and len(names) < 2
        and shapes.name_like(t, i, first=not names)
        and t.frequency(t.norms[i]) < CONTEXT_NAME_MAX_ZIPF
        and not shapes.dictionary_noun(t, t.norms[i])
        and not shapes.imperfect_verb(t, i)
        and not (names and shapes.further_name(t, i))
        and not (
            shapes.describing(t, i) if names else shapes.adjective(t, norm := t.norms[i]) and not shapes.definite(norm)
        )
    ):
        names.append(i)
        i += 1
    return names


def _place_word(t: Text, i: int) -> list[int]:
    """Token i when it is a place name of the lists (a street or an airport named after a city: Hebrew "rehov Aza")."""
    return [i] if i < len(t) and t.tokens[i].is_word and place_of(t.norms[i]) is not None else []


def _given_before_surname(t: Text, i: int) -> bool:
    """Token i is a given name of the lexicon (no verb, no dictionary noun) before a rare person-name word of the
    lexicon (Arabic "Muhsin Mansuri"): the two are a name, even when the given name is a common word and the
    surname looks like an inflected one."""
    k = i + 1
    return (
        k < len(t)
        and t.tokens[i].is_word
        and t.tokens[k].is_word
        and shapes.given_name(t, t.norms[i])
        and not shapes.dictionary_noun(t, t.norms[i])
        and not shapes.imperfect_verb(t, i)
        and shapes.given_name(t, t.norms[k])
        and t.frequency(t.norms[k]) < CONTEXT_NAME_MAX_ZIPF
        and not shapes.dictionary_noun(t, t.norms[k])
    )


def capitalised_run_before(t: Text, i: int) -> list[int]:
    """Up to two capitalised, uncommon words right before token i ("the Donbas region", "The Kremlin said")."""
    names: list[int] = []
    k = i - 1
    while k >= 0 and len(names) < 2 and _uncommon_capitalised(t, k):
        names.insert(0, k)
        k -= 1
    if not names or names[0] in t.title_case_tokens or t.sentence_initial(names[0]):
        return []
    return [] if shapes.demonym(t, names[0], names[-1]) else names  # "the Hawaiian islands"


def _uncommon_capitalised(t: Text, k: int) -> bool:
    token = t.tokens[k]
    return (
        token.is_word
        and token.text[0].isupper()
        and t.frequency(token.norm) < CONTEXT_NAME_MAX_ZIPF
        and not shapes.cue_noun(t, token.norm)
    )


def _opened(t: Text, noun: int) -> int:
    """The token after a list opener that follows token ``noun`` ("companies such as"), or past the text."""
    for opener in t.cues.list_openers:
        if tuple(t.norms[noun + 1 : noun + 1 + len(opener)]) == opener:
            return noun + 1 + len(opener)
    return len(t)


def _listed_names(t: Text, k: int) -> list[list[int]]:
    """The capitalised names listed from token k on, joined by commas and "and", up to three words each."""
    runs: list[list[int]] = []
    while True:
        run: list[int] = []
        while len(run) < MAX_NAME_WORDS and t.name_word(k):
            run.append(k)
            k += 1
        if not run:
            return runs
        runs.append(run)
        k += k < len(t) and t.norms[k] == ","
        k += k < len(t) and t.norms[k] in t.cues.conjunctions


def _quoted_name(t: Text, i: int) -> list[int]:
    """The words of a short quoted name right after token i - 1 (Arabic "wakalat «France Presse»"), or, in
    Hebrew/Arabic text, the capitalised Latin words there."""
    if i < len(t) and t.tokens[i].text in QUOTE_MARKS:
        words: list[int] = []
        k = i + 1
        while k < len(t) and t.tokens[k].is_word and len(words) < MAX_QUOTED_NAME_WORDS:
            words.append(k)
            k += 1
        closed = k < len(t) and t.tokens[k].text in QUOTE_MARKS
        return words if words and closed else []
    if t.lang in ("he", "ar"):
        words = []
        k = i
        while k < len(t) and script_of(t.tokens[k].text) == "latin" and t.tokens[k].is_word:
            if not t.tokens[k].text[0].isupper():
                break
            words.append(k)
            k += 1
        return words[:MAX_QUOTED_NAME_WORDS]
    return []


def _organisation_named(t: Text, head: int, latin: bool) -> list[int]:
    """The organisation name an organisation noun heads, by the language's word order."""
    if latin:
        return _capitalised_organisation(t, head)
    return _organisation_phrase(t, head) if t.lang == "ar" else hebrew_organisation(t, head) if t.lang == "he" else []


def hebrew_organisation(t: Text, head: int) -> list[int]:
    """A Hebrew organisation name headed by an organisation noun on its line. In construct state: a rare definite
    complement (rarer than a context name, not "sokhnut ha-yedi'ot", the news agency), then definite adjectives
    ("mifleget ha-hadshanut ha-yapanit"); with the article: two or more definite adjectives, or one compound of two
    ("ha-miflaga ha-liberalit-demokratit"), for one adjective after a definite noun is a description ("the military
    committee"). The last word is an adjective of relation (singular: a name agrees with its head) or of rank, and
    the words after the head are not nationality words alone ("the Israeli company")."""
    norm = t.norms[head]
    definite_head = any(form.startswith(shapes.HE_ARTICLE) for form in (norm, *(s for _, s in prefix_splits(norm))))
    words = [head]
    for k in range(head + 1, min(head + MAX_ORGANISATION_WORDS, len(t))):
        word = t.norms[k]
        same_line = "\n" not in t.text[t.tokens[k - 1].end : t.tokens[k].start]
        if not (same_line and t.tokens[k].is_word and word.startswith(shapes.HE_ARTICLE)):
            break
        complement = k == head + 1 and not definite_head and t.frequency(word) < CONTEXT_NAME_MAX_ZIPF
        if t.frequency(word) >= FUNCTION_WORD_ZIPF or not (_closing_adjective(t, word) or complement):
            break
        words.append(k)
    while len(words) > 1 and not _closing_adjective(t, t.norms[words[-1]]):
        words.pop()
    if len(words) == 1:
        return []
    words += _compound_tail(t, words[-1])
    adjectives = sum(t.tokens[k].is_word for k in words[1:])
    described = [k for k in words[1:] if t.tokens[k].is_word and not demonym_of_place(t.norms[k])]
    return words if described and (adjectives > 1 or not definite_head) else []


def _compound_tail(t: Text, k: int) -> list[int]:
    """The hyphen and second word of a compound written on to token k ("ha-liberalit-demokratit")."""
    tail = [k + 1, k + 2]
    touching = all(n < len(t) and t.tokens[n - 1].end == t.tokens[n].start for n in tail)
    return tail if touching and t.tokens[k + 1].text in HYPHENS and t.tokens[k + 2].is_word else []


def _closing_adjective(t: Text, norm: str) -> bool:
    """A definite Hebrew word that can close an organisation's name: an adjective of relation or of rank."""
    return shapes.hebrew_relational(norm) or norm in t.cues.organisation_adjectives


def _capitalised_organisation(t: Text, head: int) -> list[int]:
    """An English organisation name headed by a capitalised organisation noun: the capitalised words before the
    head and a connector-word complement after it ("Joint Rescue Coordination Centre", "Central Bank of X",
    "Dicastery for Bishops"). Empty when the head stands alone ("Police said")."""
    if not t.tokens[head].text[0].isupper() or head in t.title_case_tokens:
        return []
    first = head
    while first > 0 and head - first < MAX_ORGANISATION_WORDS - 1 and _organisation_word(t, first - 1):
        first -= 1
    last = head
    if head + 1 < len(t) and t.norms[head + 1] in t.cues.name_connectors:
        k = head + 2
        k += k < len(t) and t.norms[k] in t.cues.articles and _organisation_word(t, k + 1)  # "of the Interior"
        start = k
        while k - start < MAX_NAME_WORDS and _organisation_word(t, k):
            k += 1
        last = k - 1 if k > start else head
    return list(range(first, last + 1)) if (first, last) != (head, head) else []


def _organisation_word(t: Text, k: int) -> bool:
    """A capitalised word that can be part of an English organisation's name (not "The", not "Monday")."""
    if k >= len(t):
        return False
    token = t.tokens[k]
    return (
        token.is_word
        and token.text[0].isupper()
        and not t.modifier_compound(k)
        and t.frequency(token.norm) < FUNCTION_WORD_ZIPF
        and token.norm not in calendar_words()
        and not is_cue(token.norm, t.cues.titles)
    )


def _organisation_phrase(t: Text, head: int) -> list[int]:
    """An Arabic organisation name in construct state: an indefinite organisation noun, its indefinite complements,
    the first definite word and the definite adjectives after it (Arabic "hilf shamal al-atlasi", NATO). The last
    word must be an adjective of relation or rare and no vocabulary (not "mawqi' al-tahattum", the crash site)."""
    if shapes.definite(t.norms[head]):
        return _described_organisation(t, head)
    words = [head]
    seen_definite = False
    for k in range(head + 1, min(head + MAX_ORGANISATION_WORDS, len(t))):
        norm = t.norms[k]
        definite = norm.startswith(AR_ARTICLE)
        if not t.tokens[k].is_word or t.frequency(norm) >= FUNCTION_WORD_ZIPF:
            break
        if seen_definite and not (definite and shapes.relational(norm)):
            break
        words.append(k)
        seen_definite |= definite
    last = t.norms[words[-1]]
    vocabulary = t.frequency(last.removeprefix(AR_ARTICLE)) >= CONTEXT_NAME_MAX_ZIPF
    if not seen_definite or not (
        shapes.relational(last) or (t.frequency(last) < CONTEXT_NAME_MAX_ZIPF and not vocabulary)
    ):
        return []
    return words


def _named_after_place(t: Text, words: list[int]) -> bool:
    """An Arabic organisation phrase holding a place between its head noun and a closing relation adjective, which
    agrees with the head ("qanat al-Yaman al-fada'iyya", the Yemen satellite channel): the place is part of the
    organisation's name here, and the phrase is firm evidence over the place list."""
    return (
        len(words) > 2
        and shapes.relational(t.norms[words[-1]])
        and any(place_of(t.norms[k]) is not None for k in words[1:-1])
    )


def _described_organisation(t: Text, head: int) -> list[int]:
    """An Arabic definite organisation noun and the definite adjectives after it on its line, one or two, the last
    one of relation (Arabic "al-majlis al-dusturi", the Constitutional Council; "al-hizb al-dimuqrati al-libirali").
    The head must write its article (after "li-" the article loses its alif and the name could not be cut from the
    text with it: ``described_clitic``)."""
    if described_clitic(t, head) is None:
        return []
    words = [head]
    for k in range(head + 1, min(head + 3, len(t))):
        norm = t.norms[k]
        same_line = "\n" not in t.text[t.tokens[k - 1].end : t.tokens[k].start]
        adjective = shapes.adjective(t, norm) or norm in t.cues.organisation_adjectives
        if not (same_line and t.tokens[k].is_word and shapes.definite(norm) and adjective):
            break
        words.append(k)
    last = t.norms[words[-1]]
    return words if len(words) > 1 and (shapes.relational(last) or last in t.cues.organisation_adjectives) else []


def described_clitic(t: Text, head: int) -> int | None:
    """Characters of clitic prefix before the written article of an Arabic word (0 for al-X, 1 for wa-l-X), or None
    when it writes no article of its own."""
    norm = t.norms[head]
    if norm.startswith(AR_ARTICLE):
        return 0
    prefix = next((p for p, stem in prefix_splits(norm) if stem.startswith(AR_ARTICLE)), None)
    return None if prefix is None else surface_length(t.tokens[head].text, len(prefix))


def _speaking_name(t: Text, verb: int) -> Candidate | None:
    """Who speaks after a reporting verb (Hebrew/Arabic: verb first) or before it (English)."""
    if t.lang not in ("he", "ar"):
        names = capitalised_run_before(t, verb)
        if not names:
            return None
        after_article = names[0] > 0 and t.norms[names[0] - 1] in t.cues.articles
        acronym = len(names) == 1 and t.capitals(names[0])  # "PSG claimed", "USGS said"
        return _found(names, "organisation" if after_article or acronym else "person")
    k = verb + 1
    if k >= len(t) or not t.tokens[k].is_word:
        return None
    norm = t.norms[k]
    if t.common(norm) or shapes.inflected(t, norm) or shapes.cue_noun(t, norm) or place_of(norm):
        return None
    stem = next((norm[len(a) :] for a in (AR_ARTICLE, shapes.HE_ARTICLE) if norm.startswith(a)), None)
    if stem is not None and len(stem) > 2 and t.frequency(stem) < SPEAKER_STEM_MAX_ZIPF:
        return _found([k], "organisation")
    names = name_run(t, k)
    if names and min(t.frequency(t.norms[n]) for n in names) < SPEAKER_NAME_MAX_ZIPF:
        return _found(names, "person")
    return None
