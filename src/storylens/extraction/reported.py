"""Reported speech that no complementizer opens, in the languages whose profiles allow it.

Two shapes, each read from the ``quote_words`` of the language profiles (English today):

- a *bare complement* right after a saying verb (``bare_complement_verbs``): "Lebanese officials said at least 14
  people were killed"; the clause starts at the verb's next word unless that word opens a phrase that is no
  clause (``not_subjects``: in, on, to, earlier...) or a complementizer (then the complementizer path reads it);
- a *trailing attribution* (``trailing_verbs``): "<clause>, a security source said." or "<clause>, said a
  security source.": the words from the sentence start to the last comma before the verb are the statement when
  at most ``SUBJECT_WORDS`` words name the speaker between that comma and the verb (or, right after the comma, at
  most ``SPEAKER_AFTER_WORDS`` after it), and the verb ends the
  sentence or its clause, or is followed by a phrase (``not_subjects``: "said in a televised address") or at
  most ``OBJECT_WORDS`` words ("told reporters") and by no quote mark. The speaker's words may not start or end
  with a conjunction or clause opener ("..., but none were reported", "and wrote") nor be a passive ("have been
  reported": ``passive_auxiliaries``). A sentence holding a direct quote is left to the direct quote.

The speaker is found as for every reported quote (``quotes._Text.speaker``), in the words after the comma.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from storylens.extraction.gazetteer import cue_words, is_cue
from storylens.lang import Token, normalise, tokenize
from storylens.lang.profile import word_table

SUBJECT_WORDS = 6  # "officials in Turkey and Syria have"; chosen leave-one-story-out (BENCHMARKS.md)
TAIL_WORDS = 8  # "said in a statement on Tuesday"; chosen leave-one-story-out on the quote gold (BENCHMARKS.md)
MIN_WORDS = 3
OBJECT_WORDS = 2  # "told reporters", "told AFP"
SPEAKER_AFTER_WORDS = 5  # ", said a senior security official."


@dataclass(frozen=True)
class BareWords:
    bare_verbs: frozenset[str]
    trailing_verbs: frozenset[str]
    not_clause_openers: frozenset[str]
    complementizers: frozenset[str]
    passive_auxiliaries: frozenset[str]


@cache
def bare_words() -> BareWords:
    def words(key: str) -> frozenset[str]:
        return frozenset(normalise(w) for w in word_table("quote_words", key))

    return BareWords(
        words("bare_complement_verbs"),
        words("trailing_verbs"),
        words("not_subjects"),
        words("complementizers"),
        words("passive_auxiliaries"),
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
    if not tokens or not (tokens[0].is_word or tokens[0].is_number):  # "said 76 people had been killed"
        return None
    first = tokens[0].norm
    if first in words.not_clause_openers or first in words.complementizers:
        return None
    if sum(t.is_word for t in tokens) < MIN_WORDS:
        return None
    return verb[1] + tokens[0].start


def _not_a_subject(subject: list[Token]) -> bool:
    """A conjunction or clause opener at either end, or a passive auxiliary before the verb."""
    if not subject:
        return False
    openers = cue_words().clause_openers | cue_words().conjunctions
    ends = {subject[0].norm, subject[-1].norm}
    return any(is_cue(w, openers) for w in ends) or subject[-1].norm in bare_words().passive_auxiliaries


def trailing_statement(
    text: str, verb: tuple[int, int], sentence: tuple[int, int], direct: list[tuple[int, int]]
) -> tuple[tuple[int, int], int] | None:
    """((start, end) of the statement, where its speaker may be named) for a verb that ends its sentence's
    attribution, or None."""
    words = bare_words()
    if normalise(text[verb[0] : verb[1]]) not in words.trailing_verbs:
        return None
    if any(sentence[0] <= start < sentence[1] for start, _ in direct):
        return None
    comma = text.rfind(",", sentence[0], verb[0])
    subject = [t for t in tokenize(text[comma + 1 : verb[0]]) if t.is_word] if comma >= 0 else []
    if comma < 0 or len(subject) > SUBJECT_WORDS or _not_a_subject(subject):
        return None
    tail = tokenize(text[verb[1] : sentence[1]].split(",", 1)[0])
    if not subject:  # ", said a security source.": the speaker follows the verb
        if sum(t.is_word for t in tail) > SPEAKER_AFTER_WORDS:
            return None
    elif tail and not (tail[0].is_word and tail[0].norm in words.not_clause_openers):
        if len(tail) > OBJECT_WORDS + 1 or not all(t.is_word or t.text in ".!?" for t in tail):
            return None
    elif sum(t.is_word for t in tail) > TAIL_WORDS:
        return None
    start = sentence[0] + len(text[sentence[0] : comma]) - len(text[sentence[0] : comma].lstrip())
    if sum(t.is_word for t in tokenize(text[start:comma])) < MIN_WORDS:
        return None
    return (start, comma), comma + 1
