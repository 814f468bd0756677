"""API lists page in the datasette style: walking every list through its next links gives each row once,
in order, as many as the total says."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from storylens.views.web import create_app
from tests.test_views_api import TOPIC_CUTOFF, TopicEncoder
from tests.test_views_data import build_store, embed_articles

LISTS = [
    "/api/stories",
    "/api/stories?lang=en",
    "/api/stories?outlet=Daily%20Courier",
    "/api/articles",
    "/api/articles?lang=en",
    "/api/storylines",
    "/api/entities",
    "/api/entities?story=1",
    "/api/quotes",
    "/api/figures",
    "/api/search?q=floods",
    "/api/search?q=Lagarde&mode=text",
]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    path = tmp_path_factory.mktemp("paging") / "views.db"
    build_store(path)
    embed_articles(path, TopicEncoder())
    app = create_app(path, encoder=TopicEncoder(), search_cutoff=TOPIC_CUTOFF)
    return TestClient(app, base_url="http://localhost")


def walk(client: TestClient, url: str) -> tuple[list[dict], list[int]]:
    rows, totals = [], []
    while url:
        response = client.get(url)
        assert response.status_code == 200, (url, response.text)
        page = response.json()
        rows += page["rows"]
        totals.append(page["total"])
        assert (page["next"] is None) == (page["next_url"] is None)
        url = page["next_url"]
    return rows, totals


@pytest.mark.parametrize("route", LISTS)
@pytest.mark.parametrize("size", [1, 2, 3])
def test_next_links_walk_every_list_to_the_end(client: TestClient, route: str, size: int) -> None:
    separator = "&" if "?" in route else "?"
    everything = client.get(f"{route}{separator}_size=500").json()
    assert everything["next"] is None and everything["total"] == len(everything["rows"])
    rows, totals = walk(client, f"{route}{separator}_size={size}")
    assert rows == everything["rows"]
    assert set(totals) == {everything["total"]}
    assert len(totals) == max(1, -(-everything["total"] // size))  # pages: ceil(total / size), at least one


def test_most_lists_have_more_than_one_page(client: TestClient) -> None:
    assert sum(client.get(route).json()["total"] > 1 for route in LISTS) >= 6


def test_a_bad_next_token_is_a_client_error(client: TestClient) -> None:
    for token in ("-1", "abc", "1" * 20):
        assert client.get("/api/stories", params={"_next": token}).status_code == 422
    assert client.get("/api/stories", params={"_next": "999"}).json()["rows"] == []
