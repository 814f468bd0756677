"""Proposers that read a line's shape and cue words rather than prose: credits, bylines and wire datelines.

- ``credits``: the names after a photo credit or byline cue ("Photo: Jane Doe/Getty Images", Hebrew "tsilum: X",
  Arabic "taswir X", "By X"; ``name_cues.credit_words`` and the ``cues.byline`` words of the profiles). Without a
  colon the cue counts only on a short line, as prose uses the same words (Arabic "wa-kataba", "and he wrote").
- ``datelines``: one to four all-capitals Latin words opening a line before a comma, colon, dash or bracket
  ("KABUL, Afghanistan —"): the place the story was filed from; the outlet in brackets after it, or after a
  one-word place of the place list opening a line ("KABUL (Reuters)"), is an organisation; in Hebrew/Arabic, the
  outlet after a line-opening place and a dash, or the words before a dash opening a line (an outlet's tag).
"""

from __future__ import annotations

from functools import cache

from storylens.extraction.gazetteer import gazetteer, place_of, regions
from storylens.extraction.mentions import shapes
from storylens.extraction.mentions.shapes import FUNCTION_WORD_ZIPF, SENTENCE_ENDS
from storylens.extraction.mentions.text import Candidate, Text
from storylens.lang import all_profiles, normalise
from storylens.lang.profile import punctuation, word_table

MAX_CREDIT_WORDS = 4  # words of one credited name
MAX_CREDIT_ITEMS = 4  # names after one cue
SHORT_LINE_WORDS = 8  # a byline or credit without a colon stands on a line of at most this many words
AGENCY_WORD_ZIPF = 4.5  # a credited name holding a word this common names an agency ("Getty Images")
MAX_DATELINE_WORDS = 4
DATELINE_OPENER_MAX_ZIPF = 4  # a line-opening word this rare before a bracket is a dateline place (as context.py)
MAX_SOURCE_WORDS = 3  # words of an outlet's name in brackets after a dateline
ITEM_SEPARATORS = frozenset({"/", "|", ";", "\\", "&", "+", *punctuation("commas")})
ITEM_ENDS = frozenset({")", "]", ".", "(", "[", "\n"})
DASHES = frozenset({"—", "–", "-"})
DATELINE_ENDS = frozenset({",", ":", *DASHES})


@cache
def _credit_cues() -> tuple[frozenset[str], frozenset[str]]:
    """(cue words that open a credit or byline, Latin cues valid only before a capitalised name), normalised."""
    words = {normalise(w) for w in word_table("name_cues", "credit_words") if " " not in w}
    words |= {normalise(w) for p in all_profiles() for w in p.cues.get("byline", ()) if " " not in w}
    latin = {normalise(w) for p in all_profiles() for w in p.cues.get("byline_before_capital", ())}
    return frozenset(words), frozenset(latin)


def credits(t: Text) -> list[Candidate]:
    """Names credited after a credit or byline cue (see module doc): a person when of two or more words, none of them
    common; an agency (organisation) when of one word ("Flash90", "AFP") or holding a common word."""
    words, latin = _credit_cues()
    found: list[Candidate] = []
    for i, norm in enumerate(t.norms):
        if norm not in words and norm not in latin:
            continue
        j = i + 1
        colon = j < len(t) and t.tokens[j].text == ":"
        j += colon
        if j >= len(t) or (norm in latin and not t.tokens[j].text[:1].isupper()):
            continue
        if not colon and len(t.line_of(i)[2].split()) > SHORT_LINE_WORDS:
            continue
        found += [_credited(t, item) for item in _items(t, j) if _name_item(t, item)]
    return found


def _items(t: Text, j: int) -> list[list[int]]:
    """Runs of words from token j to the end of the line or bracket, split at separators and conjunctions."""
    line_end = t.line_of(j)[1]
    items: list[list[int]] = [[]]
    while j < len(t) and t.tokens[j].start < line_end and len(items) <= MAX_CREDIT_ITEMS:
        token = t.tokens[j]
        if token.text in ITEM_ENDS:
            break
        if token.text in ITEM_SEPARATORS or token.norm in t.cues.conjunctions:
            items.append([])
        elif token.is_word:
            if items[-1] and t.capitals(j) and not t.capitals(items[-1][-1]):
                items.append([])  # an agency after a photographer: "Jane Doe AFP"
            items[-1].append(j)
        else:
            break
        j += 1
    return [item for item in items if item]


def _name_item(t: Text, item: list[int]) -> bool:
    """Up to four words that can name someone: capitalised (Latin), or no function word and no cue noun (after a
    credit cue, common first names such as Arabic Muhammad are names)."""
    if len(item) > MAX_CREDIT_WORDS:
        return False
    if t.latin(item[0]):
        return all(t.tokens[k].text[:1].isupper() or t.tokens[k].text[:1].isdigit() for k in item)
    return not any(t.frequency(t.norms[k]) >= FUNCTION_WORD_ZIPF or shapes.cue_noun(t, t.norms[k]) for k in item)


