"""An Atom feed (RFC 4287) of one watchlist's alerts, newest first, so any feed reader can follow it.

Each entry's id is the alert's unique key (a reader shows an alert once), its link is the story's page and its
content names the evidence: the articles with their outlets, languages and what matched.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from storylens.store import alerts as alert_store
from storylens.store.alerts import Watchlist
from storylens.store.db import Store

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 100  # the newest alerts in the feed


def _evidence_text(alert: dict[str, Any]) -> str:
    lines = []
    for item in alert["evidence"]:
        parts = [str(item.get("id") or item.get("article")), item.get("lang") or "", item.get("source") or ""]
        detail = item.get("quote") or item.get("figure") or item.get("title") or ""
        match = item.get("match") or {}
        if match.get("how") == "meaning":
            detail += f" (meaning, similarity {match['similarity']})"
        elif match.get("how") == "mentions":
            detail += f" (mentions {', '.join(match['mentions'])})"
        elif match.get("how") == "words":
            detail += f" (words: …{match['snippet']}…)"
        lines.append(" · ".join(p for p in parts if p) + (f": {detail}" if detail else ""))
    return "\n".join(lines)


def watchlist_feed(store: Store, watch: Watchlist, base_url: str) -> bytes:
    """The Atom XML of ``watch``'s newest alerts; links are absolute under ``base_url`` (``http://host:port``)."""
    base = base_url.rstrip("/")
    alerts = alert_store.list_alerts(store, watchlist_id=watch.id, limit=FEED_SIZE)[::-1]

    def element(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
        node = etree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        node.text = text
        return node

    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    element(feed, "id", f"urn:storylens:watchlist:{watch.id}:{watch.created_at}")
    element(feed, "title", f"storylens: {watch.label}")
    element(feed, "updated", alerts[0]["created_at"] if alerts else watch.created_at)
    element(feed, "link", rel="self", href=f"{base}/feeds/{watch.id}.atom")
    element(feed, "link", rel="alternate", href=f"{base}/watchlists/{watch.id}")
    author = element(feed, "author")
    element(author, "name", "storylens")
    for alert in alerts:
        entry = element(feed, "entry")
        element(entry, "id", f"urn:storylens:alert:{alert['key']}")
        element(entry, "title", alert["title"])
        element(entry, "updated", alert["created_at"])
        element(entry, "category", term=alert["kind"])
        if alert["link"]:
            element(entry, "link", rel="alternate", href=base + alert["link"])
        element(entry, "content", _evidence_text(alert), type="text")
    return etree.tostring(feed, xml_declaration=True, encoding="utf-8")
