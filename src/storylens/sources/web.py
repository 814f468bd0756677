"""Fetch web pages safely and read article URLs into RawDocuments.

Only http(s) URLs are fetched, and (unless allowed) only from public addresses: every redirect target is
checked again, and the connection goes to the very address that was checked (httpx never resolves the name
a second time, so a name rebound to 127.0.0.1 after the check reaches nothing; environment proxies are not
used, since a proxy would connect wherever it likes). Bodies are streamed under a size cap, transient failures
are retried with backoff, and every failure becomes an InputError naming the URL with one clear line.
"""

from __future__ import annotations

import codecs
import datetime as dt
import email.utils
import functools
import ipaddress
import re
import socket
import ssl
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin

import httpcore
import httpx

from storylens import __version__
from storylens.models import InputError, RawDocument
from storylens.sources.html import parse_html

USER_AGENT = f"storylens/{__version__} (+https://github.com/storylens/storylens)"
ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.8"
MAX_REDIRECTS = 10
BACKOFF_SECONDS = 0.5  # first wait before a retry; doubles on each further retry
MAX_RETRY_WAIT = 30.0  # a server asking to wait longer than this (Retry-After) is not retried
HTML_TYPES = {"text/html", "application/xhtml+xml"}
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml"}
FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]")
# How much of the body to scan for a <meta charset> or <?xml encoding?> declaration, as browsers do.
CHARSET_PRESCAN_BYTES = 4096
DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Address classes refused unless allow_private, checked in this order so that the message names the most
# specific one (127.0.0.1 is loopback before it is private).
REFUSED_ADDRESS_CLASSES = (
    ("a loopback", "is_loopback"),
    ("a link-local", "is_link_local"),
    ("a multicast", "is_multicast"),
    ("an unspecified", "is_unspecified"),
    ("a private", "is_private"),
    ("a reserved", "is_reserved"),
)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class FetchedPage:
    """A successfully fetched HTTP response body."""

    url: str  # final URL, after redirects
    status: int
    content_type: str  # media type in lower case without parameters, "" when the server gave none
    charset: str  # the charset the text was decoded with
    body: bytes
    text: str
    last_modified: str | None  # the Last-Modified header, verbatim
    date: str | None  # the Date header, verbatim
    etag: str | None = None  # the ETag header, verbatim (a 304 answer to a conditional GET has an empty body)

    @property
    def last_modified_date(self) -> dt.date | None:
        """The calendar day of the Last-Modified header, if it is a valid HTTP date."""
        return http_date(self.last_modified)


class _Retryable(Exception):
    """A failure worth another attempt; ``wait`` is the server's Retry-After, in seconds, if it gave one."""

    def __init__(self, message: str, wait: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.wait = wait


def fetch(
    url: str,
    *,
    timeout: float = 20,
    max_bytes: int = 5_000_000,
    allow_private: bool = False,
    retries: int = 2,
    headers: dict[str, str] | None = None,
) -> FetchedPage:
    """GET ``url`` (http or https only), following checked redirects; raise InputError on any failure.
    ``headers`` are added to the request (``If-None-Match``, ``If-Modified-Since`` for a conditional GET)."""
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT, **(headers or {})}
    checked = CheckedAddresses()
    transport = _PinnedTransport(checked)
    with httpx.Client(
        headers=headers, timeout=timeout, follow_redirects=False, transport=transport, trust_env=False
    ) as client:
        attempt = 0
        while True:
            try:
                return _fetch_once(
                    client, checked, url, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private
                )
            except _Retryable as failure:
                too_long = failure.wait is not None and failure.wait > MAX_RETRY_WAIT
                if attempt >= retries or too_long:
                    hint = f" (server asks to retry after {failure.wait:g}s)" if too_long else ""
                    raise InputError(url, failure.message + hint) from failure
                time.sleep(failure.wait if failure.wait is not None else BACKOFF_SECONDS * 2**attempt)
                attempt += 1


