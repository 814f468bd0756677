"""Quotes: direct speech in any quote-mark style and reported speech after a reporting verb, with speakers.

Direct quotes are the words between paired quote marks on one line (a straight " between two Hebrew
letters is gershayim: נאט"ו). Their attribution is the reporting verb nearest the quote in the sentences
it spans, or else a colon right before the opening mark ("... זלנסקי ...: "..."").
Reported quotes follow a reporting verb and a complementizer within a few words (أن/إن, that, כי) and run
to the end of their clause: the sentence end, a direct quote, or a comma/semicolon that opens another clause
("، مضيفا", ", but", "، لكن", ", אך").
The speaker is the person mention nearest the verb in the attribution clause, outside the quote, else an
organisation right next to the verb (قال الكرملين). A quote with a verb but no named speaker in its clause
(وأضاف, והוסיף, He added), or introduced by a continuing participle ("، مضيفا أن", ", adding that"),
continues the previous speaker of the same or the previous paragraph.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from storylens.extraction.gazetteer import cue_words, is_cue
from storylens.extraction.records import Mention, Quote, QuoteKind
from storylens.extraction.text import normalise, sentence_spans, tokenize

MIN_QUOTE_WORDS = 3
COMPLEMENTIZER_WINDOW = 8  # words between a reporting verb and its complementizer
ORGANISATION_SPEAKER_GAP = 3  # characters between a reporting verb and an organisation speaking
COLON_GAP = 3  # characters between an attribution colon and the opening quote mark
PAIRED_MARKS = {"«": "»", "“": "”", "„": "“", "‘": "’", "‹": "›"}
OPENING_MARKS = frozenset([*PAIRED_MARKS, '"'])
COMPLEMENTIZERS = frozenset(
    normalise(w) for w in ("أن", "إن", "بأن", "أنه", "إنه", "أنها", "إنها", "بأنه", "بأنها", "that", "כי")
)
CLAUSE_PUNCTUATION = frozenset(",،;؛")
HEBREW_LETTER = re.compile("[\u05d0-\u05ea]")
NON_EMPTY_LINE = re.compile(r"^[ \t]*\S", re.MULTILINE)
CONTINUATION_PARAGRAPHS = 1  # "He added" continues a speaker named in the same or the previous paragraph


@dataclass(frozen=True)
class _Cue:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    kind: QuoteKind
    cue: _Cue | None
    clause: tuple[int, int]  # where the speaker is named


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the words inside each pair of quote marks, on one line."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    closer = ""
    for i, ch in enumerate(text):
        if ch == "\n":
            open_at = None
        elif open_at is None and ch in OPENING_MARKS:
            if ch == '"' and _is_gershayim(text, i):
                continue
            open_at, closer = i, PAIRED_MARKS.get(ch, '"')
        elif open_at is not None and ch == closer and not (ch == '"' and _is_gershayim(text, i)):
            spans.append((open_at + 1, i))
            open_at = None
    return spans


def _is_gershayim(text: str, i: int) -> bool:
    return 0 < i < len(text) - 1 and bool(HEBREW_LETTER.match(text[i - 1]) and HEBREW_LETTER.match(text[i + 1]))


def continuing(cue: _Cue) -> bool:
    """A participle or clause opener that goes on with the same speaker ("، مضيفا", ", adding")."""
    return is_cue(normalise(cue.text), cue_words().clause_openers)


def _cues(text: str) -> list[_Cue]:
    verbs = cue_words().reporting_verbs
    return [_Cue(t.start, t.end, t.text) for t in tokenize(text) if t.is_word and is_cue(t.norm, verbs)]


class _Text:
    def __init__(self, text: str, mentions: list[Mention]) -> None:
        self.text = text
        self.mentions = mentions
        self.sentences = sentence_spans(text)
        self.cues = _cues(text)
        self.paragraph_starts = [m.start() for m in NON_EMPTY_LINE.finditer(text)]

    def sentence_of(self, offset: int) -> tuple[int, int]:
        return next((s for s in self.sentences if s[0] <= offset < s[1]), (offset, offset))

    def paragraph_of(self, offset: int) -> int:
        """Index of the non-empty line holding ``offset``."""
        return bisect_right(self.paragraph_starts, offset)

    def direct(self, spans: list[tuple[int, int]]) -> list[_Found]:
        found = []
        for start, end in spans:
            scope = (self.sentence_of(max(start - 1, 0))[0], max(self.sentence_of(end)[1], end + 1))
            outside = [c for c in self.cues if scope[0] <= c.start < scope[1] and not start - 1 <= c.start <= end]
            cue = min(
                outside,
                key=lambda c: (continuing(c), min(abs(c.start - end), abs(start - c.end))),
                default=None,
            )
            colon = self.text.rfind(":", max(scope[0], start - 1 - COLON_GAP), start)
            if cue is None and colon >= 0:
                cue = _Cue(colon, colon + 1, ":")
            found.append(_Found(start, end, "direct", cue, scope))
        return found

    def reported(self, direct: list[_Found]) -> list[_Found]:
        found = []
        used = {f.cue for f in direct}
        for cue in self.cues:
            if cue in used or any(d.start <= cue.start < d.end for d in direct):
                continue
            sentence = self.sentence_of(cue.start)
            after = [t for t in tokenize(self.text[cue.end : sentence[1]]) if t.is_word]
            complementizer = next((t for t in after[:COMPLEMENTIZER_WINDOW] if t.norm in COMPLEMENTIZERS), None)
            if complementizer is None:
                continue
            start = cue.end + complementizer.end
            while start < sentence[1] and self.text[start] in " ,،:":
                start += 1
            end = self.clause_end(start, sentence[1], direct)
            if len(self.text[start:end].split()) < MIN_QUOTE_WORDS:
                continue
            found.append(_Found(start, end, "reported", cue, (sentence[0], cue.end + complementizer.start)))
        return found

    def clause_end(self, start: int, limit: int, direct: list[_Found]) -> int:
        """Where reported speech starting at ``start`` ends: a direct quote or a clause-opening comma."""
        limit = min([limit, *(d.start - 1 for d in direct if start < d.start <= limit)])
        openers = cue_words().clause_openers
        tokens = tokenize(self.text[start:limit])
        for k, token in enumerate(tokens[:-1]):
            if token.text in CLAUSE_PUNCTUATION and (token.text in ";؛" or is_cue(tokens[k + 1].norm, openers)):
                return start + token.start
        return limit

    def speaker(self, found: _Found, quoted: list[_Found]) -> Mention | None:
        """The speaker named in the attribution clause, never a name inside any quote."""
        if found.cue is None:
            return None
        clause = [
            m
            for m in self.mentions
            if found.clause[0] <= m.start < found.clause[1] and not any(q.start <= m.start < q.end for q in quoted)
        ]
        people = [m for m in clause if m.type == "person"]
        nearest = min(people, key=lambda m: self.distance(m, found.cue), default=None)
        if nearest is not None:
            return nearest
        speaking = [m for m in clause if self.distance(m, found.cue) <= ORGANISATION_SPEAKER_GAP]
        return speaking[0] if speaking else None

    @staticmethod
    def distance(mention: Mention, cue: _Cue) -> int:
        return max(mention.start - cue.end, cue.start - mention.end, 0)


def extract_quotes(text: str, mentions: list[Mention]) -> list[Quote]:
    """Direct and reported quotes in ``text``, speakers resolved against ``mentions`` where possible."""
    document = _Text(text, mentions)
    spans = [(s, e) for s, e in _quote_spans(text) if len(text[s:e].split()) >= MIN_QUOTE_WORDS]
    direct = document.direct(spans)
    found = sorted(direct + document.reported(direct), key=lambda f: f.start)
    quotes: list[Quote] = []
    previous: tuple[int, Mention] | None = None
    for f in found:
        paragraph = document.paragraph_of(f.start)
        speaker = None if f.cue is not None and continuing(f.cue) else document.speaker(f, found)
        if speaker is None and f.cue is not None and previous is not None:
            speaker = previous[1] if paragraph - previous[0] <= CONTINUATION_PARAGRAPHS else None
        if speaker is not None:
            previous = (paragraph, speaker)
        start = f.start + len(text[f.start : f.end]) - len(text[f.start : f.end].lstrip())
        end = f.start + len(text[f.start : f.end].rstrip())
        quotes.append(Quote(start, end, text[start:end], f.kind, f.cue.text if f.cue else None, speaker))
    return quotes
