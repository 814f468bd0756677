"""Article titles when the input gives none: a headline its text bears out, else its lead; never page furniture."""

from __future__ import annotations

from storylens.cleaning import clean
from storylens.cleaning.headline import choose_title, lead_title
from storylens.cleaning.lines import split_lines

BODY = (
    "Mount Karavel erupted on Sunday near the town of Velmora, forcing 4,300 residents to flee their homes, "
    "officials said. Ash from Karavel covered Velmora and the valley below, and flights were halted."
)


def _title(text: str) -> str | None:
    lines = split_lines(text)
    return choose_title(lines, text) or lead_title(lines)


def test_a_headline_the_body_repeats_is_the_title() -> None:
    text = "Karavel eruption forces thousands from Velmora\n" + BODY
    assert _title(text) == "Karavel eruption forces thousands from Velmora"


def test_furniture_before_the_headline_is_passed_over() -> None:
    for furniture in (
        "Lina Osterberg, Northern Wire Service",  # a byline: its words do not come back in the text
        "Evening Show with Tom Rask 22:00",  # a show and its clock time
        "Volcano seen from Velmora (Photo Agency)",  # a photo credit closing a caption
    ):
        text = f"{furniture}\nKaravel eruption forces residents from Velmora\n{BODY}"
        assert _title(text) == "Karavel eruption forces residents from Velmora", furniture


def test_without_a_headline_the_lead_is_the_title_without_its_dateline() -> None:
    text = "VELMORA, Norland — " + BODY
    title = _title(text)
    assert title == BODY.split(" Ash")[0]
    long_text = "VELMORA, Norland — " + BODY.replace(", officials said.", " as the ash spread over the whole valley.")
    long_title = lead_title(split_lines(long_text))
    assert long_title.startswith("Mount Karavel") and long_title.endswith("…") and len(long_title) <= 121


def test_a_cut_dateline_line_is_running_text_not_a_headline() -> None:
    text = "VELMORA, Norland — Mount Karavel erupted on Sunday near the town\n" + BODY
    assert not (_title(text) or "").startswith("VELMORA")


def test_every_cleaned_article_has_a_title_and_the_headline_comes_from_its_text() -> None:
    (part,) = clean("Share\nKaravel eruption forces thousands from Velmora\n" + BODY)
    assert part.title == "Karavel eruption forces thousands from Velmora"


def test_a_place_date_and_agency_before_the_lead_are_left_out() -> None:
    for dateline in ("Velmora, May 20 (Northern Wire) -- ", "VELMORA: "):
        assert lead_title(split_lines(dateline + BODY)).startswith("Mount Karavel erupted"), dateline
