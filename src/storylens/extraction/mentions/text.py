"""One article's text as the proposers and vetoes read it: tokens, look-up keys, word frequencies, clitics, lines.

Examples are transliterated (Arabic "al-" is the article, Hebrew "ha-"; "wa-"/"ve-" is "and"). Word frequencies are
wordfreq Zipf values looked up by the word's spelling in this text (with its hamza or final letters), while every
comparison works on normalised keys (``storylens.lang.normalise``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from storylens.extraction.gazetteer import calendar_words, cue_words, gazetteer, is_cue, place_of, place_stems
from storylens.extraction.records import EntityType
from storylens.extraction.tagger import frequency, model_for
from storylens.lang import inflection_stems, plain, prefix_splits, tokenize
from storylens.lang.profile import get_profile, punctuation
from storylens.lang.words import HYPHENS

COMMON_WORD_ZIPF = 5  # words at least this frequent are ordinary vocabulary, not names
SENTENCE_START_MAX_ZIPF = 3.5  # a capitalised word opening a sentence this frequent shows nothing
ACRONYM_MAX_LETTERS = 5
MIN_RARITY_STEM = 3  # a shorter stem, not a place, is no evidence of a prefix (Hebrew beit "house": no be- + "it")
SENTENCE_MARKS = ".!\n:" + punctuation("question_marks")  # marks after which a word opens a sentence
TITLE_CASE_WORD = re.compile(r"[A-Z][\w'’-]*")
ELISION = re.compile(r"^[ldLD]['’]")  # the French elided article or preposition before a name (l’Atlético)
AR_ARTICLE = get_profile("ar").grammar["article"]
AR_ARTICLE_AFTER_LAM = get_profile("ar").grammar["article_after_lam"]  # li- + al- written without the alif
ARTICLES = (AR_ARTICLE, get_profile("he").grammar["article"])
LATIN_TAGGER = "en"  # the model that tags the Latin-script runs of a text in another script
LATIN_SCRIPT = "Latn"  # a prefix ending with one keeps it on the name


@dataclass
class Candidate:
    """A proposed span of tokens ``first``..``last`` with a type and the proposer (``source``) that found it."""

    first: int
    last: int
    type: EntityType
    source: str  # "cue" (a title), "gazetteer" (CLDR, lexicon), "tagger", "context" (cue words), "document"
    clitic: int | None = None  # characters of clitic prefix to leave out of the head word; None: decide by text
    proposer: str = ""  # the proposer's name ("tagger", "titles", "places", "organisations", ...); vetoes judge by it


class Text:
    """The tokens of one article and the facts about its words that every proposer and veto shares."""

    def __init__(self, text: str, lang: str) -> None:
        self.text = text
        self.lang = lang
        self.tokens = tokenize(text)
        self.norms = [t.norm for t in self.tokens]
        self.cues = cue_words()
        self.bare_words = set(self.norms)
        self.bare_counts = Counter(self.norms)
        self.spelling = self._spellings()
        self.tagged_people: set[int] = set()  # tokens the tagger put in a person span (set by the tagger proposer)
        self.tagged_places: set[str] = set()  # one-word places of the tagger, never in its people
        self.tagged_person_ends: dict[int, int] = {}  # first token -> last token of the tagger's person spans
        self.tagged_tokens: set[int] = set()  # tokens in any span of the tagger

    def _spellings(self) -> dict[str, str]:
        """Normalised words and their stems -> the dictionary spelling in this text (bishan -> bi-sha'n)."""
        spelling: dict[str, str] = {}
        for token in self.tokens:
            written = plain(token.text)
            if token.norm in spelling or len(written) != len(token.norm) or not token.is_word:
                continue
            spelling[token.norm] = written
            for part in (*(stem for _, stem in prefix_splits(token.norm)), *inflection_stems(token.norm)):
                at = token.norm.find(part)
                spelling.setdefault(part, written[at : at + len(part)])
        return spelling

    def __len__(self) -> int:
        return len(self.tokens)

    def frequency(self, norm: str) -> float:
        """Zipf frequency of a normalised word (or stem) as spelled in this text."""
        return frequency(self.spelling.get(norm, norm), self.lang)

    def rarity(self, norm: str) -> int:
        return int(self.frequency(norm))

    def common(self, norm: str) -> bool:
        return self.frequency(norm) >= COMMON_WORD_ZIPF

    def latin(self, k: int) -> bool:
        """Token k is written in Latin letters (capitals mean something there)."""
        return self.tokens[k].text[0].isascii()

    def capitals(self, k: int) -> bool:
        """Token k is a Latin word of two or more capitals (AFP, PSG)."""
        text = self.tokens[k].text
        return len(text) > 1 and text.isascii() and text.isupper()

    def modifier_compound(self, k: int) -> bool:
        """Token k is a Latin compound ending with a lowercase word ("Taliban-run", "Kremlin-backed", "U.S.-led"): a
        modifier before a name, no part of it."""
        text = self.tokens[k].text
        tail = max(text.rfind(h) for h in HYPHENS)
        return self.latin(k) and tail > 0 and text[tail + 1 : tail + 2].islower()

    def sentence_initial(self, k: int) -> bool:
        """Is token k the first word of a sentence or line, where capitals show nothing?"""
        before = self.text[: self.tokens[k].start].rstrip(" \t\"'“‘«")
        return not before or before[-1] in SENTENCE_MARKS

    def name_word(self, k: int) -> bool:
        """Token k is a capitalised word that can belong to a name: not a title, a month or day, or a common
        word opening the sentence."""
        if not 0 <= k < len(self.tokens):
            return False
        token = self.tokens[k]
        return (
            token.is_word
            and ELISION.sub("", token.text)[:1].isupper()
            and not is_cue(token.norm, self.cues.titles)
            and token.norm not in calendar_words()
            and not (self.sentence_initial(k) and self.frequency(token.norm) >= SENTENCE_START_MAX_ZIPF)
        )

    @cached_property
    def occurrences(self) -> Counter[str]:
        """How often each word occurs, bare or after a clitic prefix."""
        counts: Counter[str] = Counter()
        for norm in self.norms:
            counts.update({norm, *(stem for _, stem in prefix_splits(norm))})
        return counts

    @cached_property
    def prefix_evidence(self) -> dict[str, set[str]]:
        """Stem -> the clitic letters it follows somewhere in the text (ba-Kremlin, ha-Kremlin: two)."""
        evidence: dict[str, set[str]] = {}
        for norm in self.bare_words:
            for prefix, stem in prefix_splits(norm):
                evidence.setdefault(stem, set()).add(prefix[-1])
        return evidence

    def clitic_on(self, stem: str, norm: str) -> bool:
        """Is ``norm`` a clitic prefix on ``stem`` rather than a word of its own? Then it is rarer than the stem
        (or unknown to the word list)."""
        whole = self.frequency(norm)
        return whole == 0 or self.frequency(stem) > whole

    def title_at(self, i: int) -> bool:
        """Token i is a title or role, bare or after a clitic prefix; a word more frequent than its title stem
        is a word of its own (Hebrew medubar "it is about", not me- + dover "spokesman")."""
        norm = self.norms[i]
        return norm in self.cues.titles or any(
            stem in self.cues.titles and self.clitic_on(stem, norm) for _, stem in prefix_splits(norm)
        )

    def text_place(self, norm: str) -> bool:
        """A one-word place: a CLDR place or a word the tagger types a place alone in this text ("in Munich") and
        never puts in a person's name."""
        return place_of(norm) is not None or norm in self.tagged_places

    def inner_common(self, stem: str) -> bool:
        """The stem itself splits into a prefix and a common word (Hebrew be-rov = be- + rov), so it is no evidence."""
        return any(self.common(inner) for _, inner in prefix_splits(stem))

    def known_stem(self, prefix: str, stem: str, whole: str) -> bool:
        """Is ``stem`` the real word behind ``prefix`` + ``stem``? It is a place, takes several prefixes here, is a
        title, organisation or place noun (Arabic li-hay'at "to the authority of"), or is a rarer-than-common word more
        frequent than the whole form (so that Hebrew lavrov stays Lavrov, not le- + rov). A stem the text writes alone
        is judged first (``clitic_length``)."""
        if (stem,) in gazetteer().places and stem in place_stems(whole):
            return True
        if len(stem) < MIN_RARITY_STEM:
            return False
        if len(self.prefix_evidence.get(stem, ())) > 1:
            return True
        if not prefix.endswith(ARTICLES) and any(stem in words for words in self._cue_nouns):
            return True
        if self.common(stem) or self.rarity(stem) <= self.rarity(whole):
            return False
        return not self.inner_common(stem)

    @cached_property
    def _cue_nouns(self) -> tuple[frozenset[str], ...]:
        return (self.cues.titles, self.cues.organisation_nouns, self.cues.place_nouns)

    def clitic_length(self, k: int) -> int:
        """Letters of clitic prefix to leave out of token k's key (the Arabic article stays: al-Kremlin). A stem the
        text also writes alone wins, the longest such (wa-Kirill, not wa-ka- + "irill"; ve-be-Eropa, not ve- +
        be-Eropa); then other evidence."""
        norm = self.tokens[k].norm
        splits = [
            (prefix, stem)
            for prefix, stem in prefix_splits(norm)
            if not (AR_ARTICLE in prefix and prefix != AR_ARTICLE_AFTER_LAM)
        ]
        alone = [prefix for prefix, stem in splits if stem in self.bare_words and len(stem) >= MIN_RARITY_STEM]
        if alone:
            return len(max(alone, key=len))
        return next((len(prefix) for prefix, stem in splits if self.known_stem(prefix, stem, norm)), 0)

    def stem(self, k: int) -> str:
        """The token's key without a clitic prefix when the prefix should go."""
        return self.tokens[k].norm[self.clitic_length(k) :]

    def words(self, c: Candidate) -> tuple[str, ...]:
        """A candidate's name as normalised words, the head word without a clitic prefix that should go."""
        return (self.stem(c.first), *self.norms[c.first + 1 : c.last + 1])

    @cached_property
    def title_case_tokens(self) -> frozenset[int]:
        """Tokens on English title-case lines (headlines such as "Zelensky Meets Witkoff")."""
        flagged: set[int] = set()
        for start, end, line in self.lines:
            words = line.split()
            long_words = [w for w in words if len(w) > 3 and w[0].isalpha()]
            if (
                len(words) >= 2
                and long_words
                and all(TITLE_CASE_WORD.fullmatch(w) for w in long_words)
                and not line.rstrip().endswith((".", ":", '"', "”"))
            ):
                flagged.update(k for k, t in enumerate(self.tokens) if start <= t.start < end)
        return frozenset(flagged)

    @cached_property
    def lines(self) -> list[tuple[int, int, str]]:
        """(start, end, text) of each line of the text."""
        found, start = [], 0
        for line in self.text.split("\n"):
            found.append((start, start + len(line), line))
            start += len(line) + 1
        return found

    def line_of(self, k: int) -> tuple[int, int, str]:
        """The line holding token k."""
        at = self.tokens[k].start
        return next(line for line in self.lines if line[0] <= at <= line[1])

    @cached_property
    def lowercase_initials(self) -> frozenset[str]:
        """Initials of every run of two to five consecutive lowercase Latin words ("artificial intelligence": ai)."""
        initials: set[str] = set()
        run = ""
        for token in self.tokens:
            lower = token.is_word and token.text.isascii() and token.text.islower()
            run = (run + token.text[0])[-ACRONYM_MAX_LETTERS:] if lower else ""
            initials.update(run[-n:] for n in range(2, len(run) + 1))
        return frozenset(initials)


def tags_latin_runs(lang: str) -> bool:
    """Does a text of ``lang`` have its Latin-script runs tagged by the English model? Yes when the language has a
    tagger of its own for another script (Hebrew, Arabic); a Latin-script language keeps its own tagger, or none."""
    return model_for(lang) is not None and get_profile(lang).script not in (None, LATIN_SCRIPT)
