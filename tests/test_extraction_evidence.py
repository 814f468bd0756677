"""Names that need more than one piece of evidence, and the type a name's opening word gives it (issue 10, fifth
entity round), through the public extraction API. Sentences are made up."""

from __future__ import annotations

from storylens.extraction.mentions.lines import datelines
from storylens.extraction.mentions.proposers import titles

from .conftest import mentions, proposed, tagging


def test_a_listed_organisation_that_is_a_common_noun_needs_a_second_piece_of_evidence() -> None:
    # "environmental groups warned of further natural disasters": teva is "nature" here, not the company Teva
    assert "טבע" not in mentions("ארגוני הסביבה הזהירו מפני אסונות טבע נוספים בשנה הקרובה.", "he")
    # "the company Teva reported high profits": the organisation noun before it is the second piece of evidence
    assert mentions("חברת טבע דיווחה על רווחים גבוהים ברבעון.", "he").get("טבע") == "organisation"


def test_a_latin_name_opening_with_an_organisation_word_is_an_organisation() -> None:
    # the tagger's guess (a person, or a place for a last word that is a place) gives way to the opening word
    text = "A farmer told Radio Kestrel that the wells had dried up, and the Bank of Eldoria agreed."
    found = proposed(text, "en", tagging(("Radio Kestrel", "person"), ("Bank of Eldoria", "place")))
    assert found == {"Radio Kestrel": "organisation", "Bank of Eldoria": "organisation"}


def test_a_generic_listed_organisation_continued_by_adjectives_is_another_organisation() -> None:
    # "the head of the Finnish national security council said": not the UN Security Council of the list
    found = mentions("وكان رئيس مجلس الأمن القومي الفنلندي قد أعلن أمس أن المحادثات انتهت.", "ar")
    assert found.get("مجلس الأمن القومي الفنلندي") == "organisation"
    assert "مجلس الأمن" not in found
    # "the Security Council called for a ceasefire": the list's name
    assert mentions("دعا مجلس الأمن إلى وقف إطلاق النار.", "ar").get("مجلس الأمن") == "organisation"


def test_a_latin_initial_spelled_in_arabic_letters_stays_inside_a_name_after_a_title() -> None:
    # "the minister received the American envoy, senator Rick Dee Hartley, in his office"
    text = "واستقبل الوزير نائب الرئيس الأميركي ريك دي هارتلي في مكتبه أمس."
    found = proposed(text, "ar", titles)
    assert found == {"ريك دي هارتلي": "person"}
    # the same letter name is no name word at the start of a name
    assert "دي" not in mentions("وقال دي إن المحادثات مفيدة.", "ar")


def test_a_quoted_name_after_an_organisation_noun_is_whole() -> None:
    # "the channel "Zilofa Tirano" reported that the delegation arrived": a span of its first word grows to the
    # closing quote mark; without the organisation noun before the quote it does not
    found = proposed("ونقلت قناة “زيلوفا تيرانو” أن الوفد وصل.", "ar", tagging(("زيلوفا", "organisation")))
    assert found == {"زيلوفا تيرانو": "organisation"}
    found = proposed("ونقلت “زيلوفا تيرانو” أن الوفد وصل.", "ar", tagging(("زيلوفا", "organisation")))
    assert "زيلوفا تيرانو" not in found


def test_a_listed_place_quoted_after_an_organisation_noun_is_the_organisation() -> None:
    # "the newspaper 'Damascus' quoted officials": the quoted place name names the newspaper
    found = mentions("ونقلت صحيفة “دمشق” عن مسؤولين قولهم إن الاتفاق قريب.", "ar")
    assert found.get("دمشق") == "organisation"


def test_the_outlet_in_brackets_after_a_rare_word_opening_a_line_is_named_whole() -> None:
    # "Kitova (Zilofa the New) exclusive": a dateline place the place list lacks, then the outlet in brackets
    text = "عنوان الخبر\n\nكيتوفا (زيلوفا الجديدة) خاص\n\nقال الوزير إن الاتفاق قريب."
    assert proposed(text, "ar", datelines).get("زيلوفا الجديدة") == "organisation"
    # a common word opening the line is no dateline ("today (a meeting of ministers)")
    assert not proposed("عنوان\n\nاليوم (زيلوفا كاروما) خاص\n\nقال الوزير.", "ar", datelines)


def test_a_name_opening_with_the_airline_word_air_is_an_organisation_in_every_script() -> None:
    # "Air" + a name is an airline, whatever the tagger guessed; not before a title ("Air Marshal")
    text = "Passengers of Air Kestrel waited while Air Chief Marshal Dale Finch spoke."
    found = proposed(text, "en", tagging(("Air Kestrel", "person"), ("Air Chief Marshal Dale Finch", "person")))
    assert found == {"Air Kestrel": "organisation", "Air Chief Marshal Dale Finch": "person"}
    # Arabic and Hebrew write the airline's "Air" in their letters: "the airline Air Kalina said"
    assert proposed("وقالت إير زيرونيا إن الرحلة تأخرت.", "ar", tagging(("إير زيرونيا", "person"))) == {
        "إير زيرونيا": "organisation"
    }
    assert proposed("אייר קלינה הודיעה כי הטיסה התעכבה.", "he", tagging(("אייר קלינה", "person"))) == {
        "אייר קלינה": "organisation"
    }


def test_a_name_with_a_possessive_before_a_place_noun_is_one_name_unless_a_listed_place_owns_it() -> None:
    # "St Elmar's Basilica" is the basilica's name; "Moscow's Cathedral" is a cathedral of Moscow
    text = "Pilgrims waved from the balcony of St Elmar’s Basilica, while Moscow's Cathedral was shut."
    found = proposed(text, "en", tagging(("St Elmar", "person"), ("Moscow", "place")))
    assert found == {"St Elmar’s Basilica": "place", "Moscow": "place"}


def test_a_church_named_by_its_denomination_is_the_institution_and_other_churches_are_buildings() -> None:
    # "the Roman Catholic Church" and "the Serbian Orthodox Church" are institutions; "Holy Family Church" a building
    text = "The Roman Catholic Church and the Serbian Orthodox Church condemned the strike on Holy Family Church."
    tags = tagging(("Roman Catholic Church", "place"), ("Serbian Orthodox Church", "place"))
    found = proposed(text, "en", tagging(("Holy Family Church", "organisation")), tags)
    assert found == {
        "Roman Catholic Church": "organisation",
        "Serbian Orthodox Church": "organisation",
        "Holy Family Church": "place",
    }
