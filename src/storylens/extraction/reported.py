"""Reported speech that no complementizer opens, in the languages whose profiles allow it.

Two shapes, each read from the ``quote_words`` of the language profiles (English today):

- a *bare complement* right after a saying verb (``bare_complement_verbs``): "Lebanese officials said at least 14
  people were killed"; the clause starts at the verb's next word unless that word opens a phrase that is no
  clause (``not_subjects``: in, on, to, earlier...) or a complementizer (then the complementizer path reads it);
- a *trailing attribution* (``trailing_verbs``): "<clause>, a security source said." or "<clause>, said a
  security source.": the words from the sentence start to the last comma before the verb are the statement when
  at most ``SUBJECT_WORDS`` words name the speaker between that comma and the verb and at most ``TAIL_WORDS``
  words follow the verb ("told reporters", "said in a televised address"). A sentence holding a direct quote is
  left to the direct quote.

The speaker is found as for every reported quote (``quotes._Text.speaker``), in the words after the comma.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from storylens.lang import normalise, tokenize
from storylens.lang.profile import word_table

SUBJECT_WORDS = 8  # "officials in Turkey and Syria have"; 6, 8 and 10 tie on the quote gold
TAIL_WORDS = 8  # "said in a statement on Tuesday"; chosen leave-one-story-out on the quote gold (BENCHMARKS.md)
MIN_WORDS = 3


@dataclass(frozen=True)
class BareWords:
    bare_verbs: frozenset[str]
    trailing_verbs: frozenset[str]
    not_clause_openers: frozenset[str]
    complementizers: frozenset[str]


@cache
def bare_words() -> BareWords:
    def words(key: str) -> frozenset[str]:
        return frozenset(normalise(w) for w in word_table("quote_words", key))

    return BareWords(
        words("bare_complement_verbs"), words("trailing_verbs"), words("not_subjects"), words("complementizers")
    )


def bare_complement_start(text: str, verb: tuple[int, int], sentence_end: int) -> int | None:
    """Where a bare complement after the verb at ``verb`` starts, or None."""
    words = bare_words()
    if normalise(text[verb[0] : verb[1]]) not in words.bare_verbs:
        return None
    before = text[: verb[0]].rstrip()
    if before[-1:] in ',"”»’':  # '..., said X': the statement is before the verb
        return None
    tokens = tokenize(text[verb[1] : sentence_end])
    if not tokens or not tokens[0].is_word:
        return None
    first = tokens[0].norm
    if first in words.not_clause_openers or first in words.complementizers:
        return None
    if sum(t.is_word for t in tokens) < MIN_WORDS:
        return None
    return verb[1] + tokens[0].start


def trailing_statement(
    text: str, verb: tuple[int, int], sentence: tuple[int, int], direct: list[tuple[int, int]]
) -> tuple[tuple[int, int], int] | None:
    """((start, end) of the statement, where its speaker may be named) for a verb that ends its sentence's
    attribution, or None."""
    if normalise(text[verb[0] : verb[1]]) not in bare_words().trailing_verbs:
        return None
    if any(sentence[0] <= start < sentence[1] for start, _ in direct):
        return None
    tail = text[verb[1] : sentence[1]]
    tail = tail.split(",", 1)[0]
    if sum(t.is_word for t in tokenize(tail)) > TAIL_WORDS:
        return None
    comma = text.rfind(",", sentence[0], verb[0])
    if comma < 0 or sum(t.is_word for t in tokenize(text[comma + 1 : verb[0]])) > SUBJECT_WORDS:
        return None
    statement = text[sentence[0] : comma]
    start = sentence[0] + len(statement) - len(statement.lstrip())
    if sum(t.is_word for t in tokenize(text[start:comma])) < MIN_WORDS:
        return None
    return (start, comma), comma + 1
