"""Figures: values, units, ranges, what must not be read as a figure, measure labels, and cross-article groups
(updates over days versus same-day disagreements)."""

from __future__ import annotations

import pytest

from storylens.extraction import Figure, FigureRef, group_figures
from storylens.extraction.figure_groups import MIN_UNLABELLED_VALUE
from storylens.extraction.figures import extract_figures


def only(text: str):
    figures = extract_figures(text)
    assert len(figures) == 1, figures
    figure = figures[0]
    assert text[figure.start : figure.end] == figure.text
    return figure


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("The siege lasted seven hours.", 7, "hours"),
        ("استمر الحصار سبع ساعات.", 7, "hours"),
        ("המצור נמשך שבע שעות.", 7, "hours"),
        ("سقط ١٢ قتيلا في الهجوم", 12, "people"),
        ("the 12-hour shift ended", 12, "hours"),
        ("ارتفع التضخم بنسبة 4.5% هذا العام", 4.5, "percent"),
        ("a plan of 14 points", 14, "points"),
        ("خصصت الحكومة 3 مليارات دولار", 3e9, "USD"),
        ("the fund holds $5 trillion", 5e12, "USD"),
        ("הממשלה אישרה 2 מיליארד שקלים", 2e9, "ILS"),
        ("a forest of 1,200 square kilometres", 1200, "square kilometres"),
        ("احترقت غابة مساحتها 300 كيلومتر مربع", 300, "square kilometres"),
        ("خمسة وعشرين شخصا", 25, "people"),
        ("עשרים וחמישה אנשים", 25, "people"),
    ],
)
def test_value_and_unit(text: str, value: float, unit: str) -> None:
    figure = only(text)
    assert figure.value == pytest.approx(value)
    assert figure.unit == unit


def test_ranges_and_per_period() -> None:
    assert only("the front is from 10 to 20 kilometres deep").value == (10, 20)
    figure = only("قال إن القتلى يتراوحون بين 10 آلاف و12 ألفا سنويا")
    assert figure.value == (10_000, 12_000)
    assert figure.unit == "people per year"
    # A range is (low, high) whichever number is written first (Hebrew logical order puts the high one first).
    assert only("הוא עמד במרחק 450-350 מטר מהגדר").value == (350, 450)


def test_two_counts_sharing_a_unit_are_not_a_range() -> None:
    figures = extract_figures("The list was cut from 30 points to 12.")
    assert [(f.value, f.unit) for f in figures] == [(30, "points"), (12, "points")]


def test_clitic_prefix_is_left_out_of_the_span() -> None:
    figure = only("הוא חי שם יותר משלוש שנים")
    assert figure.text == "שלוש שנים"
    assert figure.value == 3


@pytest.mark.parametrize(
    "text",
    [
        "The war began in 2022 and goes on.",
        "The meeting is on 3 December in the capital.",
        "الاجتماع في 15 مارس المقبل",
        "הפגישה תתקיים ב-12 בינואר",
        "call 054-123-4567 now",
        "the talks start at 10:30 tomorrow",
        "1. First item of the list\n2. Second item",
        "a fleet of F-16 jets",
        "Article 5 of the treaty",
        "ראש הממשלה נפגש ביום שני עם השר",
        "سيطرت على خمس الأراضي",
        "She finished 3rd in the race",
        "وصل الوفد إلى القاهرة يوم الاثنين",  # Monday, no "two"
        "The agency declared a level 4 alarm",
    ],
)
def test_not_figures(text: str) -> None:
    assert extract_figures(text) == []


