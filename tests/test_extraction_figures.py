"""Figures: values, units, ranges and what must not be read as a figure."""

from __future__ import annotations

import pytest

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
    ],
)
def test_not_figures(text: str) -> None:
    assert extract_figures(text) == []
