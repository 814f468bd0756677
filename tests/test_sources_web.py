"""Web sources against a local HTTP server: article extraction, safe fetching, RSS and Atom feeds."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest

from storylens.models import InputError, RawDocument
from storylens.sources import web
from storylens.sources.feeds import entry_text, html_to_text, read_feed
from storylens.sources.html import parse_html
from storylens.sources.web import address_class, fetch, read_url

LOCAL = {"allow_private": True, "timeout": 5.0}

ARTICLE_PARAGRAPHS = (
    "The harbour bridge reopened to traffic on Thursday morning after eight months of structural repairs, "
    "the city council said in a statement.",
    "Engineers replaced forty steel cables and resurfaced the deck, work that cost about 12 million euros "
    "and ran two weeks past the original schedule.",
    "Commuters welcomed the reopening, which cuts the drive between the two districts from forty minutes to ten.",
)
BOILERPLATE = ("Subscribe to our newsletter", "Ferry fares rise again", "All rights reserved", "Privacy policy")


def article_page(
    *, lang: str, title: str, paragraphs: tuple[str, ...], date: str | None, site: str, extra_head: str = ""
) -> str:
    date_meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    body = "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{lang}"{' dir="rtl"' if lang == "he" else ""}>
<head><meta charset="utf-8"><title>{title} | {site}</title>
<meta property="og:site_name" content="{site}"><meta property="og:title" content="{title}">
{date_meta}{extra_head}</head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<header><div class="logo">{site}</div><form><input name="q"><button>Search</button></form></header>
<main><article><h1>{title}</h1><p class="byline">By Dana Reef</p>
{body}
</article>
<aside class="related"><h2>Related stories</h2><ul>
<li><a href="/a">{BOILERPLATE[1]}</a></li><li><a href="/b">New tram line approved by the council</a></li></ul></aside>
<div class="newsletter"><a href="/subscribe">{BOILERPLATE[0]}</a></div>
</main>
<footer><p>© 2024 {site}. {BOILERPLATE[2]}.</p><a href="/privacy">{BOILERPLATE[3]}</a>
<a href="/contact">Contact us</a></footer>
</body></html>"""


ARTICLE = article_page(
    lang="en-GB",
    title="Harbour bridge reopens after repairs",
    paragraphs=ARTICLE_PARAGRAPHS,
    date="2024-03-14T08:30:00+02:00",
    site="The Coastal Times",
    extra_head='<link rel="canonical" href="/news/harbour-bridge">',
)
HEBREW_TITLE = "הגשר בנמל נפתח מחדש לתנועה"
HEBREW_PARAGRAPHS = (
    "הגשר בנמל נפתח מחדש לתנועה ביום חמישי בבוקר לאחר שמונה חודשים של תיקונים במבנה, כך מסרה העירייה.",
    "המהנדסים החליפו ארבעים כבלי פלדה וריבדו מחדש את המשטח, בעלות של כשנים עשר מיליון אירו.",
    "הנוסעים בירכו על הפתיחה, שמקצרת את הנסיעה בין שתי השכונות מארבעים דקות לעשר דקות בלבד.",
)
HEBREW = article_page(lang="he", title=HEBREW_TITLE, paragraphs=HEBREW_PARAGRAPHS, date=None, site="חדשות החוף")
WINDOWS_1252 = article_page(
    lang="fr",
    title="Le café du port rouvre",
    date="2024-05-02",
    site="Le Journal",
    paragraphs=(
        "Le café du port, fermé depuis l'hiver, a rouvert ses portes mardi avec une carte renouvelée.",
        "Les habitués, un peu naïfs, espéraient des prix inchangés; ils ont augmenté de dix pour cent.",
    ),
).replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
NOT_A_FEED = article_page(
    lang="en",
    title="Home page",
    paragraphs=ARTICLE_PARAGRAPHS,
    date=None,
    site="The Coastal Times",
    extra_head='<link rel="alternate" type="application/rss+xml" href="/rss.xml">',
)
LAST_MODIFIED = "Wed, 05 Jun 2024 10:00:00 GMT"