@pytest.mark.parametrize(
    ("text", "measure"),
    [
        ("The earthquake killed at least 40 people in the valley.", "dead"),
        ("The death toll rose to 1,200 on Tuesday.", "dead"),
        ("More than 300 people were injured in the blast.", "injured"),
        ("ارتفع عدد القتلى إلى 120 شخصا", "dead"),
        ("أصيب 30 شخصا في الحادث", "injured"),
        ("במתקפה נהרגו 12 בני אדם", "dead"),
        ("לפחות 40 פצועים פונו לבתי החולים", "injured"),
        ("The company lost 4.5% of its value.", "percent"),
        ("The company is worth $5 trillion.", "dollars"),
        ("The former leader died at the age of 88 years.", "years"),  # a unit of its own, not a toll
        ("The plane carried 230 passengers to London.", "passengers"),
        ("At least 80 workers are still trapped under the rubble.", "missing"),  # trapped: not yet found
        ("لا يزال 40 عاملا عالقين تحت الأنقاض", "missing"),
        ("25 פועלים לכודים מתחת להריסות", "missing"),
    ],
)
def test_label_from_the_measure_noun(text: str, measure: str) -> None:
    assert only(text).measure == measure


@pytest.mark.parametrize(
    ("text", "measures"),
    [
        ("قتل 14 شخصا وأصيب 450 آخرون في الانفجار", ["dead", "injured"]),  # "and injured" is 450's
        ("At least 9 people were killed and 2,800 injured.", ["dead", "injured"]),
        ("A 7.8-magnitude quake kills more than 500 in the region.", ["magnitude", "dead"]),  # magnitude is 7.8's
    ],
)
def test_a_measure_noun_belongs_to_its_own_number(text: str, measures: list[str]) -> None:
    assert [f.measure for f in extract_figures(text)] == measures


def test_no_measure_noun_no_label() -> None:
    figure = only("The committee has 12 members from the north.")
    assert figure.counted == "members" and figure.measure is None


def _ref(value: float, article: str, day: str | None, measure: str = "dead") -> FigureRef:
    figure = Figure(0, 3, str(value), value, "people", None, False, measure)
    return FigureRef(figure, "en", article, day)


def test_a_toll_rising_over_days_is_an_update_in_date_order() -> None:
    refs = [_ref(1411, "c", "2025-09-03"), _ref(800, "a", "2025-09-01"), _ref(850, "b", "2025-09-02")]
    (group,) = group_figures(refs)
    assert [o.figure.value for o in group.occurrences] == [800, 850, 1411]
    assert group.updated and not group.discrepant and group.measure == "dead"


def test_different_values_on_the_same_day_are_a_disagreement() -> None:
    refs = [_ref(7.8, "a", "2025-09-01", measure="magnitude"), _ref(7.9, "b", "2025-09-01", measure="magnitude")]
    (group,) = group_figures(refs)
    assert group.discrepant and not group.updated


def test_a_toll_revised_within_a_day_is_an_update_not_a_disagreement() -> None:
    for day in ("2025-09-01", None):  # a toll moves within its day; undated articles are of no known time either
        (group,) = group_figures([_ref(36, "a", day), _ref(38, "b", day)])
        assert group.updated and not group.discrepant


def test_an_article_stating_both_values_agrees_with_either() -> None:
    (group,) = group_figures([_ref(27, "a", "2025-09-01"), _ref(26, "a", "2025-09-01"), _ref(27, "b", "2025-09-01")])
    assert not group.discrepant


def test_a_toll_that_falls_later_or_a_far_count_is_not_an_update() -> None:
    refs = [_ref(800, "a", "2025-09-01"), _ref(800, "b", "2025-09-01"), _ref(12, "c", "2025-09-03")]
    (group,) = group_figures(refs)
    assert {o.article_id for o in group.occurrences} == {"a", "b"} and not group.updated


def test_a_figure_of_a_single_article_is_not_grouped() -> None:
    assert group_figures([_ref(800, "a", "2025-09-01"), _ref(810, "a", "2025-09-01")]) == []
    assert group_figures([_ref(800, "a", "2025-09-01"), _ref(800, "b", "2025-09-01", measure="injured")]) == []


def test_values_do_not_chain_far_apart() -> None:
    from storylens.extraction.figure_groups import CLOSE_VALUE_RATIO

    step = CLOSE_VALUE_RATIO * 0.99  # each neighbour is close enough, the ends are not
    values = [round(6.0 * step**k, 6) for k in range(4)]
    groups = group_figures([_ref(v, str(v), "2025-09-01", measure="magnitude") for v in values])
    assert groups and all(max(g.values) / min(g.values) <= CLOSE_VALUE_RATIO for g in groups)