def _fetch_once(
    client: httpx.Client, checked: CheckedAddresses, url: str, *, timeout: float, max_bytes: int, allow_private: bool
) -> FetchedPage:
    deadline = time.monotonic() + timeout
    target = url
    for _ in range(MAX_REDIRECTS + 1):
        host, addresses = check_target(url, target, allow_private=allow_private)
        checked.addresses[host] = addresses
        try:
            with client.stream("GET", target) as response:
                location = response.headers.get("location")
                if response.is_redirect and location:
                    target = urljoin(str(response.url), location)
                    continue
                _check_status(url, response)
                body = _read_capped(url, response, max_bytes=max_bytes, deadline=deadline, timeout=timeout)
                return _page(response, body)
        except httpx.TimeoutException as error:
            raise InputError(url, f"timed out after {timeout:g}s") from error
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
            raise InputError(url, f"not a valid URL: {error}") from error
        except httpx.TransportError as error:
            raise _Retryable(f"connection failed: {error or type(error).__name__}") from error
    raise InputError(url, f"more than {MAX_REDIRECTS} redirects")


def check_target(url: str, target: str, *, allow_private: bool) -> tuple[str, list[Address]]:
    """Refuse a target that is not http(s) or, unless allowed, whose host resolves to a non-public address;
    return the host and the addresses checked, the only ones a connection to it may use.

    ``url`` is the URL the user asked for (named in errors); ``target`` is that URL or a redirect from it.
    """
    where = "" if target == url else f"redirect to {target}: "
    try:
        parsed = httpx.URL(target)
    except httpx.InvalidURL as error:
        raise InputError(url, f"{where}not a valid URL: {error}") from error
    if parsed.scheme not in ("http", "https"):
        scheme = parsed.scheme or "none"
        raise InputError(url, f"{where}refused: not http(s) (scheme {scheme!r}); only web pages are fetched")
    host = parsed.raw_host.decode("ascii")
    if not host:
        raise InputError(url, f"{where}not a valid URL: no host")
    addresses = _resolve(url, where, host, parsed.port or (443 if parsed.scheme == "https" else 80))
    for address in addresses:
        refused_class = None if allow_private else address_class(address)
        if refused_class:
            raise InputError(
                url, f"{where}refused: resolves to {refused_class} address {address} (use --allow-private)"
            )
    return host.lower(), addresses


@dataclass
class CheckedAddresses:
    """The addresses :func:`check_target` let through, by host name, for one fetch."""

    addresses: dict[str, list[Address]] = field(default_factory=dict)


class _PinnedBackend(httpcore.SyncBackend):
    """Opens connections only to checked addresses: a host name is looked up in :class:`CheckedAddresses`
    instead of being resolved again, so DNS rebinding between the check and the connection has no effect.
    An IP literal is connected to as written (resolving it gives it back unchanged). TLS still names the
    host (SNI and certificate check) and the Host header is unchanged: only the socket's peer is pinned."""

    def __init__(self, checked: CheckedAddresses) -> None:
        self.checked = checked

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses: list[Address] = [ipaddress.ip_address(host)]
        except ValueError:
            addresses = self.checked.addresses.get(host.lower(), [])
        if not addresses:
            raise httpcore.ConnectError(f"{host} was not checked before connecting")
        failure: httpcore.ConnectError | None = None
        for address in dict.fromkeys(addresses):
            try:
                return super().connect_tcp(str(address), port, timeout, local_address, socket_options)
            except httpcore.ConnectError as error:
                failure = error
        raise failure or httpcore.ConnectError(host)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One TLS context (system CA certificates) for every fetch: loading the certificates costs about 40 ms of CPU,
    which an idle `storylens watch` would otherwise pay on every poll."""
    return httpx.create_ssl_context(trust_env=False)


class _PinnedTransport(httpx.HTTPTransport):
    """httpx's own transport (its error mapping and streaming) over a pool that connects through
    :class:`_PinnedBackend`."""

    def __init__(self, checked: CheckedAddresses) -> None:
        super().__init__(verify=_ssl_context(), trust_env=False)  # a context given is not built again
        self._pool = httpcore.ConnectionPool(ssl_context=_ssl_context(), network_backend=_PinnedBackend(checked))


def pinned_client(timeout: float, headers: dict[str, str] | None = None) -> tuple[httpx.Client, CheckedAddresses]:
    """An httpx client that connects only to addresses recorded in the returned :class:`CheckedAddresses`
    (fill it with :func:`check_target`); it never follows redirects nor reads proxy settings."""
    checked = CheckedAddresses()
    client = httpx.Client(
        headers={"User-Agent": USER_AGENT, **(headers or {})},
        timeout=timeout,
        follow_redirects=False,
        transport=_PinnedTransport(checked),
        trust_env=False,
    )
    return client, checked


def _resolve(url: str, where: str, host: str, port: int) -> list[Address]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise InputError(url, f"{where}cannot resolve host {host}") from error
    # the scope id of a link-local IPv6 address ("fe80::1%eth0") is not part of the address
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def address_class(address: Address) -> str | None:
    """The refused class of ``address`` ("a private", "a loopback", ...) or None for a public address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    for label, attribute in REFUSED_ADDRESS_CLASSES:
        if getattr(address, attribute):
            return label
    return None if address.is_global else "a non-public"


