"""Mentions of people, organisations and places in he/ar/en text, with offsets into the original text.

Evidence, strongest first: a name right after a title or role ("الرئيس الروسي فلاديمير بوتين",
"שר החוץ הרוסי סרגיי לברוב", "President X"), CLDR place names, the shipped per-language tagger,
and names already found in the same text (a surname alone, with or without a clitic prefix).
Clitic prefixes are left out of a mention only when the stripped form is known (a place, a name found
in the text) or is a rarer-than-common word more frequent than the whole form, so that לברוב stays Lavrov.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from wordfreq import zipf_frequency

from storylens.extraction.gazetteer import (
    after_title_flags,
    cue_words,
    gazetteer,
    is_cue,
    known_type,
    place_of,
)
from storylens.extraction.records import EntityType, Mention
from storylens.extraction.tagger import model_for, rarity, spans_from_tags, token_features
from storylens.extraction.text import Token, prefix_splits, sentence_spans, surface_length, tokenize

COMMON_WORD_ZIPF = 5  # words at least this frequent are ordinary vocabulary, not names
RARE_NAME_ZIPF = 3  # a word joined by a conjunction is taken as a further name only when this rare
TAGGED_SINGLE_WORD_MAX_ZIPF = 4.8  # a lone tagged word more frequent than this is vocabulary
MAX_TITLE_CHAIN = 7
MAX_NAME_WORDS = 3
SOURCE_RANK = {"cue": 0, "gazetteer": 1, "document": 2, "tagger": 3}


@dataclass
class _Candidate:
    first: int
    last: int
    type: EntityType
    source: str


class _Document:
    def __init__(self, text: str, lang: str) -> None:
        self.text = text
        self.lang = lang
        self.tokens = tokenize(text)
        self.norms = [t.norm for t in self.tokens]
        self.cues = cue_words()
        self.bare_words = set(self.norms)
        self.bare_counts = Counter(self.norms)

    def common(self, norm: str) -> bool:
        return rarity(norm, self.lang) >= COMMON_WORD_ZIPF

    def is_modifier(self, norm: str) -> bool:
        """Words between a title and a name: cue modifiers and nationality adjectives (الروسي, הרוסי)."""
        if is_cue(norm, self.cues.title_modifiers) or is_cue(norm, self.cues.titles):
            return True
        return self.definite(norm) or norm.startswith("ה")

    def definite(self, norm: str) -> bool:
        """An Arabic word with the article, bare or after a clitic (الروسي, للكرملين, والمبعوثين)."""
        return norm.startswith(("ال", "لل")) or any(p.endswith("ال") for p, _ in prefix_splits(norm))

    def name_like(self, i: int, first: bool) -> bool:
        token = self.tokens[i]
        norm = token.norm
        if not token.is_word or is_cue(norm, self.cues.reporting_verbs) or is_cue(norm, self.cues.titles):
            return False
        if token.text[0].isascii():
            return token.text[0].isupper() and not is_cue(norm, self.cues.title_modifiers)
        if '"' in norm or (self.is_modifier(norm) and (first or not norm.startswith("ה"))):
            return False
        return not (self.common(norm) or place_of(norm) is not None or self.prefixed_word(norm))

    def prefixed_word(self, norm: str) -> bool:
        """A clitic prefix on another word (بشأن, לשליחיו, وجاريد), unless the text shows the whole is a name."""
        stems = [stem for _, stem in prefix_splits(norm)]
        if self.bare_counts[norm] > 1 and not any(self.bare_counts[s] or rarity(s, self.lang) > 3 for s in stems):
            return False  # repeated as a whole, never bare: a name such as לברוב or فيدان
        return any(
            rarity(stem, self.lang) > rarity(norm, self.lang) and not self.inner_common(stem)
            for _, stem in prefix_splits(norm)
        )

    def inner_common(self, stem: str) -> bool:
        """The stem itself splits into a prefix and a common word (ברוב = ב+רוב), so it is no evidence."""
        return any(self.common(inner) for _, inner in prefix_splits(stem))

    @cached_property
    def occurrences(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for norm in self.norms:
            counts.update({norm, *(stem for _, stem in prefix_splits(norm))})
        return counts

    def after_titles(self) -> list[_Candidate]:
        found: list[_Candidate] = []
        i = 0
        while i < len(self.tokens):
            if not is_cue(self.norms[i], self.cues.titles):
                i += 1
                continue
            j = i + 1
            while j < len(self.tokens) and j - i <= MAX_TITLE_CHAIN and self.is_modifier(self.norms[j]):
                j += 1
            while j < len(self.tokens):
                k = j
                while k < len(self.tokens) and k - j < MAX_NAME_WORDS and self.name_like(k, first=k == j):
                    k += 1
                names = self.trim_name(list(range(j, k)))
                if not names:
                    break
                found.append(_Candidate(names[0], names[-1], "person", "cue"))
                j = names[-1] + 1
                if not self.coordinated_name(j):
                    break
            i = max(j, i + 1)
        return found

    def coordinated_name(self, j: int) -> bool:
        """Does a name joined by a conjunction start at token j? ("ويتكوف وجاريد كوشنر": both share the title)"""
        if j >= len(self.tokens) or self.norms[j][:1] not in {"و", "ו"}:
            return False
        stem = self.norms[j][1:]
        return (
            rarity(self.norms[j], self.lang) < rarity(stem, self.lang) <= RARE_NAME_ZIPF
            and not self.is_modifier(stem)
            and not is_cue(stem, self.cues.titles)
            and place_of(stem) is None
        )

    def trim_name(self, names: list[int]) -> list[int]:
        """Keep words after the first only when the text shows they belong to the name (see module doc)."""
        if len(names) < 2 or self.tokens[names[0]].text[0].isascii():
            return names
        first, second = (self.occurrences[self.norms[k]] for k in names[:2])
        if second <= 1 and first > 1:
            return names[:1]
        if len(names) > 2 and (second > 1 or self.occurrences[self.norms[names[2]]] <= 1):
            return names[:2]
        return names

    def places(self) -> list[_Candidate]:
        places = gazetteer()
        found: list[_Candidate] = []
        for i, token in enumerate(self.tokens):
            heads = [token.norm, *(stem for _, stem in prefix_splits(token.norm))]
            if not token.is_word or not any(h in places.place_heads for h in heads):
                continue
            if token.text[0].isascii() and not token.text[0].isupper():
                continue
            for size in range(places.max_place_words, 0, -1):
                rest = tuple(self.norms[i + 1 : i + size])
                if len(rest) != size - 1:
                    continue
                if any((h, *rest) in places.places for h in heads):
                    found.append(_Candidate(i, i + size - 1, "place", "gazetteer"))
                    break
        return found

    def tagged(self) -> list[_Candidate]:
        model = model_for(self.lang)
        if model is None:
            return []
        found: list[_Candidate] = []
        for start, end in sentence_spans(self.text):
            ids = [k for k, t in enumerate(self.tokens) if start <= t.start < end]
            if not ids:
                continue
            words = [self.tokens[k].text for k in ids]
            norms = [self.norms[k] for k in ids]
            titles = after_title_flags(norms)
            features = [token_features(words, norms, self.lang, n, known_type, titles) for n in range(len(ids))]
            for first, last, kind in spans_from_tags(model.tag(features)):
                span = self.clean_tagged(ids[first], ids[last], kind)
                if span is not None:
                    acronym = any('"' in self.norms[k] for k in range(span[0], span[1] + 1))
                    found.append(_Candidate(*span, "organisation" if acronym else kind, "tagger"))
        return found

    def clean_tagged(self, first: int, last: int, kind: EntityType) -> tuple[int, int] | None:
        """Drop title words before a person and clitic-prefixed words after a name; reject common words."""
        while first <= last and kind == "person" and is_cue(self.norms[first], self.cues.titles):
            first += 1
        while last > first and not self.tokens[last].text[0].isascii() and self.prefixed_word(self.norms[last]):
            last -= 1
        if first > last or any(self.common(self.norms[k]) for k in range(first, last + 1)):
            return None
        if first == last and zipf_frequency(self.norms[first], self.lang) >= TAGGED_SINGLE_WORD_MAX_ZIPF:
            return None
        return first, last

    def propagated(self, known: list[_Candidate]) -> list[_Candidate]:
        """Other occurrences of names already found: full names and, for people, the surname alone."""
        votes: dict[tuple[str, ...], Counter[EntityType]] = {}
        for c in known:
            words = tuple(self.stem(k) for k in range(c.first, c.last + 1))
            weight = 1 if c.source == "tagger" else 3
            votes.setdefault(words, Counter())[c.type] += weight
            if c.type == "person" and len(words) > 1 and not self.common(words[-1]):
                votes.setdefault(words[-1:], Counter())["person"] += weight
        phrases = {p: v.most_common(1)[0][0] for p, v in votes.items() if v.total() > 1}
        longest = max((len(p) for p in phrases), default=0)
        found: list[_Candidate] = []
        i = 0
        while i < len(self.tokens):
            for size in range(longest, 0, -1):
                window = tuple(self.norms[i : i + size])
                if len(window) < size or not self.tokens[i].is_word:
                    continue
                heads = [window[0], *(stem for _, stem in prefix_splits(window[0]))]
                kind = next((phrases[(h, *window[1:])] for h in heads if (h, *window[1:]) in phrases), None)
                if kind is not None:
                    found.append(_Candidate(i, i + size - 1, kind, "document"))
                    i += size - 1
                    break
            i += 1
        return found

    def stem(self, k: int) -> str:
        """The token's key without a clitic prefix when the prefix should go (see module doc)."""
        return self.tokens[k].norm[self.clitic_length(k) :]

    def clitic_length(self, k: int) -> int:
        norm = self.tokens[k].norm
        for prefix, stem in prefix_splits(norm):
            if "ال" in prefix and prefix != "لل":
                continue  # the Arabic article belongs to the name (الكرملين)
            if self.known_stem(prefix, stem, norm):
                return len(prefix)
        return 0

    def known_stem(self, prefix: str, stem: str, whole: str) -> bool:
        """Is ``stem`` the real word behind ``prefix`` + ``stem``? (see module doc)"""
        if (stem,) in gazetteer().places or stem in self.bare_words:
            return True
        if len(self.prefix_evidence.get(stem, ())) > 1:
            return True  # the stem occurs after different prefixes (בקרמלין, הקרמלין)
        if self.common(stem) or rarity(stem, self.lang) <= rarity(whole, self.lang):
            return False
        return not any(self.common(inner) for _, inner in prefix_splits(stem))

    @cached_property
    def prefix_evidence(self) -> dict[str, set[str]]:
        evidence: dict[str, set[str]] = {}
        for norm in self.bare_words:
            for prefix, stem in prefix_splits(norm):
                evidence.setdefault(stem, set()).add(prefix[-1])
        return evidence

    def mentions(self) -> list[Mention]:
        firm = self.after_titles() + self.places()
        tagged = self.tagged()
        candidates = firm + tagged + self.propagated(firm + tagged)
        candidates.sort(key=lambda c: (SOURCE_RANK[c.source] > 1, c.first - c.last, SOURCE_RANK[c.source]))
        taken: set[int] = set()
        chosen: list[_Candidate] = []
        for c in candidates:
            span = set(range(c.first, c.last + 1))
            if not span & taken:
                taken |= span
                chosen.append(c)
        chosen.sort(key=lambda c: c.first)
        return [m for c in chosen if (m := self.mention(c)) is not None]

    def mention(self, c: _Candidate) -> Mention | None:
        head: Token = self.tokens[c.first]
        start = head.start + surface_length(head.text, self.clitic_length(c.first))
        end = self.tokens[c.last].end
        surface = self.text[start:end]
        if len(surface) < 2 or not any(ch.isalpha() for ch in surface):
            return None
        key = " ".join([self.stem(c.first), *self.norms[c.first + 1 : c.last + 1]])
        return Mention(start, end, surface, c.type, key, c.source)


def extract_mentions(text: str, lang: str) -> list[Mention]:
    """People, organisations and places named in ``text`` (a single article), in text order."""
    return _Document(text, lang).mentions()