def test_arabic_hundreds_in_one_word_and_a_measure_before_a_number_word() -> None:
    # "the accident caused the death of two hundred and fifty people and the wounding of seven hundred others"
    figures = extract_figures("أسفر الحادث عن وفاة مئتين وخمسين شخصا وجرح سبعمئة آخرين")
    assert [(f.value, f.measure) for f in figures] == [(250, "dead"), (700, "injured")]


def test_a_generic_count_takes_a_measure_further_in_its_clause() -> None:
    assert only("Nine people in the convoy were killed on Monday.").measure == "dead"
    assert only("Nine people in the convoy were seen on Monday.").measure == "people"


def test_a_toll_revised_within_a_day_groups_further_apart_than_other_measures() -> None:
    (group,) = group_figures([_ref(8, "a", "2025-09-01"), _ref(11, "b", "2025-09-01")])
    assert group.updated and not group.discrepant
    assert group_figures([_ref(6.0, "a", None, "magnitude"), _ref(7.0, "b", None, "magnitude")]) == []


def test_two_values_one_article_states_are_two_quantities() -> None:
    refs = [_ref(v, a, None, "magnitude") for v, a in ((6.4, "a"), (5.8, "a"), (6.4, "b"), (5.8, "c"))]
    assert sorted(sorted(g.values) for g in group_figures(refs)) == [[5.8], [6.4]]


def test_a_count_of_people_joins_the_same_count_labelled_otherwise() -> None:
    refs = [_ref(84, "a", None, "people"), _ref(84, "b", None, "votes"), _ref(84, "c", None, "people")]
    (group,) = group_figures(refs)
    assert len(group.occurrences) == 3 and group.measure == "votes"
    assert group_figures([_ref(84, "a", None, "people"), _ref(85, "b", None, "votes")]) == []


def _bare(value: float | tuple[float, float], article: str) -> FigureRef:
    return FigureRef(Figure(0, 3, str(value), value), "en", article)


def test_an_unlabelled_count_groups_only_with_its_exact_value() -> None:
    (group,) = group_figures([_bare(128, "a"), _bare(128, "b"), _bare(130, "c")])
    assert {o.article_id for o in group.occurrences} == {"a", "b"} and group.measure is None
    small = MIN_UNLABELLED_VALUE - 1
    assert group_figures([_bare(small, "a"), _bare(small, "b")]) == []  # small numbers recur by chance
    (group,) = group_figures([_bare(MIN_UNLABELLED_VALUE, "a"), _bare(MIN_UNLABELLED_VALUE, "b")])
    assert len(group.occurrences) == 2


def test_a_value_written_in_words_and_in_digits_is_one_unlabelled_value() -> None:
    """Number words read as whole numbers (ten) and digits as floats (10.0) are the same value."""
    (group,) = group_figures([_bare(10, "a"), _bare(10.0, "b"), _bare(10.0, "c")])
    assert {o.article_id for o in group.occurrences} == {"a", "b", "c"}


def test_an_unlabelled_figure_takes_the_one_measure_another_article_gives_its_value() -> None:
    """A headline's bare "8.8" is the magnitude 8.8 of other reports; a value two measures claim stays apart."""
    refs = [_bare(8.8, "a"), _ref(8.8, "b", None, "magnitude"), _ref(8.8, "c", None, "magnitude")]
    (group,) = group_figures(refs)
    assert group.measure == "magnitude" and {o.article_id for o in group.occurrences} == {"a", "b", "c"}
    torn = [_bare(128, "a"), _ref(128, "b", None, "dead"), _ref(128, "c", None, "injured")]
    assert all(g.measure is None for g in group_figures(torn) if "a" in {o.article_id for o in g.occurrences})
    assert not any(g.measure == "dead" and len(g.occurrences) > 1 for g in group_figures(torn))


