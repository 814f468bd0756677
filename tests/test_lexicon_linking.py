"""Cross-script linking through the name lexicon, on invented mentions: ids in any script, clitic prefixes,
English canonical names, the disjoint-ids veto and the romanisation flag."""

from __future__ import annotations

from storylens.extraction import Mention, MentionRef, link_entities
from storylens.extraction.records import EntityType
from storylens.lexicon import name_lexicon, name_score, score_threshold, strip_candidates


def ref(text: str, lang: str, story: str, kind: EntityType, article: str | None = None) -> MentionRef:
    return MentionRef(Mention(0, len(text), text, kind, text.lower()), lang, article or f"{lang}-{story}", story)


def groups(refs: list[MentionRef]) -> dict[str, set[str]]:
    return {e.name: {v.text for v in e.variants} for e in link_entities(refs)}


def test_a_he_an_ar_and_an_en_mention_of_one_lexicon_entity_link_with_its_english_name() -> None:
    refs = [
        ref("חמאס", "he", "S1", "organisation"),
        ref("حماس", "ar", "S2", "organisation"),
        ref("Hamas", "en", "S3", "organisation"),
        ref("رويترز", "ar", "S2", "person"),  # typed as a person by a tagger: the organisation list knows better
        ref("Reuters", "en", "S4", "organisation"),
    ]
    entities = {e.name: e for e in link_entities(refs)}
    assert {v.text for v in entities["Hamas"].variants} == {"חמאס", "حماس", "Hamas"}
    assert {v.text for v in entities["Reuters"].variants} == {"رويترز", "Reuters"}
    assert entities["Reuters"].type == "organisation"


def test_prefixed_forms_link_and_the_canonical_name_has_no_prefix() -> None:
    refs = [
        ref("והחמאס", "he", "S1", "organisation"),  # "and the Hamas"
        ref("وحماس", "ar", "S2", "organisation"),  # "and Hamas"
        ref("والولايات المتحدة", "ar", "S3", "place"),  # "and the United States"
        ref("בארצות הברית", "he", "S4", "place"),  # "in the United States"
    ]
    found = groups(refs)
    assert found["Hamas"] == {"והחמאס", "وحماس"}
    assert found["United States"] == {"والولايات المتحدة", "בארצות הברית"}


def test_a_person_known_only_in_hebrew_and_arabic_takes_the_english_name() -> None:
    refs = [ref("בנימין נתניהו", "he", "S1", "person"), ref("נתניהו", "he", "S1", "person")]
    assert groups(refs) == {"Benjamin Netanyahu": {"בנימין נתניהו", "נתניהו"}}


def test_two_people_with_one_skeleton_stay_apart_when_the_lexicon_knows_both() -> None:
    refs = [
        ref("Barenboim", "en", "S1", "person"),
        ref("בארנבוים", "he", "S1", "person"),
        ref("Birnbaum", "en", "S2", "person"),
        ref("بيرنباوم", "ar", "S2", "person"),
    ]
    found = groups(refs)
    assert found["Barenboim"] == {"Barenboim", "בארנבוים"}
    assert found["Birnbaum"] == {"Birnbaum", "بيرنباوم"}


def test_an_unknown_name_links_across_scripts_by_its_score_within_a_story() -> None:
    refs = [ref("Zarvenko Holt", "en", "S1", "person"), ref("زارفينكو هولت", "ar", "S1", "person")]
    entities = link_entities(refs)
    assert len(entities) == 1 and entities[0].name == "Zarvenko Holt" and not entities[0].romanised


def test_a_name_with_no_latin_form_is_romanised_and_flagged() -> None:
    entities = link_entities([ref("زارفينكو", "ar", "S1", "person")])
    assert entities[0].romanised and entities[0].name.isascii()


def test_lexicon_lookup_strips_clitics_and_finds_multi_word_names() -> None:
    lexicon = name_lexicon()
    assert "org:knesset" in {e.id for e in lexicon.lookup("בכנסת")}  # ב + (ה)כנסת
    assert "org:un" in {e.id for e in lexicon.lookup("للأمم المتحدة")}  # لل = ل + ال
    assert "wdname:Vladimir_Putin" in {e.id for e in lexicon.lookup("ולדימיר פוטין")}
    assert {e.label for e in lexicon.lookup("ירושלים") if e.type == "place"} == {"Jerusalem"}
    assert strip_candidates("Berlin")[0] == ("", "Berlin") and len(strip_candidates("Berlin")) == 1


def test_the_name_score_separates_transliterations_from_other_names() -> None:
    assert name_score("פוטין", "Putin") >= score_threshold()
    assert name_score("كيسنجر", "Kissinger") >= score_threshold()
    assert name_score("كيسنجر", "Kennedy") < score_threshold()


