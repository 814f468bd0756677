"""Sentences with offsets, split by sentencex (rule-based, 240+ languages, abbreviation lists).

A line break always ends a sentence (news text puts headlines, datelines and paragraphs on lines of their own);
within a line, sentencex decides, in the profile's ``sentence_language``. Offsets index the original text and
each span is trimmed of surrounding white space.
"""

from __future__ import annotations

import re

import regex
import sentencex

from storylens.lang.profile import get_profile

_LINE = re.compile(r"[^\n]+")
# A quote mark between two letters is part of a word (Hebrew gershayim typed as '"': arh"b, USA; O'Neil), not an
# opening quote: sentencex would not split until the next quote mark. Masked (length kept) before splitting.
_WORD_INTERNAL_QUOTE = re.compile(r"(?<=[^\W\d_])[\"'](?=[^\W\d_])")


def sentence_spans(text: str, lang: str | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text`` (each line at least one), in ``lang`` (None: generic)."""
    language = get_profile(lang).sentence_language
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        position = line.start()
        for segment in sentencex.segment(language, _WORD_INTERNAL_QUOTE.sub("_", line.group())):
            start, end = position, position + len(segment)
            position = end
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                spans.append((start, end))
    return spans


def sentences(text: str, lang: str | None = None) -> list[str]:
    """The sentences of ``text``, verbatim."""
    return [text[start:end] for start, end in sentence_spans(text, lang)]


# Sentence terminals of every script (Unicode STerm: . ! ?, Arabic, Devanagari, CJK...) and the ellipsis.
SENTENCE_TERMINAL = regex.compile(r"[\p{STerm}…]")
# A sentence ends with a sentence terminal, before any closing quotes and brackets.
_TERMINATED = regex.compile(r"[\p{STerm}…][\p{Pf}\p{Pe}\"'»]*\Z")


def is_terminated(sentence: str) -> bool:
    """Whether ``sentence`` ends as a sentence does (not a headline, kicker or label line)."""
    return _TERMINATED.search(sentence.rstrip()) is not None


def first_sentence(text: str, lang: str | None = None) -> str:
    """The first terminated sentence of ``text`` (headline-like lines before it skipped); else its first line."""
    spans = sentence_spans(text, lang)
    for start, end in spans:
        if is_terminated(text[start:end]):
            return text[start:end]
    return text[spans[0][0] : spans[0][1]] if spans else ""
