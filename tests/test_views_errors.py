"""Errors said for people: JSON ``{"error", "detail"}`` under /api/ (422 included, no validation dump), and
404, 422 and 500 pages written for a reader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from storylens.store import reads
from storylens.views.errors import problem
from storylens.views.web import create_app
from tests.test_views_data import build_store


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("errors") / "views.db"
    build_store(path)
    return path


@pytest.fixture(scope="module")
def client(store_path: Path) -> TestClient:
    return TestClient(create_app(store_path), base_url="http://localhost")


@pytest.mark.parametrize(
    ("url", "status", "said"),
    [
        ("/api/stories/999", 404, "no story 999"),
        ("/api/nothing/here", 404, "nothing at /api/nothing/here"),
        ("/api/stories?lang=english", 422, "lang 'english': expected a language code such as en, ar or he"),
        ("/api/stories?since=soon", 422, "since 'soon': expected a date as YYYY-MM-DD"),
        ("/api/stories?_size=0", 422, "_size '0': must be at least 1"),
        ("/api/stories/abc", 422, "story_id 'abc': expected a whole number"),
        ("/api/search", 422, "q is required"),
        ("/api/search?q=x&mode=magic", 422, "mode 'magic': expected one of 'hybrid', 'text' or 'semantic'"),
    ],
)
def test_api_errors_are_json_with_a_kind_and_plain_words(client: TestClient, url: str, status: int, said: str) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "detail"}
    assert body["error"] == {404: "not found", 422: "invalid request"}[status]
    assert body["detail"] == said


def test_several_bad_parameters_are_named_together(client: TestClient) -> None:
    detail = client.get("/api/stories?lang=E1&since=x&_size=9999").json()["detail"]
    assert [part.split(" ")[0] for part in detail.split("; ")] == ["lang", "since", "_size"]
    assert "loc" not in detail and "type" not in detail and "{" not in detail


def test_a_post_is_refused_in_words(client: TestClient) -> None:
    response = client.post("/api/stories")
    assert response.status_code == 405
    assert response.json() == {"error": "method not allowed", "detail": "POST is not allowed: this server only reads"}


def test_openapi_documents_the_error_shape(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path, ops in schema["paths"].items():
        for status in ("404", "422"):
            ref = ops["get"]["responses"][status]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ApiError"), path
    assert set(schema["components"]["schemas"]["ApiError"]["properties"]) == {"error", "detail"}
    assert "HTTPValidationError" not in schema["components"]["schemas"]


def test_pages_say_what_went_wrong_for_people(client: TestClient) -> None:
    missing = client.get("/stories/999")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in missing.text and "no story 999" in missing.text
    bad = client.get("/stories/1?since=soon")
    assert bad.status_code == 422 and "<h1>Cannot read this request</h1>" in bad.text
    assert "since &#39;soon&#39;: expected a date as YYYY-MM-DD" in bad.text
    assert "Input should be" not in client.get("/stories/abc").text


def test_a_server_error_is_json_or_a_page_without_internals(
    store_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internal state")

    monkeypatch.setattr(reads, "list_storylines", broken)
    client = TestClient(create_app(store_path), base_url="http://localhost", raise_server_exceptions=False)
    api = client.get("/api/storylines")
    assert api.status_code == 500
    assert api.json()["error"] == "internal error" and "secret" not in api.text
    page = client.get("/storylines")
    assert page.status_code == 500 and "<h1>Something went wrong</h1>" in page.text and "secret" not in page.text
    assert "secret internal state" in caplog.text  # the log keeps the cause


def test_a_validation_error_becomes_one_sentence() -> None:
    error = {"type": "less_than_equal", "loc": ("query", "_size"), "input": "501", "ctx": {"le": 500}}
    assert problem(error) == "_size '501': must be at most 500"
    assert problem({"type": "unknown_kind", "loc": ("path", "x"), "msg": "Odd input", "input": 3}) == "x 3: odd input"