def test_organisations_of_the_list_are_found_in_text_and_link_across_scripts() -> None:
    from storylens.extraction import extract

    texts = [
        ("a", "he", "לדברי הדובר, ובחמאס דחו אתמול את ההצעה."),
        ("b", "ar", "وقال متحدث إن حماس رفضت المقترح، بحسب رويترز."),
        ("c", "en", "A spokesman said Hamas rejected the offer, Reuters reported."),
    ]
    refs = [MentionRef(m, lang, a, "S") for a, lang, text in texts for m in extract(text, lang).mentions]
    found = groups(refs)
    assert found["Hamas"] == {"חמאס", "حماس", "Hamas"}
    assert found["Reuters"] == {"رويترز", "Reuters"}


def test_an_acronym_of_the_lexicon_matches_only_in_capitals() -> None:
    refs = [ref("UN", "en", "S1", "organisation"), ref('האו"ם', "he", "S2", "organisation")]
    assert groups(refs)["United Nations"] == {"UN", 'האו"ם'}
    refs = [ref("Un", "es", "S3", "organisation"), ref('האו"ם', "he", "S2", "organisation")]  # a Spanish article
    assert groups(refs)["United Nations"] == {'האו"ם'}


def test_names_headed_by_an_organisation_or_place_noun_link_by_their_core_within_a_story() -> None:
    # invented names: "the Russian company Velkosmos" and "the airport of Dorwick" (Arabic) with their English names
    linked = groups(
        [
            ref("شركة فيلكوزموس الروسية", "ar", "s1", "organisation"),
            ref("Velkosmos", "en", "s1", "organisation"),
            ref("مطار دورويك", "ar", "s1", "place"),
            ref("Dorwick Airport", "en", "s1", "place"),
        ]
    )
    assert {"شركة فيلكوزموس الروسية", "Velkosmos"} in linked.values()
    assert {"مطار دورويك", "Dorwick Airport"} in linked.values()


def test_a_place_noun_left_out_on_one_side_only_does_not_link_a_region_to_its_city() -> None:
    # "Velmora Region" is no city Velmora: only one of the two names lost a place noun
    linked = groups([ref("فيلمورا", "ar", "s1", "place"), ref("Velmora Region", "en", "s1", "place")])
    assert len(linked) == 2


def test_a_written_full_name_is_shown_over_the_lexicon_label_of_one_of_its_words() -> None:
    # the lexicon knows "Yuri" as a whole name; the text writes the full (invented) name too
    entities = link_entities([ref("Yuri Zarvenko", "en", "s1", "person"), ref("Yuri", "en", "s1", "person")])
    assert [e.name for e in entities] == ["Yuri Zarvenko"]


def test_an_acronym_sharing_a_skeleton_with_another_known_organisation_stays_apart() -> None:
    refs = [
        ref("Tesla", "en", "S1", "organisation"),
        ref("تسلا", "ar", "S2", "organisation"),
        ref('צה"ל', "he", "S3", "organisation"),  # the IDF's acronym: its consonants read like Tesla's
        ref("IDF", "en", "S4", "organisation"),
    ]
    found = groups(refs)
    assert found["Tesla"] == {"Tesla", "تسلا"}
    assert found["Israel Defense Forces"] == {'צה"ל', "IDF"}


def test_an_acronym_still_links_a_one_word_organisation_the_lexicon_does_not_know() -> None:
    refs = [ref('נאט"ו', "he", "S1", "organisation"), ref("Nato", "en", "S2", "organisation")]
    assert groups(refs) == {"NATO": {'נאט"ו', "Nato"}}


def test_a_country_abbreviation_links_to_the_country_in_every_script() -> None:
    refs = [
        ref("US", "en", "S1", "place"),
        ref("U.S.", "en", "S2", "place"),
        ref('בארה"ב', "he", "S3", "place"),  # "in the US", with a clitic prefix
        ref("الولايات المتحدة", "ar", "S4", "place"),
        ref("UK", "en", "S5", "place"),
        ref("Britain", "en", "S7", "place"),
        ref("بريطانيا", "ar", "S8", "place"),
        ref("المملكة المتحدة", "ar", "S6", "place"),
    ]
    found = groups(refs)
    assert found["United States"] == {"US", "U.S.", 'בארה"ב', "الولايات المتحدة"}
    assert found["United Kingdom"] == {"UK", "Britain", "بريطانيا", "المملكة المتحدة"}


def test_an_abbreviation_counts_only_in_capitals() -> None:
    found = groups([ref("Us", "en", "S1", "place"), ref("United States", "en", "S2", "place")])
    assert found["United States"] == {"United States"}
