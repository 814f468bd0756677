"""Proposers from the shipped name lexicon (``storylens.lexicon``) for names the tagger misses or cuts wrongly.

- ``people``: full names of people of the lexicon (Wikidata labels in English and Hebrew, two words or more), bare
  or after clitic prefixes, as firm evidence: a whole known name is a person's name there, over a tagger's span that
  also takes a verb before or after it (Hebrew "finished Michel Aoun"). Not proposed: a Latin name that continues
  with another capitalised name word (part of a longer name, which the tagger or a title then finds), a name whose
  words are all ordinary words of the text's language, or one inside a name of the organisation list.
"""

from __future__ import annotations

from functools import cache

from storylens.extraction.mentions.proposers import prefix_length
from storylens.extraction.mentions.text import ARTICLES, Candidate, Text
from storylens.lang import normalise, tokenize

FULL_NAME_IDS = "wdname:"  # whole person names of the lexicon (its "wdtok:" rows are single name words)


@cache
def full_names() -> tuple[frozenset[tuple[str, ...]], frozenset[str], int]:
    """Every full person name of the lexicon of two words or more, as normalised word tuples (as
    ``storylens.lang.tokenize`` keys words); their first words; the most words of one."""
    from storylens.lexicon.names import name_lexicon

    names = [n for entry in name_lexicon().entries(FULL_NAME_IDS) for ns in entry.names.values() for n in ns]
    keys: set[tuple[str, ...]] = set()
    for name in names:
        key = tuple(t.norm for t in tokenize(name) if t.is_word or t.text in "'\"-")
        if len(key) > 1:
            keys.add(key)
    return frozenset(keys), frozenset(k[0] for k in keys), max(len(k) for k in keys)


def people(t: Text) -> list[Candidate]:
    """Full names of people of the lexicon (see module doc), longest first."""
    from storylens.lexicon.names import strip_candidates

    names, first_words, longest = full_names()
    found: list[Candidate] = []
    i = 0
    while i < len(t):
        token = t.tokens[i]
        if not token.is_word or (t.latin(i) and not token.text[:1].isupper()):
            i += 1
            continue
        heads: dict[str, str] = {}
        readings = (("", token.text),) if t.latin(i) else strip_candidates(token.text)  # Latin names take no prefix
        for prefix, stem in readings:  # bare first, then the shortest prefix first
            if (word := normalise(stem)) in first_words:
                heads.setdefault(word, prefix)
        if not heads:
            i += 1
            continue
        match = None
        for size in range(min(longest, len(t) - i), 1, -1):
            rest = tuple(t.norms[i + 1 : i + size])
            head = next((h for h in heads if (h, *rest) in names), None)
            if head is not None:
                prefix = normalise(heads[head])
                clitic = None if not prefix or prefix.endswith(ARTICLES) else prefix_length(token.text, prefix)
                match = Candidate(i, i + size - 1, "person", "lexicon", clitic, "people")
                break
        if match is not None and _shown_person(t, match):
            found.append(match)
            i = match.last + 1
        else:
            i += 1
    return found


def _shown_person(t: Text, c: Candidate) -> bool:
    """A lexicon name the text writes as a whole name of a person (see module doc)."""
    from storylens.lexicon.names import organisation_names

    if t.latin(c.last) and c.last + 1 < len(t) and t.name_word(c.last + 1):
        return False
    words = t.norms[c.first : c.last + 1]
    if all(t.common(w) for w in words):
        return False
    listed = organisation_names()
    return not any(
        tuple(t.norms[a:b]) in listed
        for a in range(max(0, c.first - 3), c.first + 1)
        for b in range(c.last + 1, min(len(t), c.last + 4) + 1)
        if b - a > len(words)
    )
