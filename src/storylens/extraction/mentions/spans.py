"""Span rules: where a proposed name starts and ends.

- ``split_coordinated``: a tagged span is cut where "and" + a further name starts (Arabic "Miluni wa-Shultz");
  each part after the first leaves its conjunction out of the mention.
- ``trim``: a tagged span loses a title or a compound modifier ("Taliban-run") at its start, and at its end a
  clitic-laden Hebrew/Arabic word, a weekday or month, an agency acronym after a person ("Hector Retamal AFP"), a
  lowercase word ("Sistine Chapel chimney") and a describing adjective after a place ("Mandalay al-tarikhi").
- ``glued``: a span ending inside a written word grows to the word's end: letters of another script glued to its
  last word, digits in a credit line ("Flash90") and a web domain ("Space.com").
- ``quoted``: a name opening a quotation after an organisation noun grows to the closing quote mark ("the channel
  'CNN News-18'").
- ``extend``: a Latin-script organisation or place span grows over what the language data says continues a name:
  capitalised organisation or place nouns right after it ("National Unity" + "Government"), and, after such a
  head noun, a connector word and capitalised name words ("Dicastery" + "for Bishops", "Gulf" + "of Mexico").
- ``possessive``: a Latin name + 's + a capitalised place noun is one name ("St Peter's Basilica"), unless the part
  before 's is a place or organisation of the lists ("Moscow's Cathedral" is a cathedral of Moscow).
"""

from __future__ import annotations

from dataclasses import replace

from storylens.extraction.gazetteer import calendar_words, gazetteer, is_cue
from storylens.extraction.mentions import shapes
from storylens.extraction.mentions.text import Candidate, Text
from storylens.lang import surface_length

MAX_EXTENSION_WORDS = 3  # capitalised words taken after a connector word
MAX_DOMAIN_LETTERS = 4  # a top-level web domain after a glued dot: com, org, ru, info
MAX_QUOTED_TOKENS = 6  # tokens of a quoted name after an organisation noun that a span grows over
OPENING_QUOTES = frozenset("\"«“„'")
CLOSING_QUOTES = frozenset("\"»”'")


def split_coordinated(t: Text, c: Candidate) -> list[Candidate]:
    """A tagged span cut where "and" + a name word starts a further name (see ``shapes.further_name``)."""
    cuts = [k for k in range(c.first + 1, c.last + 1) if shapes.further_name(t, k)]
    if not cuts:
        return [c]
    ends = [*(k - 1 for k in cuts), c.last]
    return [
        replace(c, first=start, last=end, clitic=None if start == c.first else surface_length(t.tokens[start].text, 1))
        for start, end in zip([c.first, *cuts], ends, strict=True)
    ]


def trim(t: Text, c: Candidate) -> Candidate | None:
    """A tagged span without the words at its edges that are no part of a name (see module doc); None if empty."""
    first, last = c.first, c.last
    while first <= last and (
        (c.type == "person" and is_cue(t.norms[first], t.cues.titles)) or t.modifier_compound(first)
    ):
        first += 1
    while last > first and not t.latin(last) and shapes.prefixed_word(t, t.norms[last]):
        last -= 1
    while last > first and (
        t.norms[last] in calendar_words()
        or (c.type == "person" and t.capitals(last) and not _all_capitals(t, first, last - 1))
        or t.tokens[last].text.islower()
        or _described_place(t, first, last, c)
    ):
        last -= 1
    if first > last:
        return None
    clitic = c.clitic if first == c.first else None
    return replace(c, first=first, last=last, clitic=clitic)


def _all_capitals(t: Text, first: int, last: int) -> bool:
    """Every Latin word of tokens first..last is written in capitals ("PATRICK T." before "FALLON"): a name set in
    capitals, where a last word in capitals is its surname, not an agency after it."""
    words = [k for k in range(first, last + 1) if t.tokens[k].is_word]
    return bool(words) and all(t.latin(k) and t.tokens[k].text.isupper() for k in words)


def glued(t: Text, c: Candidate) -> Candidate:
    """A span grown over the tokens glued to its last one without a space: another script's letters (Hebrew
    "spays" + "X"), digits in a credit line, where a word glued to a number names a photo agency ("Flash" + "90";
    elsewhere it is a flight code or a model, see the ``model designation`` veto), or a dot and a short lowercase
    Latin word that ends the written word (a web domain: "Space" + ".com"). A name ends at a space or a mark, not
    inside a word."""
    last = c.last
    while last + 1 < len(t) and _touching(t, last, last + 1):
        nxt = t.tokens[last + 1]
        credited = c.proposer == "credits" and nxt.text.isdigit()
        if credited or (nxt.is_word and t.latin(last) != t.latin(last + 1)):
            last += 1
        elif nxt.text == "." and _domain(t, last + 2) and _touching(t, last + 1, last + 2):
            last += 2
        else:
            break
    return c if last == c.last else replace(c, last=last)


