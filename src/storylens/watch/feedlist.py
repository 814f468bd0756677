"""The feeds `storylens watch` polls: a text file of feed URLs, or an OPML file (as feed readers export).

Text: one feed a line, ``URL [INTERVAL]``, the interval as seconds or with a unit (``90s``, ``10m``, ``2h``);
blank lines and lines starting with ``#`` are left out. OPML: every ``outline`` with an ``xmlUrl``; an
``interval`` attribute, if present, is its interval. Without an interval a feed is polled every ``default``.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

INTERVAL = re.compile(r"(\d+(?:\.\d+)?)\s*([smh]?)", re.IGNORECASE)
UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600}
MIN_INTERVAL = 1.0  # seconds: no feed is polled more often


class FeedListError(ValueError):
    """The feed list cannot be read; the message names the file and line."""


def parse_interval(text: str, where: str) -> float:
    match = INTERVAL.fullmatch(text.strip())
    if not match:
        raise FeedListError(f"{where}: interval {text!r}: expected seconds or a number with s, m or h (10m)")
    return max(MIN_INTERVAL, float(match.group(1)) * UNIT_SECONDS[match.group(2).lower()])


def read_feed_list(path: Path, default: float) -> list[tuple[str, float]]:
    """(feed URL, interval in seconds) for every feed listed, in file order, each URL once."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FeedListError(f"{path}: {error.strerror or error}") from error
    feeds = _opml(path, data, default) if data.lstrip()[:1] == b"<" else _text(path, data, default)
    if not feeds:
        raise FeedListError(f"{path}: no feed URLs in it")
    return list(dict(feeds).items())


def _text(path: Path, data: bytes, default: float) -> list[tuple[str, float]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FeedListError(f"{path}: not UTF-8 text") from error
    feeds = []
    for number, line in enumerate(text.splitlines(), start=1):
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        if len(fields) > 2:
            raise FeedListError(f"{path}:{number}: expected 'URL [INTERVAL]'")
        interval = parse_interval(fields[1], f"{path}:{number}") if len(fields) == 2 else default
        feeds.append((fields[0], interval))
    return feeds


def _opml(path: Path, data: bytes, default: float) -> list[tuple[str, float]]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise FeedListError(f"{path}: not valid OPML ({error})") from error
    feeds = []
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or "").strip()
        if url:
            raw = outline.get("interval")
            feeds.append((url, parse_interval(raw, f"{path}: {url}") if raw else default))
    return feeds