def test_a_small_whole_number_or_a_score_takes_no_measure_by_value_alone() -> None:
    small = MIN_UNLABELLED_VALUE - 1
    assert group_figures([_bare(small, "a"), _ref(small, "b", None, "dead")]) == []
    score = [_bare((0.0, 5.0), "a"), _bare((0.0, 5.0), "b")]  # a 5-0 score is no quantity
    assert group_figures(score) == []


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("It ended a two-year vacancy in the post.", 2, "years"),
        ("The minister began a three-day visit.", 3, "days"),
        ("بعد فراغ دام أكثر من عامين", 2, "years"),  # "after a vacancy that lasted more than two years"
        ("הוואקום נמשך יותר משנתיים", 2, "years"),  # "the vacuum lasted more than two years"
    ],
)
def test_a_number_and_its_unit_in_one_word(text: str, value: float, unit: str) -> None:
    figure = only(text)
    assert (figure.value, figure.unit) == (value, unit)


def test_a_toll_each_article_gives_once_is_one_quantity_however_far_it_rises() -> None:
    # Undated reports of one quake: 14, then 120, then 320 dead; each article states one toll.
    refs = [_ref(320, "c", None), _ref(14, "a", None), _ref(120, "b", None), _ref(15, "d", None)]
    (group,) = group_figures(refs)
    assert sorted(group.values) == [14, 15, 120, 320]
    assert group.updated and not group.discrepant


def test_an_article_stating_two_tolls_keeps_the_story_s_tolls_apart() -> None:
    # Article a gives two tolls (two places, or this event and an earlier one): values far apart stay apart,
    # and a report of one toll only does not join either of them across a wide gap.
    refs = [_ref(80, "a", None), _ref(400, "a", None), _ref(81, "b", None), _ref(410, "c", None), _ref(2000, "d", None)]
    groups = group_figures(refs)
    assert sorted(sorted(g.values) for g in groups) == [[80, 81], [400, 410]]


def test_reports_of_one_toll_do_not_join_across_the_step_ratio() -> None:
    from storylens.extraction.figure_groups import TOLL_STEP_RATIO

    far = 2 * TOLL_STEP_RATIO
    assert group_figures([_ref(3, "a", None), _ref(3 * far, "b", None)]) == []
    assert group_figures([_ref(3, "a", None, "magnitude"), _ref(30, "b", None, "magnitude")]) == []


def test_a_number_in_scaled_parts_joined_by_and_is_one_value() -> None:
    # "Pezeshkian got 16 million and 384 thousand and 403 votes"
    figure = only("حصل بزشكيان على 16 مليونا و384 ألفا و403 أصوات")
    assert (figure.value, figure.measure) == (16_384_403, "votes")
    assert only("He won 2 million and 500 thousand votes.").value == 2_500_000
    # a larger number after "and" is another figure, not the rest of this one
    figures = extract_figures("killed 5 thousand and 3 million were displaced")
    assert [f.value for f in figures] == [5000, 3_000_000]


def test_seats_are_a_measure_of_their_own_not_votes() -> None:
    assert only("Labour is expected to win 410 seats.").measure == "seats"
    assert only("He secured 410 ballots.").measure == "votes"
    assert only("حزب العمال يفوز بـ409 مقاعد في البرلمان").measure == "seats"


def _length(value: float | tuple[float, float], article: str, unit: str) -> FigureRef:
    measure = "metres" if unit == "metres" else None
    return FigureRef(Figure(0, 3, str(value), value, unit, None, False, measure), "en", article, None)


def test_a_distance_in_yards_groups_with_the_same_distance_in_metres() -> None:
    assert only("He fired from 400-500 yards away.").unit == "yards"
    (group,) = group_figures([_length((400, 500), "a", "yards"), _length((350, 450), "b", "metres")])
    assert group.measure == "metres" and len(group.occurrences) == 2
    # 200 km and 300 miles (483 km) are two distances, whatever the outlets meant
    assert group_figures([_length(200, "a", "kilometres"), _length(300, "b", "miles")]) == []


def test_a_role_count_takes_the_toll_in_its_clause() -> None:
    assert only("According to the office, 32 passengers survived the crash.").measure == "rescued"
    assert only("Twelve soldiers were killed in the attack.").measure == "dead"
    assert only("The plane carried 175 passengers from Bangkok.").measure == "passengers"
