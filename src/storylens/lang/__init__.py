"""The language layer: one ``LanguageProfile`` per language, read from ``lang/<code>/profile.json``.

``get_profile(code)`` gives a language's letters, clitics, number words and cue words; languages without a
folder get the generic profile. ``words`` reads words by those profiles (look-up keys, clitic splits, stems,
skeletons, digits, tokens) and ``sentences`` splits sentences. Adding a language means adding a folder.
"""

from storylens.lang.profile import (
    LanguageProfile,
    all_profiles,
    base_code,
    get_profile,
    profile_codes,
    punctuation,
)
from storylens.lang.sentences import first_sentence, is_terminated, sentence_spans, sentences
from storylens.lang.words import (
    Token,
    ascii_digits,
    digit_value,
    fold_letters,
    inflection_stems,
    normalise,
    plain,
    prefix_splits,
    profile_of_word,
    script_of,
    skeleton,
    strip_marks,
    strip_prefixes,
    surface_length,
    tokenize,
)

__all__ = [
    "LanguageProfile",
    "Token",
    "all_profiles",
    "ascii_digits",
    "base_code",
    "digit_value",
    "first_sentence",
    "fold_letters",
    "get_profile",
    "inflection_stems",
    "is_terminated",
    "normalise",
    "plain",
    "prefix_splits",
    "profile_codes",
    "profile_of_word",
    "punctuation",
    "script_of",
    "sentence_spans",
    "sentences",
    "skeleton",
    "strip_marks",
    "strip_prefixes",
    "surface_length",
    "tokenize",
]
