"""Words by their profile: tokens with offsets, look-up keys, clitic splits, stems, skeletons and digits.

Nothing here alters the original text: tokens carry ``start``/``end`` offsets into it and a separate
``norm`` key used only for look-ups. The letters and clitics come from the language profiles; a word is
read by the profile of its script (``profile_of_word``), so callers need not know the text's language.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from anyascii import anyascii

from storylens.lang.profile import LanguageProfile, all_profiles, get_profile

HYPHENS = "-\u2010\u2011"  # the hyphen-minus, the hyphen and the non-breaking hyphen (Severo‑Kurilsk)
LATIN_COMBINING = "\u0300-\u036f"
MIN_STEM = 3  # inflection stems shorter than this are not words


@cache
def script_profiles() -> tuple[LanguageProfile, ...]:
    """The profiles a word's letters select when no language is given (one per script: he, ar)."""
    return tuple(profile for profile in all_profiles() if profile.primary_for_script and profile.letters)


@cache
def _tables() -> tuple[re.Pattern[str], dict[int, str], dict[int, str], dict[int, str]]:
    """The marks of every script, and the letter, look-up and punctuation fold tables of every profile."""
    profiles = list(all_profiles())
    marks = "".join(dict.fromkeys(profile.marks for profile in profiles if profile.marks))
    letters: dict[str, str] = {}
    lookups: dict[str, str] = {}
    punctuation: dict[str, str] = {}
    for profile in profiles:
        letters.update(profile.letter_folds)
        lookups.update(profile.lookup_folds)
        punctuation.update(profile.punctuation_folds)
    return (
        re.compile(f"[{marks}]"),
        str.maketrans(letters),
        str.maketrans({**letters, **lookups, **punctuation}),
        str.maketrans(punctuation),
    )


def strip_marks(text: str) -> str:
    """``text`` without the points, vowel signs and tatweel of the scripts with a profile."""
    return _tables()[0].sub("", text)


def fold_letters(text: str) -> str:
    """Spelling variants of one letter made one (Arabic hamza and madda alifs -> alif, alif maqsura -> ya;
    Persian kaf -> Arabic kaf); length kept."""
    return text.translate(_tables()[1])


@lru_cache(maxsize=100_000)
def normalise(word: str) -> str:
    """A look-up key: case-folded, without diacritics, letter variants unified, ta marbuta as ha, gershayim as "."""
    return unicodedata.normalize("NFKC", strip_marks(word)).translate(_tables()[2]).casefold()


def plain(word: str) -> str:
    """A word as dictionaries spell it: case-folded, without diacritics, letters kept (hamza alif stays), Hebrew
    gershayim and geresh as the ASCII quote marks word lists use (Hebrew du"h, "report", with gershayim -> with ")."""
    return unicodedata.normalize("NFKC", strip_marks(word).translate(_tables()[3])).casefold()


@lru_cache(maxsize=100_000)
def profile_of_word(word: str) -> LanguageProfile:
    """The profile of the first script with a profile whose letters ``word`` contains; else the generic one."""
    for profile in script_profiles():
        if _letter_re(profile).search(word):
            return profile
    return get_profile(None)


def script_of(word: str) -> str:
    """'he', 'ar' or 'latin' (anything else) for a word, by the scripts with a profile."""
    code = profile_of_word(word).code
    return code if code in {p.code for p in script_profiles()} else "latin"


@cache
def _letter_re(profile: LanguageProfile) -> re.Pattern[str]:
    return re.compile(f"[{profile.letters}]")


@lru_cache(maxsize=100_000)
def prefix_splits(norm: str) -> tuple[tuple[str, str], ...]:
    """Candidate (clitic prefix, stem) splits of a normalised word, longest prefix first, stem >= 2 letters.

    The prefixes are those of the profile of the word's first letter (Hebrew chains of one-letter prefixes,
    Arabic proclitics); the caller decides whether a split is right (e.g. only when the stem is a known name).
    """
    profile = _profile_at_start(norm)
    if profile is None:
        return ()
    return tuple(
        (prefix, norm[len(prefix) :].lstrip("-"))
        for prefix in profile.prefixes
        if norm.startswith(prefix) and len(norm) - len(prefix) >= 2
    )


def _profile_at_start(word: str) -> LanguageProfile | None:
    for profile in script_profiles():
        if _letter_re(profile).match(word):
            return profile
    return None


@lru_cache(maxsize=100_000)
def inflection_stems(norm: str) -> tuple[str, ...]:
    """Stems (>= 3 letters) of a normalised word without its clitic prefixes, a future prefix and/or an
    inflection suffix (Arabic sa-yajtami' -> yajtami',
    wafduna -> wafd, Hebrew be-shitkhan -> shetakh). Empty for scripts without suffixes."""
    profile = _profile_at_start(norm)
    if profile is None or not profile.clitic_suffixes:
        return ()
    heads = [stem for _, stem in prefix_splits(norm)]
    future = profile.future_prefix
    if future:
        heads += [head[len(future) :] for head in (norm, *heads) if head.startswith(future) and len(head) > 4]
    stems = set(heads)
    for head in (norm, *heads):
        stems.update(head[: -len(suffix)] for suffix in profile.clitic_suffixes if head.endswith(suffix))
    return tuple(sorted(stem for stem in stems if len(stem) >= MIN_STEM))


