"""Shim: the token, look-up-key and clitic helpers now live in ``storylens.lang``.

Kept so that modules written against ``storylens.extraction.text`` (mentions, tagger, gazetteer, linking,
quotes, figures, romanise) still import; new code imports ``storylens.lang`` directly. Remove once those
modules import from ``storylens.lang``.
"""

from __future__ import annotations

import re

from storylens.lang import (
    Token,
    digit_value,
    get_profile,
    inflection_stems,
    normalise,
    plain,
    prefix_splits,
    script_of,
    surface_length,
    tokenize,
)
from storylens.lang import sentence_spans as _sentence_spans
from storylens.lang.words import HYPHENS, token_re

HEBREW_RE = re.compile(f"[{get_profile('he').letters}]")
ARABIC_RE = re.compile(f"[{get_profile('ar').letters}]")
LATIN_RE = re.compile("[A-Za-z]")
TOKEN_RE = token_re()
HEBREW_PREFIXES = get_profile("he").prefix_letters
ARABIC_PREFIXES = get_profile("ar").clitic_prefixes
HEBREW_SUFFIXES = get_profile("he").clitic_suffixes
ARABIC_SUFFIXES = get_profile("ar").clitic_suffixes
ARABIC_FUTURE = get_profile("ar").future_prefix


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence or line (see ``storylens.lang.sentence_spans``)."""
    return _sentence_spans(text)


__all__ = [
    "ARABIC_FUTURE",
    "ARABIC_PREFIXES",
    "ARABIC_RE",
    "ARABIC_SUFFIXES",
    "HEBREW_PREFIXES",
    "HEBREW_RE",
    "HEBREW_SUFFIXES",
    "HYPHENS",
    "LATIN_RE",
    "TOKEN_RE",
    "Token",
    "digit_value",
    "inflection_stems",
    "normalise",
    "plain",
    "prefix_splits",
    "script_of",
    "sentence_spans",
    "surface_length",
    "tokenize",
]