def _touching(t: Text, k: int, n: int) -> bool:
    return n < len(t) and t.tokens[k].end == t.tokens[n].start


def _domain(t: Text, k: int) -> bool:
    """Token k is a short lowercase Latin word ending the written word (``com``, ``org``, ``ru``)."""
    if k >= len(t):
        return False
    token = t.tokens[k]
    after = t.text[token.end : token.end + 1]
    return (
        token.is_word
        and token.text.isascii()
        and token.text.isalpha()
        and token.text.islower()
        and 2 <= len(token.text) <= MAX_DOMAIN_LETTERS
        and not after.isalnum()
    )


def _described_place(t: Text, first: int, last: int, c: Candidate) -> bool:
    """A tagged place, or a place of the text tagged otherwise, ending with a describing adjective."""
    return shapes.describing(t, last) and (c.type == "place" or (last == first + 1 and t.text_place(t.norms[first])))


def extend(t: Text, c: Candidate) -> Candidate:
    """A tagged Latin-script organisation or place grown over the head nouns and connector complements after it.
    Names of the place and organisation lists are whole names already ("Kamchatka" of "Kamchatka Peninsula" links
    across scripts as the list names it)."""
    if c.proposer != "tagger" or c.type == "person" or not t.latin(c.first) or c.first in t.title_case_tokens:
        return c
    last = c.last
    while last + 1 < len(t) and _head_noun(t, last + 1):
        last += 1
    if _head_noun(t, last) or (last == c.last and is_cue(t.norms[last], t.cues.place_openers)):
        connector = last + 1
        if connector < len(t) and t.norms[connector] in t.cues.name_connectors:
            k = start = connector + 1
            while k - start < MAX_EXTENSION_WORDS and _name_word_after_connector(t, k):
                k += 1
            if k > start:
                last = k - 1
    return c if last == c.last else replace(c, last=last)


def possessive(t: Text, c: Candidate) -> Candidate:
    """A tagged Latin name followed by an apostrophe, "s" and a capitalised place noun ("basilica", "square") grows
    over them: the possessive is inside the name of the building or square ("St Peter's Basilica"). A name of the
    place or organisation list before 's owns what follows ("Russia's Defence Ministry" is no change here either:
    its noun is no place noun), so it stays as it is."""
    from storylens.lexicon.names import organisation_names

    k = c.last + 1
    if c.proposer != "tagger" or not t.latin(c.first) or k + 2 >= len(t):
        return c
    if not shapes.possessive_ending(t, k):
        return c
    head = t.tokens[k + 2]
    if not (head.is_word and head.text[:1].isupper() and is_cue(head.norm, t.cues.place_nouns)):
        return c
    if t.words(c) in gazetteer().places or t.words(c) in organisation_names():
        return c
    return replace(c, last=k + 2)


def quoted(t: Text, c: Candidate) -> Candidate:
    """A name opening a quotation right after an organisation noun grows to the closing quote mark: the quoted words
    are the organisation's whole name (Arabic "the channel 'CNN News-18'" is no CNN; "the newspaper 'New York
    Times'" is no place, whatever the place list says). Nothing grows without the closing mark within
    ``MAX_QUOTED_TOKENS`` tokens, or over a sentence mark."""
    k = c.first
    if k < 2 or t.tokens[k - 1].text not in OPENING_QUOTES or not is_cue(t.norms[k - 2], t.cues.organisation_nouns):
        return c
    for end in range(c.last + 1, min(len(t), c.last + 1 + MAX_QUOTED_TOKENS)):
        text = t.tokens[end].text
        if text in CLOSING_QUOTES:
            return replace(c, last=end - 1, type="organisation")
        if text in (".", "!", "?", ",") or "\n" in t.text[t.tokens[end - 1].end : t.tokens[end].start]:
            return c
    return c


def _head_noun(t: Text, k: int) -> bool:
    """Token k is a capitalised organisation or place noun ("Government", "Ministry", "Gulf", "Survey")."""
    token = t.tokens[k]
    return (
        token.is_word
        and token.text[:1].isupper()
        and t.latin(k)
        and (token.norm in t.cues.organisation_nouns or token.norm in t.cues.place_nouns)
    )


def _name_word_after_connector(t: Text, k: int) -> bool:
    """A capitalised name word after a connector (not a title, a month or a day)."""
    return 0 <= k < len(t) and t.latin(k) and t.name_word(k) and not t.sentence_initial(k)