def _check_status(url: str, response: httpx.Response) -> None:
    status = response.status_code
    if status < 400:
        return
    message = f"HTTP {status} {response.reason_phrase}".strip()
    if status == 429 or status >= 500:
        raise _Retryable(message, wait=_retry_after(response.headers.get("retry-after")))
    raise InputError(url, message)


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta seconds or an HTTP date)."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def _read_capped(url: str, response: httpx.Response, *, max_bytes: int, deadline: float, timeout: float) -> bytes:
    too_large = f"larger than the {size_label(max_bytes)} cap (--max-bytes)"
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise InputError(url, too_large)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise InputError(url, too_large)
        if time.monotonic() > deadline:
            raise InputError(url, f"timed out after {timeout:g}s")
        chunks.append(chunk)
    return b"".join(chunks)


def size_label(size: int) -> str:
    """A byte count for people: 5000000 -> "5 MB"."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} bytes"


def _page(response: httpx.Response, body: bytes) -> FetchedPage:
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    text, charset = decode_body(body, response.charset_encoding)
    return FetchedPage(
        url=str(response.url),
        status=response.status_code,
        content_type=media_type,
        charset=charset,
        body=body,
        text=text,
        last_modified=response.headers.get("last-modified"),
        date=response.headers.get("date"),
        etag=response.headers.get("etag"),
    )


def decode_body(body: bytes, header_charset: str | None) -> tuple[str, str]:
    """Decode a body as browsers do: BOM, then the HTTP charset, then the page's own declaration, then UTF-8;
    when none of these decodes cleanly, the charset detected by charset_normalizer. Returns (text, charset)."""
    for bom, codec in BOMS:
        if body.startswith(bom):
            return body.decode(codec, errors="replace"), codec
    declared = DECLARED_CHARSET.search(body[:CHARSET_PRESCAN_BYTES])
    page_charset = (declared.group(1) or declared.group(2)).decode("ascii") if declared else None
    for charset in (header_charset, page_charset, "utf-8"):
        if charset and _known_codec(charset):
            try:
                return body.decode(charset), charset
            except UnicodeDecodeError:
                continue
    from charset_normalizer import from_bytes

    best = from_bytes(body).best()
    charset = best.encoding if best is not None else "utf-8"
    return body.decode(charset, errors="replace"), charset


def _known_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


def http_date(value: str | None) -> dt.date | None:
    """The calendar day of an HTTP date header ("Tue, 03 Jun 2025 09:00:00 GMT"), or None."""
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).date()
    except (TypeError, ValueError):
        return None


def read_url(url: str, **fetch_options: Any) -> RawDocument:
    """Fetch an article page and extract it; the HTTP Last-Modified day is the reference date when the page
    declares no date of its own. ``fetch_options`` are passed to :func:`fetch`."""
    page = fetch(url, **fetch_options)
    if looks_like_feed(page):
        raise InputError(url, "this is an RSS/Atom feed, not an article page (use --feed)")
    if page.content_type == "text/plain":
        if not page.text.strip():
            raise InputError(url, "empty page")
        document = RawDocument(origin=url, kind="url", text=page.text, url=page.url)
    elif page.content_type and page.content_type not in HTML_TYPES:
        raise InputError(url, f"not an HTML page ({page.content_type})")
    else:
        document = parse_html(page.text, origin=url, url=page.url)
    metadata = {**document.metadata, "http_status": page.status, "charset": page.charset}
    if page.url != url:
        metadata["requested_url"] = url
    if page.last_modified:
        metadata["http_last_modified"] = page.last_modified
    reference_date = document.reference_date
    if document.published is None and page.last_modified_date is not None:
        reference_date = page.last_modified_date
        metadata["reference_date_method"] = "header"
    return replace(document, kind="url", reference_date=reference_date, metadata=metadata)


def looks_like_feed(page: FetchedPage) -> bool:
    """Whether a fetched page is an RSS/Atom feed, by its media type or its XML root element."""
    if page.content_type in FEED_TYPES:
        return True
    return (
        "xml" in page.content_type and page.content_type not in HTML_TYPES and bool(FEED_ROOT.search(page.body[:2048]))
    )
