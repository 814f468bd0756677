"""Quotes and quote grouping on invented examples: attribution (a name attached to the verb, never merely
the nearest one), clause ends, references back, grouping bars."""

from __future__ import annotations

import numpy as np

from storylens.extraction import Quote, QuoteRef, extract, group_quotes
from storylens.extraction.grouping import SAME_STATEMENT_SAME_LANGUAGE


def quotes(text: str, lang: str) -> list[tuple[str, str | None]]:
    found = extract(text, lang).quotes
    for q in found:
        assert text[q.start : q.end] == q.text
    return [(q.text, q.speaker.text if q.speaker else None) for q in found]


def test_direct_quote_after_a_colon_is_credited_to_the_sentence_subject() -> None:
    text = 'Chancellor Friedrich Merz spoke in Berlin and warned: "We will not accept a ceasefire on these terms."'
    assert quotes(text, "en") == [("We will not accept a ceasefire on these terms.", "Friedrich Merz")]


def test_reported_speech_stops_at_a_clause_opener() -> None:
    text = "وقال وزير الخارجية المصري بدر عبد العاطي إن المفاوضات ستستأنف الأسبوع المقبل، لكن الخلافات ما زالت كبيرة."
    assert quotes(text, "ar") == [("المفاوضات ستستأنف الأسبوع المقبل", "بدر عبد العاطي")]


def test_an_added_quote_continues_the_previous_speaker_in_the_next_paragraph() -> None:
    text = (
        "وقال وزير الخارجية المصري بدر عبد العاطي إن المفاوضات ستستأنف قريبا في القاهرة.\n"
        'وأضاف "لا بديل عن الحل السياسي لهذه الأزمة".'
    )
    assert [speaker for _, speaker in quotes(text, "ar")] == ["بدر عبد العاطي", "بدر عبد العاطي"]


def test_names_inside_a_quote_are_not_its_speaker() -> None:
    text = "Spokesman Stephane Dujarric said that Antonio Guterres would travel to Cairo next week."
    assert quotes(text, "en") == [("Antonio Guterres would travel to Cairo next week.", "Stephane Dujarric")]


def _ref(text: str, lang: str, article: str, speaker: str | None) -> QuoteRef:
    return QuoteRef(Quote(0, len(text), text, "direct"), lang, article, speaker)


def _encoder(vectors: dict[str, list[float]]):
    def encode(texts: list[str]) -> np.ndarray:
        return np.array([vectors[t] for t in texts], dtype=np.float32)

    return encode


def _angle(cosine: float, axis: int = 1) -> list[float]:
    """A unit vector at ``cosine`` to [1, 0, 0], leaning towards ``axis``."""
    vector = [cosine, 0.0, 0.0]
    vector[axis] = float(np.sqrt(1 - cosine**2))
    return vector


def test_grouping_bars_depend_on_language_and_speaker() -> None:
    refs = [
        _ref("a-en", "en", "1", "per:x"),
        _ref("a-ar", "ar", "2", "per:x"),  # cosine 0.87 across languages: the same statement
        _ref("b-en", "en", "3", "per:x"),  # cosine 0.87 in the same language: not enough
        _ref("c-ar", "ar", "4", "per:y"),  # another speaker
    ]
    vectors = {"a-en": [1.0, 0.0, 0.0], "a-ar": _angle(0.87), "b-en": _angle(0.87, axis=2), "c-ar": _angle(0.87)}
    groups = group_quotes(refs, encoder=_encoder(vectors))
    by_text = {r.quote.text: g.id for g in groups for r in g.occurrences}
    assert by_text["a-en"] == by_text["a-ar"]
    assert by_text["b-en"] != by_text["a-en"]
    assert by_text["c-ar"] != by_text["a-ar"]


def test_a_quote_links_to_one_quote_per_other_article() -> None:
    refs = [
        _ref("a-en", "en", "1", "per:x"),
        _ref("a-ar", "ar", "2", "per:x"),
        _ref("b-ar", "ar", "2", "per:x"),  # same article as a-ar, a little less close to a-en
    ]
    vectors = {"a-en": [1.0, 0.0, 0.0], "a-ar": _angle(0.95), "b-ar": _angle(0.90, axis=2)}
    groups = group_quotes(refs, encoder=_encoder(vectors))
    assert sorted(len(g.occurrences) for g in groups) == [1, 2]


def test_a_pronoun_credits_the_named_subject_of_the_previous_sentence() -> None:
    text = (
        "Foreign Minister Sergei Lavrov met reporters in Moscow on Monday. "
        "He said that the talks with Washington would continue next week."
    )
    assert quotes(text, "en") == [("the talks with Washington would continue next week.", "Sergei Lavrov")]


def test_a_name_not_attached_to_the_verb_is_not_the_speaker() -> None:
    # the nearest name (Donald Trump) is in a relative clause far from the verb: the speaker stays unnamed
    text = "Officials who met envoys of Donald Trump in a hotel near the airport said that the plan was unacceptable."
    assert quotes(text, "en") == [("the plan was unacceptable.", None)]


