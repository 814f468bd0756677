"""The language layer through its public API: profiles, folding, clitics, skeletons, digits and sentences.

All text here is invented for the tests.
"""

from __future__ import annotations

import pytest

from storylens.lang import (
    LanguageProfile,
    all_profiles,
    ascii_digits,
    digit_value,
    first_sentence,
    fold_letters,
    get_profile,
    inflection_stems,
    normalise,
    plain,
    prefix_splits,
    profile_codes,
    script_of,
    sentences,
    skeleton,
    strip_prefixes,
    tokenize,
)


@pytest.mark.parametrize("code", ["he", "ar", "en"])
def test_each_core_language_has_its_own_profile(code: str) -> None:
    profile = get_profile(code)
    assert isinstance(profile, LanguageProfile)
    assert profile.code == code
    assert code in profile_codes()


@pytest.mark.parametrize("code", ["he-IL", "HE", "he_IL"])
def test_regional_and_cased_codes_find_the_base_profile(code: str) -> None:
    assert get_profile(code) is get_profile("he")


@pytest.mark.parametrize("code", ["ru", "zh", "xx", "", None, "../he"])
def test_other_languages_never_take_the_hebrew_or_arabic_path(code: str | None) -> None:
    profile = get_profile(code)
    assert profile.prefixes == ()
    assert profile.clitic_suffixes == ()
    assert profile.script not in ("Hebr", "Arab")
    assert strip_prefixes("Владимир", code or "") == []
    assert strip_prefixes("والقدس", code or "") == []


def test_an_unknown_code_gets_the_generic_profile_under_its_own_code() -> None:
    assert get_profile("xx").code == "xx"
    assert get_profile(None).code == "generic"


def test_profiles_are_frozen() -> None:
    profile = get_profile("ar")
    with pytest.raises(AttributeError):
        profile.code = "he"  # type: ignore[misc]
    with pytest.raises(TypeError):
        profile.letter_folds["x"] = "y"  # type: ignore[index]


def test_cue_words_come_from_the_profiles() -> None:
    assert "read also" in get_profile("en").cues["related"]
    assert get_profile("ru").cues["related"]
    assert dict(get_profile(None).cues) == {}


def test_folding_unifies_letter_variants_and_drops_marks() -> None:
    assert normalise("أَحْمَد") == normalise("احمد")
    assert normalise("مدرسة") == normalise("مدرسه")  # teh marbuta in look-up keys only
    assert fold_letters("مدرسة") == "مدرسة"
    assert fold_letters("إلى") == "الي"
    assert normalise("שָׁלוֹם") == "שלום"
    assert normalise("Café") == "café"
    assert normalise("צה״ל") == 'צה"ל'


def test_plain_keeps_hamza_forms_but_drops_marks() -> None:
    assert plain("أَحمد") == "أحمد"
    assert plain("דו״ח") == 'דו"ח'


def test_script_of_reads_the_letters() -> None:
    assert script_of("בירושלים") == "he"
    assert script_of("بالقدس") == "ar"
    assert script_of("Москва") == "latin"
    assert script_of("London") == "latin"


def test_hebrew_prefix_chains_split_longest_first() -> None:
    assert prefix_splits(normalise("וכשהמדינה")) == (("וכש", "המדינה"), ("וכ", "שהמדינה"), ("ו", "כשהמדינה"))
    assert prefix_splits(normalise("בה")) == ()


def test_arabic_proclitics_split() -> None:
    splits = prefix_splits(normalise("وبالمدينة"))
    assert ("وبال", normalise("مدينة")) in splits
    assert ("و", normalise("بالمدينة")) in splits
    assert [len(prefix) for prefix, _ in splits] == sorted((len(prefix) for prefix, _ in splits), reverse=True)


def test_latin_and_cyrillic_words_have_no_clitic_splits() -> None:
    assert prefix_splits("variable") == ()
    assert prefix_splits("владимир") == ()
    assert inflection_stems("variable") == ()


def test_inflection_stems_remove_suffixes_and_the_future_prefix() -> None:
    assert normalise("وفد") in inflection_stems(normalise("وفدنا"))
    assert normalise("يكتب") in inflection_stems(normalise("سيكتب"))
    assert "ספר" in inflection_stems("בספרים")


def test_skeleton_matches_one_name_across_scripts() -> None:
    assert skeleton("Rostov") == skeleton("רוסטוב") == skeleton("روستوف") == skeleton("Ростов")
    assert skeleton("Rostov") != skeleton("Rabat")


