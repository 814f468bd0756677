"""A crawl of every route of the local server with out-of-range and odd parameters: never an HTTP 500.

Every route of the FastAPI app (read from ``app.routes``, so a new route is crawled without editing this
file) gets, in each path parameter and then in each query parameter on its own, values that are negative,
past SQLite's 64-bit integers, digits outside ASCII, empty, very long, or unusual Unicode. Each answer must
be below 500; an id past the stored range must be a 404, and an answer for an API path must be JSON.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from fastapi import routing
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from storylens.views.web import create_app
from tests.test_views_data import build_store

HUGE = [str(2**63), str(2**64 + 5), "99999999999999999999"]
ODD_VALUES = [
    "-1",
    "0",
    str(2**63 - 1),
    *HUGE,
    "9" * 400,
    "-" + str(2**63 + 1),
    "²",  # str.isdigit() says yes, int() says no
    "٣",  # an Arabic-Indic digit: int() accepts it
    "１２",  # full-width digits
    "",
    " ",
    "1e3",
    "1.5",
    "0x10",
    "x" * 5000,
    "\u202etxt.exe",
    "🙂",
    "שלום",
    "\x00",
    "%",
    '"*:(OR) NEAR',
    "'; DROP TABLE stories; --",
    "2025-13-45",
    "9999-12-31",
    "0001-01-01",
]
PATH_PARAM = re.compile(r"{(\w+)}")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    path = tmp_path_factory.mktemp("crawl") / "crawl.db"
    build_store(path)
    app = create_app(path, encoder=None, encoder_spec="no-such-encoder")
    return TestClient(app, base_url="http://localhost", raise_server_exceptions=False)


def app_routes(client: TestClient) -> list[tuple[str, APIRoute]]:
    """(full path, route) of every GET route of the app, routers included (FastAPI >= 0.13x keeps included
    routers as one entry of ``app.routes``; ``iter_route_contexts`` walks into them)."""
    walk = getattr(routing, "iter_route_contexts", None)
    contexts = walk(client.app.routes) if walk else client.app.routes  # type: ignore[attr-defined]
    found = []
    for context in contexts:
        route = getattr(context, "original_route", context)
        if isinstance(route, APIRoute) and "GET" in route.methods:
            found.append((context.path, route))
    return found


def crawl_urls(client: TestClient) -> list[str]:
    """Every GET route with each odd value in each path parameter, then in each query parameter alone."""
    urls = []
    for path, route in app_routes(client):
        names = PATH_PARAM.findall(path)
        plain = PATH_PARAM.sub("1", path)
        urls.append(plain)
        for name in names:
            others = {n: "1" for n in names if n != name}
            for value in ODD_VALUES:
                urls.append(path.format(**others, **{name: quote(value, safe="")}))
        for param in route.dependant.query_params:
            for value in ODD_VALUES:
                urls.append(f"{plain}?{param.alias}={quote(value, safe='')}")
    return urls


def test_the_crawl_covers_every_route(client: TestClient) -> None:
    urls = crawl_urls(client)
    crawled = {url.split("?")[0] for url in urls}
    paths = [path for path, _ in app_routes(client)]
    assert len(paths) >= 16
    for path in paths:
        assert any(re.fullmatch(PATH_PARAM.sub("[^/]*", path), url) for url in crawled), path
    assert len(urls) > 500


def test_no_odd_parameter_gives_a_server_error(client: TestClient) -> None:
    failures = []
    for url in crawl_urls(client):
        response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {url[:120]}")
        elif url.startswith("/api/") and not response.headers["content-type"].startswith("application/json"):
            failures.append(f"not JSON: {response.status_code} {url[:120]}")
    assert failures == []


@pytest.mark.parametrize("route", ["stories", "articles", "storylines", "entities"])
@pytest.mark.parametrize("value", ["-1", *HUGE])
@pytest.mark.parametrize("prefix", ["/api", ""])
def test_ids_out_of_range_are_not_found(client: TestClient, prefix: str, route: str, value: str) -> None:
    response = client.get(f"{prefix}/{route}/{value}")
    assert response.status_code == 404
    if prefix:
        assert response.json()["detail"].startswith("no ")
    else:
        assert "Not found" in response.text


@pytest.mark.parametrize("url", ["/entities/²", "/api/entities/²", "/?entity=99999999999999999999"])
def test_odd_entity_references_are_not_found(client: TestClient, url: str) -> None:
    assert client.get(url).status_code == 404


def test_story_zero_is_a_valid_filter(client: TestClient) -> None:
    """Story ids start at 0, so ``story=0`` filters (to nothing in this store) rather than being refused."""
    for what in ("entities", "quotes", "figures"):
        response = client.get(f"/api/{what}?story=0")
        assert response.status_code == 200
        assert response.json()["rows"] == [] and response.json()["total"] == 0


def test_a_huge_offset_is_an_empty_page_or_a_client_error(client: TestClient) -> None:
    for value in HUGE:
        response = client.get(f"/api/stories?_next={value}")
        assert response.status_code < 500
        assert response.status_code == 422 or response.json()["rows"] == []


def test_web_errors_are_pages_for_people(client: TestClient) -> None:
    response = client.get(f"/stories/{2**70}")
    assert response.headers["content-type"].startswith("text/html")
    assert '<ul class="errors">' in response.text
