"""Proposers: each reads the text and proposes spans with a type. They may overlap and be wrong; the span rules
(``spans``), the vetoes (``vetoes``) and the resolution (``resolve``) decide what is kept.

- ``tagger``: the shipped CRF tagger of the language (``extraction.tagger``), sentence by sentence.
- ``titles``: the name after a title or role ("President X", Arabic "al-ra'is al-rusi X"), from the profiles'
  ``name_cues.titles`` and ``title_modifiers``.
- ``places``: CLDR place names (``extraction.gazetteer``), also after clitic prefixes.
- ``organisations``: the lexicon's organisation list (``storylens.lexicon``), also after clitic prefixes.
- ``context`` (``context.py``): names shown by a place noun, an organisation noun, a list noun or a reporting verb.
- ``document`` (``propagated``): further occurrences of names already found, and a person's surname alone.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from functools import cache

from storylens.extraction.gazetteer import Place, after_title_flags, gazetteer, is_cue, known_type, place_stems, regions
from storylens.extraction.mentions import shapes
from storylens.extraction.mentions.text import ARTICLES, LATIN_TAGGER, Candidate, Text, tags_latin_runs
from storylens.extraction.records import EntityType
from storylens.extraction.tagger import model_for, name_tokens, spans_from_tags, token_features
from storylens.lang import normalise, prefix_splits, sentence_spans, surface_length
from storylens.lang.profile import all_profiles, punctuation, word_table

Proposer = Callable[[Text], list[Candidate]]

TITLE_NAME_CHECK_ZIPF = 4  # a Hebrew/Arabic word after a title this frequent needs more evidence of a name
MAX_TITLE_CHAIN = 7
MAX_NAME_WORDS = 3
PROPAGATION_WEIGHT = {"tagger": 1, "context": 2}  # other sources weigh 3; a name spreads at a total above 1
POSSESSIVE_WORDS = frozenset(word_table("grammar", "possessive_words"))  # "of" and its Hebrew word
COMMAS = tuple(punctuation("commas"))  # the Latin and the Arabic comma
JOINERS = frozenset(j for p in all_profiles() for j in p.prefix_joiners)
RUN_MARKS = frozenset("./&-'")  # marks inside a run of Latin words ("PATRICK T. FALLON", "AFP/Getty")


def tag_spans(t: Text) -> list[tuple[int, int, EntityType]]:
    """The tagger's (first token, last token, type) spans, sentence by sentence (the tagger's public functions). In
    a text of another script that has a tagger of its own (Hebrew, Arabic), a run of Latin-script words (a credit
    "REUTERS/Jane Doe", a company's Latin name) is tagged by the English model instead, which knows Latin capitals
    and names."""
    spans: list[tuple[int, int, EntityType]] = []
    starts = [token.start for token in t.tokens]
    other_script = tags_latin_runs(t.lang)
    for start, end in sentence_spans(t.text):
        ids = range(bisect_left(starts, start), bisect_left(starts, end))
        runs = _latin_runs(t, ids) if other_script else []
        inside = {k for run in runs for k in run}
        spans += [s for s in _tagged(t, ids, t.lang) if not inside.intersection(range(s[0], s[1] + 1))]
        for run in runs:
            spans += _tagged(t, run, LATIN_TAGGER)
    return spans


def _tagged(t: Text, ids: range, lang: str) -> list[tuple[int, int, EntityType]]:
    model = model_for(lang)
    if model is None or not ids:
        return []
    words = [t.tokens[k].text for k in ids]
    norms = [t.norms[k] for k in ids]
    titles = after_title_flags(norms)
    features = [token_features(words, norms, lang, n, known_type, titles) for n in range(len(ids))]
    return [(ids[first], ids[last], kind) for first, last, kind in spans_from_tags(model.tag(features))]


def _latin_runs(t: Text, ids: range) -> list[range]:
    """Maximal runs of Latin-script words (and the marks between them) holding a capitalised word, in a sentence of
    a text whose language is written in another script."""
    runs: list[range] = []
    first: int | None = None
    for k in [*ids, ids.stop]:
        latin = k < ids.stop and t.tokens[k].is_word and t.latin(k) and t.tokens[k].text[:1].isalpha()
        joined = k < ids.stop and first is not None and t.tokens[k].text in RUN_MARKS
        if latin or joined:
            first = k if first is None else first
            continue
        if first is not None:
            last = k - 1
            while last >= first and not t.tokens[last].is_word:
                last -= 1
            if any(t.tokens[n].text[:1].isupper() for n in range(first, last + 1)):
                runs.append(range(first, last + 1))
        first = None
    return runs


def tagger_with(tag: Callable[[Text], list[tuple[int, int, EntityType]]]) -> Proposer:
    """A tagger proposer over ``tag``'s (first, last, type) spans (``tag_spans`` ships; tests pass their own)."""

    def propose(t: Text) -> list[Candidate]:
        """The tagger's spans. An acronym it calls a person is an organisation (Hebrew nat"o, a lone PSG). It also
        records which tokens it put in people and which words it types a place alone (evidence for other rules)."""
        spans = tag(t)
        people = [range(first, last + 1) for first, last, kind in spans if kind == "person"]
        t.tagged_people.update(k for span in people for k in span)
        t.tagged_tokens.update(k for first, last, _ in spans for k in range(first, last + 1))
        for span in people:
            t.tagged_person_ends[span[0]] = max(span[-1], t.tagged_person_ends.get(span[0], span[-1]))
        t.tagged_places.update(t.norms[first] for first, last, kind in spans if kind == "place" and first == last)
        # a "person" ending with a describing adjective ("Mandalay al-tarikhi") is no evidence against a place
        person_words = {t.norms[k] for span in people if not shapes.describing(t, span[-1]) for k in span}
        t.tagged_places.difference_update(person_words)
        found: list[Candidate] = []
        for first, last, kind in spans:
            acronym = kind != "place" and (
                any('"' in t.norms[k] for k in range(first, last + 1)) or (first == last and t.capitals(first))
            )
            found.append(Candidate(first, last, "organisation" if acronym else kind, "tagger", proposer="tagger"))
        return found

    return propose


tagger = tagger_with(tag_spans)


def titles(t: Text) -> list[Candidate]:
    """People named right after a title or role and its modifiers; several when joined by "and" (Arabic
    "the envoys X wa-Y") or listed after a possessive ("Trump's son-in-law, Jared Kushner")."""
    found: list[Candidate] = []
    i = 0
    while i < len(t):
        if not t.title_at(i):
            i += 1
            continue
        j = i + 1
        while j < len(t) and j - i <= MAX_TITLE_CHAIN and shapes.is_modifier(t, t.norms[j]):
            j += 1
        possessor = t.norms[j - 1] in POSSESSIVE_WORDS
        clitic: int | None = None
        while j < len(t):
            k = j + (clitic is not None)  # a coordinated name's first word keeps its conjunction
            while (
                k < len(t)
                and k - j - _particles(t, j, k) < MAX_NAME_WORDS
                and not (k > j and shapes.further_name(t, k))
                and shapes.name_like(t, k, first=k == j, place_ok=k == j and shapes.name_like(t, k + 1, first=False))
            ):
                k += 1
            names = _tagged_to_end(t, _trim_name(t, list(range(j, k))))
            if not names or not _shown_name(t, names) or _organisation_after_title(t, names):
                break
            found.append(Candidate(names[0], names[-1], "person", "cue", clitic, "titles"))
            j = names[-1] + 1
            clitic = None
            if shapes.coordinated_name(t, j):
                clitic = surface_length(t.tokens[j].text, 1)
            elif possessor and j < len(t) and t.tokens[j].text in COMMAS:
                j += 1
                possessor = False
            else:
                break
        i = max(j, i + 1)
    return found


def _tagged_to_end(t: Text, names: list[int]) -> list[int]:
    """A one-word name after a title takes the next word when the tagger's person span from that name ends there
    (Arabic "al-ra'is Ibrahim Ra'isi": Ra'isi, also "my chief", stopped the title's name), unless that word is common,
    an indefinite noun or "and" + a further name."""
    if len(names) != 1:
        return names
    k = names[0] + 1
    if t.tagged_person_ends.get(names[0]) != k or not t.tokens[k].is_word:
        return names
    word = t.tokens[k]
    if t.common(word.norm) or shapes.TANWEEN.search(word.text) or shapes.further_name(t, k):
        return names
    return [names[0], k]


def _particles(t: Text, j: int, k: int) -> int:
    """Name particles among tokens j..k-1 (Arabic "abd", "abu", "bin"): with the word after them they are one word of
    a name, so "Husayn Amir Abd al-Lahiyan" has three."""
    return sum(t.norms[n] in shapes.NAME_PARTICLES for n in range(j, k))


def _shown_name(t: Text, names: list[int]) -> bool:
    """Hebrew/Arabic words after a title are a name when one of them is rare, tagged as a person, or recurs."""
    return any(
        t.latin(k)
        or t.frequency(t.norms[k]) < TITLE_NAME_CHECK_ZIPF
        or k in t.tagged_people
        or t.bare_counts[t.norms[k]] > 1
        for k in names
    )


def _organisation_after_title(t: Text, names: list[int]) -> bool:
    """Words after a title that name an organisation: opening with a name of the organisation list (Hebrew "the
    candidate of Hezbollah"; a one-word name only when it is no person-name word of the tagger's lexicon: "President
    Ford"), or English capitalised words after "the" or headed by an organisation noun ("a spokeswoman for the Joint
    Rescue Coordination Centre")."""
    from storylens.lexicon.names import organisation_names

    listed, person_words = organisation_names(), name_tokens(t.lang)
    first = names[0]
    for head in (t.norms[first], *(stem for _, stem in prefix_splits(t.norms[first]))):
        if "per" not in person_words.get(head, "").split("+") and (head,) in listed:
            return True
        if any((head, *t.norms[first + 1 : first + size]) in listed for size in range(2, len(names) + 1)):
            return True
    if not t.latin(first):
        return False
    after = names[-1] + 1
    heads = [*names, after] if after < len(t) and t.tokens[after].text[0].isupper() else names
    return (names[0] > 0 and t.norms[names[0] - 1] in t.cues.articles) or any(
        t.norms[k] in t.cues.organisation_nouns for k in heads
    )


def _trim_name(t: Text, names: list[int]) -> list[int]:
    """Keep Hebrew/Arabic words after the first only when the text shows they belong to the name: not from an
    Arabic imperfect verb on, not a second word that never recurs when the first does, not a frequent third word.
    A name particle and the word after it stay together ("Fadi Abd al-Karim")."""
    if len(names) < 2 or t.latin(names[0]):
        return names
    kept = _trim_words(t, names)
    while len(kept) < len(names) and t.norms[kept[-1]] in shapes.NAME_PARTICLES:
        kept = names[: len(kept) + 1]
    return kept


def _trim_words(t: Text, names: list[int]) -> list[int]:
    verb = next((n for n, k in enumerate(names) if n and shapes.imperfect_verb(t, k)), None)
    names = names[:verb]
    if len(names) < 2:
        return names
    first, second = (t.occurrences[t.norms[k]] for k in names[:2])
    if second <= 1 and first > 1:
        return names[:1]
    third = names[2] if len(names) > 2 else None
    if (
        third is not None
        and not {t.norms[names[1]], t.norms[third]} & shapes.NAME_PARTICLES
        and not shapes.recurring_name(t, third)
        and (
            second > 1 or (t.frequency(t.norms[third]) >= shapes.RARE_NAME_ZIPF + 0.5 and third not in t.tagged_people)
        )
    ):
        return names[:2]  # a known word after a two-word name is more likely its verb (Hebrew "Lavrov attacked")
    return names


@cache
def _place_names() -> tuple[dict[tuple[str, ...], Place], frozenset[str], int]:
    """CLDR places and the lexicon's first-level regions: names, their first words, the most words of one."""
    names = {**regions(), **gazetteer().places}
    return names, frozenset(key[0] for key in names), max(len(key) for key in names)


def _vocabulary_region(t: Text, i: int, key: tuple[str, ...]) -> bool:
    """A one-word Hebrew/Arabic region name that is also a common noun of the language (Arabic jawhar "essence", the
    Malaysian state Johor; ``shapes.dictionary_noun``): without CLDR's word for it, the text alone cannot tell."""
    if len(key) > 1 or t.latin(i) or key in gazetteer().places:
        return False
    return shapes.dictionary_noun(t, key[0]) or t.common(key[0])


def places(t: Text) -> list[Candidate]:
    """CLDR place names and first-level regions (``gazetteer.regions``), longest first, bare or after clitic
    prefixes (Hebrew be-Moskva, Arabic wa-Rusiya); a capitalised place modifier before one opens the name
    (``_modified``)."""
    names, place_heads, max_words = _place_names()
    found: list[Candidate] = []
    for i, token in enumerate(t.tokens):
        heads = [token.norm, *(s for s in place_stems(token.norm) if t.clitic_on(s, token.norm))]
        if not token.is_word or not any(h in place_heads for h in heads):
            continue
        if token.text[0].isascii() and not token.text[0].isupper():
            continue
        for size in range(max_words, 0, -1):
            rest = tuple(t.norms[i + 1 : i + size])
            if len(rest) != size - 1:
                continue
            key = next(((h, *rest) for h in heads if (h, *rest) in names), None)
            place = names[key] if key is not None and not _vocabulary_region(t, i, key) else None
            if place is not None:
                found.append(_modified(t, Candidate(i, i + size - 1, place.kind, "gazetteer", proposer="places")))
                break
    return found


def _modified(t: Text, c: Candidate) -> Candidate:
    """A one-word Latin-script place with a capitalised place modifier right before it ("South Texas", "Northern
    California": the capital shows a name), or a capitalised place opener or place noun and a connector word
    ("Gulf of Mexico", "Strait of Hormuz"). Hebrew and Arabic write "south of X" and "South X" alike, so there the
    modifier stays out."""
    k = c.first - 1
    if c.type != "place" or k < 0 or c.first != c.last or not t.latin(k) or not t.latin(c.first):
        return c
    cues = t.cues
    if t.norms[k] in cues.name_connectors and k > 0 and _capitalised(t, k - 1):
        head = t.norms[k - 1]
        return replace(c, first=k - 1) if head in cues.place_openers or head in cues.place_nouns else c
    modifier = _capitalised(t, k) and t.norms[k] in cues.place_modifiers
    return replace(c, first=k) if modifier and not t.sentence_initial(k) else c


def _capitalised(t: Text, k: int) -> bool:
    return t.tokens[k].is_word and t.tokens[k].text[:1].isupper() and t.latin(k)


def organisations(t: Text) -> list[Candidate]:
    """Names of the lexicon's organisation list, longest first, also after clitic prefixes (Hebrew ve-Hamas, Arabic
    li-maktab ...); a Latin-script one capitalised, an acronym of the list in capitals. The rare comparison clitic
    "like" is not read before a one-word name (as for places): Arabic Kabul is no ka- + Apple."""
    from storylens.lexicon.names import organisation_acronyms, organisation_names, strip_candidates

    names, acronyms = organisation_names(), organisation_acronyms()
    longest = max(len(key) for key in names)
    found: list[Candidate] = []
    for i, token in enumerate(t.tokens):
        if not token.is_word or (token.text[0].isascii() and not token.text[0].isupper()):
            continue
        heads: dict[str, str] = {}
        for prefix, stem in strip_candidates(token.text):  # bare first, then the shortest prefix first
            heads.setdefault(normalise(stem), prefix)
        for size in range(longest, 0, -1):
            rest = tuple(t.norms[i + 1 : i + size])
            head = next((h for h in heads if len(rest) == size - 1 and (h, *rest) in names), None)
            if head is None:
                continue
            prefix = normalise(heads[head])
            clitic: int | None = prefix_length(token.text, prefix)
            if size == 1 and prefix.endswith(tuple(t.cues.comparison_clitics)):
                break
            if (head,) in acronyms and size == 1 and not t.capitals(i):
                break  # an acronym of the list written in lower case ("Un" is no UN)
            if not prefix or prefix.endswith(ARTICLES):
                clitic = None  # no prefix, or an article: the text decides (``Text.clitic_length``)
            found.append(Candidate(i, i + size - 1, "organisation", "gazetteer", clitic, "organisations"))
            break
    return found


def prefix_length(word: str, prefix: str) -> int:
    """Characters of ``word`` taken by the clitic ``prefix`` and a joiner after it (Hebrew maqaf)."""
    length = surface_length(word, len(prefix)) if prefix else 0
    return length + (length > 0 and word[length : length + 1] in JOINERS)


def propagated(t: Text, known: list[Candidate]) -> list[Candidate]:
    """Other occurrences of names already found (after a clitic prefix too): full names and, for people, the
    surname alone. A name spreads when its evidence weighs more than one tagger guess; an acronym only to words
    written in capitals ("UN" is not "Un")."""
    votes: dict[tuple[str, ...], Counter[EntityType]] = {}
    for c in known:
        words = t.words(c)
        weight = PROPAGATION_WEIGHT.get(c.source, 3)
        votes.setdefault(words, Counter())[c.type] += weight
        if c.type == "person" and len(words) > 1 and not t.common(words[-1]):
            votes.setdefault(words[-1:], Counter())["person"] += weight
    phrases = {p: v.most_common(1)[0][0] for p, v in votes.items() if v.total() > 1}
    acronyms = {t.words(c) for c in known if c.first == c.last and t.capitals(c.first)}
    longest = max((len(p) for p in phrases), default=0)
    found: list[Candidate] = []
    i = 0
    while i < len(t):
        for size in range(longest, 0, -1):
            window = tuple(t.norms[i : i + size])
            if len(window) < size or not t.tokens[i].is_word or (t.latin(i) and not t.tokens[i].text[:1].isupper()):
                continue  # a Latin name is capitalised wherever it recurs ("US", not "us")
            heads = [("", window[0]), *prefix_splits(window[0])]
            match = next(((p, h) for p, h in heads if (h, *window[1:]) in phrases), None)
            if match is not None and not (size == 1 and window in acronyms and not t.capitals(i)):
                prefix, head = match
                clitic = surface_length(t.tokens[i].text, len(prefix))
                kind = phrases[(head, *window[1:])]
                found.append(Candidate(i, i + size - 1, kind, "document", clitic, "document"))
                i += size - 1
                break
        i += 1
    return found


def cue_is(t: Text, k: int, words: frozenset[str]) -> bool:
    """Token k (bare or after a clitic prefix) is one of ``words``; False past the text."""
    return 0 <= k < len(t) and is_cue(t.norms[k], words)
