"""Quotes: direct speech in any quote-mark style and reported speech after a reporting verb, with speakers.

Direct quotes are the words between paired quote marks on one line (``quote_words.py``; a straight " between
two Hebrew letters is gershayim: Hebrew nat"o, NATO). Their attribution is the reporting verb nearest the quote
in the sentences it spans, or else a colon right before the opening mark ("... Zelensky ...: "..."").
Reported quotes follow a reporting verb and a complementizer within a few words (Arabic an/inna, that, Hebrew ki,
or a complementizer prefix: Hebrew she-) and run to the end of their clause: the sentence end, a direct quote,
or a comma/semicolon that opens another clause
(Arabic ", mudifan" "adding", ", but", Arabic ", lakin", Hebrew ", akh"). Where a language needs no
complementizer, a bare complement or a trailing attribution is reported speech too (``reported.py``). A quoted
name ("CNN" in quote marks) is no quote.
The speaker is the name attached to the reporting verb, never merely the nearest name: see
``_Text.speaker`` and ``extract_quotes``. Language words (complementizers, clause punctuation, gap words)
are the ``quote_words`` of the language profiles; reporting verbs, titles and pronouns their ``name_cues``.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from storylens.extraction.gazetteer import cue_words, is_cue
from storylens.extraction.quote_words import (
    complementizer_letters,
    is_quoted_name,
    quote_spans,
    quote_words,
)
from storylens.extraction.records import Mention, Quote, QuoteKind
from storylens.extraction.reported import bare_complement_start, trailing_statement
from storylens.extraction.speakers import UNNAMED, Unnamed, impersonal, subject_phrase, title_complement
from storylens.lang import (
    Token,
    normalise,
    prefix_splits,
    script_of,
    sentence_spans,
    surface_length,
    tokenize,
)

MIN_QUOTE_WORDS = 3
COMPLEMENTIZER_WINDOW = 12  # words from a reporting verb to its complementizer; chosen leave-one-story-out
COLON_GAP = 3  # characters between an attribution colon and the opening quote mark
SPEAKER_GAP = 3  # other words between a speaker's name and its reporting verb ("X, however, said")
REFERENCE_SENTENCES = 1  # a pronoun or "he added" refers to a speaker of the same or the previous sentence
TYPE_RANK = {"person": 0, "organisation": 1, "place": 2}
INVERSION_MARKS = frozenset(',"”»’')


class _Pronoun:
    """A pronoun subject: the speaker was named before."""


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


def continuing(cue: _Cue) -> bool:
    """A participle or clause opener that goes on with the same speaker (Arabic ", mudifan", ", adding")."""
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
        self.sentence_starts = [start for start, _ in self.sentences]

    def sentence_of(self, offset: int) -> tuple[int, int]:
        return next((s for s in self.sentences if s[0] <= offset < s[1]), (offset, offset))

    def direct(self, spans: list[tuple[int, int]]) -> list[_Found]:
        found = []
        for start, end in spans:
            scope = (self.sentence_of(max(start - 1, 0))[0], max(self.sentence_of(end)[1], end + 1))
            outside = [c for c in self.cues if scope[0] <= c.start < scope[1] and not start - 1 <= c.start <= end]
            # the nearest verb; a verb after the quote only with a subject ("injuries reported ..., he added")
            cue = min(
                outside,
                key=lambda c: (
                    continuing(c),
                    len(outside) > 1 and c.start >= end and not self.has_subject(c, start, end, scope),
                    min(abs(c.start - end), abs(start - c.end)),
                ),
                default=None,
            )
            colon = self.text.rfind(":", max(scope[0], start - 1 - COLON_GAP), start)
            if cue is None and colon >= 0:
                cue = _Cue(colon, colon + 1, ":")
            found.append(_Found(start, end, "direct", cue, scope))
        return found

    def has_subject(self, cue: _Cue, start: int, end: int, scope: tuple[int, int]) -> bool:
        """Is a speaker, a pronoun or an unnamed person attached to this verb, or is the subject in the verb?"""
        quoted = [_Found(start, end, "direct", None, scope)]
        found = self.speaker(_Found(start, end, "direct", cue, scope), quoted)
        return found is not None or self.implicit_subject(cue)

    def reported(self, direct: list[_Found]) -> list[_Found]:
        found = []
        used = {f.cue for f in direct}
        for cue in self.cues:
            if cue in used or any(d.start <= cue.start < d.end for d in direct):
                continue
            sentence = self.sentence_of(cue.start)
            after = [t for t in tokenize(self.text[cue.end : sentence[1]]) if t.is_word]
            complementizer = next(
                (t for t in after[:COMPLEMENTIZER_WINDOW] if self.complementizer_at(cue, t) is not None), None
            )
            if complementizer is None or bare_complement_start(self.text, (cue.start, cue.end), sentence[1]):
                # "said a tsunami had been generated by the quake that...": the clause starts at the verb
                bare = self.without_complementizer(cue, sentence, direct)
                found.extend([bare] if bare is not None else [])
                continue
            prefix = self.complementizer_at(cue, complementizer) or 0
            word = complementizer.norm in quote_words().complementizers
            start = cue.end + (
                complementizer.end if word else complementizer.start + surface_length(complementizer.text, prefix)
            )
            while start < sentence[1] and (
                self.text[start] in " :" or self.text[start] in quote_words().clause_punctuation
            ):
                start += 1
            end = self.clause_end(start, sentence[1], direct)
            if len(self.text[start:end].split()) < MIN_QUOTE_WORDS:
                continue
            found.append(_Found(start, end, "reported", cue, (sentence[0], cue.end + complementizer.start)))
        return found

    def complementizer_at(self, cue: _Cue, token: Token) -> int | None:
        """``complementizer_letters`` of a word after the verb; a complementizer prefix only in the verb's clause
        (Hebrew "..., be'od she-" after a comma is "while")."""
        found = complementizer_letters(token.norm)
        if found is None or token.norm in quote_words().complementizers:
            return found
        between = self.text[cue.end : cue.end + token.start]
        return None if any(mark in between for mark in ",;" + "".join(quote_words().clause_punctuation)) else found

    def without_complementizer(self, cue: _Cue, sentence: tuple[int, int], direct: list[_Found]) -> _Found | None:
        """Reported speech that no complementizer opens: a bare complement or a trailing attribution."""
        start = bare_complement_start(self.text, (cue.start, cue.end), sentence[1])
        if start is not None:
            end = self.clause_end(start, sentence[1], direct)
            enough = len(self.text[start:end].split()) >= MIN_QUOTE_WORDS
            return _Found(start, end, "reported", cue, (sentence[0], cue.end)) if enough else None
        trailing = trailing_statement(self.text, (cue.start, cue.end), sentence, [(d.start, d.end) for d in direct])
        if trailing is None:
            return None
        (start, end), named_from = trailing
        return _Found(start, end, "reported", cue, (named_from, sentence[1]))

    def clause_end(self, start: int, limit: int, direct: list[_Found]) -> int:
        """Where reported speech starting at ``start`` ends: a direct quote or a clause-opening comma."""
        limit = min([limit, *(d.start - 1 for d in direct if start < d.start <= limit)])
        openers = cue_words().clause_openers
        tokens = tokenize(self.text[start:limit])
        for k, token in enumerate(tokens[:-1]):
            words = quote_words()
            if token.text in words.clause_punctuation and (
                token.text in words.clause_stops or is_cue(tokens[k + 1].norm, openers)
            ):
                return start + token.start
        return limit

    def speaker(self, found: _Found, quoted: list[_Found]) -> Mention | _Pronoun | Unnamed | None:
        """The name attached to the reporting verb: its subject before it (X said, Hebrew X amar) or after it
        (Arabic qala X, Hebrew amar X, "...," said X), with at most ``SPEAKER_GAP`` other words between (titles,
        modifiers and other names do not count; a complementizer, another reporting verb or a sentence break cut
        the link).
        A person or organisation may speak; a place only right at the verb (Arabic qalat Rusiya, "Russia said"). A
        pronoun closer to the verb than any name sends the speaker back to the previous sentence. Never a name inside a
        quote, never merely the nearest name."""
        cue = found.cue
        if cue is None or cue.text == ":":
            return self.colon_speaker(found, quoted) if cue is not None else None
        words = quote_words()
        after_first = script_of(cue.text) in words.subject_after_verb_scripts
        may_follow = after_first or self.inverted(cue)
        candidates: list[tuple[int, int, int, Mention | _Pronoun]] = []
        for m in self.mentions:
            if not found.clause[0] <= m.start < found.clause[1] or any(q.start <= m.start < q.end for q in quoted):
                continue
            if m.end <= cue.start:
                gap, side = self.gap(m.end, cue.start), 0 if not after_first else 1
            elif m.start >= cue.end and may_follow:
                gap, side = self.gap(cue.end, m.start), 1 if not after_first else 0
            else:
                continue
            if gap is None or gap > (0 if m.type == "place" else SPEAKER_GAP):
                continue
            if m.type != "person" and self.person_noun_near(m, cue):
                continue
            if m.type == "person" and title_complement(self.text, self.mentions, m):
                continue
            candidates.append((gap, TYPE_RANK[m.type], side, m))
        pronoun = self.pronoun_before(cue)
        if pronoun is not None:
            candidates.append((0, 0, -1, pronoun))
        best = min(candidates, key=lambda c: c[:3]) if candidates else None
        if best is not None and isinstance(best[3], _Pronoun):
            return best[3]
        # a body named right at the verb is its subject ("the health ministry said", Arabic "qala ad-difa'
        # al-madani"); an unnamed person there only when no name is attached to the verb
        # (or on the verb's usual subject side, when the only name is on the other: "X", qala mas'ul)
        phrase, usual_side = self.common_subject(cue, after_first, may_follow)
        if isinstance(phrase, Mention) or (phrase is UNNAMED and (best is None or (usual_side and best[2] != 0))):
            return phrase
        return best[3] if best is not None else None

    def common_subject(self, cue: _Cue, after_first: bool, may_follow: bool) -> tuple[Mention | Unnamed | None, bool]:
        """A common-noun subject next to the verb (``speakers.subject_phrase``): after it first where the
        language names the subject after the verb, before it first otherwise; and whether it is on that first
        side."""
        sentence = self.sentence_of(cue.start)
        sides = [True, False] if after_first else [False, True] if may_follow else [False]
        for after in sides:
            found = subject_phrase(self.text, self.mentions, (cue.start, cue.end), sentence, after)
            if found is not None or self.name_next_to(cue, after):
                return found, after == sides[0]
        return None, False

    def name_next_to(self, cue: _Cue, after: bool) -> bool:
        """Does a name stand right next to the verb on that side? Then it is the subject, not a phrase on the
        other side."""
        if after:
            token = next(iter(tokenize(self.text[cue.end : cue.end + 40])), None)
            offset = cue.end
        else:
            token = next(iter(tokenize(self.text[max(0, cue.start - 40) : cue.start])[::-1]), None)
            offset = max(0, cue.start - 40)
        return token is not None and any(m.start <= offset + token.start < m.end for m in self.mentions)

    def person_noun_near(self, mention: Mention, cue: _Cue) -> bool:
        """Does a person noun (official, source, spokesman) stand between the name and the verb, or right before
        the name? Then an unnamed person of that organisation or place speaks ("a Hezbollah official said", Arabic
        qala mas'ul fi al-hizb), not the organisation."""
        between = (mention.end, cue.start) if mention.end <= cue.start else (cue.end, mention.start)
        before = [t for t in tokenize(self.text[max(0, mention.start - 30) : mention.start]) if t.is_word][-2:]
        nouns = cue_words().person_nouns
        return any(is_cue(t.norm, nouns) for t in [*tokenize(self.text[between[0] : between[1]]), *before])

    def colon_speaker(self, found: _Found, quoted: list[_Found]) -> Mention | None:
        """The speaker of 'X ... [verb]: "..."': the person named first in the sentence before the colon, as
        its subject, else the organisation named first (no reporting verb stands nearer to the quote)."""
        cue = found.cue
        assert cue is not None
        sentence = self.sentence_index(cue.start)
        return self.named_subject(sentence, quoted, before=cue.start) or self.named_subject(
            sentence, quoted, before=cue.start, types=("organisation",)
        )

    def gap(self, start: int, end: int) -> int | None:
        """Words between a name and its verb that are neither titles, modifiers nor names; None if a
        complementizer, another reporting verb or a sentence break stands between them. An apposition
        between commas right after the name ("X, head of Y, said") counts for nothing."""
        words = quote_words()
        cues = cue_words()
        between = self.text[start:end]
        inner = between.strip()
        apposition = (0, 0)
        if len(inner) > 1 and inner[0] in words.apposition_marks and inner[-1] in words.apposition_marks:
            apposition = (between.index(inner[0]), between.rindex(inner[-1]))
        count = 0
        for token in tokenize(between):
            if token.text in words.breaks or token.norm in words.complementizers:
                return None
            if not token.is_word or token.norm in words.gap_words or apposition[0] < token.start < apposition[1]:
                continue
            if is_cue(token.norm, cues.reporting_verbs):
                return None
            if is_cue(token.norm, cues.titles) or is_cue(token.norm, cues.title_modifiers):
                continue
            if any(m.start <= start + token.start < m.end for m in self.mentions):
                continue
            count += 1
        return count

    def inverted(self, cue: _Cue) -> bool:
        """Is the subject after this verb in a subject-first language? ', said X', '..." said X', 'according to X'."""
        before = self.text[: cue.start].rstrip()
        return (before[-1:] in INVERSION_MARKS) or is_cue(normalise(cue.text), quote_words().speaker_after_cues)

    def pronoun_before(self, cue: _Cue) -> _Pronoun | None:
        """A subject pronoun right before the verb (he said, Hebrew hu amar): the speaker is named earlier."""
        before = [t for t in tokenize(self.text[max(0, cue.start - 40) : cue.start]) if t.is_word][-1:]
        return _Pronoun() if any(t.norm in cue_words().pronouns for t in before) else None

    def implicit_subject(self, cue: _Cue) -> bool:
        """A verb whose subject is in the verb (Arabic wa-adaf, Hebrew hosif: "he added"): a complementizer, a
        preposition, a time word, a colon or a quote mark follows it, in a language that names the subject after
        the verb. Not an impersonal passive (Hebrew dovach, nimsar: "it was reported"): it has no subject."""
        if script_of(cue.text) not in quote_words().subject_after_verb_scripts or impersonal(cue.text):
            return False
        words = quote_words()
        following = tokenize(self.text[cue.end : cue.end + 40])[:1]
        if not following or not following[0].is_word or following[0].norm in words.complementizers | words.not_subjects:
            return True
        start = cue.end + following[0].start
        named = any(m.start <= start < m.end for m in self.mentions)
        return not named and any(prefix in words.not_subjects for prefix, _ in prefix_splits(following[0].norm))

    def sentence_index(self, offset: int) -> int:
        return max(bisect_right(self.sentence_starts, offset) - 1, 0)

    def named_subject(
        self,
        sentence: int,
        quoted: list[_Found],
        *,
        before: int | None = None,
        types: tuple[str, ...] = ("person",),
    ) -> Mention | None:
        """The first name of these types in a sentence (before ``before``), outside quotes."""
        if sentence < 0 or sentence >= len(self.sentences):
            return None
        start, end = self.sentences[sentence]
        end = end if before is None else min(end, before)
        names = [
            m
            for m in self.mentions
            if start <= m.start < end
            and m.type in types
            and not any(q.start <= m.start < q.end for q in quoted)
            and not title_complement(self.text, self.mentions, m)
        ]
        return min(names, key=lambda m: m.start) if names else None

    def attribution_before(self, found: _Found, quoted: list[_Found], earlier: Mention | None) -> Mention | None:
        """For a quote with no verb in its sentence: the speaker of the last reporting verb of the sentence
        before, when the quote opens its own sentence ("... Ushakov said in an interview.\n"...")."""
        sentence = self.sentence_index(found.start)
        if sentence == 0 or self.text[self.sentences[sentence][0] : found.start].strip(" \t\"«“„'‘"):
            return None
        span = self.sentences[sentence - 1]
        cues = [c for c in self.cues if span[0] <= c.start < span[1] and not continuing(c)]
        for cue in reversed(cues):  # "SpaceX said in a message posted to Twitter": posted names no one
            got = self.speaker(_Found(found.start, found.end, found.kind, cue, span), quoted)
            if isinstance(got, Mention):
                return got
            if isinstance(got, _Pronoun):  # '..., he explains. "...": the speaker of the quote before
                return earlier
        return None


def extract_quotes(text: str, mentions: list[Mention]) -> list[Quote]:
    """Direct and reported quotes in ``text``, speakers resolved against ``mentions`` where possible.

    A quote's speaker is the name attached to its reporting verb (``_Text.speaker``). A pronoun subject or a
    verb carrying its own subject (Arabic wa-adaf, "and he added") refer back to the first person named earlier in
    the same sentence, else to the speaker of a quote ending in the same or the previous sentence; a continuing
    participle (Arabic mudifan, adding) to that speaker first. Failing both, to the first person named in the
    previous sentence. A quote with no verb in its sentence takes the speaker attached to a verb in the sentence
    before. Otherwise the speaker stays unnamed.
    """
    document = _Text(text, mentions)
    spans = [
        (s, e)
        for s, e in quote_spans(text)
        if len(text[s:e].split()) >= MIN_QUOTE_WORDS and not is_quoted_name(text, (s, e), mentions)
    ]
    direct = document.direct(spans)
    found = sorted(direct + document.reported(direct), key=lambda f: f.start)
    quotes: list[Quote] = []
    previous: tuple[int, Mention | None] | None = None  # (sentence where it ends, speaker) of the last attributed
    for f in found:
        sentence = document.sentence_index(f.start)
        participle = f.cue is not None and continuing(f.cue)
        got = None if participle else document.speaker(f, found)
        speaker = got if isinstance(got, Mention) else None
        # the last attributed quote, named or an unnamed person, ends in this or the previous sentence
        recent = previous is not None and sentence - previous[0] <= REFERENCE_SENTENCES
        earlier = previous[1] if previous is not None and recent else None
        attributed = speaker is not None or got is UNNAMED
        if got is None and f.cue is None:
            speaker = document.attribution_before(f, found, earlier)
        elif got is None and f.cue is not None and f.cue.text == ":":  # "It said in a tweet: ..."
            speaker, attributed = earlier, recent
        elif (
            participle
            or isinstance(got, _Pronoun)
            or (got is None and f.cue is not None and document.implicit_subject(f.cue))
        ):
            here = document.named_subject(sentence, found, before=f.cue.start if f.cue else f.start)
            # a participle goes on with the clause's speaker; a pronoun or a bare verb names the sentence's subject
            # (a participle only within its sentence: ", adding")
            same = recent and previous is not None and previous[0] == sentence
            speaker = (earlier if same else here) if participle else (here or earlier)
            attributed = speaker is not None or (same if participle else recent)
            if not attributed:
                speaker = speaker or document.named_subject(sentence - 1, found)
        if attributed or speaker is not None:
            previous = (document.sentence_index(max(f.end - 1, f.start)), speaker)
        start = f.start + len(text[f.start : f.end]) - len(text[f.start : f.end].lstrip())
        end = f.start + len(text[f.start : f.end].rstrip())
        quotes.append(Quote(start, end, text[start:end], f.kind, f.cue.text if f.cue else None, speaker))
    return quotes
