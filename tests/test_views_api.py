"""The JSON API and the web pages through FastAPI's TestClient: content, filters, 404/422, escaping, since."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from storylens.views.web import create_app
from tests.test_views_data import XSS_TEXT, XSS_TITLE, build_store, embed_articles


class TopicEncoder:
    """A stand-in encoder whose vectors say only whether a text is about floods or about interest rates."""

    name = "topic-test"
    dim = 2

    def _embed(self, texts: list[str]) -> np.ndarray:
        flood_words = ("flood", "فيضان", "שיטפון", "שיטפונ", "recovery", "toll")
        rows = [[1.0, 0.1] if any(w in t.lower() for w in flood_words) else [0.1, 1.0] for t in texts]
        return np.asarray(rows, dtype=np.float32) / np.linalg.norm(rows, axis=1, keepdims=True)

    def encode(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts)


TOPIC_CUTOFF = 0.5  # the stand-in's same-topic similarity is 1.0, across topics about 0.2


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("api") / "views.db"
    ids = build_store(path)
    embed_articles(path, TopicEncoder())
    return path, ids


@pytest.fixture(scope="module")
def client(built: tuple[Path, dict[str, int]]) -> TestClient:
    app = create_app(built[0], encoder=TopicEncoder(), search_cutoff=TOPIC_CUTOFF)
    return TestClient(app, base_url="http://localhost")


@pytest.fixture(scope="module")
def ids(built: tuple[Path, dict[str, int]]) -> dict[str, int]:
    return built[1]


def test_stories_newest_first_with_their_languages_and_outlets(client: TestClient) -> None:
    stories = client.get("/api/stories").json()["rows"]
    assert [s["id"] for s in stories] == [4, 1, 2, 3]
    floods = stories[1]
    assert floods["title"] == "Floods kill 12 in northern Italy"
    assert floods["time_span"] == {"first": "2025-05-17", "last": "2025-05-19"}
    assert floods["languages"] == ["ar", "en", "he"]
    assert floods["sources"] == ["Al Sabah", "Daily Courier", "Evening Post", "Yom Yom"]
    assert floods["size"] == 4


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"lang": "he"}, [1]),
        ({"lang": "fr"}, [2]),
        ({"source": "Daily Courier"}, [4, 1, 2]),
        ({"entity": "Christine Lagarde"}, [2]),
        ({"entity": "ستيفانو بوناتشيني"}, [1]),
        ({"since": "2025-05-18"}, [4, 1]),
        ({"until": "2025-05-15"}, [2, 3]),
        ({"since": "2025-05-16", "until": "2025-05-20"}, [1]),
        ({"_size": 1, "_next": "1"}, [1]),
    ],
)
def test_story_filters(client: TestClient, params: dict, expected: list[int]) -> None:
    assert [s["id"] for s in client.get("/api/stories", params=params).json()["rows"]] == expected


@pytest.mark.parametrize(
    "url",
    [
        "/api/stories?lang=english",
        "/api/stories?lang=E1",
        "/api/stories?since=yesterday",
        "/api/stories?since=2025-05-20&until=2025-05-01",
        "/api/stories?_size=0",
        "/api/stories?_size=100000",
        "/api/stories?_next=-1",
        "/api/stories/abc",
        "/api/stories/1?since=2025-13-01",
        "/api/entities?story=-1",
        "/api/search",
        "/api/search?q=",
        "/api/search?q=x&mode=magic",
        f"/api/search?q={'a' * 501}",
    ],
)
def test_bad_parameters_are_422_with_a_reason(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 422
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/stories/999",
        "/api/articles/999",
        "/api/storylines/999",
        "/api/entities/999",
        "/api/entities/Nobody%20Here",
        "/api/stories?entity=Nobody",
    ],
)
def test_unknown_ids_are_404(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert response.json()["detail"].startswith("no ")


def test_pages_answer_404_and_422_as_pages(client: TestClient) -> None:
    missing = client.get("/stories/999")
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]
    assert "no story 999" in missing.text
    bad = client.get("/stories/1?since=soon")
    assert bad.status_code == 422 and "since" in bad.text


def test_story_detail_has_matrix_quotes_entities_and_exclusives(client: TestClient, ids: dict[str, int]) -> None:
    story = client.get("/api/stories/1").json()
    in_time = [ids["flood-en"], ids["flood-ar"], ids["flood-he"], ids["flood-en-2"]]
    assert [a["id"] for a in story["articles"]] == in_time
    assert story["by_language"]["en"] == {"Daily Courier": [ids["flood-en"]], "Evening Post": [ids["flood-en-2"]]}
    killed = next(f for f in story["figures"] if f["what"] == "killed")
    assert killed["discrepancy"] is True and killed["value"] == 12
    assert {o["text"] for o in killed["occurrences"] if o["differs"]} == {"14 شخصا", "13"}
    matrix = story["figure_matrix"]
    columns = [(c["lang"], c["source"]) for c in matrix["columns"]]
    row = next(r for r in matrix["rows"] if r["what"] == "killed")
    assert row["cells"][columns.index(("ar", "Al Sabah"))][0]["value"] == 14
    euros = next(r for r in matrix["rows"] if r["unit"] == "euros")
    assert euros["cells"][columns.index(("ar", "Al Sabah"))] == []
    (quote,) = story["quotes"]
    assert quote["speaker"] == "Stefano Bonaccini" and quote["languages"] == ["ar", "en", "he"]
    bonaccini = next(e for e in story["entities"] if e["name"] == "Stefano Bonaccini")
    assert {(v["text"], v["lang"], v["count"]) for v in bonaccini["variants"]} == {
        ("Stefano Bonaccini", "en", 1),
        ("ستيفانو بوناتشيني", "ar", 1),
        ("סטפנו בונאצ'יני", "he", 1),
    }
    english_only = next(e for e in story["exclusives"]["by_language"] if e["side"] == "en")
    assert [f["value"] for f in english_only["figures"]] == [[5_000_000_000, 7_000_000_000]]
    by_outlet = {e["side"]: e for e in story["exclusives"]["by_source"]}
    assert "Yom Yom" not in by_outlet  # it names Civil Protection, as the Evening Post does
    assert [f["unit"] for f in by_outlet["Evening Post"]["figures"]] == ["euros"]
    second = next(a for a in story["articles"] if a["id"] == ids["flood-en-2"])
    assert second["why"] == [
        "shares the name Emilia-Romagna with the story's other articles",
        "its title and opening are close in meaning to the story's other articles",
        "reported 1 day outside the story's dates",
    ]
    assert "why_numbers" not in second
    verbose = client.get("/api/stories/1", params={"verbose": "true"}).json()
    numbers = next(a for a in verbose["articles"] if a["id"] == ids["flood-en-2"])["why_numbers"]
    assert "similarity 0.86 once language bias is removed" in numbers


def test_since_lists_what_was_stored_after_the_date(client: TestClient, ids: dict[str, int]) -> None:
    changes = client.get("/api/stories/1", params={"since": "2025-05-21"}).json()["changes"]
    assert changes["articles"] == [ids["flood-en-2"]]
    assert changes["quotes"] == []
    by_status = {(f["status"], f["unit"]) for f in changes["figures"]}
    assert by_status == {("changed", "people"), ("new", "euros")}
    changed = next(f for f in changes["figures"] if f["status"] == "changed")
    assert changed["before"] == [12, 14] and changed["now"] == [13]
    everything = client.get("/api/stories/1", params={"since": "2025-05-01"}).json()["changes"]
    assert len(everything["articles"]) == 4 and len(everything["quotes"]) == 1
    nothing = client.get("/api/stories/1", params={"since": "2030-01-01"}).json()["changes"]
    assert nothing["articles"] == nothing["quotes"] == nothing["figures"] == []
    assert "changes" not in client.get("/api/stories/1").json()
    line = client.get("/api/storylines/1", params={"since": "2025-05-21"}).json()
    assert [c["story"] for c in line["changes"]["stories"]] == [1]


def test_storyline_orders_its_stories_in_time(client: TestClient) -> None:
    (listed,) = client.get("/api/storylines").json()["rows"]
    assert listed["stories"] == 2 and listed["size"] == 5
    line = client.get("/api/storylines/1").json()
    assert [s["id"] for s in line["stories"]] == [1, 4]
    assert line["time_span"] == {"first": "2025-05-17", "last": "2025-05-28"}
    assert [(link["earlier"], link["later"]) for link in line["links"]] == [(1, 4)]


def test_storyline_page_says_why_its_stories_are_linked_escaped(client: TestClient) -> None:
    page = client.get("/storylines/1").text
    assert "story 4 continues story 1: &lt;both follow&gt; the floods" in page
    assert "<both follow>" not in page


def test_entities_and_entity_page_data(client: TestClient) -> None:
    entities = client.get("/api/entities", params={"story": 2}).json()["rows"]
    assert [(e["name"], e["type"]) for e in entities] == [("Christine Lagarde", "person")]
    assert set(entities[0]["variants"][0]) == {"text", "lang", "count"}
    italy = client.get("/api/entities/Italy").json()
    assert [s["id"] for s in italy["stories"]] == [4, 1]
    assert set(italy["variants_by_language"]) == {"ar", "en", "he"}
    assert italy["co_mentioned"][0]["name"] == "Emilia-Romagna"


def test_article_keeps_offsets_of_what_was_extracted(client: TestClient, ids: dict[str, int]) -> None:
    article = client.get(f"/api/articles/{ids['flood-he']}").json()
    for item in article["mentions"] + article["quotes"] + article["figures"]:
        assert article["text"][item["start"] : item["end"]] == item["text"]
    assert article["story"] == 1 and article["lang"] == "he"


def test_search_by_words_and_by_meaning(client: TestClient, ids: dict[str, int]) -> None:
    words = client.get("/api/search", params={"q": "Bonaccini", "mode": "text"}).json()
    assert [r["id"] for r in words["rows"]] == [ids["flood-en"]]
    assert "\ue000" in words["rows"][0]["snippet"]
    meaning = client.get("/api/search", params={"q": "floods", "mode": "semantic", "_size": 5}).json()
    top = {r["id"] for r in meaning["rows"]}
    assert top == {ids[k] for k in ("flood-en", "flood-ar", "flood-he", "flood-en-2", "recovery-en")}
    hybrid = client.get("/api/search", params={"q": "Lagarde"}).json()
    assert hybrid["rows"][0]["matched"] == ["words", "meaning"]


def test_search_without_vectors_says_it_uses_words_only(tmp_path: Path) -> None:
    build_store(tmp_path / "plain.db")
    plain = TestClient(create_app(tmp_path / "plain.db", encoder=TopicEncoder()), base_url="http://localhost")
    result = plain.get("/api/search", params={"q": "Lagarde"}).json()
    assert "no article vectors" in result["note"]
    assert len(result["rows"]) == 2
    page = plain.get("/", params={"q": "Lagarde"}).text
    assert "Semantic search is off" in page


def test_hostile_article_text_is_escaped_everywhere(client: TestClient, ids: dict[str, int]) -> None:
    council = ids["council-en"]
    for url in ("/", "/stories/3", f"/articles/{council}", "/?q=council", "/?q=%3Cscript%3E"):
        page = client.get(url).text
        assert "<script" not in page.lower() and "<img" not in page.lower(), url
    story_page = client.get("/stories/3").text
    assert "&lt;script&gt;window.__xss = 1;" in story_page
    assert "&lt;img src=x onerror=" in story_page
    api = client.get(f"/api/articles/{council}").json()
    assert api["title"] == XSS_TITLE and api["text"].endswith(XSS_TEXT)  # JSON keeps the text as it is


def test_server_is_read_only_and_local(client: TestClient) -> None:
    assert client.post("/api/stories").status_code == 405
    response = client.get("/")
    assert "script-src" not in response.headers["content-security-policy"]  # default-src 'none' forbids scripts
    assert "default-src 'none'" in response.headers["content-security-policy"]
    spec = client.get("/openapi.json").json()
    assert {
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/articles/{article_id}",
        "/api/entities",
        "/api/storylines",
        "/api/search",
    } <= set(spec["paths"])
    assert client.get("/docs").status_code == 404  # the docs page would load scripts from a CDN
    assert client.get("/static/style.css").status_code == 200


def test_blank_form_fields_mean_no_filter(client: TestClient) -> None:
    page = client.get(
        "/", params={"q": "", "mode": "hybrid", "lang": "", "source": "", "entity": "", "since": "", "until": ""}
    )
    assert page.status_code == 200 and page.text.count('class="story-card"') == 4
    assert client.get("/stories/1", params={"since": ""}).status_code == 200
    assert client.get("/", params={"lang": "Hebrew"}).status_code == 422
    assert client.get("/", params={"until": "May"}).status_code == 422


def test_membership_reasons_in_plain_words() -> None:
    from storylens.analysis.why import WhyContext, Written, explain_membership, explain_numbers

    reasons = {
        "best": {
            "story_id": 3,
            "similarity": 0.71,
            "shared_keys": ["w:HMS", "w:KRS", "n:2", "w:XYZ"],
            "key_bonus": 0.05,
            "gap_days": 0,
            "time_penalty": 0.0,
            "score": 0.76,
        },
        "runner_up": {"story_id": 7, "score": 0.4},
        "opened": False,
        "threshold": 0.5,
    }
    words = {"w:HMS": Written("Hamas", name=True), "w:KRS": Written("Red Cross", name=True), "n:2": Written("20")}
    held = {"w:KRS": 4, "w:HMS": 5}
    said = explain_membership(reasons, context=WhyContext(words=words, held=held, sharing=5, same_day=True))
    assert said == [
        "shares the names Hamas and Red Cross, the number 20 and 1 other rare word or number"
        " with 5 of the story's articles",
        "its title and opening are close in meaning to the story's other articles",
        "reported the same day",
    ]
    assert not any(":" in sentence for sentence in said)  # no key, no number
    assert explain_membership(reasons)[0] == "shares 4 rare words with the story's other articles"
    assert explain_numbers(reasons) == [
        "similarity 0.71 once language bias is removed",
        "4 shared rare names or numbers: +0.05",
        "0 days outside the story's dates: -0.00",
        "score 0.76 against a threshold of 0.50",
        "the next closest was story 7 (score 0.40)",
    ]
    assert explain_membership({"opened": True}) == [
        "it opened this story: no earlier story was close in content and time"
    ]
    nothing_shared = {**reasons, "best": {**reasons["best"], "shared_keys": []}}
    assert explain_membership(nothing_shared)[0] == (
        "its title and opening are close in meaning to the story's other articles"
    )
    translated = {"translation_of": 4, "explanation": "translation of article 4, which is in this story"}
    assert explain_membership(translated, context=WhyContext(original="nd-004")) == [
        "it is a translation of nd-004, which is in this story"
    ]
    assert explain_membership({"explanation": "joined story 3", "cluster_pass": 2}) == [
        "joined story 3",
        "cluster pass: 2",
    ]


def test_keys_are_said_as_the_article_writes_them() -> None:
    from storylens.analysis.why import Written, written_keys
    from storylens.clustering.keys import evidence_keys

    text = "Talks with Putin in the Kremlin: 1,400 prisoners"
    keys = sorted(evidence_keys(text, "en"))
    said = written_keys(text, "en", keys, [(11, 16, "Vladimir Putin")])
    assert said["n:14"] == Written("1,400")
    assert Written("Vladimir Putin", name=True) in said.values() and Written("Kremlin") in said.values()
    assert set(said) == set(keys)


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("localhost", 200),
        ("127.0.0.1:8000", 200),
        ("[::1]:8000", 200),
        ("evil.example", 400),
        ("localhost.evil.example", 400),
        ("127.0.0.1.nip.io", 400),
    ],
)
def test_only_local_host_headers_are_answered(client: TestClient, host: str, status: int) -> None:
    """A page on another site whose name was rebound to 127.0.0.1 (DNS rebinding) sends its own Host header."""
    assert client.get("/api/stories", headers={"Host": host}).status_code == status


def test_more_hosts_can_be_allowed(built: tuple[Path, dict[str, int]]) -> None:
    app = create_app(built[0], encoder=TopicEncoder(), allowed_hosts=["localhost", "storylens.lan"])
    assert TestClient(app, base_url="http://storylens.lan").get("/api/stories").status_code == 200
    assert TestClient(app, base_url="http://other.lan").get("/api/stories").status_code == 400