def _credited(t: Text, item: list[int]) -> Candidate:
    agency = len(item) == 1 or any(t.frequency(t.norms[k]) >= AGENCY_WORD_ZIPF for k in item)
    return Candidate(item[0], item[-1], "organisation" if agency else "person", "context", proposer="credits")


def datelines(t: Text) -> list[Candidate]:
    """A wire dateline opening a line (see module doc): a place; and the outlet in brackets right after a dateline
    or a one-word place opening a line ("KABUL (Reuters) -", Arabic "Mawnikh (<outlet>)"; a rare word there stands
    for a place, ``_bracketed_opener``): an organisation."""
    found: list[Candidate] = []
    for start, _, line in t.lines:
        first = next((k for k, token in enumerate(t.tokens) if token.start >= start), None)
        if first is None or t.tokens[first].start != start + len(line) - len(line.lstrip()):
            continue
        k = first
        while k < len(t) and k - first < MAX_DATELINE_WORDS and t.tokens[k].is_word and t.capitals(k):
            k += 1
        if first < k < len(t) and t.tokens[k].text in DATELINE_ENDS | {"("}:
            found.append(Candidate(first, k - 1, "place", "cue", proposer="datelines"))
        elif k == first and t.tokens[k].is_word and (place_of(t.norms[k]) is not None or _bracketed_opener(t, k)):
            k += 1
        found += _wire_source(t, k)
        if t.tokens[first].is_word and not t.latin(first):
            found += dash_tag(t, first)
    return found


def dash_tag(t: Text, first: int) -> list[Candidate]:
    """A Hebrew/Arabic line opening with one to three words and a dash: after a place of the list (a dateline), the
    outlet up to the sentence's or line's end ("Mosku - Sputnik."); else those words are the outlet's tag before
    its text ("al-Wakil al-Ikhbari - a'lanat Iran..."), when no word of them is common or a cue noun, they are not
    relation adjectives alone, and a word follows the dash (not "Chandrayaan - 3")."""
    words = _script_words(t, first)
    dash = words[-1] + 1 if words else first
    if not words or dash + 1 >= len(t) or t.tokens[dash].text not in DASHES or not _same_line(t, first, dash + 1):
        return []
    key = tuple(t.norms[k] for k in words)
    if key in gazetteer().places or key in regions() or (len(key) == 1 and place_of(key[0]) is not None):
        tail = _script_words(t, dash + 1)
        end = tail[-1] + 1 if tail else dash + 1
        closed = end >= len(t) or t.tokens[end].text in SENTENCE_ENDS or not _same_line(t, first, end)
        return [_tag(tail)] if tail and closed and _name_item(t, tail) else []
    plain = _name_item(t, words) and not any(t.common(t.norms[k]) for k in words)
    adjectives = all(shapes.relational(t.norms[k]) for k in words)  # "siyasiyya - ijtima'iyya": a list of topics
    return [_tag(words)] if plain and not adjectives and t.tokens[dash + 1].is_word else []


def _script_words(t: Text, k: int) -> list[int]:
    """Up to three Hebrew/Arabic words from token k on, on one line."""
    words: list[int] = []
    while k < len(t) and len(words) < MAX_SOURCE_WORDS and t.tokens[k].is_word and not t.latin(k):
        if words and not _same_line(t, words[0], k):
            break
        words.append(k)
        k += 1
    return words


def _same_line(t: Text, k: int, n: int) -> bool:
    return n < len(t) and "\n" not in t.text[t.tokens[k].start : t.tokens[n].start]


def _tag(words: list[int]) -> Candidate:
    return Candidate(words[0], words[-1], "organisation", "cue", proposer="datelines")


def _bracketed_opener(t: Text, k: int) -> bool:
    """A rare Hebrew/Arabic word (Zipf < 4, no cue noun) opening a line right before a bracket: a dateline's place
    the place list lacks (Arabic "Miyunikh (<outlet>)" with another spelling of Munich), so the bracket holds the
    outlet."""
    return (
        not t.latin(k)
        and k + 1 < len(t)
        and t.tokens[k + 1].text == "("
        and t.frequency(t.norms[k]) < DATELINE_OPENER_MAX_ZIPF
        and not shapes.cue_noun(t, t.norms[k])
    )


def _wire_source(t: Text, k: int) -> list[Candidate]:
    """The outlet named in brackets at token k after a dateline: one to three name words, no place of the list."""
    if k >= len(t) or t.tokens[k].text != "(":
        return []
    words: list[int] = []
    j = k + 1
    while j < len(t) and t.tokens[j].is_word and len(words) < MAX_SOURCE_WORDS:
        words.append(j)
        j += 1
    if not words or j >= len(t) or t.tokens[j].text != ")" or not _name_item(t, words):
        return []
    if tuple(t.norms[n] for n in words) in gazetteer().places:
        return []
    return [Candidate(words[0], words[-1], "organisation", "cue", proposer="datelines")]
