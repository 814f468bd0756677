"""Span rules and vetoes of the mention proposers (issue 10), through ``extract_mentions`` with a stand-in tagger:
capitals as evidence in Latin script, compound modifiers, clitics before cue nouns and list names, connector words."""

from __future__ import annotations

from storylens.extraction.mentions import extract_mentions
from storylens.extraction.mentions.context import context
from storylens.extraction.mentions.lines import credits, datelines
from storylens.extraction.mentions.proposers import organisations

from .conftest import proposed, tagging


def test_capitalised_words_inside_a_sentence_are_a_name_though_common_as_words() -> None:
    text = "The ruling came from the Supreme Court on Friday, and the Middle East waited."
    tagger = tagging(("Supreme Court", "organisation"), ("Middle East", "place"))
    assert proposed(text, "en", tagger) == {"Supreme Court": "organisation", "Middle East": "place"}
    # at the start of a sentence capitals show nothing: common words stay vocabulary there
    assert not proposed("Simpler Times ahead, they said.", "en", tagging(("Simpler Times", "person")))


def test_an_acronym_is_judged_by_its_capitals_and_a_latin_name_recurs_capitalised() -> None:
    text = "Talks with the US resumed. The US said it would help us."
    found = extract_mentions(text, "en", [tagging(("US", "place"))])
    assert [m.text for m in found] == ["US", "US"]


def test_a_compound_modifier_is_no_part_of_a_name() -> None:
    text = "A spokesman for the Taliban-run Interior Ministry said the roads were closed."
    assert proposed(text, "en", context) == {"Interior Ministry": "organisation"}
    tagger = tagging(("Taliban-run Interior Ministry", "organisation"))
    assert proposed(text, "en", tagger) == {"Interior Ministry": "organisation"}


def test_a_clitic_before_an_organisation_noun_is_left_out() -> None:
    # "the spokeswoman of (li-) the Civil Aviation Authority": li- is a clitic on the organisation noun hay'a
    text = "وقالت المتحدثة باسم لهيئة الطيران المدني إن الرحلات توقفت."
    assert proposed(text, "ar", context) == {"هيئة الطيران المدني": "organisation"}


def test_organisation_list_names_after_prefixes_need_evidence_alone() -> None:
    assert proposed("הוא התראיין ב-CNN אמש.", "he", organisations) == {"CNN": "organisation"}
    # Kabul is no ka- "like" + a one-word name of the list
    assert not proposed("وصل الوفد إلى كابل أمس.", "ar", organisations)


def test_a_prefix_is_cut_where_the_text_writes_the_stem_alone() -> None:
    text = "وصل كيريل دميترييف أمس. وتحدث بوتين وكيريل دميترييف طويلا."
    found = extract_mentions(text, "ar", [tagging(("كيريل دميترييف", "person"), ("وكيريل دميترييف", "person"))])
    assert [m.text for m in found] == ["كيريل دميترييف", "كيريل دميترييف"]


def test_a_tagged_organisation_extends_over_its_head_noun_and_connector_words() -> None:
    text = "Ministers of the National Unity Government met officials of the Dicastery for Bishops in Rome."
    tagger = tagging(("National Unity", "organisation"), ("Dicastery", "organisation"))
    found = proposed(text, "en", tagger)
    assert found == {"National Unity Government": "organisation", "Dicastery for Bishops": "organisation"}


def test_names_after_a_credit_or_byline_cue_are_proposed() -> None:
    assert proposed("Photo: Dana Veltri/Orvex Images", "en", credits) == {
        "Dana Veltri": "person",
        "Orvex Images": "organisation",
    }
    assert proposed("By Maria Kessel\nThe storm hit the coast.", "en", credits) == {"Maria Kessel": "person"}
    # a cue word without a colon counts only on a short line: prose uses it too
    prose = "The photo shows Maria Kessel and her brother walking along the coast in the early morning light."
    assert not proposed(prose, "en", credits)


def test_a_wire_dateline_names_a_place_and_the_organisation_list_types_it() -> None:
    assert proposed("VELMORA BAY, Ostland — Rescuers worked overnight.", "en", datelines) == {"VELMORA BAY": "place"}
    assert proposed("KREMLIN, MOSCOW: Talks began.", "en", datelines)["KREMLIN"] == "organisation"
    assert not proposed("Rescuers in VELMORA BAY, Ostland worked overnight.", "en", datelines)


def test_a_listed_name_read_as_and_plus_a_common_word_is_vetoed() -> None:
    # Arabic wa-illa ("otherwise") is written as the news site Walla of the organisation list
    assert not proposed("وإلا فإن الاتفاق سينهار", "ar", organisations)
    assert proposed("ونقل موقع والا الإخباري", "ar", organisations) == {"موقع والا": "organisation"}


def test_an_arabic_definite_organisation_noun_with_a_relation_adjective_names_an_organisation() -> None:
    found = proposed("وقرر والمجلس الدستوري رفض الطعن", "ar", context)
    assert found == {"المجلس الدستوري": "organisation"}  # the article stays, the conjunction goes
    # not across a line break, and not after li- (the article's alif is not written: no name to cut from the text)
    assert not proposed("وقرر المجلس\nالدستوري رفض الطعن", "ar", context)
    assert not proposed("وقدم الطعن للمجلس الدستوري أمس", "ar", context)
