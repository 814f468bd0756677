"""Regnal names, ordinals, outlets named after a place, list acronyms and clubs in sports sentences (issue 10
precision round), through ``extract_mentions`` with stand-in taggers. Sentences are made up for the tests."""

from __future__ import annotations

from storylens.extraction.mentions import extract_mentions
from storylens.extraction.mentions.context import context
from storylens.extraction.mentions.lines import datelines
from storylens.extraction.mentions.numbered import regnal
from storylens.extraction.mentions.proposers import organisations, places

from .conftest import proposed, tagging


def test_a_name_and_its_regnal_number_are_one_person() -> None:
    assert proposed("Pope Pius XII met King Charles III in Rome.", "en", regnal) == {
        "Pius XII": "person",
        "Charles III": "person",
    }
    # "the new pope took the name Leo the fourteenth": the Arabic teen ordinal takes its "ten"
    assert proposed("واختار البابا الجديد اسم ليون الرابع عشر بعد انتخابه.", "ar", regnal) == {
        "ليون الرابع عشر": "person"
    }
    # a common capitalised word before a numeral is no regnal name
    assert not proposed("After World War II the city grew.", "en", regnal)


def test_a_regnal_name_is_firm_over_the_first_word_read_as_a_list_name() -> None:
    text = "واختار البابا الجديد اسم ليون الرابع عشر بعد انتخابه."
    found = {m.text: m.type for m in extract_mentions(text, "ar")}
    assert found.get("ليون الرابع عشر") == "person"
    assert "ليون" not in found


def test_an_ordinal_alone_is_no_name() -> None:
    # "the team became the second French club to win the title"
    text = "وأصبح الفريق ثاني نادٍ فرنسي يحرز اللقب."
    assert not proposed(text, "ar", tagging(("ثاني", "person")))


def test_an_outlet_named_after_a_place_is_one_organisation() -> None:
    # "Cairo - the Egypt news channel": the place is part of the channel's name
    text = "القاهرة - قناة مصر الإخبارية\nأعلنت الحكومة خطة جديدة."
    found = proposed(text, "ar", places, context)
    assert found.get("قناة مصر الإخبارية") == "organisation"
    assert "مصر" not in found


def test_the_outlet_in_brackets_after_a_dateline_is_an_organisation() -> None:
    assert proposed("BERLIN (Reuters) - The minister resigned.", "en", datelines) == {
        "BERLIN": "place",
        "Reuters": "organisation",
    }
    # after a one-word place opening a line, in Arabic ("Amman (Dawn Tomorrow)")
    assert proposed("عمان (فجر الغد)\nأعلنت الحكومة خطة جديدة.", "ar", datelines) == {"فجر الغد": "organisation"}
    # a place in brackets is no outlet
    assert not proposed("PARIS (France) - Talks began.", "en", datelines).get("France")


def test_a_list_acronym_is_a_name_only_in_capitals() -> None:
    assert not proposed("Un portavoz dijo que no.", "es", organisations)
    found = extract_mentions("The UN said so. Un paso más, dijo.", "en", [organisations])
    assert [m.text for m in found] == ["UN"]


def test_a_city_in_a_sentence_about_teams_is_a_club() -> None:
    text = "The cup has had new winners, Porto in 1987 and Celtic Park in 1967, while fans in Lisbon cheered."
    found = proposed(text, "en", tagging(("Porto", "place"), ("Celtic Park", "place"), ("Lisbon", "place")))
    assert found == {"Porto": "organisation", "Celtic Park": "organisation", "Lisbon": "place"}
    # no team noun in the sentence: the city stays a place
    assert proposed("Floods hit Porto on Monday.", "en", tagging(("Porto", "place"))) == {"Porto": "place"}


def test_a_noun_with_a_possessive_suffix_is_no_name() -> None:
    # "the storm reached its coasts on Monday"
    text = "وصلت العاصفة إلى سواحلها يوم الاثنين."
    assert not proposed(text, "ar", tagging(("سواحلها", "place")))


def test_a_name_after_a_job_and_at_is_an_organisation() -> None:
    text = "The move was expected, said Dana Reyes, a senior analyst at Corvane."
    assert proposed(text, "en", tagging(("Corvane", "place"))) == {"Corvane": "organisation"}
    # a place of the list stays a place ("officials at Kabul")
    assert proposed("Officials at Kabul said so.", "en", tagging(("Kabul", "place"))) == {"Kabul": "place"}