def test_voiced_skeleton_scheme_keeps_voicing_and_drops_glides() -> None:
    assert skeleton("Tadeo", "voiced") != skeleton("Tateo", "voiced")
    assert skeleton("Tadeo") == skeleton("Tateo")
    assert skeleton("Wallace", "voiced") == skeleton("Allace", "voiced")


@pytest.mark.parametrize(
    ("written", "ascii_form", "value"),
    [("٢٥", "25", 25.0), ("۱۲۰", "120", 120.0), ("1٬250٫5", "1,250.5", 1250.5), ("3,5", "3,5", 3.5), ("१०", "10", 10)],
)
def test_eastern_digits_read_as_ascii(written: str, ascii_form: str, value: float) -> None:
    assert ascii_digits(written) == ascii_form
    assert digit_value(written) == value


def test_tokens_keep_offsets_and_hebrew_acronyms() -> None:
    text = 'אמר דובר צה"ל ב-2024: ٣٠٠ hostages.'
    tokens = tokenize(text)
    assert all(text[t.start : t.end] == t.text for t in tokens)
    assert 'צה"ל' in [t.text for t in tokens]
    assert "٣٠٠" in [t.text for t in tokens if t.is_number]


def test_a_typographic_apostrophe_between_hebrew_letters_is_a_geresh_inside_the_word() -> None:
    # news sites write the geresh of foreign names with U+2019 (Takaichi, Jared): one word, not three tokens
    assert [t.text for t in tokenize("סאנה טקאיצ\u2019י וג\u2019ארד")] == ["סאנה", "טקאיצ\u2019י", "וג\u2019ארד"]
    # as a closing quote mark (after a letter, before a space) it stays a mark of its own
    assert [t.text for t in tokenize("\u2018מלחמת\u2019 ולא")] == ["\u2018", "מלחמת", "\u2019", "ולא"]


def test_number_words_are_profile_data() -> None:
    assert get_profile("en").number_words()["seven"] == 7
    assert get_profile("ar").number_words("scales")
    assert get_profile("ru").number_words() == {}


def test_sentences_split_invented_english_without_breaking_abbreviations() -> None:
    text = "Dr. Lane met U.S. envoys on Monday. They spoke for an hour! Was it useful? Nobody said."
    assert sentences(text, "en") == [
        "Dr. Lane met U.S. envoys on Monday.",
        "They spoke for an hour!",
        "Was it useful?",
        "Nobody said.",
    ]


def test_sentences_split_invented_hebrew_with_gershayim_typed_as_quotes() -> None:
    text = 'השר נפגש עם נציג ארה"ב בעיר. הפגישה ארכה שעה. לדברי "המקור", היא הייתה טובה.'
    assert sentences(text, "he") == [
        'השר נפגש עם נציג ארה"ב בעיר.',
        "הפגישה ארכה שעה.",
        'לדברי "המקור", היא הייתה טובה.',
    ]


def test_sentences_split_invented_arabic_at_arabic_question_marks() -> None:
    text = "وصل الوفد إلى المدينة صباحا. هل بدأت المحادثات؟ نعم بدأت."
    assert sentences(text, "ar") == ["وصل الوفد إلى المدينة صباحا.", "هل بدأت المحادثات؟", "نعم بدأت."]


def test_a_line_break_ends_a_sentence_and_first_sentence_skips_headline_lines() -> None:
    text = "World\nA headline without a stop\nThe first real sentence. The second."
    assert sentences(text) == ["World", "A headline without a stop", "The first real sentence.", "The second."]
    assert first_sentence(text, "en") == "The first real sentence."
    assert first_sentence("Only a label", "en") == "Only a label"
    assert first_sentence("", "en") == ""


@pytest.mark.parametrize("code", ["en", "he", "ar", "fa", "fr", "de", "es"])
def test_ordinal_words_give_the_values_one_to_ten(code: str) -> None:
    """``numbers.ordinals`` maps each language's ordinal words to their values, so "second" in any script is 2."""
    values = set(get_profile(code).number_words("ordinals").values())
    assert set(range(1, 11)) <= values <= set(range(1, 21))


def test_event_words_name_known_kinds() -> None:
    kinds = {kind for profile in all_profiles() for kind in profile.event_words}
    assert kinds == {"judicial", "anniversary"}
    assert all(len(words) > 0 for words in get_profile("en").event_words.values())
