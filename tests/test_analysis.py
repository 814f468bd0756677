"""The coverage analysis works on plain rows: no store, no SQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from storylens.analysis.coverage import (
    UNKNOWN_SOURCE,
    changes_since,
    exclusives,
    figure_matrix,
    figure_value,
    group_articles,
    timeline,
)


def article(id: int, lang: str, source: str | None, published: str | None, stored: str) -> dict[str, Any]:
    return {"id": id, "lang": lang, "source": source, "published": published, "ingested_at": stored}


ARTICLES = [
    article(1, "en", "bbc.co.uk", "2024-05-01", "2024-05-01T08:00:00"),
    article(2, "he", "ynet.co.il", "2024-05-01", "2024-05-01T09:00:00"),
    article(3, "ar", None, "2024-05-02", "2024-05-03T10:00:00"),
    article(4, "en", "reuters.com", None, "2024-05-03T11:00:00"),
]


def occurrence(article_id: int, value: float | list[float], stored: str, lang: str, source: str | None) -> dict:
    return {
        "text": str(value),
        "value": value,
        "article": article_id,
        "differs": False,
        "ingested_at": stored,
        "lang": lang,
        "source": source,
    }


FIGURES = [
    {  # reported by English and Hebrew articles, then again by the Arabic one with another value
        "id": 7,
        "value": 20,
        "unit": None,
        "what": "killed",
        "discrepancy": False,
        "updated": True,
        "occurrences": [
            occurrence(1, 20, "2024-05-01T08:00:00", "en", "bbc.co.uk"),
            occurrence(2, 20, "2024-05-01T09:00:00", "he", "ynet.co.il"),
            occurrence(3, 25, "2024-05-03T10:00:00", "ar", None),
        ],
    },
    {  # only the Arabic article states it
        "id": None,
        "value": [3, 4],
        "unit": "km",
        "what": None,
        "discrepancy": False,
        "updated": False,
        "occurrences": [occurrence(3, [3, 4], "2024-05-03T10:00:00", "ar", None)],
    },
]
QUOTES = [
    {
        "id": 2,
        "speaker": "Red Cross",
        "variants": [
            {"text": "we need access", "article": 1, "ingested_at": "2024-05-01T08:00:00"},
            {"text": "we need access", "article": 4, "ingested_at": "2024-05-03T11:00:00"},
        ],
    }
]
MENTIONS = [
    {"article_id": 1, "id": 10, "name": "Hamas", "type": "ORG"},
    {"article_id": 2, "id": 10, "name": "Hamas", "type": "ORG"},
    {"article_id": 2, "id": 11, "name": "Gaza", "type": "LOC"},
    {"article_id": 3, "id": 11, "name": "Gaza", "type": "LOC"},
    {"article_id": 3, "id": 12, "name": "Rafah", "type": "LOC"},
]


def test_figure_values_are_numbers_or_ranges() -> None:
    assert figure_value(20.0, 20.0) == 20 and isinstance(figure_value(20.0, 20.0), int)
    assert figure_value(2.5, 2.5) == 2.5
    assert figure_value(3.0, 4.0) == [3, 4]


def test_articles_grouped_by_language_then_outlet_with_unknown_outlets_named() -> None:
    grouped = group_articles(ARTICLES)
    assert list(grouped) == ["ar", "en", "he"]
    assert list(grouped["en"]) == ["bbc.co.uk", "reuters.com"]
    assert [a["id"] for a in grouped["ar"][UNKNOWN_SOURCE]] == [3]


def test_timeline_puts_unknown_dates_last() -> None:
    days = timeline(ARTICLES)
    assert [d["date"] for d in days] == ["2024-05-01", "2024-05-02", None]
    assert [a["id"] for a in days[0]["articles"]] == [1, 2]


def test_figure_matrix_has_one_column_per_language_and_outlet() -> None:
    matrix = figure_matrix(FIGURES, ARTICLES)
    columns = [(c["lang"], c["source"]) for c in matrix["columns"]]
    assert columns == [("ar", UNKNOWN_SOURCE), ("en", "bbc.co.uk"), ("en", "reuters.com"), ("he", "ynet.co.il")]
    first = matrix["rows"][0]
    assert [[cell["value"] for cell in column] for column in first["cells"]] == [[25], [20], [], [20]]
    assert [len(column) for column in matrix["rows"][1]["cells"]] == [1, 0, 0, 0]


def test_exclusives_name_what_only_one_side_reports() -> None:
    found = exclusives(MENTIONS, ARTICLES, QUOTES, FIGURES)
    by_language = {entry["side"]: entry for entry in found["by_language"]}
    assert [e["name"] for e in by_language["ar"]["entities"]] == ["Rafah"]
    assert [f["value"] for f in by_language["ar"]["figures"]] == [[3, 4]]
    assert [q["speaker"] for q in by_language["en"]["quotes"]] == ["Red Cross"]
    assert "he" not in by_language  # Hamas and Gaza are named in other languages too
    by_source = {entry["side"]: entry for entry in found["by_source"]}
    assert set(by_source) == {UNKNOWN_SOURCE}  # the quote is carried by two outlets, Hamas named by two
    assert [e["name"] for e in by_source[UNKNOWN_SOURCE]["entities"]] == ["Rafah"]


def test_no_exclusives_in_a_story_with_one_language() -> None:
    english = [a for a in ARTICLES if a["lang"] == "en"]
    assert exclusives([], english, [], [])["by_language"] == []


def test_changes_since_counts_what_was_stored_since_the_date() -> None:
    changes = changes_since(ARTICLES, QUOTES, FIGURES, dt.date(2024, 5, 3))
    assert changes["articles"] == [3, 4]
    assert [v["article"] for v in changes["quotes"][0]["variants"]] == [4]
    statuses = {str(f["figure"]): (f["status"], f["before"], f["now"]) for f in changes["figures"]}
    assert statuses == {"7": ("changed", [20], [25]), "None": ("new", [], [[3, 4]])}


def test_nothing_changed_after_the_last_item() -> None:
    changes = changes_since(ARTICLES, QUOTES, FIGURES, dt.date(2024, 6, 1))
    assert changes["articles"] == [] and changes["quotes"] == [] and changes["figures"] == []
