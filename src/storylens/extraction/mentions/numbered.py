"""Ordinal numbers around names: a regnal name ("Leo XIV", Arabic "Liyun al-rabi' 'ashar"), and ordinals alone.

- ``regnal``: a proposer. One or two person-name words (the name lexicon's person tokens, as the tagger's features
  read them) right before a regnal number make one person's name with it: a Roman numeral after a Latin name, a
  definite ordinal of the language profile (``name_cues.ordinals``, Arabic al-rabi' "the fourth", Hebrew ha-shlishi
  "the third"), with a following "ten" for the teens (Arabic al-rabi' 'ashar, "the fourteenth"). Without it the
  name's first word stands alone and may be read as a place or a club ("Liyun" is also Lyon).
- ``ordinal_word``: a veto. A span made only of ordinals and number words (Arabic thani "second") names nothing.
"""

from __future__ import annotations

import re

from storylens.extraction.gazetteer import is_cue
from storylens.extraction.mentions import shapes
from storylens.extraction.mentions.text import ARTICLES, LATIN_TAGGER, Candidate, Text
from storylens.extraction.tagger import name_tokens
from storylens.lang.profile import get_profile

ROMAN_NUMERAL = re.compile(r"(?=[IVXLC]{2})C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")  # II..CCC; one letter is a word
REGNAL_LATIN_NAME_MAX_ZIPF = (
    5.3  # the Latin person-name word right before a numeral is rarer than this ("Paul", not "War")
)
REGNAL_NAME_MAX_ZIPF = 4.5  # ... a Hebrew/Arabic one, rarer than this and no dictionary noun
MAX_REGNAL_NAME_WORDS = 2  # "John Paul II"
TEN = 10


def _ordinal_end(t: Text, k: int) -> int | None:
    """The last token of a regnal number starting at token k, or None: a Roman numeral after a Latin word; a definite
    ordinal of the language (and the word "ten" after it) in Hebrew/Arabic."""
    if k >= len(t) or not t.tokens[k].is_word:
        return None
    if t.latin(k):
        return k if ROMAN_NUMERAL.fullmatch(t.tokens[k].text) else None
    norm = t.norms[k]
    if norm not in t.cues.ordinals or not norm.startswith(ARTICLES):
        return None
    tens = {w for w, value in get_profile(t.lang).number_words().items() if value == TEN}
    return k + 1 if k + 1 < len(t) and t.tokens[k + 1].text in tens else k


def _regnal_name_word(t: Text, k: int, last: bool) -> bool:
    """Token k can be a word of a monarch's or pope's name: capitalised (Latin; the word right before the numeral
    not too common, "Paul" but not "War") or no common, definite or dictionary word (Hebrew/Arabic), and no ordinal
    or cue word."""
    token, norm = t.tokens[k], t.norms[k]
    if not token.is_word or norm in t.cues.ordinals or shapes.cue_noun(t, norm) or is_cue(norm, t.cues.titles):
        return False
    if t.latin(k):
        return token.text[:1].isupper() and (not last or t.frequency(norm) < REGNAL_LATIN_NAME_MAX_ZIPF)
    return (
        t.frequency(norm) < REGNAL_NAME_MAX_ZIPF
        and not shapes.definite(norm)
        and not shapes.dictionary_noun(t, norm)
        and not t.latin(k)
    )


def _person_word(t: Text, k: int) -> bool:
    lexicon = name_tokens(LATIN_TAGGER if t.latin(k) else t.lang)
    return "per" in lexicon.get(t.norms[k], "").split("+")


def regnal(t: Text) -> list[Candidate]:
    """Regnal names: person-name words and the regnal number after them (see module doc)."""
    found: list[Candidate] = []
    for k in range(1, len(t)):
        end = _ordinal_end(t, k)
        if end is None or t.latin(k) != t.latin(k - 1):
            continue
        first = k
        while (
            first > 0
            and k - first < MAX_REGNAL_NAME_WORDS
            and _regnal_name_word(t, first - 1, last=first == k)
            and _person_word(t, first - 1)
        ):
            first -= 1
        if first < k:
            found.append(Candidate(first, end, "person", "cue", proposer="regnal"))
    return found


def ordinal_word(t: Text, c: Candidate) -> bool:
    """A span of ordinals and number words only (Arabic thani "second", "the fourth"): no name."""
    numbers = get_profile(t.lang).number_words()
    return all(is_cue(t.norms[k], t.cues.ordinals) or t.tokens[k].text in numbers for k in range(c.first, c.last + 1))