def strip_prefixes(word: str, lang: str) -> list[str]:
    """``word`` without each clitic prefix of ``lang`` that it starts with (no check that the rest is a word)."""
    return [word[len(prefix) :] for prefix in get_profile(lang).prefixes if word.startswith(prefix)]


# --- skeletons -------------------------------------------------------------------------------------------


@cache
def _consonants(scheme: str) -> tuple[re.Pattern[str], dict[str, str], dict[int, str]]:
    raw = json.loads(resources.files("storylens.lang").joinpath("skeleton.json").read_text(encoding="utf-8"))
    classes = [(source, target) for source, target in raw["schemes"][scheme]]
    pattern = re.compile("|".join(re.escape(source) for source, _ in classes))
    before: dict[str, str] = {}
    for profile in all_profiles():
        before.update(profile.skeleton_letters)
    return pattern, dict(classes), str.maketrans(before)


@lru_cache(maxsize=200_000)
def skeleton(word: str, scheme: str = "classes") -> str:
    """Consonant classes of a word's Latin transliteration, vowels and glides dropped, repeats merged:
    Putin in Latin, Hebrew, Arabic, Cyrillic give ``BTN``. ``scheme`` names a table in ``lang/skeleton.json``."""
    pattern, class_of, before = _consonants(scheme)
    latin = anyascii(word.translate(before)).lower()
    classes = "".join(class_of[piece] for piece in pattern.findall(latin))
    classes = "".join(ch for ch in classes if ch.isupper())
    return re.sub(r"(.)\1+", r"\1", classes)


# --- digits and tokens -----------------------------------------------------------------------------------


@cache
def _number_separators() -> dict[str, str]:
    separators: dict[str, str] = {}
    for profile in all_profiles():
        separators.update(profile.number_separators)
    return separators


def number_pattern(extra_separators: str = "") -> str:
    """A regular expression for a number in any script's digits with any script's separators."""
    marks = re.escape(".," + "".join(_number_separators()) + extra_separators)
    return rf"\d+(?:[{marks}]\d+)*"


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit (Arabic-Indic, Persian, Devanagari...) as ASCII and the
    profiles' number separators (the Arabic decimal and thousands separators) as "." and ","."""
    digits = "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)
    return digits.translate({ord(mark): ascii for mark, ascii in _number_separators().items()})


def digit_value(number: str) -> float | None:
    """The value of a digit token such as '1,000', '3.5', Arabic-Indic 25 or
    1,250.5 with Arabic separators; None if it is malformed."""
    digits = ascii_digits(number)
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", digits):
        return float(digits.replace(",", ""))
    if re.fullmatch(r"\d+(?:\.\d+)?", digits):
        return float(digits)
    if re.fullmatch(r"\d+,\d{1,2}", digits):  # decimal comma
        return float(digits.replace(",", "."))
    return None


@dataclass(frozen=True, slots=True)
class Token:
    """One word, number or punctuation mark of the original text."""

    start: int
    end: int
    text: str
    norm: str

    @property
    def is_word(self) -> bool:
        return self.text[0].isalpha()

    @property
    def is_number(self) -> bool:
        return self.text[0].isdigit()


@cache
def token_re() -> re.Pattern[str]:
    """Numbers, words of scripts whose profile joins words with marks (tsa"l, g'), other words, or one mark."""
    marks = LATIN_COMBINING + "".join(dict.fromkeys(p.marks for p in all_profiles() if p.marks))
    word = rf"[^\W\d_](?:[^\W\d_]|[{marks}])*"
    joined = []
    for profile in script_profiles():
        if not profile.word_joiners:
            continue
        letters = profile.letters
        own = f"[{letters}][{letters}{marks}]*"
        tail = (
            f"(?:(?<=[{profile.geresh_letters}])[{profile.apostrophes}](?![{letters}]))?" if profile.apostrophes else ""
        )
        joined.append(rf"{own}(?:[{re.escape(profile.word_joiners)}]{own})*{tail}")
    latin = rf"{word}(?:(?:['’](?!s\b)|[{HYPHENS}](?=[A-Za-z])){word})*"
    return re.compile("|".join([number_pattern(), *joined, latin, r"\S"]))


def tokenize(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group(), normalise(m.group())) for m in token_re().finditer(text)]


def surface_length(text: str, norm_length: int) -> int:
    """How many characters of ``text`` normalise to its first ``norm_length`` key characters (marks included)."""
    for size in range(len(text) + 1):
        if len(normalise(text[:size])) >= norm_length:
            while size < len(text) and not normalise(text[size]):
                size += 1
            return size
    return len(text)
