"""Speakers that are no tagged name: the noun phrase that is the reporting verb's subject.

The tagger names people and some organisations; many statements come from a body named by a common-noun phrase
("Lebanon's health ministry said", "the prime minister's office said", Arabic "qala ad-difa' al-madani as-suri",
Hebrew "mate ha-bchirot ... hodi'a") or from an unnamed person ("officials said", "the local sheriff told", Arabic
"qala mas'ul kabir"). ``subject_phrase`` reads the words right next to the verb on its subject side:

- the noun phrase is the run of words between the verb and the nearest boundary (punctuation, a complementizer,
  another reporting verb, a conjunction or clause opener, a preposition or time word: ``not_subjects``), at most
  ``PHRASE_WORDS`` words, cut at the first name mention the tagger found (a name is the existing speaker path's);
- its head is its last word in English and its first in the languages whose profiles set ``noun_head_first``
  (Hebrew, Arabic), with clitic prefixes stripped;
- a head among the ``speaker_bodies`` of the profiles (ministry, office, agency, Arabic wizara, Hebrew misrad) makes
  the phrase an organisation speaker, a ``Mention`` of the phrase with source ``"speaker"`` (it is not added to the
  article's mentions, so entity extraction is unchanged);
- a head among the ``unnamed_speakers`` (official, sources, the sheriff), a title or a person noun makes the speaker
  an unnamed person: ``UNNAMED``, which stops any fallback to a name elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from storylens.extraction.gazetteer import cue_words, is_cue
from storylens.extraction.quote_words import complementizer_letters, quote_words
from storylens.extraction.records import Mention
from storylens.lang import Token, all_profiles, normalise, prefix_splits, script_of, tokenize
from storylens.lang.profile import word_table

PHRASE_WORDS = 6  # words of a subject phrase ("the US Geological Survey", Hebrew "mate ha-bchirot shel ha-mitmoded")
REACH = 30 * PHRASE_WORDS  # characters read on either side of the verb (longer than any phrase)
JOINERS = frozenset("'’-.")  # marks inside a phrase: Lebanon's, U.S., al-Qassam


class Unnamed:
    """The verb's subject is a person the article does not name."""


UNNAMED = Unnamed()


@dataclass(frozen=True)
class SpeakerWords:
    bodies: frozenset[str]
    unnamed: frozenset[str]
    head_first_scripts: frozenset[str]
    subject_prefixes: frozenset[str]
    impersonal: frozenset[str]  # passive reporting verbs ("it was reported"): no subject
    boundaries: frozenset[str]  # words that end a subject phrase


@cache
def speaker_words() -> SpeakerWords:
    def words(key: str) -> frozenset[str]:
        return frozenset(normalise(w) for w in word_table("quote_words", key))

    cues = cue_words()
    qw = quote_words()
    return SpeakerWords(
        bodies=words("speaker_bodies"),
        unnamed=words("unnamed_speakers") | cues.person_nouns | cues.titles,
        head_first_scripts=frozenset(p.code for p in all_profiles() if p.quote_words.get("noun_head_first")),
        subject_prefixes=words("subject_prefixes"),
        impersonal=words("impersonal_verbs"),
        boundaries=qw.complementizers
        | qw.not_subjects
        | cues.reporting_verbs
        | cues.conjunctions
        | cues.clause_openers
        | cues.pronouns,
    )


def impersonal(verb: str) -> bool:
    """Is this reporting verb an impersonal passive (Hebrew dovach, "it was reported")?"""
    return is_cue(normalise(verb), speaker_words().impersonal)


def _is_boundary(token: Token, words: SpeakerWords) -> bool:
    """Punctuation, a function word, a reporting verb or a clause opened by a complementizer prefix (Hebrew
    she-)."""
    if not token.is_word:
        return token.text not in JOINERS
    if token.norm in words.boundaries or is_cue(token.norm, cue_words().reporting_verbs):
        return True
    return complementizer_letters(token.norm) is not None and not _is_head(token.norm, words)


def _name_follows(text: str, mentions: list[Mention], offset: int, end: int) -> bool:
    """Does a name mention start at the next word after ``offset`` (quote marks and spaces between)?"""
    nxt = next((t for t in tokenize(text[offset:end]) if t.is_word or t.is_number), None)
    return nxt is not None and any(m.start <= offset + nxt.start < m.end for m in mentions)


