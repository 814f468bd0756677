"""Stored XSS: a corpus of hostile titles, texts, URLs and outlet names goes in through the normal ingest of
JSON Lines and comes out through every web page, the API, the briefing (md, html, json) and the exports.

Nothing from the data may become markup: no ``<script>`` or other active element, no event-handler
attribute, no link or resource whose scheme is not http(s) (``javascript:``, ``vbscript:``, ``data:``), and
bidi controls from the data stay inside an isolating element. The standalone HTML briefing carries its own
Content-Security-Policy; the Markdown briefing, rendered by a CommonMark renderer that passes raw HTML
through, must give the same clean HTML. CSV cells never start like a spreadsheet formula.

The articles are invented here (no publisher's text); the store is built once per module through the CLI
ingest with its default stages, so stories, extraction and storylines all see the hostile data.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from html import unescape as html_unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from storylens.views.cli import app as cli_app
from storylens.views.web import create_app

SCRIPT = "<script>alert(1)</script>"
PAYLOADS = [
    SCRIPT,
    '<img src=x onerror="alert(2)">',
    "<svg onload=alert(3)><script>alert(4)</script></svg>",
    '"><script>alert(5)</script>',
    '\'><a href="javascript:alert(6)">x</a>',
    "</title><script>alert(7)</script>",
    "</style><script>alert(8)</script>",
    "<iframe src=javascript:alert(9)></iframe>",
    "[click](javascript:alert(10)) <javascript:alert(11)>",
    "{{ 7*7 }} {% raw %}",
    "\u202eexe.txt\u202c and \u2067rtl\u2069",
]
HOSTILE_URLS = [
    "javascript:alert(12)",
    "JaVaScRiPt:alert(13)",
    " javascript:alert(14)",
    "java\tscript:alert(15)",
    "\x01javascript:alert(16)",
    "vbscript:msgbox(17)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxOCk8L3NjcmlwdD4=",
    "data:image/svg+xml,<svg onload=alert(19)>",
    "//evil.example/x",
]
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
FORMULA = ("=", "+", "-", "@", "\t", "\r")
ACTIVE_TAGS = {"script", "iframe", "object", "embed", "img", "base", "frame", "frameset", "applet", "audio", "video"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "srcset", "data", "background"}


def hostile_records() -> list[dict[str, str]]:
    """Articles on one invented event (so that they form a story), each carrying payloads in every field."""
    records = []
    for n, url in enumerate(HOSTILE_URLS):
        payload = PAYLOADS[n % len(PAYLOADS)]
        other = PAYLOADS[(n + 3) % len(PAYLOADS)]
        records.append(
            {
                "id": f"xss-{n}",
                "lang": "en",
                "date": f"2025-06-{10 + n % 3:02d}",
                "url": url,
                "source": f"Outlet {payload}",
                "title": f"Bridge in Port Halden closed {payload}",
                "text": (
                    f"Bridge in Port Halden closed {payload}\n\n"
                    f"The old bridge in Port Halden was closed on Tuesday after engineers found cracks, {other} "
                    f"the harbour authority said. About {120 + n} vehicles were diverted, and Mayor Elin Varga "
                    f'said: "We will reopen it as soon as it is safe {payload}." Repairs could cost '
                    f"{2 + n} million euros, officials said."
                ),
            }
        )
    records.append(
        {
            "id": "xss-formula",
            "lang": "en",
            "date": "2025-06-11",
            "url": "https://example.org/port-halden/bridge",
            "source": '=HYPERLINK("http://evil.example","click")',
            "title": "@SUM(1+1) Bridge in Port Halden closed",
            "text": "+cmd|' /C calc'!A0 The old bridge in Port Halden was closed on Tuesday after engineers "
            "found cracks, the harbour authority said. About 130 vehicles were diverted.",
        }
    )
    return records


def run(*args: str) -> str:
    result = CliRunner().invoke(cli_app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("xss")
    corpus = folder / "hostile.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in hostile_records()), encoding="utf-8")
    path = folder / "xss.db"
    run("ingest", str(corpus), "--db", str(path))
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    return TestClient(create_app(db, encoder_spec="no-such-encoder"), base_url="http://localhost")


class MarkupAudit(HTMLParser):
    """Collects what in an HTML document could act: active elements, event handlers, unsafe URLs, and text
    with bidi controls outside an isolating element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, isolates its content)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ACTIVE_TAGS:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> event handler")
            if name in URL_ATTRIBUTES and value is not None and not safe_url(value):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag not in ("meta", "link", "br", "input", "line", "circle", "rect"):
            isolates = tag in ("bdi", "title", "option", "style") or any(n == "dir" for n, _ in attrs)
            self.stack.append((tag, isolates))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data: str) -> None:
        if BIDI.search(data) and not any(isolates for _, isolates in self.stack):
            self.problems.append(f"bidi control outside an isolating element: {data[:60]!r}")


def safe_url(value: str) -> bool:
    """Same-site paths, fragments and queries, and absolute http(s) URLs; nothing else."""
    stripped = value.strip()
    if stripped.startswith(("/", "#", "?")) and not stripped.startswith("//"):
        return True
    return re.match(r"https?://[^/\s]", stripped, re.IGNORECASE) is not None


