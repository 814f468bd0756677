"""The repository's own gold sets (benchmarks/data/news_dev3.jsonl, news_dev4.jsonl) are well formed and documented.

Checks each file's shape only (fields, ids, dates, story list); no text of the sets is copied here.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from storylens.clustering.evaluate import load_gold_set

DATA = Path(__file__).resolve().parent.parent / "benchmarks" / "data"
FIELDS = ["id", "lang", "date", "source", "url", "title", "text", "story"]
SETS = {"news_dev3": "nd3", "news_dev4": "nd4"}  # set name: id prefix


@pytest.fixture(scope="module", params=sorted(SETS))
def name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def rows(name: str) -> list[dict[str, object]]:
    lines = (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_every_line_has_the_news_dev_fields_and_a_unique_id_and_url(name: str, rows: list[dict[str, object]]) -> None:
    assert all(list(row) == FIELDS for row in rows)
    assert [row["id"] for row in rows] == [f"{SETS[name]}-{n:03d}" for n in range(1, len(rows) + 1)]
    assert len({row["url"] for row in rows}) == len(rows)
    assert all(row["title"] == "" and str(row["text"]).strip() for row in rows)


def test_source_is_the_url_host_and_date_comes_only_from_a_complete_date_line(rows: list[dict[str, object]]) -> None:
    for row in rows:
        host = urlsplit(str(row["url"])).hostname or ""
        assert host.endswith(str(row["source"]))
        header = re.match(r"^ ?date (\d{4}-\d{2}-\d{2}) ", str(row["text"]))
        assert row["date"] == (header.group(1) if header else None)


def test_stories_match_the_documented_list_and_most_span_three_languages(
    name: str, rows: list[dict[str, object]]
) -> None:
    listed = {
        line.split(" | ")[0]
        for line in (DATA / f"{name}_stories.md").read_text(encoding="utf-8").splitlines()
        if " | " in line and not line.startswith("#")
    }
    stories = Counter(str(row["story"]) for row in rows)
    assert set(stories) == listed
    languages = {story: {row["lang"] for row in rows if row["story"] == story} for story in stories}
    assert sum(len(langs) >= 3 for langs in languages.values()) >= 10


def test_the_evaluation_loader_reads_every_line(name: str, rows: list[dict[str, object]]) -> None:
    articles = load_gold_set(DATA / f"{name}.jsonl")
    assert [a.id for a in articles] == [row["id"] for row in rows]
    assert all(a.body and not a.body.startswith("date ") for a in articles)
