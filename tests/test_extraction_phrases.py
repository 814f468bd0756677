"""Organisation phrases of Hebrew and Arabic, names glued to digits or a web domain, and names set in capitals
(issue 10, fourth entity round), through ``extract_mentions`` with stand-in taggers. Sentences are made up."""

from __future__ import annotations

from storylens.extraction.mentions.context import context
from storylens.extraction.mentions.lines import credits, datelines
from storylens.extraction.mentions.proposers import places, titles

from .conftest import proposed, tagging


def test_a_hebrew_organisation_noun_heads_a_name_closed_by_an_adjective_of_relation() -> None:
    # "the head of the party of the Japanese innovation met the leaders of the liberal-democratic party"
    text = "ראש מפלגת החדשנות היפנית נפגש עם ראשי המפלגה הליברלית-דמוקרטית בעיר."
    found = proposed(text, "he", context)
    assert found.get("מפלגת החדשנות היפנית") == "organisation"
    assert found.get("המפלגה הליברלית-דמוקרטית") == "organisation"


def test_a_hebrew_description_is_no_organisation_name() -> None:
    # "the military committee met", "the Israeli company announced", "the state news agency reported"
    for text in (
        "הוועדה הצבאית התכנסה אתמול.",
        "החברה הישראלית הודיעה אתמול.",
        "סוכנות הידיעות הממלכתית דיווחה אתמול.",
    ):
        assert not proposed(text, "he", context), text


def test_an_adjective_of_rank_closes_an_arabic_organisation_name() -> None:
    # "the amendments limit the powers of the Supreme Court"
    text = "وتقلص التعديلات صلاحيات المحكمة العليا في البلاد."
    assert proposed(text, "ar", context).get("المحكمة العليا") == "organisation"


def test_a_name_glued_to_a_web_domain_is_one_word() -> None:
    text = "The first images, credited to Orbitalix.com and to Reuters, came later."
    found = proposed(text, "en", tagging(("Orbitalix", "organisation"), ("Reuters", "organisation")))
    assert found == {"Orbitalix.com": "organisation", "Reuters": "organisation"}


def test_digits_glue_to_a_name_in_a_credit_line_only() -> None:
    assert proposed("Protesters in the square | Photo: Flash90", "en", credits).get("Flash90") == "organisation"
    # a word glued to a number outside a credit line is a flight code, not a name
    assert not proposed("Flight AI171 crashed after take-off.", "en", tagging(("AI", "organisation")))


def test_a_surname_in_capitals_stays_in_a_name_set_in_capitals() -> None:
    text = "Photo: JANE Q. DOE, AFP. Later Jane Roe AFP wrote."
    found = proposed(text, "en", tagging(("JANE Q . DOE", "person"), ("Jane Roe AFP", "person")))
    assert found.get("JANE Q. DOE") == "person"
    assert found.get("Jane Roe") == "person"


def test_a_facility_noun_is_part_of_the_name_after_it() -> None:
    # "thousands march in Gaza Street in Jerusalem"; "the plane landed at Gatwick airport near London"
    he = proposed("אלפים צועדים ברחוב עזה בירושלים.", "he", context, places)
    assert he.get("רחוב עזה") == "place"
    assert "עזה" not in he
    ar = proposed("وهبطت الطائرة في مطار جاتويك قرب لندن.", "ar", context, places)
    assert ar.get("مطار جاتويك") == "place"
    # a region noun is not: "the Donbas region" names Donbas
    assert "منطقة" not in " ".join(proposed("وتدور المعارك في منطقة دونباس.", "ar", context))


def test_a_given_name_before_a_rare_surname_speaks_after_a_reporting_verb() -> None:
    # "as Muhsin Mansuri, the vice-president, confirmed the news": a common given name (also "benefactor") and a
    # surname that looks like an inflected word are a name after the verb
    text = "كما أكد محسن منصوري نائب الرئيس الخبر."
    assert proposed(text, "ar", context) == {"محسن منصوري": "person"}


def test_an_outlet_tag_before_a_dash_opens_a_hebrew_or_arabic_line() -> None:
    # "<outlet> - Iran announced today...": the words before the dash are the outlet's tag
    found = proposed("نبض الغد - أعلنت إيران اليوم مقتل المسؤول.", "ar", datelines)
    assert found == {"نبض الغد": "organisation"}
    # after a place opening the line, the outlet follows the dash: "Moscow - <outlet>."
    assert proposed("موسكو - سبوتنيك. وانتهت المباراة بفوز الفريق.", "ar", datelines) == {"سبوتنيك": "organisation"}
    # a list of topics or a name and a number around a dash is no tag
    assert not proposed("سياسية - اجتماعية - ثقافية", "ar", datelines)
    assert not proposed("تشاندريان - 3 تنجح في الهبوط", "ar", datelines)


def test_sound_plurals_of_common_words_are_no_person() -> None:
    # "the minister Karim Nadiri and other officials": the title's coordinated "and other officials" is a group
    text = "ووصل الوزير كريم نديري ومسؤولين آخرين إلى المدينة."
    found = proposed(text, "ar", titles)
    assert "مسؤولين آخرين" not in found
    assert found.get("كريم نديري") == "person"