def audit(html: str) -> list[str]:
    parser = MarkupAudit()
    parser.feed(html)
    parser.close()
    return parser.problems


def pages(client: TestClient) -> Iterator[str]:
    """Every page path of the web UI for the stored data."""
    stories = client.get("/api/stories", params={"_size": 500}).json()["rows"]
    assert stories, "the hostile corpus formed no story"
    yield from ("/", "/storylines", "/entities", "/?q=alert&mode=text", "/?q=script&mode=text", "/?q=<script>")
    yield f"/?source={SCRIPT}"
    for story in stories:
        yield f"/stories/{story['id']}"
        yield f"/stories/{story['id']}?since=2000-01-01"
    for line in client.get("/api/storylines", params={"_size": 500}).json()["rows"]:
        yield f"/storylines/{line['id']}"
        yield f"/storylines/{line['id']}?since=2000-01-01"
    for entity in client.get("/api/entities", params={"_size": 500}).json()["rows"]:
        yield f"/entities/{entity['id']}"
    for record in json.loads(client.get("/api/search", params={"q": "bridge", "mode": "text", "_size": 100}).text)[
        "rows"
    ]:
        yield f"/articles/{record['id']}"


def test_every_web_page_shows_the_hostile_data_as_text(client: TestClient) -> None:
    problems, shown = [], 0
    for path in pages(client):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "script-src" not in response.headers["content-security-policy"]
        problems += [f"{path}: {p}" for p in audit(response.text)]
        shown += "&lt;script&gt;alert(" in response.text
    assert problems == []
    assert shown >= 5  # the payloads were shown (escaped), not dropped


def test_no_hostile_url_becomes_a_link_but_web_urls_do(client: TestClient) -> None:
    ids = [
        r["id"] for r in client.get("/api/search", params={"q": "bridge", "mode": "text", "_size": 100}).json()["rows"]
    ]
    texts = [client.get(f"/articles/{i}").text for i in ids]
    assert sum("not a web link" in text for text in texts) == len(HOSTILE_URLS)
    assert sum('href="https://example.org/port-halden/bridge"' in text for text in texts) == 1


def test_the_api_serves_the_data_as_json_only(client: TestClient) -> None:
    for path in ("/api/stories", "/api/entities", "/api/quotes", "/api/figures", "/api/search?q=alert&mode=text"):
        response = client.get(path)
        assert response.headers["content-type"] == "application/json"
        assert response.headers["x-content-type-options"] == "nosniff"
    stored = client.get("/api/search", params={"q": "bridge", "mode": "text", "_size": 100}).json()["rows"]
    assert {r["url"] for r in stored} >= {u for u in HOSTILE_URLS if u == u.strip()}  # kept verbatim as data


def story_refs(client: TestClient) -> list[str]:
    refs = [str(s["id"]) for s in client.get("/api/stories", params={"_size": 500}).json()["rows"]]
    return refs + [
        f"storyline:{line['id']}" for line in client.get("/api/storylines", params={"_size": 500}).json()["rows"]
    ]


CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def test_the_html_briefing_is_inert_and_carries_its_own_policy(db: Path, client: TestClient) -> None:
    for ref in story_refs(client):
        html = run("brief", ref, "--format", "html", "--db", str(db))
        assert audit(html) == [], ref
        policy = CSP_META.search(html)
        assert policy is not None and html.index(policy.group(0)) < html.index("<style>")
        directives = dict(d.strip().split(" ", 1) for d in html_unescape(policy.group(1)).split(";"))
        assert directives["default-src"] == "'none'"
        assert "script-src" not in directives and "'unsafe-inline'" not in directives["style-src"]


def test_the_markdown_briefing_renders_to_inert_html(db: Path, client: TestClient) -> None:
    renderer = MarkdownIt("commonmark")  # raw HTML passes through CommonMark: escaping is the brief's job
    for ref in story_refs(client):
        markdown = run("brief", ref, "--format", "md", "--db", str(db))
        html = renderer.render(markdown)
        assert [p for p in audit(html) if not p.startswith("bidi")] == [], ref
        assert "<a " not in html  # the brief writes no Markdown links; URLs are text


def test_the_json_briefing_keeps_the_data_as_strings(db: Path, client: TestClient) -> None:
    for ref in story_refs(client):
        brief = json.loads(run("brief", ref, "--format", "json", "--db", str(db)))
        assert {s["url"] for s in brief["sources"]} <= {r["url"] for r in hostile_records()}


@pytest.mark.parametrize("what", ["articles", "stories", "storylines", "entities", "quotes", "figures"])
def test_csv_exports_never_start_a_cell_like_a_formula(db: Path, what: str) -> None:
    table = list(csv.reader(io.StringIO(run("export", "--what", what, "--format", "csv", "--db", str(db)))))
    cells = [cell for row in table[1:] for cell in row]
    assert [cell for cell in cells if cell.startswith(FORMULA) and not re.fullmatch(r"-\d+(\.\d+)?", cell)] == []
    if what == "articles":
        assert '\'=HYPERLINK("http://evil.example","click")' in cells
        assert "'@SUM(1+1) Bridge in Port Halden closed" in cells
