"""Types: what the context and the name lexicon say a proposed name is, over the tagger's guess.

- Lexicon: a whole name of the organisation list is an organisation ("Reuters" tagged a person).
- Head and cue words (``name_cues``): a name headed by a place noun ("Gatwick Airport" is headed by an
  organisation noun, "Donbas region" by a place noun) or introduced by one takes its type; a Latin name opening
  with an organisation noun or opener is an organisation ("Radio X"); a Latin name opening with
  a place opener is a place ("Kiryat Shmona"); a non-gazetteer "place" that speaks is an organisation ("the Kremlin
  said"); a tagged "person" after an article is none ("the Pentavale"); a name after a job and "at" is its employer
  ("an analyst at X").
- A Latin name of capitalised words opening or ending with a one-word place, itself no place, is an organisation
  named after its city ("Bayern Munich").
- The type the context gives a name at one occurrence holds at all its occurrences (``context_typed``), and names
  listed with a sure place are places (``listed_places``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from storylens.extraction.gazetteer import gazetteer, is_cue, place_of
from storylens.extraction.mentions import shapes
from storylens.extraction.mentions.shapes import CONJUNCTION_CLITICS, SENTENCE_ENDS
from storylens.extraction.mentions.text import Candidate, Text
from storylens.extraction.records import EntityType
from storylens.lang.profile import punctuation

QUOTE_MARKS = frozenset("\"«»“”„‘’'")
SPORTS_WINDOW = 40  # tokens either side of a place searched for a team noun of its sentence
COMMAS = tuple(punctuation("commas"))


def named_after_place(t: Text, c: Candidate) -> bool:
    """A Latin-script name of capitalised words opening or ending with a one-word place (CLDR, or typed a place
    alone elsewhere in the text), itself no place, with no place word or acronym in it: a club or company named
    after its city ("Bayern Munich" beside "in Munich")."""
    first, last = c.first, c.last
    if first == last or not t.latin(first):
        return False
    norms = t.norms[first : last + 1]
    cues = t.cues
    return (
        all(t.tokens[k].text[0].isupper() for k in range(first, last + 1))
        and (t.text_place(norms[0]) or t.text_place(norms[-1]))
        and not any(t.capitals(k) for k in range(first, last + 1))
        and tuple(norms) not in gazetteer().places
        and not any(is_cue(n, cues.place_nouns) or n in cues.place_openers or n in cues.place_modifiers for n in norms)
    )


def speaks(t: Text, c: Candidate) -> bool:
    """Is the name the subject of a reporting verb or the source of "according to"?"""
    verbs = t.cues.reporting_verbs
    near = [t.norms[k] for k in (c.first - 1, c.first - 2, c.last + 1) if 0 <= k < len(t)]
    return (
        any(is_cue(n, verbs) for n in near[:1] + near[2:])
        or (len(near) > 1 and near[1] in t.cues.source_openers)
        or (len(near) > 1 and near[0] in t.cues.infinitive_markers and is_cue(near[1], verbs))
    )


def retyped(t: Text, c: Candidate) -> Candidate:
    """Type from the head word and the words around a name the tagger or the text found (see module doc)."""
    if c.source in ("cue", "gazetteer", "lexicon"):
        return c
    cues = t.cues
    before = t.norms[c.first - 1] if c.first > 0 else ""
    before_quote = t.norms[c.first - 2] if c.first > 1 and before in QUOTE_MARKS else before
    after = t.tokens[c.last + 1] if c.last + 1 < len(t) else None
    opening = t.norms[c.first]
    head = opening if t.lang in ("he", "ar") else t.norms[c.last]  # English names end with their head noun
    if c.first != c.last and _denomination(t, c):
        return replace(c, type="organisation", source="context")
    if is_cue(head, cues.place_nouns) and c.first != c.last:
        return replace(c, type="place", source="context")
    if is_cue(head, cues.organisation_nouns) or is_cue(before_quote, cues.organisation_nouns):
        return replace(c, type="organisation", source="context")
    if c.first != c.last and _organisation_opening(t, c.first):
        return replace(c, type="organisation", source="context")
    if c.first != c.last and t.latin(c.first) and is_cue(opening, cues.place_openers):
        return replace(c, type="place", source="context")
    if t.lang in ("he", "ar") and is_cue(before, cues.place_nouns):
        return replace(c, type="place", source="context")
    if after is not None and after.norm in cues.place_nouns and after.text.islower():
        return replace(c, type="place", source="context")
    if c.type == "place" and place_of(t.stem(c.first)) is None and speaks(t, c):
        return replace(c, type="organisation", source="context")
    if c.type == "person" and before in cues.articles and t.latin(c.first):
        return replace(c, type="organisation", source="context")
    if _employer(t, c):
        return replace(c, type="organisation", source="context")
    return c


def _organisation_opening(t: Text, k: int) -> bool:
    """A name opening at ``k`` with an organisation noun or opener (``organisation_openers``: "Radio Azadi", "Bank
    of Korea", "Air Canada") names the organisation, whatever its last word looks like; not before a title ("Air
    Marshal"). In Hebrew/Arabic only an opener counts, the transliterated "Air" of an airline (the organisation
    nouns there are already the head word)."""
    opening = t.norms[k]
    if k + 1 < len(t) and t.norms[k + 1] in t.cues.titles:
        return False
    if not t.latin(k):
        return opening in t.cues.organisation_openers
    return opening in t.cues.organisation_nouns or opening in t.cues.organisation_openers


def _denomination(t: Text, c: Candidate) -> bool:
    """A Latin "Church" named by denomination words only (``denomination_adjectives``: Catholic, Orthodox, and a
    people's word: "Russian Orthodox Church") is the institution; a church named otherwise ("Holy Family Church",
    "St Mark's Church") is a building, a place."""
    if not t.latin(c.first) or t.norms[c.last] not in t.cues.denomination_nouns:
        return False
    words = range(c.first, c.last)
    return any(t.norms[k] in t.cues.denomination_adjectives for k in words) and all(
        t.norms[k] in t.cues.denomination_adjectives or shapes.demonym(t, k, k) for k in words
    )


def _employer(t: Text, c: Candidate) -> bool:
    """A Latin name after a job and "at" ("senior equity analyst at X", "a professor at X"): X employs people, an
    organisation, unless the place list knows it."""
    k = c.first
    return (
        t.latin(k)
        and k > 1
        and t.norms[k - 1] in t.cues.employer_prepositions
        and t.norms[k - 2] in t.cues.role_nouns
        and t.words(c) not in gazetteer().places
    )


def sports_club(t: Text, c: Candidate) -> Candidate:
    """A Latin-script place in a sentence about sports teams (a ``team_nouns`` word in it: "side", "winners",
    "striker"), not after a locative preposition ("in", "at", "from"), is a club named after its city ("the second
    French side to win it after Marseille"; "Borussia Dortmund in 1997"). A country (a CLDR territory) stays a
    place: national teams are named so, and the gold types countries as places."""
    if c.type != "place" or not t.latin(c.first) or c.source == "cue" or t.capitals(c.first):
        return c
    place = gazetteer().places.get(t.words(c))
    if place is not None and "/" not in place.id:
        return c  # a country or territory
    before = t.norms[c.first - 1] if c.first > 0 else ""
    if before in t.cues.locative_prepositions or (c.first > 0 and t.tokens[c.first - 1].text[:1].isupper()):
        return c
    teams = any(t.norms[k] in t.cues.team_nouns and t.tokens[k].text.islower() for k in _sentence_around(t, c))
    return replace(c, type="organisation", source="context") if teams else c


def _sentence_around(t: Text, c: Candidate) -> range:
    """The tokens of the sentence holding ``c``, at most ``SPORTS_WINDOW`` either side: up to a sentence mark or a
    line break."""
    first = c.first
    while first > 0 and c.first - first < SPORTS_WINDOW and not _sentence_break(t, first - 1, first):
        first -= 1
    last = c.last
    while last + 1 < len(t) and last - c.last < SPORTS_WINDOW and not _sentence_break(t, last, last + 1):
        last += 1
    return range(first, last + 1)


def _sentence_break(t: Text, k: int, n: int) -> bool:
    """Does a sentence end between tokens k and n = k + 1 (a full stop, "!" or "?" token, or a new line)?"""
    return t.tokens[k].text in SENTENCE_ENDS or "\n" in t.text[t.tokens[k].end : t.tokens[n].start]


def tagged_type(t: Text, c: Candidate) -> Candidate:
    """A tagged span's type: an organisation when named after a place (``named_after_place``)."""
    return replace(c, type="organisation") if named_after_place(t, c) else c


def listed_type(t: Text, c: Candidate) -> Candidate:
    """A name the organisation list holds whole is an organisation, whatever a tagger or a line's shape guessed
    ("KREMLIN" opening a dateline, "Reuters" tagged a person). The list is curated; CLDR places are not used so, as
    clubs and companies share their city's name."""
    from storylens.lexicon.names import organisation_names

    if c.proposer in ("organisations", "places", "titles", "people") or c.type == "organisation":
        return c
    return replace(c, type="organisation") if t.words(c) in organisation_names() else c


def context_typed(t: Text, candidates: list[Candidate]) -> list[Candidate]:
    """The type the context gives a name at some of its occurrences holds at all of them (Hebrew "shel Air India"
    takes the type of "hevrat Air India", the company); tagger guesses, propagated types and the lexicon's people
    give way (Eli Lilly is a person of the lexicon, and a company listed after "companies such as")."""
    votes: dict[tuple[str, ...], Counter[EntityType]] = {}
    for c in candidates:
        if c.source == "context":
            votes.setdefault(t.words(c), Counter())[c.type] += 1
    return [
        replace(c, type=votes[key].most_common(1)[0][0])
        if c.source in ("tagger", "document", "lexicon") and (key := t.words(c)) in votes
        else c
        for c in candidates
    ]


def listed_places(t: Text, chosen: list[Candidate]) -> list[Candidate]:
    """Names listed with a sure place ("Kunar, Laghman and Panjshir provinces", Arabic "al-Qirim wa-Dunbas") are
    places too, unless a title, the gazetteer or a name found earlier in the text says otherwise."""
    typed = list(chosen)
    for _ in range(2):  # a list can spread both ways
        for n, c in enumerate(typed):
            if c.source in ("cue", "gazetteer", "lexicon", "document") or c.type == "place":
                continue
            neighbours = [typed[m] for m in (n - 1, n + 1) if 0 <= m < len(typed)]
            if any(o.type == "place" and o.source != "tagger" and _listed(t, o, c) for o in neighbours):
                typed[n] = replace(c, type="place", source="context")
    return typed


def _listed(t: Text, a: Candidate, b: Candidate) -> bool:
    """Are two names next items of one list (joined by a comma, "and", or a wa-/ve- prefix)?"""
    first, second = (a, b) if a.first < b.first else (b, a)
    between = t.norms[first.last + 1 : second.first]
    conjunction_prefix = t.norms[second.first][:1] in CONJUNCTION_CLITICS and not between
    joined = len(between) == 1 and (between[0] in COMMAS or between[0] in t.cues.conjunctions)
    return (
        conjunction_prefix or joined or (len(between) == 2 and between[0] == "," and between[1] in t.cues.conjunctions)
    )
