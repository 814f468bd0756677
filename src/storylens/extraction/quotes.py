"""Quotes: direct speech in any quote-mark style and reported speech after a reporting verb, with speakers.

A straight double quote between two Hebrew letters is gershayim (נאט"ו, ארה"ב), not a quote mark.
The speaker is the person mention nearest the reporting verb in the same sentence; a quote with a
verb but no name (وأضاف, הוא הוסיף, He added) continues the previous quote's speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storylens.extraction.gazetteer import cue_words, is_cue
from storylens.extraction.records import Mention, Quote
from storylens.extraction.text import normalise, sentence_spans, tokenize

MIN_QUOTE_WORDS = 3
PAIRED_MARKS = {"«": "»", "“": "”", "„": "“", "‘": "’", "‹": "›"}
COMPLEMENTIZERS = frozenset(normalise(w) for w in ("أن", "إن", "بأن", "that", "כי"))
HEBREW_LETTER = re.compile("[\u05d0-\u05ea]")


@dataclass(frozen=True)
class _Cue:
    start: int
    end: int
    text: str


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the words inside each pair of quote marks, on one line."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    closer = ""
    for i, ch in enumerate(text):
        if ch == "\n":
            open_at = None
        elif open_at is None and (ch in PAIRED_MARKS or ch == '"'):
            if ch == '"' and _is_gershayim(text, i):
                continue
            open_at, closer = i, PAIRED_MARKS.get(ch, '"')
        elif open_at is not None and ch == closer and not (ch == '"' and _is_gershayim(text, i)):
            spans.append((open_at + 1, i))
            open_at = None
    return spans


def _is_gershayim(text: str, i: int) -> bool:
    return 0 < i < len(text) - 1 and bool(HEBREW_LETTER.match(text[i - 1]) and HEBREW_LETTER.match(text[i + 1]))


def _cues(text: str) -> list[_Cue]:
    verbs = cue_words().reporting_verbs
    return [_Cue(t.start, t.end, t.text) for t in tokenize(text) if t.is_word and is_cue(t.norm, verbs)]


def _speaker(
    mentions: list[Mention], cue: _Cue, sentence: tuple[int, int], quote: tuple[int, int]
) -> Mention | None:
    people = [
        m for m in mentions
        if m.type == "person" and sentence[0] <= m.start < sentence[1] and not quote[0] <= m.start < quote[1]
    ]
    return min(people, key=lambda m: min(abs(m.start - cue.end), abs(cue.start - m.end)), default=None)


def extract_quotes(text: str, mentions: list[Mention]) -> list[Quote]:
    """Direct and reported quotes in ``text``, speakers resolved against ``mentions`` where possible."""
    sentences = sentence_spans(text)
    cues = _cues(text)
    quotes: list[Quote] = []
    previous: Mention | None = None

    def sentence_of(offset: int) -> tuple[int, int]:
        return next((s for s in sentences if s[0] <= offset < s[1]), (offset, offset))

    direct = [(s, e) for s, e in _quote_spans(text) if len(text[s:e].split()) >= MIN_QUOTE_WORDS]
    for start, end in direct:
        line_end = text.find("\n", end)
        scope = (text.rfind("\n", 0, start) + 1, len(text) if line_end < 0 else line_end)
        near = [c for c in cues if scope[0] <= c.start < scope[1] and not start <= c.start < end]
        cue = min(near, key=lambda c: min(abs(c.start - end), abs(start - c.end)), default=None)
        speaker = _speaker(mentions, cue, scope, (start, end)) if cue else None
        if cue is not None and speaker is None:
            speaker = previous
        previous = speaker or previous
        quotes.append(Quote(start, end, text[start:end].strip(), "direct", cue.text if cue else None, speaker))
    covered = [(s, e) for s, e in direct]
    for cue in cues:
        sentence = sentence_of(cue.start)
        if any(s < sentence[1] and e > sentence[0] for s, e in covered):
            continue
        after = [t for t in tokenize(text[cue.end : sentence[1]]) if t.is_word]
        complementizer = next((t for t in after[:6] if t.norm in COMPLEMENTIZERS), None)
        if complementizer is None:
            continue
        start = cue.end + complementizer.end
        while start < sentence[1] and text[start] in " ,،:":
            start += 1
        end = sentence[1]
        if len(text[start:end].split()) < MIN_QUOTE_WORDS:
            continue
        speaker = _speaker(mentions, cue, (sentence[0], cue.end + complementizer.start), (start, end)) or previous
        previous = speaker
        quotes.append(Quote(start, end, text[start:end], "reported", cue.text, speaker))
        covered.append((sentence[0], sentence[1]))
    quotes.sort(key=lambda q: q.start)
    return quotes
