"""Proposers from the shipped name lexicon (``extraction.mentions.lexicon_names``) and the tagging of Latin-script
runs in Hebrew/Arabic text, through ``extract_mentions`` (with a stand-in tagger where the rule is tested alone).
The sentences are made up; the names are entries of the shipped lexicon."""

from __future__ import annotations

from storylens.extraction.mentions.lexicon_names import people

from .conftest import proposed, tagging


def test_a_full_name_of_the_lexicon_is_a_person() -> None:
    assert proposed("Talks with Jared Kushner ended on Friday.", "en", people) == {"Jared Kushner": "person"}
    # after clitic prefixes ("and to"), which stay out of the mention
    assert proposed("הם פנו ולבנימין נתניהו אתמול", "he", people) == {"בנימין נתניהו": "person"}


def test_a_lexicon_name_is_firm_over_a_tagged_span_holding_a_verb() -> None:
    text = "בשנת 2022 סיים מישל עאון את כהונתו"
    verb_kept = tagging(("סיים מישל עאון", "person"))
    assert proposed(text, "he", verb_kept) == {"סיים מישל עאון": "person"}
    assert proposed(text, "he", verb_kept, people) == {"מישל עאון": "person"}


def test_a_lexicon_name_continued_by_a_capitalised_word_is_part_of_a_longer_name() -> None:
    assert not proposed("The Jared Kushner Foundation said so.", "en", people)
    assert not proposed("talks with jared kushner ended", "en", people)  # a Latin name is capitalised


def test_the_context_types_a_lexicon_name_it_lists() -> None:
    from storylens.extraction.mentions.context import context

    text = "The chipmaker signed deals with companies such as Nokia and Eli Lilly on Tuesday."
    assert proposed(text, "en", people, context)["Eli Lilly"] == "organisation"


def test_a_latin_run_in_hebrew_or_arabic_text_is_tagged_by_the_english_model() -> None:
    from storylens.extraction.mentions import extract_mentions
    from storylens.extraction.mentions.proposers import tag_spans
    from storylens.extraction.mentions.text import Text

    found = extract_mentions("הודעה של Vatican News פורסמה אתמול", "he")
    assert [(m.text, m.type) for m in found] == [("Vatican News", "organisation")]
    # a Latin-script language keeps its own tagger (none for German): no English guesses on German words
    assert not tag_spans(Text("Sie hat die benötigten Stimmen nicht bekommen.", "de"))


def test_a_latin_phrase_tagged_a_person_in_hebrew_or_arabic_text_needs_a_known_name_word() -> None:
    from storylens.extraction.mentions import extract_mentions

    assert not extract_mentions('وبعد إعلان الكاردينال "Habemus Papam" خرج البابا', "ar")
    found = extract_mentions("המנכ״ל נאם בכנס. צילום: Justin Sullivan", "he")
    assert ("Justin Sullivan", "person") in [(m.text, m.type) for m in found]


def test_a_code_glued_to_a_number_is_no_name() -> None:
    from storylens.extraction.mentions import extract_mentions

    assert [m.text for m in extract_mentions("התרסקות טיסה AI171 בדרכה ללונדון", "he")] == ["לונדון"]
    assert not proposed("The F-35 flew past.", "en", tagging(("F", "organisation")))