def _in(norm: str, heads: frozenset[str], words: SpeakerWords) -> bool:
    """``norm`` or its stem after a clitic prefix a subject may carry (and, the: Hebrew ve-, ha-, Arabic wa-,
    al-) is in ``heads``; a preposition clitic (Hebrew le-, Arabic li-: "told to the agency") makes no subject."""
    return norm in heads or any(p in words.subject_prefixes and stem in heads for p, stem in prefix_splits(norm))


def _is_head(norm: str, words: SpeakerWords) -> bool:
    return _in(norm, words.bodies, words) or _in(norm, words.unnamed, words)


def _phrase(tokens: list[Token], forward: bool) -> list[Token]:
    """The words next to the verb up to a boundary: ``tokens`` run away from the verb."""
    words = speaker_words()
    run: list[Token] = []
    for token in tokens:
        if _is_boundary(token, words) or sum(t.is_word for t in run) >= PHRASE_WORDS:
            break
        run.append(token)
    while run and not run[-1].is_word:
        run.pop()
    return run if forward else run[::-1]


def subject_phrase(
    text: str, mentions: list[Mention], verb: tuple[int, int], clause: tuple[int, int], after: bool
) -> Mention | Unnamed | None:
    """The speaker a common-noun subject names next to the verb at ``verb`` (after it when ``after``), inside
    ``clause``; None when the words there are no such subject or a name mention stands in them."""
    words = speaker_words()
    if after:
        offset = verb[1]
        run = _phrase(tokenize(text[offset : min(clause[1], offset + REACH)]), forward=True)
    else:
        offset = max(clause[0], verb[0] - REACH)
        run = _phrase(tokenize(text[offset : verb[0]])[::-1], forward=False)
    run = [t for t in run if t.is_word or t.text in JOINERS]
    if after and _name_follows(text, mentions, offset + run[-1].end if run else offset, clause[1]):
        return None  # "the network "CNN"", Arabic "wakalat Reuters": the noun introduces a name
    named = [m for m in mentions if any(m.start <= offset + t.start < m.end for t in run)]
    content = [t for t in run if t.is_word]
    if not content:
        return None
    if not after and script_of(content[0].text) in words.head_first_scripts:  # "ha-sherif ha-mekomi amar"
        content = next((content[k:] for k, t in enumerate(content) if _is_head(t.norm, words)), content)
    head = content[0] if script_of(content[0].text) in words.head_first_scripts else content[-1]
    if any(m.start <= offset + head.start < m.end for m in named):
        return None
    articles = cue_words().articles | quote_words().gap_words
    while content and content[0].norm in articles:
        content.pop(0)
    if _in(head.norm, words.bodies, words):
        bodies = [m for m in named if m.type == "organisation"]
        if bodies:  # "the US aid agency USAID said": the name speaks
            return bodies[0]
        if len(content) < 2:  # "the agency said": one named before, not a name here
            return None
        start, end = offset + content[0].start, offset + content[-1].end
        return Mention(start, end, text[start:end], "organisation", normalise(text[start:end]), source="speaker")
    if named or not _in(head.norm, words.unnamed, words):
        return None
    return titled_person(text, mentions, [t.norm for t in content], offset + content[0].start) or UNNAMED


def titled_person(text: str, mentions: list[Mention], phrase: list[str], before: int) -> Mention | None:
    """The person last named, before ``before``, right after these very words ("the Ukrainian president said"
    after "Ukrainian President Volodymyr Zelensky"), or None."""
    for m in sorted((m for m in mentions if m.type == "person" and m.end <= before), key=lambda m: -m.start):
        words = [t.norm for t in tokenize(text[max(0, m.start - 80) : m.start]) if t.is_word][-len(phrase) :]
        if words == phrase:
            return m
    return None


def title_complement(text: str, mentions: list[Mention], name: Mention) -> bool:
    """Is this name the complement of a title before it, with the title's holder in apposition after it (Arabic
    "qala mustashar Putin, Yuri Ushakov": Putin's adviser speaks, not Putin)?"""
    before = [t for t in tokenize(text[max(0, name.start - 40) : name.start]) if t.is_word][-1:]
    if not before or not is_cue(before[0].norm, cue_words().titles):
        return False
    after = tokenize(text[name.end : name.end + 10])
    if not after or after[0].text not in quote_words().apposition_marks:
        return False
    start = name.end + after[0].end
    nxt = next((t for t in tokenize(text[start : start + 40]) if t.is_word), None)
    return nxt is not None and any(
        m.type == "person" and m.start <= start + nxt.start < m.end for m in mentions if m is not name
    )
