"""The shipped name lexicon: entries with an id, a type and names per language, found by any of their names.

Look-up keys are the normalised words of a name (case, diacritics and Arabic letter variants folded, hyphens and
dots as spaces, the profile ``article`` off each longer word). A surface name is looked up bare, then without its
clitic prefixes ("and the United States", "in Gaza"), shortest prefix first: the language profiles'
``prefix_letters``, ``clitic_prefixes``, ``hidden_article`` and ``prefix_joiners``. The data loads on first use
and is shared (``name_lexicon()``).
"""

from __future__ import annotations

import gzip
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from storylens.extraction.records import EntityType
from storylens.lang import LanguageProfile, all_profiles, get_profile, normalise, punctuation, script_of
from storylens.lang.words import HYPHENS

LANGS = ("en", "he", "ar")
_SEPARATORS = re.compile("[" + re.escape(HYPHENS + punctuation("hyphens")) + ".·]+")  # and the scripts' own (maqaf)
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'"})


@dataclass(frozen=True)
class Entry:
    """One entity of the lexicon. ``names`` holds its names per language ("en", "he", "ar")."""

    id: str
    type: EntityType
    names: dict[str, tuple[str, ...]]

    @property
    def label(self) -> str:
        """The English name views show (name tokens are stored lower-case: capitalised here)."""
        first = self.names["en"][0]
        return first[:1].upper() + first[1:] if first.islower() else first

    @property
    def is_token(self) -> bool:
        """A person-name token (one word such as "putin"), not a whole name."""
        return self.id.startswith("wdtok:")


MIN_STEM = 2  # letters a name keeps after its clitic prefixes


@cache
def _article_re() -> re.Pattern[str]:
    articles = [(p.article, p.article_min_word) for p in all_profiles() if p.article]
    return re.compile("|".join(rf"(?<![^\s|]){a}(?=[^\s|]{{{n - 1},}})" for a, n in articles))


def _fold(text: str) -> str:
    """Look-up keys of every name in ``text`` at once (names separated by whitespace, "|" or tabs kept)."""
    text = normalise.__wrapped__(text.translate(_APOSTROPHES))
    return _article_re().sub("", _SEPARATORS.sub(" ", text))


@lru_cache(maxsize=200_000)
def lookup_key(name: str) -> str:
    """The look-up key of a name (see module doc)."""
    return " ".join(_fold(name).split())


def _chain_splits(word: str, profile: LanguageProfile) -> list[tuple[str, str]]:
    """Chains of one-letter prefixes (Hebrew); after some of them the article is written nowhere, so it is
    tried in front of the stem (profile ``hidden_article``: "in the Knesset" is "in" + "Knesset")."""
    splits = []
    hidden = profile.hidden_article
    for size in range(1, profile.max_prefix_chain + 1):
        head, stem = word[:size], word[size:].lstrip(profile.prefix_joiners)
        if any(ch not in profile.prefix_letters for ch in head) or len(stem) < MIN_STEM:
            break
        splits.append((head, stem))
        if hidden and head[-1] in hidden["after"] and not stem.startswith(hidden["article"]):
            splits.append((head, hidden["article"] + stem))
    return splits


def _whole_splits(word: str, profile: LanguageProfile) -> list[tuple[str, str]]:
    """Whole clitic prefixes (Arabic: conjunction, preposition, article and their contractions)."""
    splits = []
    for head in sorted(profile.clitic_prefixes, key=len):
        stem = word[len(head) :].lstrip(profile.prefix_joiners)
        if word.startswith(head) and len(stem) >= MIN_STEM:
            splits.append((head, stem))
    return splits


