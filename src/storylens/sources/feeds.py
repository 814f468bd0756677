"""Read RSS and Atom feeds into RawDocuments, one per entry.

The feed is fetched with :func:`storylens.sources.web.fetch` (feedparser never fetches anything itself).
Each entry's article page is then fetched and extracted, or, without article fetching, the entry's own
content or summary becomes the text. A failing entry yields its InputError and the others go on.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import io
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import feedparser
import lxml.html
from lxml.etree import ParserError

from storylens.models import InputError, RawDocument
from storylens.sources.web import HTML_TYPES, FetchedPage, fetch, read_url

FEED_LINK_TYPES = {"application/rss+xml", "application/atom+xml", "application/feed+json"}
# HTML elements that start a new line of text when HTML content is turned into plain text
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "pre", "section",
    "table", "tr", "ul",
}  # fmt: skip


def read_feed(url: str, *, fetch_articles: bool = True, **fetch_options: Any) -> Iterator[RawDocument | InputError]:
    """Yield one RawDocument (or the InputError that stopped it) per feed entry, in feed order.

    Raises InputError for the feed itself: when it cannot be fetched or is not an RSS/Atom feed.
    ``fetch_options`` are passed to :func:`storylens.sources.web.fetch` for the feed and every article.
    """
    page = fetch(url, **fetch_options)
    feed_title, entries = parse_feed(url, page)
    for number, entry in enumerate(entries, start=1):
        try:
            yield entry_document(
                entry,
                number,
                feed_url=url,
                feed_title=feed_title,
                fetch_articles=fetch_articles,
                fetch_options=fetch_options,
            )
        except InputError as error:
            yield error


def parse_feed(url: str, page: FetchedPage) -> tuple[str | None, list[Any]]:
    """A fetched feed's title and entries (feedparser's), in feed order; InputError if it is not RSS/Atom."""
    parsed = feedparser.parse(
        io.BytesIO(page.body),
        response_headers={"content-type": page.content_type or "application/xml", "content-location": page.url},
    )
    if not parsed.get("version"):
        raise InputError(url, "not an RSS/Atom feed" + _feed_link_hint(page.text, page.content_type, page.url))
    return (parsed.feed.get("title") or "").strip() or None, list(parsed.entries)


def entry_key(entry: Any) -> str:
    """What identifies an entry across polls: its id (guid), else its link, else its title and date."""
    for field in ("id", "link"):
        value = (entry.get(field) or "").strip()
        if value:
            return value
    return f"{(entry.get('title') or '').strip()}|{entry_date(entry)[0] or ''}"


def entry_document(
    entry: Any,
    number: int,
    *,
    feed_url: str,
    feed_title: str | None,
    fetch_articles: bool,
    fetch_options: dict[str, Any],
) -> RawDocument:
    link = (entry.get("link") or "").strip() or None
    origin = link or f"{feed_url} (entry {number})"
    published, day = entry_date(entry)
    title = (entry.get("title") or "").strip() or None
    if fetch_articles and link:
        document = read_url(link, **fetch_options)
    else:
        text = entry_text(entry)
        if not text:
            raise InputError(origin, "feed entry has no text")
        document = RawDocument(origin=origin, kind="feed", text=text, url=link)
    metadata: dict[str, Any] = {**document.metadata, "feed_url": feed_url, "feed_entry": number}
    if published:
        metadata["feed_published"] = published
        if document.published is None:
            metadata["date_method"] = "declared"
    if day:
        metadata["reference_date_method"] = "declared"
    return replace(
        document,
        origin=origin,
        kind="feed",
        external_id=(entry.get("id") or "").strip() or link,
        title=document.title or title,
        published=document.published or published,
        source=feed_title or document.source,
        reference_date=day or document.reference_date,
        metadata=metadata,
    )


def entry_date(entry: Any) -> tuple[str | None, dt.date | None]:
    """The entry's declared date string (published, else updated) and its calendar day.

    The day is read in the date's own time zone when the string is RFC 822 or ISO 8601, so that
    "Tue, 03 Jun 2025 01:00:00 +0300" stays on 3 June; feedparser's UTC reading is the fallback.
    """
    for field in ("published", "updated"):
        raw = (entry.get(field) or "").strip()
        if raw:
            return raw, _local_day(raw) or _struct_day(entry.get(f"{field}_parsed"))
    return None, None


def _local_day(raw: str) -> dt.date | None:
    try:
        return email.utils.parsedate_to_datetime(raw).date()
    except (TypeError, ValueError):
        pass
    try:
        return dt.datetime.fromisoformat(raw).date()
    except ValueError:
        return None


def _struct_day(parsed: time.struct_time | None) -> dt.date | None:
    return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday) if parsed else None


def entry_text(entry: Any) -> str:
    """The entry's fullest text: its longest content block, else its summary, as plain text."""
    contents = [item for item in entry.get("content", []) if (item.get("value") or "").strip()]
    detail = max(contents, key=lambda item: len(item["value"]), default=None) or entry.get("summary_detail")
    if not detail or not (detail.get("value") or "").strip():
        return ""
    value = detail["value"]
    return html_to_text(value) if detail.get("type", "text/html") in HTML_TYPES else value.strip()


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: one line per block element, inline whitespace collapsed."""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except ParserError:
        return fragment.strip()
    for element in list(root.iter("script", "style", "noscript", "template")):
        element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
            if element.tag != "br":
                element.text = "\n" + (element.text or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def _feed_link_hint(text: str, content_type: str, base_url: str) -> str:
    """When a web page was given as a feed, name the feeds it links to."""
    if content_type and content_type not in HTML_TYPES:
        return ""
    try:
        root = lxml.html.document_fromstring(text[:200_000], base_url=base_url)
    except (ParserError, ValueError):
        return ""
    root.make_links_absolute(base_url, handle_failures="ignore")
    feeds = [
        link.get("href") for link in root.iter("link")
        if "alternate" in (link.get("rel") or "").lower().split()
        and (link.get("type") or "").lower() in FEED_LINK_TYPES and link.get("href")
    ]  # fmt: skip
    return f" (the page links to feed {feeds[0]})" if feeds else ""
