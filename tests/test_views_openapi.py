"""The API is typed: `/openapi.json` gives every route a response schema whose every object names its fields,
and every list route (found in the schema, not listed by hand) pages to its end through its next links."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from storylens.views.web import create_app
from tests.test_views_api import TOPIC_CUTOFF, TopicEncoder
from tests.test_views_data import build_store, embed_articles

# Values for the required query parameters of list routes (a new required parameter must get one here).
REQUIRED_SAMPLES = {"q": "floods"}
PAGE_FIELDS = {"total", "next", "next_url", "rows"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    path = tmp_path_factory.mktemp("openapi") / "views.db"
    build_store(path)
    embed_articles(path, TopicEncoder())
    app = create_app(path, encoder=TopicEncoder(), search_cutoff=TOPIC_CUTOFF)
    return TestClient(app, base_url="http://localhost")


@pytest.fixture(scope="module")
def schema(client: TestClient) -> dict[str, Any]:
    return client.get("/openapi.json").json()


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def operations(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(path, op) for path, ops in schema["paths"].items() for method, op in ops.items() if method == "get"]


def success_schema(schema: dict[str, Any], op: dict[str, Any]) -> dict[str, Any] | None:
    content = op.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {})
    return resolve(schema, content["schema"]) if content.get("schema") else None


def untyped_objects(schema: dict[str, Any]) -> list[str]:
    """Component schemas that are objects without named fields."""
    return [
        name
        for name, node in schema["components"]["schemas"].items()
        if node.get("type") == "object" and not node.get("properties")
    ]


def test_every_api_route_has_a_response_schema_with_fields(schema: dict[str, Any]) -> None:
    routes = operations(schema)
    assert len(routes) >= 10
    missing = [path for path, op in routes if not (success_schema(schema, op) or {}).get("properties")]
    assert missing == []
    assert untyped_objects(schema) == []


def test_the_check_finds_a_route_without_a_response_schema() -> None:
    bare = {
        "paths": {"/api/x": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {}}}}}}}},
        "components": {"schemas": {"Loose": {"type": "object"}}},
    }
    assert [path for path, op in operations(bare) if not (success_schema(bare, op) or {}).get("properties")] == [
        "/api/x"
    ]
    assert untyped_objects(bare) == ["Loose"]


def list_routes(schema: dict[str, Any]) -> list[str]:
    """Every route whose answer is a page (total, next, next_url, rows), with its required parameters filled."""
    found = []
    for path, op in operations(schema):
        body = success_schema(schema, op) or {}
        if not set(body.get("properties", {})) >= PAGE_FIELDS:
            continue
        required = [p["name"] for p in op.get("parameters", []) if p.get("required")]
        assert set(required) <= set(REQUIRED_SAMPLES), f"{path}: add a sample for {required}"
        query = "&".join(f"{name}={REQUIRED_SAMPLES[name]}" for name in required)
        found.append(f"{path}?{query}" if query else path)
    return found


def test_every_list_route_walks_to_its_end_through_next_links(client: TestClient, schema: dict[str, Any]) -> None:
    routes = list_routes(schema)
    assert {r.split("?")[0] for r in routes} >= {"/api/stories", "/api/entities", "/api/search"}
    for route in routes:
        separator = "&" if "?" in route else "?"
        url: str | None = f"{route}{separator}_size=2"
        rows: list[Any] = []
        totals = set()
        pages = 0
        while url:
            response = client.get(url)
            assert response.status_code == 200, (url, response.text)
            page = response.json()
            assert page.keys() >= PAGE_FIELDS
            assert len(page["rows"]) <= 2
            rows += page["rows"]
            totals.add(page["total"])
            url = page["next_url"]
            pages += 1
        assert len(totals) == 1, route
        total = totals.pop()
        assert len(rows) == total, route
        assert pages == max(1, -(-total // 2)), route
        assert client.get(f"{route}{separator}_size=500").json()["rows"] == rows, route
    assert sum(client.get(route).json()["total"] > 2 for route in routes) >= 4  # the walks cross pages


def test_routes_answer_what_their_schema_says(client: TestClient, schema: dict[str, Any]) -> None:
    """Each detail route's answer has exactly the fields its schema names (optional ones may be left out)."""
    for path, sample in (
        ("/api/stories/{story_id}", "/api/stories/1"),
        ("/api/articles/{article_id}", "/api/articles/1"),
        ("/api/storylines/{storyline_id}", "/api/storylines/1"),
        ("/api/entities/{entity_ref}", "/api/entities/1"),
    ):
        body = success_schema(schema, schema["paths"][path]["get"])
        assert body is not None
        answer = client.get(sample).json()
        assert set(body.get("required", [])) <= answer.keys() <= set(body["properties"]), path


def test_an_empty_store_answers_empty_pages(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    from storylens.store.db import Store

    Store(path).close()
    client = TestClient(create_app(path), base_url="http://localhost")
    page = client.get("/api/stories").json()
    assert page == {"total": 0, "next": None, "next_url": None, "rows": []}
