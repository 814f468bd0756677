"""Outlet registry, facets with counts, "only in one language or outlet", coverage and briefs on the web/API."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storylens.store.db import Store
from storylens.views import coverage
from storylens.views.cli import app
from storylens.views.outlets import DEFAULT_FILE, OutletFileError, host_of, load_registry, read_registry
from storylens.views.web import create_app
from tests.test_views_data import build_store


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("coverage") / "views.db"
    return path, build_store(path)


@pytest.fixture(scope="module")
def client(built: tuple[Path, dict[str, int]]) -> TestClient:
    return TestClient(create_app(built[0]), base_url="http://localhost")


# ---------------------------------------------------------------- the outlet registry


@pytest.mark.parametrize(
    ("value", "host"),
    [
        ("https://www.BBC.co.uk/news/world-1", "bbc.co.uk"),
        ("ru.wikipedia.org (In the news)", "ru.wikipedia.org"),
        ("globes.co.il", "globes.co.il"),
        ("Daily Courier", None),
        ("https://example.org/flood-en", None),  # reserved for examples (RFC 2606): no outlet
        ("http://news.test/a", None),
        ("", None),
        (None, None),
    ],
)
def test_host_of(value: str | None, host: str | None) -> None:
    assert host_of(value) == host


def test_registry_reads_metadata_of_the_host_or_its_parent_domain() -> None:
    registry = load_registry(DEFAULT_FILE)
    outlet = registry.outlet("aljazeera.net", "https://www.aljazeera.net/news/1")
    assert outlet and (outlet.key, outlet.country, outlet.language) == ("aljazeera.net", "QA", "ar")
    sub = registry.outlet(None, "https://mubasher.aljazeera.net/x")
    assert sub and sub.key == "mubasher.aljazeera.net" and sub.country == "QA" and "mubasher" in sub.name
    named = registry.outlet("Reuters", None)  # a source written as a name the file lists
    assert named and named.key == "reuters.com"
    assert registry.outlet("Some Local Paper", None).key == "Some Local Paper"  # type: ignore[union-attr]
    assert registry.outlet(None, None) is None and registry.outlet("  ", "") is None


def test_the_shipped_file_is_valid_and_documents_its_fields() -> None:
    data = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    for field in ("country", "language", "owner", "names", "--outlets"):
        assert field in data["about"]
    registry = read_registry(DEFAULT_FILE)
    assert all(re.fullmatch(r"[A-Z]{2}", e["country"]) for e in registry.entries.values() if "country" in e)


def test_a_user_file_replaces_the_default_and_bad_files_fail_in_one_line(tmp_path: Path, built: Any) -> None:
    mine = tmp_path / "outlets.json"
    mine.write_text(
        json.dumps({"outlets": {"dailycourier.example.com": {"country": "IT", "names": ["Daily Courier"]}}})
    )
    registry = load_registry(mine)
    assert registry.outlet("Daily Courier", None).country == "IT"  # type: ignore[union-attr]
    assert registry.outlet("reuters.com", None).country is None  # type: ignore[union-attr]
    bad = tmp_path / "bad.json"
    bad.write_text('{"outlets": {"not a host": {}}}')
    with pytest.raises(OutletFileError):
        read_registry(bad)
    result = CliRunner().invoke(app, ["brief", "1", "--outlets", str(bad), "--db", str(built[0])])
    assert result.exit_code == 1 and "not a host" in result.output and "Traceback" not in result.output


# ---------------------------------------------------------------- facets


def test_facet_counts_match_the_filtered_lists(client: TestClient) -> None:
    everything = client.get("/api/facets/stories").json()
    assert everything["total"] == client.get("/api/stories").json()["total"]
    for facet, param in (("language", "lang"), ("outlet", "outlet")):
        for item in everything["facets"][facet]:
            narrowed = client.get("/api/facets/stories", params={param: item["value"]}).json()
            assert narrowed["total"] == item["count"], (facet, item)
    english = {i["value"]: i["count"] for i in everything["facets"]["language"]}["en"]
    assert english == client.get("/api/stories", params={"lang": "en"}).json()["total"]
    articles = client.get("/api/facets/articles").json()
    assert articles["total"] == sum(i["count"] for i in articles["facets"]["language"])
    assert articles["total"] == client.get("/api/articles", params={"_size": 500}).json()["total"]
    stories = client.get("/api/stories", params={"outlet": "Yom Yom"}).json()
    assert stories["total"] == 1 and stories["rows"][0]["id"] == 1
    courier = client.get("/api/articles", params={"outlet": "Daily Courier"}).json()
    assert courier["total"] == 3 and {a["source"] for a in courier["rows"]} == {"Daily Courier"}


def test_story_list_page_shows_facets_with_counts(client: TestClient) -> None:
    page = client.get("/").text
    assert re.search(
        r'href="/\?lang=en">English <span class="lang-tag">en</span></a> <span class="count"[^>]*>4<', page
    )
    chosen = client.get("/", params={"outlet": "Yom Yom"}).text
    assert chosen.count('class="story-card"') == 1
    articles = client.get("/articles", params={"lang": "he"}).text
    assert articles.count('class="hit"') == 1


# ---------------------------------------------------------------- only in one language or outlet; coverage


def _occurrence(article: int, lang: str, value: float) -> dict[str, Any]:
    return {"article": 1000 + article, "lang": lang, "value": value, "text": str(value), "source": None}


def test_a_figure_reported_in_four_languages_is_exclusive_to_none(built: Any) -> None:
    articles = [
        {"id": 1000 + n, "lang": lang, "source": source, "url": None}  # ids no stored article has
        for n, lang, source in ((1, "en", "a.com"), (2, "ar", "b.com"), (3, "he", "c.com"), (4, "fr", None))
    ]
    # the same number in four single-language groups, and one number only Arabic states
    figures = [
        {"id": g, "value": 20, "unit": "people", "what": None, "occurrences": [_occurrence(g, lang, 20)]}
        for g, lang in ((1, "en"), (2, "ar"), (3, "he"), (4, "fr"))
    ] + [{"id": 5, "value": 7, "unit": None, "what": None, "occurrences": [_occurrence(2, "ar", 7)]}]
    figures.append({"id": 6, "value": 9, "unit": None, "what": None, "occurrences": [_occurrence(4, "fr", 9)]})
    with Store(built[0], readonly=True) as store:
        found = coverage.exclusives(store, articles, [], figures, load_registry(DEFAULT_FILE))
    by_language = {e["side"]: [f["value"] for f in e["figures"]] for e in found["by_language"]}
    assert by_language == {"ar": [7], "fr": [9]}
    by_outlet = {e["side"]: [f["value"] for f in e["figures"]] for e in found["by_source"]}
    assert by_outlet == {"b.com": [7]}  # the French article has no outlet: its 9 is nobody's


def test_story_coverage_per_outlet_and_country(client: TestClient) -> None:
    found = client.get("/api/stories/1/coverage").json()
    outlets = {o["key"]: o for o in found["coverage"]["outlets"]}
    assert set(outlets) == {"Daily Courier", "Al Sabah", "Yom Yom", "Evening Post"}
    assert {f["what"]: f["values"] for f in outlets["Al Sabah"]["figures"]}["killed"] == [14]
    assert {o["key"] for o in found["coverage"]["not_reporting"]} == {"Le Matin", "Town Crier"}
    assert found["exclusives"] == client.get("/api/stories/1").json()["exclusives"]
    page = client.get("/stories/1").text
    assert 'id="coverage"' in page and "not reporting" in page and 'href="#lang-he"' in page


# ---------------------------------------------------------------- briefs on the web and in the API


def test_brief_routes(client: TestClient) -> None:
    content = client.get("/api/stories/1/brief").json()
    assert content["kind"] == "story" and content["sources"]
    markdown = client.get("/api/stories/1/brief", params={"format": "md"})
    assert markdown.headers["content-type"].startswith("text/markdown") and markdown.text.startswith("# Briefing")
    assert client.get("/api/storylines/1/brief").json()["kind"] == "storyline"
    assert client.get("/api/stories/999/brief").status_code == 404
    assert client.get("/stories/999/brief").status_code == 404


def test_brief_page_isolates_every_quoted_text(client: TestClient) -> None:
    page = client.get("/stories/1/brief").text
    quoted = re.findall(r"<q class=\"quoted\"([^>]*)>", page)
    assert quoted and all('dir="' in attributes for attributes in quoted)
    assert 'lang="he" dir="rtl"' in page and 'lang="ar" dir="rtl"' in page
    assert re.search(r"<bdi>Stefano Bonaccini</bdi>", page)
    assert "<script" not in page.split("<main>")[1].split("</main>")[0].replace("&lt;script", "")


def test_a_story_list_filtered_by_language_shows_headlines_in_that_language(client: TestClient) -> None:
    hebrew = client.get("/", params={"lang": "he"}).text
    assert "שיטפונות בצפון איטליה: 12 הרוגים" in hebrew and "Floods kill 12 in northern Italy" not in hebrew
    assert "Floods kill 12 in northern Italy" in client.get("/").text