def test_a_country_right_after_the_verb_speaks_not_a_name_in_the_reported_clause() -> None:
    text = "قالت فرنسا، الخميس، إن اتصال الرئيس جو بايدن بنظيره كان خطوة جيدة نحو التهدئة في المنطقة."
    (found,) = extract(text, "ar").quotes
    assert found.speaker is not None and found.speaker.text == "فرنسا"


def test_an_apposition_between_name_and_verb_keeps_the_person() -> None:
    text = "Maria Lopez, head of the World Food Programme office, confirmed that 300 trucks had crossed."
    assert quotes(text, "en") == [("300 trucks had crossed.", "Maria Lopez")]


def test_a_quote_without_a_verb_takes_the_speaker_of_the_sentence_before() -> None:
    text = 'Prime Minister Keir Starmer said on Friday in London:\n"We will rebuild every home that was lost."'
    assert quotes(text, "en")[-1] == ("We will rebuild every home that was lost.", "Keir Starmer")


def test_an_unnamed_quote_needs_the_higher_bar_even_across_languages() -> None:
    refs = [_ref("u-en", "en", "1", None), _ref("u-ar", "ar", "2", None), _ref("n-he", "he", "3", "per:x")]
    vectors = {"u-en": [1.0, 0.0, 0.0], "u-ar": _angle(0.88), "n-he": _angle(0.88, axis=2)}
    groups = group_quotes(refs, encoder=_encoder(vectors))
    assert sorted(len(g.occurrences) for g in groups) == [1, 1, 1]


def test_the_bar_for_one_unnamed_speaker_across_languages_applies_only_across_languages(monkeypatch) -> None:
    """Off by default (the test above); when set, it lets a named and an unnamed quote in two languages link,
    never two quotes in one language."""
    from storylens.extraction import grouping

    monkeypatch.setattr(grouping, "CROSS_LANGUAGE_ONE_UNNAMED", 0.87)
    refs = [_ref("n-en", "en", "1", "per:x"), _ref("u-ar", "ar", "2", None), _ref("u-en", "en", "3", None)]
    vectors = {"n-en": [1.0, 0.0, 0.0], "u-ar": _angle(0.88), "u-en": _angle(0.88, axis=2)}
    groups = group_quotes(refs, encoder=_encoder(vectors))
    by_text = {r.quote.text: g.id for g in groups for r in g.occurrences}
    assert by_text["n-en"] == by_text["u-ar"] and by_text["u-en"] != by_text["n-en"]


def test_one_language_needs_the_higher_bar() -> None:
    """Two sentences of one speaker in one language at 0.93 (above the old bar of 0.92) are two statements;
    a near-verbatim rendering (0.97) is one."""
    bar = SAME_STATEMENT_SAME_LANGUAGE
    refs = [_ref("a", "en", "1", "per:x"), _ref("b", "en", "2", "per:x"), _ref("c", "en", "3", "per:x")]
    vectors = {"a": [1.0, 0.0, 0.0], "b": _angle(bar - 0.02), "c": _angle(min(bar + 0.02, 1.0), axis=2)}
    groups = group_quotes(refs, encoder=_encoder(vectors))
    by_text = {r.quote.text: g.id for g in groups for r in g.occurrences}
    assert by_text["a"] == by_text["c"] and by_text["b"] != by_text["a"]


def test_a_group_never_holds_two_named_speakers() -> None:
    refs = [_ref("a", "en", "1", "per:x"), _ref("b", "en", "2", None), _ref("c", "en", "3", "per:y")]
    vectors = {"a": [1.0, 0.0, 0.0], "b": _angle(0.99), "c": _angle(0.98)}
    groups = group_quotes(refs, encoder=_encoder(vectors))
    speakers = [{r.speaker_entity for r in g.occurrences} - {None} for g in groups]
    assert all(len(s) <= 1 for s in speakers) and sorted(len(g.occurrences) for g in groups) == [1, 2]


def test_a_bare_complement_after_said_is_reported_speech() -> None:
    text = "Interior Minister Maria Olsen said nine people were hurt in the storm."
    assert quotes(text, "en") == [("nine people were hurt in the storm.", "Maria Olsen")]


def test_a_phrase_after_said_is_no_statement() -> None:
    assert quotes("Maria Olsen said in a statement on Friday.", "en") == []


def test_a_trailing_attribution_reports_the_clause_before_it() -> None:
    text = "The bridge will reopen to traffic next month, Mayor Peter Lund told reporters."
    assert quotes(text, "en") == [("The bridge will reopen to traffic next month", "Peter Lund")]


def test_a_trailing_attribution_with_a_direct_quote_leaves_it_to_the_quote() -> None:
    text = 'The storm was "the worst in fifty years" for the region, Peter Lund said.'
    assert quotes(text, "en") == [("the worst in fifty years", "Peter Lund")]


def test_a_hebrew_complementizer_prefix_opens_reported_speech() -> None:
    text = "שר האוצר משה כהן אמר שהתקציב יאושר בשבוע הבא בכנסת."
    assert [q for q, _ in quotes(text, "he")] == ["התקציב יאושר בשבוע הבא בכנסת."]


