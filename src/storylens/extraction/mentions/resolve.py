"""From proposals to mentions: shape the spans, apply the vetoes, type, resolve overlaps, cut clitics.

Order: the tagger proposes first (its people and one-word places are evidence for the other rules), then the
title, regnal-name, lexicon-name, place-list, organisation-list, context, credit and dateline proposers. Tagged
spans are split at "and" + a further name and trimmed, and a tagged organisation or place may be extended
(``spans``); the vetoes judge them (``vetoes``); context and the organisation list type them (``kinds``); names
found spread to their other occurrences (``proposers.propagated``). Overlaps go to the firm evidence first (a title,
a list, a lexicon name, a dateline), then to the longest span, then by source rank. A clitic prefix is left out of a
mention only when the stripped form is known (``Text.clitic_length``).
"""

from __future__ import annotations

from collections.abc import Sequence

from storylens.extraction.mentions import kinds, spans, vetoes
from storylens.extraction.mentions.context import context
from storylens.extraction.mentions.lexicon_names import people
from storylens.extraction.mentions.lines import credits, datelines
from storylens.extraction.mentions.numbered import regnal
from storylens.extraction.mentions.proposers import Proposer, organisations, places, propagated, tagger, titles
from storylens.extraction.mentions.text import Candidate, Text
from storylens.extraction.records import Mention
from storylens.lang import normalise, surface_length

SOURCE_RANK = {"cue": 0, "gazetteer": 1, "lexicon": 1, "document": 2, "tagger": 3, "context": 4}
DEFAULT_PROPOSERS: tuple[Proposer, ...] = (
    tagger,
    titles,
    regnal,
    people,
    places,
    organisations,
    context,
    credits,
    datelines,
)


def shaped(t: Text, c: Candidate) -> list[Candidate]:
    """A proposal after the span rules: tagged spans split and trimmed, organisations and places extended."""
    parts = [c]
    if c.proposer == "tagger":
        parts = [p for part in spans.split_coordinated(t, c) if (p := spans.trim(t, part)) is not None]
    return [spans.quoted(t, spans.glued(t, spans.extend(t, spans.possessive(t, p)))) for p in parts]


def candidates(t: Text, proposers: Sequence[Proposer]) -> list[Candidate]:
    """Every proposal that survives the span rules and the vetoes, typed."""
    found: list[Candidate] = []
    for proposer in proposers:
        for c in proposer(t):
            for part in shaped(t, c):
                if vetoes.vetoed(t, part, after_choice=False) is None:
                    found.append(kinds.tagged_type(t, part) if part.proposer == "tagger" else part)
    found = [kinds.sports_club(t, kinds.listed_type(t, kinds.retyped(t, c))) for c in found]
    spread = [kinds.retyped(t, c) for c in propagated(t, found)]
    return vetoes.club_tails(t, kinds.context_typed(t, found + spread))


def generic_list_names(found: list[Candidate]) -> list[Candidate]:
    """A name of the organisation list that an organisation phrase of the context proposer continues (same first
    word, more words after it) gives way to the phrase: the list name is a generic core that the phrase's modifiers
    make another organisation (Arabic "majlis al-amn al-qawmi al-ukrani", Ukraine's national security council, is
    not "majlis al-amn", the UN Security Council). A list name that holds the modifiers itself is as long; a phrase
    holding another list name ("harakat Hamas al-filastiniyya") leaves the list names as they are."""
    listed = [c for c in found if c.proposer == "organisations"]
    phrases = [c for c in found if c.proposer == "context" and c.type == "organisation"]

    def continued(c: Candidate) -> bool:
        return any(
            p.first == c.first
            and p.last > c.last
            and not any(o is not c and p.first <= o.first and o.last <= p.last for o in listed)
            for p in phrases
        )

    return [c for c in found if not (c.proposer == "organisations" and continued(c))]


def choose(t: Text, found: list[Candidate]) -> list[Candidate]:
    """Non-overlapping spans, firm evidence first, then the longest; then the vetoes judging chosen spans. An
    organisation of the list continued by a context phrase gives way to it (``generic_list_names``)."""
    found = sorted(
        generic_list_names(found), key=lambda c: (SOURCE_RANK[c.source] > 1, c.first - c.last, SOURCE_RANK[c.source])
    )
    taken: set[int] = set()
    chosen: list[Candidate] = []
    for c in found:
        span = set(range(c.first, c.last + 1))
        if not span & taken:
            taken |= span
            if vetoes.vetoed(t, c, after_choice=True) is None:
                chosen.append(c)
    chosen.sort(key=lambda c: c.first)
    return kinds.listed_places(t, chosen)


def mention(t: Text, c: Candidate) -> Mention | None:
    """The mention of a chosen span, its clitic prefix left out; None when no letter is left."""
    head = t.tokens[c.first]
    clitic = c.clitic if c.clitic is not None else surface_length(head.text, t.clitic_length(c.first))
    start = head.start + clitic
    end = t.tokens[c.last].end
    surface = t.text[start:end]
    if len(surface) < 2 or not any(ch.isalpha() for ch in surface):
        return None
    key = " ".join([normalise(head.text[clitic:]), *t.norms[c.first + 1 : c.last + 1]])
    return Mention(start, end, surface, c.type, key, c.source)


def extract_mentions(text: str, lang: str, proposers: Sequence[Proposer] = DEFAULT_PROPOSERS) -> list[Mention]:
    """People, organisations and places named in ``text`` (a single article), in text order.

    ``proposers`` replaces the default proposers (the tagger first, as the others read its evidence), for
    example to test the span rules and vetoes on proposals of one's own.
    """
    t = Text(text, lang)
    return [m for c in choose(t, candidates(t, proposers)) if (m := mention(t, c)) is not None]