def rss(base: str) -> str:
    items = [
        (f"{base}/article.html", "Harbour bridge reopens", "Tue, 12 Mar 2024 09:00:00 GMT"),
        (f"{base}/he.html", HEBREW_TITLE, "Fri, 15 Mar 2024 01:30:00 +0300"),
        (f"{base}/missing", "A story that is gone", "Sat, 16 Mar 2024 12:00:00 GMT"),
    ]
    summary = "&lt;p&gt;Summary of &lt;b&gt;{}&lt;/b&gt;.&lt;/p&gt;&lt;p&gt;Second line.&lt;/p&gt;"
    entries = "".join(
        f'<item><title>{title}</title><link>{link}</link><guid isPermaLink="false">story-{number}</guid>'
        f"<pubDate>{date}</pubDate><description>{summary.format(title)}</description></item>"
        for number, (link, title, date) in enumerate(items, start=1)
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Coastal Times: Top stories</title><link>{base}/</link>
<description>Top stories</description>{entries}</channel></rss>"""


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Coastal Times (Atom)</title><id>urn:coastal</id>
<updated>2024-03-15T10:00:00Z</updated>
<entry><title>Harbour bridge reopens</title><id>urn:coastal:1</id><link href="/article.html"/>
<updated>2024-03-14T10:00:00Z</updated><content type="html">&lt;p&gt;Full text one.&lt;/p&gt;</content></entry>
<entry><title>Bridge in Hebrew</title><id>urn:coastal:2</id><link href="he.html"/>
<published>2024-03-15T00:30:00+02:00</published><summary>Plain summary two.</summary></entry>
</feed>"""


SECRET_FILE_TEXT = "this must never reach a document"
# An RSS feed whose title pulls in a local file through an external entity (XXE); the path is filled in.
XXE_FEED = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file://{path}">]>
<rss version="2.0"><channel><title>Feed &secret;</title>
<item><title>Entry &secret;</title><link>http://127.0.0.1:9/x</link>
<description>Body &secret; text.</description></item>
</channel></rss>"""


@dataclass
class Response:
    status: int = 200
    body: str | bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    send_length: bool = True


@dataclass
class Site:
    base: str
    user_agents: list[str]
    flaky_calls: list[int]

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def _routes(base: str, flaky_calls: list[int], secret: Path) -> dict[str, Callable[[], Response]]:
    redirect = lambda location: lambda: Response(302, headers={"Location": location})  # noqa: E731

    def flaky() -> Response:
        flaky_calls.append(1)
        if len(flaky_calls) == 1:
            return Response(503, "busy", headers={"Retry-After": "0"})
        return Response(200, ARTICLE)

    return {
        "/article.html": lambda: Response(body=ARTICLE, headers={"Last-Modified": LAST_MODIFIED}),
        "/he.html": lambda: Response(body=HEBREW, headers={"Last-Modified": LAST_MODIFIED}),
        "/cp1252.html": lambda: Response(body=WINDOWS_1252.encode("cp1252"), content_type="text/html"),
        "/home.html": lambda: Response(body=NOT_A_FEED),
        "/rss.xml": lambda: Response(body=rss(base), content_type="application/rss+xml"),
        "/atom/feed.xml": lambda: Response(
            body=ATOM.replace('"he.html"', f'"{base}/he.html"'), content_type="application/atom+xml"
        ),
        "/feed-as-xml": lambda: Response(body=rss(base), content_type="text/xml"),
        "/xxe.xml": lambda: Response(body=XXE_FEED.format(path=secret), content_type="application/rss+xml"),
        "/notes.txt": lambda: Response(body=" ".join(ARTICLE_PARAGRAPHS), content_type="text/plain"),
        "/report.pdf": lambda: Response(body=b"%PDF-1.4", content_type="application/pdf"),
        "/big": lambda: Response(body=b"x" * 5000),
        "/big-unannounced": lambda: Response(body=b"x" * 5000, send_length=False),
        "/flaky": flaky,
        "/always-busy": lambda: Response(503, "busy", headers={"Retry-After": "0"}),
        "/rate-limited": lambda: Response(429, "slow down", headers={"Retry-After": "3600"}),
        "/to-article": redirect("/article.html"),
        "/to-ftp": redirect("ftp://files.example.org/article.html"),
        "/to-file": redirect("file:///etc/passwd"),
        "/to-localhost": redirect(base.replace("127.0.0.1", "localhost") + "/article.html"),
        "/loop": redirect("/loop"),
    }


class Handler(BaseHTTPRequestHandler):
    routes: dict[str, Callable[[], Response]]
    user_agents: list[str]

    def do_GET(self) -> None:
        self.user_agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/slow":
            time.sleep(1.5)
        if self.path == "/drip":
            self._drip()
            return
        route = self.routes.get(self.path)
        response = route() if route else Response(404, "not here", content_type="text/plain")
        body = response.body.encode("utf-8") if isinstance(response.body, str) else response.body
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if response.send_length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _drip(self) -> None:
        """A page that keeps sending a few bytes at a time, so no single read times out."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        for _ in range(30):
            self.wfile.write(b"<p>more</p>")
            self.wfile.flush()
            time.sleep(0.05)

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that gave up (a timeout test) breaks the pipe; that is expected here."""


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The local server must be reached directly, whatever proxy the environment names."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    user_agents: list[str] = []
    flaky_calls: list[int] = []
    server = QuietServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    secret = tmp_path_factory.mktemp("secret") / "secret.txt"
    secret.write_text(SECRET_FILE_TEXT, encoding="utf-8")
    handler = type(
        "SiteHandler", (Handler,), {"routes": _routes(base, flaky_calls, secret), "user_agents": user_agents}
    )
    server.RequestHandlerClass = handler
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Site(base, user_agents, flaky_calls)
    server.shutdown()
    server.server_close()


def _error_message(call: Callable[[], object]) -> str:
    with pytest.raises(InputError) as caught:
        call()
    return caught.value.message


# --- article pages -------------------------------------------------------------------------------------


def test_article_main_text_title_date_and_source(site: Site) -> None:
    document = read_url(site.url("/article.html"), **LOCAL)
    assert document.kind == "url"
    assert document.origin == site.url("/article.html")
    assert document.title == "Harbour bridge reopens after repairs"
    assert document.published == "2024-03-14"
    assert document.metadata["date_method"] == "html-meta"
    assert document.reference_date is None  # the page declares its date: Last-Modified is not needed
    assert document.source == "The Coastal Times"
    assert document.lang == "en"
    assert document.metadata["declared_lang_tag"] == "en-GB"
    assert document.metadata["canonical_url"] == site.url("/news/harbour-bridge")
    for paragraph in ARTICLE_PARAGRAPHS:
        assert paragraph in document.text
    for boilerplate in (*BOILERPLATE, "Related stories", "Contact us", "Search"):
        assert boilerplate not in document.text
    assert site.user_agents[-1].startswith("storylens/")
    assert "+https://github.com/storylens/storylens" in site.user_agents[-1]


def test_hebrew_page_declares_its_language_and_last_modified_is_the_reference_date(site: Site) -> None:
    document = read_url(site.url("/he.html"), **LOCAL)
    assert document.lang == "he"
    assert document.title == HEBREW_TITLE
    assert document.source == "חדשות החוף"
    assert all(paragraph in document.text for paragraph in HEBREW_PARAGRAPHS)
    assert document.published is None
    assert document.reference_date == dt.date(2024, 6, 5)
    assert document.metadata["reference_date_method"] == "header"


def test_charset_declared_only_in_the_page_is_honoured(site: Site) -> None:
    page = fetch(site.url("/cp1252.html"), **LOCAL)
    assert page.charset.lower() in {"windows-1252", "cp1252"}
    document = read_url(site.url("/cp1252.html"), **LOCAL)
    assert "Le café du port" in document.text and "naïfs" in document.text
    assert document.lang == "fr"


def test_redirect_is_followed_to_the_final_url(site: Site) -> None:
    document = read_url(site.url("/to-article"), **LOCAL)
    assert document.url == site.url("/article.html")
    assert document.metadata["requested_url"] == site.url("/to-article")
    assert document.title == "Harbour bridge reopens after repairs"


def test_parse_html_without_article_text_is_an_input_error() -> None:
    for html in ("", "   ", "<html><head><title>Nothing</title></head><body></body></html>"):
        assert _error_message(lambda html=html: parse_html(html, origin="empty.html")) == "no article text found"


def test_parse_html_of_a_saved_page_takes_its_url_from_the_canonical_link() -> None:
    html = ARTICLE.replace('href="/news/harbour-bridge"', 'href="https://coastal.example/news/harbour-bridge"')
    document = parse_html(html, origin="saved/bridge.html", path="saved/bridge.html")
    assert document.kind == "html"
    assert document.url == "https://coastal.example/news/harbour-bridge"
    assert document.path == "saved/bridge.html"
    assert ARTICLE_PARAGRAPHS[1] in document.text


def test_non_html_page_is_refused_by_read_url(site: Site) -> None:
    assert _error_message(lambda: read_url(site.url("/report.pdf"), **LOCAL)) == "not an HTML page (application/pdf)"


@pytest.mark.parametrize("path", ["/rss.xml", "/feed-as-xml"])
def test_a_feed_given_as_an_article_points_to_the_feed_option(site: Site, path: str) -> None:
    assert _error_message(lambda: read_url(site.url(path), **LOCAL)) == (
        "this is an RSS/Atom feed, not an article page (use --feed)"
    )


def test_plain_text_page_is_read_as_is(site: Site) -> None:
    document = read_url(site.url("/notes.txt"), **LOCAL)
    assert document.text == " ".join(ARTICLE_PARAGRAPHS)


# --- fetch failures --------------------------------------------------------------------------------------


def test_http_error_status(site: Site) -> None:
    assert _error_message(lambda: fetch(site.url("/missing"), **LOCAL)) == "HTTP 404 Not Found"


def test_slow_server_times_out_with_a_clear_message(site: Site) -> None:
    started = time.monotonic()
    assert _error_message(lambda: fetch(site.url("/slow"), allow_private=True, timeout=0.3)) == "timed out after 0.3s"
    assert time.monotonic() - started < 1.2  # timeouts are not retried


def test_a_body_that_keeps_trickling_in_hits_the_overall_timeout(site: Site) -> None:
    assert _error_message(lambda: fetch(site.url("/drip"), allow_private=True, timeout=0.4)) == "timed out after 0.4s"


@pytest.mark.parametrize("path", ["/big", "/big-unannounced"])
def test_oversize_body_is_cut_off_at_the_cap(site: Site, path: str) -> None:
    message = _error_message(lambda: fetch(site.url(path), allow_private=True, max_bytes=1000))
    assert message == "larger than the 1 kB cap (--max-bytes)"
    assert len(fetch(site.url(path), allow_private=True, max_bytes=5000).body) == 5000


def test_server_errors_are_retried(site: Site) -> None:
    site.flaky_calls.clear()
    assert fetch(site.url("/flaky"), allow_private=True, retries=1).status == 200
    assert len(site.flaky_calls) == 2
    assert _error_message(lambda: fetch(site.url("/always-busy"), allow_private=True, retries=1)) == (
        "HTTP 503 Service Unavailable"
    )


def test_a_long_retry_after_is_not_waited_for(site: Site) -> None:
    started = time.monotonic()
    message = _error_message(lambda: fetch(site.url("/rate-limited"), allow_private=True, retries=3))
    assert message == "HTTP 429 Too Many Requests (server asks to retry after 3600s)"
    assert time.monotonic() - started < 1


def test_connection_failure_is_retried_then_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    waits: list[float] = []
    monkeypatch.setattr(web.time, "sleep", waits.append)
    message = _error_message(lambda: fetch(f"http://127.0.0.1:{port}/", allow_private=True, retries=2))
    assert message.startswith("connection failed")
    assert waits == [web.BACKOFF_SECONDS, web.BACKOFF_SECONDS * 2]


def test_redirect_loop_is_stopped(site: Site) -> None:
    assert _error_message(lambda: fetch(site.url("/loop"), **LOCAL)) == f"more than {web.MAX_REDIRECTS} redirects"


# --- refusals ---------------------------------------------------------------------------------------------


def test_loopback_is_refused_unless_allowed(site: Site) -> None:
    assert _error_message(lambda: fetch(site.url("/article.html"))) == (
        "refused: resolves to a loopback address 127.0.0.1 (use --allow-private)"
    )
    assert fetch(site.url("/article.html"), allow_private=True).status == 200


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://files.example.org/article.html"])
def test_non_web_schemes_are_refused(url: str) -> None:
    scheme = url.split(":")[0]
    for call in (lambda: fetch(url, allow_private=True), lambda: read_url(url), lambda: list(read_feed(url))):
        assert _error_message(call) == f"refused: not http(s) (scheme {scheme!r}); only web pages are fetched"


@pytest.mark.parametrize(("path", "target"), [
    ("/to-ftp", "ftp://files.example.org/article.html"),
    ("/to-file", "file:///etc/passwd"),
])  # fmt: skip
def test_redirect_to_a_refused_scheme(site: Site, path: str, target: str) -> None:
    scheme = target.split(":")[0]
    assert _error_message(lambda: fetch(site.url(path), **LOCAL)) == (
        f"redirect to {target}: refused: not http(s) (scheme {scheme!r}); only web pages are fetched"
    )


def test_every_redirect_target_is_checked_again(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """127.0.0.1 is made to look public to the address check, so only the redirect to localhost is refused."""
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host: str, port: int, *args: object, **kwargs: object) -> list:
        if host == "127.0.0.1":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port))]
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(
        web,
        "socket",
        SimpleNamespace(getaddrinfo=getaddrinfo, SOCK_STREAM=socket.SOCK_STREAM, gaierror=socket.gaierror),
    )
    assert fetch(site.url("/article.html")).status == 200
    target = site.url("/article.html").replace("127.0.0.1", "localhost")
    message = _error_message(lambda: fetch(site.url("/to-localhost")))
    assert message.startswith(f"redirect to {target}: refused: resolves to a loopback address")
    assert message.endswith("(use --allow-private)")


def rebinding_resolver(monkeypatch: pytest.MonkeyPatch, answers: list[str]) -> list[str]:
    """Make ``rebind.test`` resolve to each of ``answers`` in turn (the last one from then on), for every
    caller of ``socket.getaddrinfo``; returns the list of addresses sockets are then opened to."""
    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.create_connection
    pending = list(answers)
    connected: list[str] = []

    def getaddrinfo(host: str, port: int, *args: object, **kwargs: object) -> list:
        if host == "rebind.test":
            address = pending.pop(0) if len(pending) > 1 else pending[0]
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real_getaddrinfo(host, port, *args, **kwargs)

    def create_connection(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        connected.append(address[0])
        if address[0] in ("93.184.216.34", "192.0.2.1"):  # no outside network in a test
            raise ConnectionRefusedError(f"{address[0]} is not reached in this test")
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    return connected


def test_a_name_rebound_to_loopback_after_the_check_is_not_fetched(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: the name answers a public address to the check, then 127.0.0.1. The connection goes
    to the checked public address, so the loopback page is never fetched."""
    connected = rebinding_resolver(monkeypatch, ["93.184.216.34", "127.0.0.1"])
    port = site.base.rsplit(":", 1)[1]
    message = _error_message(lambda: fetch(f"http://rebind.test:{port}/article.html", retries=0, timeout=5))
    assert message.startswith("connection failed")
    assert connected == ["93.184.216.34"]


def test_the_connection_goes_to_the_checked_address(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reverse: the checked (allowed) loopback address is used even when the name later answers another."""
    connected = rebinding_resolver(monkeypatch, ["127.0.0.1", "192.0.2.1"])
    port = site.base.rsplit(":", 1)[1]
    page = fetch(f"http://rebind.test:{port}/article.html", **LOCAL)
    assert page.status == 200
    assert page.url == f"http://rebind.test:{port}/article.html"
    assert connected == ["127.0.0.1"]


@pytest.mark.parametrize("allow_private", [False, True])
def test_unresolvable_host(allow_private: bool) -> None:
    assert _error_message(lambda: fetch("http://no-such-host.invalid/", allow_private=allow_private)) == (
        "cannot resolve host no-such-host.invalid"
    )


@pytest.mark.parametrize(("address", "expected"), [
    ("10.0.0.1", "a private"), ("192.168.1.20", "a private"), ("172.16.5.4", "a private"),
    ("127.0.0.1", "a loopback"), ("::1", "a loopback"), ("::ffff:127.0.0.1", "a loopback"),
    ("169.254.169.254", "a link-local"), ("fe80::1", "a link-local"), ("224.0.0.1", "a multicast"),
    ("0.0.0.0", "an unspecified"), ("fc00::1", "a private"), ("100.64.0.1", "a non-public"),
    ("8.8.8.8", None), ("2606:4700:4700::1111", None),
])  # fmt: skip
def test_address_classes(address: str, expected: str | None) -> None:
    assert address_class(ipaddress.ip_address(address)) == expected


# --- feeds -----------------------------------------------------------------------------------------------


def test_rss_entries_fetch_their_articles_and_a_failing_entry_does_not_stop_the_rest(site: Site) -> None:
    results = list(read_feed(site.url("/rss.xml"), **LOCAL))
    assert len(results) == 3
    english, hebrew, missing = results
    assert isinstance(english, RawDocument) and isinstance(hebrew, RawDocument)
    assert {english.kind, hebrew.kind} == {"feed"}
    assert english.source == hebrew.source == "Coastal Times: Top stories"
    assert english.external_id == "story-1" and hebrew.external_id == "story-2"
    assert ARTICLE_PARAGRAPHS[0] in english.text
    assert english.published == "2024-03-14"  # the page's own date wins over the feed's
    assert english.metadata["date_method"] == "html-meta"
    assert hebrew.lang == "he" and HEBREW_PARAGRAPHS[0] in hebrew.text
    assert hebrew.published == "Fri, 15 Mar 2024 01:30:00 +0300"  # the page has none: the feed's
    assert hebrew.metadata["date_method"] == "declared"
    assert hebrew.reference_date == dt.date(2024, 3, 15)  # the day where it was published, not in UTC
    assert isinstance(missing, InputError)
    assert missing.origin == site.url("/missing") and missing.message == "HTTP 404 Not Found"


def test_rss_entries_without_fetching_articles_use_the_entry_text(site: Site) -> None:
    calls_before = len(site.user_agents)
    results = list(read_feed(site.url("/rss.xml"), fetch_articles=False, **LOCAL))
    assert len(site.user_agents) == calls_before + 1  # only the feed itself
    assert [type(result) for result in results] == [RawDocument] * 3
    first = results[0]
    assert isinstance(first, RawDocument)
    assert first.text == "Summary of Harbour bridge reopens.\nSecond line."
    assert first.title == "Harbour bridge reopens"
    assert first.url == site.url("/article.html")
    assert first.reference_date == dt.date(2024, 3, 12)


def test_atom_feed_with_relative_links(site: Site) -> None:
    results = list(read_feed(site.url("/atom/feed.xml"), **LOCAL))
    assert [type(result) for result in results] == [RawDocument, RawDocument]
    first, second = results
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert first.url == site.url("/article.html")  # resolved against the feed's own URL
    assert first.external_id == "urn:coastal:1"
    assert first.source == "Coastal Times (Atom)"
    assert ARTICLE_PARAGRAPHS[2] in first.text
    assert second.lang == "he" and second.reference_date == dt.date(2024, 3, 15)

    texts = [
        doc.text
        for doc in read_feed(site.url("/atom/feed.xml"), fetch_articles=False, **LOCAL)
        if isinstance(doc, RawDocument)
    ]
    assert texts == ["Full text one.", "Plain summary two."]


def test_a_web_page_given_as_a_feed(site: Site) -> None:
    assert _error_message(lambda: list(read_feed(site.url("/home.html"), **LOCAL))) == (
        f"not an RSS/Atom feed (the page links to feed {site.url('/rss.xml')})"
    )
    assert _error_message(lambda: list(read_feed(site.url("/report.pdf"), **LOCAL))) == "not an RSS/Atom feed"


def test_feed_external_entities_are_not_resolved(site: Site) -> None:
    results = list(read_feed(site.url("/xxe.xml"), fetch_articles=False, **LOCAL))
    assert len(results) == 1 and isinstance(results[0], RawDocument)
    entry = results[0]
    for value in (entry.text, entry.title, entry.source):
        assert SECRET_FILE_TEXT not in (value or "")


def test_feed_fetch_failure_is_the_feeds_error(site: Site) -> None:
    assert _error_message(lambda: list(read_feed(site.url("/missing"), **LOCAL))) == "HTTP 404 Not Found"


def test_html_to_text_keeps_one_line_per_block() -> None:
    html = "<p>Hello <b>world</b>.</p><ul><li>one</li><li>two</li></ul>Tail<br>next<script>hidden()</script>"
    assert html_to_text(html) == "Hello world.\none\ntwo\nTail\nnext"


def test_entry_text_prefers_the_longest_content() -> None:
    entry = {
        "summary_detail": {"type": "text/html", "value": "<p>Short.</p>"},
        "content": [{"type": "text/plain", "value": "A longer plain text body & more."}],
    }
    assert entry_text(entry) == "A longer plain text body & more."
    assert entry_text({}) == ""


def test_cli_ingests_a_feed_and_a_page_and_refuses_loopback_by_default(site: Site, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from storylens.views.cli import app

    runner = CliRunner()
    db = str(tmp_path / "web.db")
    refused = runner.invoke(app, ["ingest", "--feed", site.url("/rss.xml"), "--db", db])
    assert refused.exit_code == 1 and "--allow-private" in refused.stderr
    result = runner.invoke(
        app,
        ["ingest", "--feed", site.url("/rss.xml"), site.url("/article.html"), "--allow-private", "--db", db, "--json"],
    )
    assert result.exit_code == 1, result.output  # the feed's third entry is a 404
    summary = json.loads(result.stdout)
    assert summary["new"] == 2 and summary["duplicates"] == 1
    assert [entry["input"] for entry in summary["skipped"]] == [site.url("/missing")]
    rows = json.loads(runner.invoke(app, ["articles", "--json", "--db", db]).stdout)
    assert sorted(row["lang"] for row in rows) == ["en", "he"]
    assert {row["published"] for row in rows} == {"2024-03-14", "2024-03-15"}