def test_a_name_in_quote_marks_is_not_a_quote() -> None:
    text = 'A report by "Sky News Arabia" said that the talks would resume in Doha next week.'
    assert [q for q, _ in quotes(text, "en")] == ["the talks would resume in Doha next week."]


def test_an_organisation_qualifying_an_unnamed_official_is_not_the_speaker() -> None:
    text = "A senior Hamas official told reporters that the delegation would arrive on Monday."
    assert quotes(text, "en") == [("the delegation would arrive on Monday.", None)]


def test_a_relative_that_after_a_bare_complement_does_not_restart_it() -> None:
    text = "The weather service said a storm had formed over the sea that could reach the coast on Sunday."
    assert [q for q, _ in quotes(text, "en")] == [
        "a storm had formed over the sea that could reach the coast on Sunday."
    ]


def test_a_verb_with_its_object_does_not_end_an_attribution() -> None:
    text = "Jonas Berg, the city's mayor, announced the reopening of the bridge on Monday."
    assert quotes(text, "en") == []


def test_a_body_named_by_a_common_noun_phrase_speaks() -> None:
    text = "Portugal's health ministry said that nine people were treated in hospital overnight."
    assert quotes(text, "en") == [("nine people were treated in hospital overnight.", "Portugal's health ministry")]
    text = "وقالت وزارة الصحة البرتغالية إن تسعة أشخاص نقلوا إلى المستشفى."
    assert [speaker for _, speaker in quotes(text, "ar")] == ["وزارة الصحة البرتغالية"]


def test_a_body_noun_introducing_a_name_leaves_the_name_to_speak() -> None:
    text = "وأفادت وكالة رويترز أن الاجتماع سيعقد في جنيف الأسبوع المقبل."
    speakers = [speaker for _, speaker in quotes(text, "ar")]
    assert speakers and speakers[0] != "وكالة"


def test_an_unnamed_person_subject_stops_the_fallback_to_an_earlier_name() -> None:
    text = (
        "Maria Santos arrived in Lisbon on Monday morning. "
        "The local sheriff told reporters that the suspect had been calm during the arrest."
    )
    assert quotes(text, "en") == [("the suspect had been calm during the arrest.", None)]
    text = "דני כהן אמר שהפגישה תתקיים מחר בבוקר. השריף המקומי אמר לכתבים שהחשוד היה רגוע בזמן המעצר."
    assert [speaker for _, speaker in quotes(text, "he")] == ["דני כהן", None]


def test_a_verb_after_a_quote_attributes_it_only_with_a_subject() -> None:
    text = (
        "Health Minister Ana Lopes spoke in Lisbon on Monday. "
        '"Most of them were treated and sent home" with injuries mostly reported to the hands, she added.'
    )
    assert quotes(text, "en") == [("Most of them were treated and sent home", "Ana Lopes")]


def test_a_verbless_quote_after_a_pronoun_attribution_continues_its_speaker() -> None:
    text = (
        'ד"ר דנה לוי, חוקרת בכירה במכון, חושבת אחרת. "זה צעד חשוב מאוד עבורנו", היא מסבירה. "אין על זה שום ויכוח בכלל".'
    )
    speakers = [speaker for _, speaker in quotes(text, "he")]
    assert len(speakers) == 2 and speakers[0] is not None and speakers[1] == speakers[0]


def test_an_unnamed_official_goes_on_speaking_after_an_added() -> None:
    text = (
        'وردا على سؤال عن قيادة "حماس"، قال مسؤول كبير في الحركة إن رئيس المكتب "بخير ولم يصب بأي أذى" '
        'وأضاف أن "الاتصالات عادت إلى العمل بشكل طبيعي".'
    )
    assert [speaker for _, speaker in quotes(text, "ar")] == [None, None]


def test_a_title_refers_to_the_person_last_named_with_it() -> None:
    text = (
        "Ukrainian President Volodymyr Zelensky met aid groups in Kyiv on Monday. "
        "The Ukrainian president said that the talks had been useful for both sides."
    )
    assert [speaker for _, speaker in quotes(text, "en")] == ["Volodymyr Zelensky"]


def test_an_impersonal_passive_takes_no_earlier_speaker() -> None:
    text = "חברת התעופה מסרה כי הטיסה יצאה בזמן מהשדה. באתרי מעקב אחר טיסות דווח כי מדובר במטוס מדגם חדש יחסית."
    assert [speaker for _, speaker in quotes(text, "he")][-1] is None


def test_a_name_after_a_title_is_its_complement_when_the_holder_follows_in_apposition() -> None:
    text = (
        'وقال مستشار بوتين، يوري أوشاكوف، للصحافيين إن "المحادثات كانت مفيدة جدا وبناءة"، مضيفا أنه تم بحث ملفات عديدة.'
    )
    speakers = [speaker for _, speaker in quotes(text, "ar")]
    assert speakers and all(s is not None and "أوشاكوف" in s for s in speakers)