@lru_cache(maxsize=200_000)
def strip_candidates(surface: str) -> tuple[tuple[str, str], ...]:
    """(prefix, name) readings of a surface name: bare first, then without clitic prefixes on its first word,
    shortest prefix first. Only Hebrew and Arabic names have prefixes."""
    words = surface.split(maxsplit=1)
    if not words:
        return ()
    script = script_of(words[0])
    readings: list[tuple[str, str]] = [("", surface)]
    if script != "latin":
        profile = get_profile(script)
        rest = f" {words[1]}" if len(words) > 1 else ""
        splits = _chain_splits(words[0], profile) + _whole_splits(words[0], profile)
        readings += [(head, stem + rest) for head, stem in splits]
    return tuple(dict.fromkeys(readings))


class NameLexicon:
    """Lazily loaded name lexicon (``data/names.tsv.gz`` and ``data/organisations.tsv``)."""

    def __init__(self) -> None:
        self._rows: list[tuple[str, str, str, str, str]] = []
        self._index: dict[str, list[int]] = defaultdict(list)
        data = resources.files("storylens.lexicon").joinpath("data")
        with gzip.open(str(data.joinpath("names.tsv.gz")), "rt", encoding="utf-8") as handle:
            rows = [line.split("\t") for line in handle.read().splitlines()]
        for line in data.joinpath("organisations.tsv").read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                entity, *names = line.split("\t")
                rows.append([entity, "organisation", *names])
        folded = _fold("\n".join("\t".join(row[2:]) for row in rows)).split("\n")
        for number, (row, keys) in enumerate(zip(rows, folded, strict=True)):
            self._rows.append((row[0], row[1], row[2], row[3], row[4]))
            for key in {" ".join(k.split()) for k in re.split(r"[|\t]", keys)} - {""}:
                self._index[key].append(number)

    def _entry(self, row: int) -> Entry:
        entity, kind, *names = self._rows[row]
        by_lang = {lang: tuple(n for n in text.split("|") if n) for lang, text in zip(LANGS, names, strict=True)}
        return Entry(entity, kind, by_lang)  # type: ignore[arg-type]

    def exact(self, name: str) -> list[Entry]:
        """Entries with this name (compared by look-up key), no prefix stripping."""
        return [self._entry(row) for row in self._index.get(lookup_key(name), ())]

    def lookup(self, surface: str) -> list[Entry]:
        """Entries named by ``surface``, bare or after its clitic prefixes are stripped (the first reading found)."""
        for _, name in strip_candidates(surface):
            found = self.exact(name)
            if found:
                return found
        return []

    def entries(self, id_prefix: str) -> list[Entry]:
        """Every entry whose id starts with ``id_prefix`` ("geonames-adm1:"), in file order."""
        return [self._entry(n) for n, row in enumerate(self._rows) if row[0].startswith(id_prefix)]

    def __len__(self) -> int:
        return len(self._rows)


@cache
def organisation_names() -> dict[tuple[str, ...], str]:
    """Every name of the organisation list as its normalised word tuple (as ``storylens.lang.tokenize`` keys
    words), mapped to the organisation's id: for proposing mentions the tagger missed."""
    from storylens.lang import tokenize

    names: dict[tuple[str, ...], str] = {}
    text = resources.files("storylens.lexicon").joinpath("data/organisations.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            entity, *by_lang = line.split("\t")
            for name in (n for names_ in by_lang for n in names_.split("|") if n):
                key = tuple(t.norm for t in tokenize(name) if t.is_word or t.text in "'\"-")
                if key:
                    names.setdefault(key, entity)
    return names


@cache
def organisation_acronyms() -> frozenset[tuple[str, ...]]:
    """Keys of the organisation list's names written as Latin acronyms ("UN", "NATO"): in text they are names only
    when written in capitals too (Spanish "Un" opening a sentence is no UN)."""
    from storylens.lang import tokenize

    found: set[tuple[str, ...]] = set()
    text = resources.files("storylens.lexicon").joinpath("data/organisations.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            for name in line.split("\t")[1].split("|"):
                if name.isascii() and name.isalpha() and name.isupper():
                    found.add(tuple(t.norm for t in tokenize(name) if t.is_word))
    return frozenset(found)


@cache
def name_lexicon() -> NameLexicon:
    """The shared lexicon, loaded on first use."""
    return NameLexicon()
