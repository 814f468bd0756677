"""Build demo/feeds/: three RSS feeds of the demo corpus's own articles in three rounds (each round's files add
entries to the previous round's), for trying `storylens watch` and for its acceptance test.

Run: python scripts/build_demo_feeds.py  (rewrites demo/feeds/round*/ from demo/articles/)
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
from pathlib import Path
from xml.sax.saxutils import escape

DEMO = Path(__file__).resolve().parents[1] / "demo"
DATE_HEADER = re.compile(r"^ date (\d{4}-\d{2}-\d{2}) (.*)$")

# feed file -> (title, site); entries: (round, feed, guid, source file, line range or jsonl line, date)
FEEDS = {
    "yam.xml": ("Yam News", "https://yam-news.example.org/"),
    "coastline.xml": ("Coastline Post", "https://coastline-post.example.com/"),
    "agency.xml": ("Mediterranean Agency", "https://med-agency.example.net/"),
}
ENTRIES = [
    (1, "yam.xml", "yam-0114-ferry", "doc01.txt", None, "2026-01-14"),
    (1, "coastline.xml", "cp-0114-ferry", "doc03.txt", (1, 8), "2026-01-14"),
    (1, "agency.xml", "ma-0120-gard", "doc08.txt", None, "2026-01-20"),
    (1, "agency.xml", "ma-0114-maravia", "doc09.txt", None, "2026-01-14"),
    (2, "agency.xml", "ma-0114-ferry-ar", "doc02.txt", (1, 9), "2026-01-14"),
    (2, "agency.xml", "ma-0114-ferry-ru", "doc05.txt", None, "2026-01-14"),
    (2, "coastline.xml", "cp-0120-floods", "feed.jsonl", 2, "2026-01-20"),
    (3, "yam.xml", "yam-0204-report", "doc07.txt", None, "2026-02-04"),
    (3, "yam.xml", "yam-0122-corals", "doc10.txt", None, "2026-01-22"),
    (3, "coastline.xml", "cp-0204-report", "doc06.txt", None, "2026-02-04"),
    (3, "coastline.xml", "cp-0123-corals", "feed.jsonl", 3, "2026-01-23"),
]


def article(source: str, part: tuple[int, int] | int | None) -> tuple[str, str]:
    """(title, text) of a demo article: the first line is the title (after a ` date ` header), the rest the text."""
    path = DEMO / "articles" / source
    if source.endswith(".jsonl"):
        record = json.loads(path.read_text(encoding="utf-8").splitlines()[int(part) - 1])  # type: ignore[arg-type]
        return record["title"], record["text"]
    lines = path.read_text(encoding="utf-8").splitlines()
    if isinstance(part, tuple):
        lines = lines[part[0] - 1 : part[1]]
    header = DATE_HEADER.match(lines[0])
    title = header.group(2) if header else lines[0]
    return title.strip(), "\n".join(lines[1:]).strip()


def item(guid: str, source: str, part: tuple[int, int] | int | None, day: str, site: str) -> str:
    title, text = article(source, part)
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n") if p.strip())
    when = email.utils.format_datetime(dt.datetime.fromisoformat(day).replace(hour=9, tzinfo=dt.UTC))
    return (
        f'    <item>\n      <guid isPermaLink="false">{guid}</guid>\n      <title>{escape(title)}</title>\n'
        f"      <link>{site}{guid}</link>\n      <pubDate>{when}</pubDate>\n"
        f"      <description>{escape(paragraphs)}</description>\n    </item>\n"
    )


def main() -> None:
    for round_number in (1, 2, 3):
        folder = DEMO / "feeds" / f"round{round_number}"
        folder.mkdir(parents=True, exist_ok=True)
        for name, (title, site) in FEEDS.items():
            entries = [e for e in ENTRIES if e[1] == name and e[0] <= round_number][::-1]  # newest round first
            body = "".join(item(guid, source, part, day, site) for _, _, guid, source, part, day in entries)
            (folder / name).write_text(
                f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0">\n  <channel>\n'
                f"    <title>{escape(title)}</title>\n    <link>{site}</link>\n"
                f"    <description>demo feed (storylens demo corpus, CC0)</description>\n{body}  </channel>\n</rss>\n",
                encoding="utf-8",
            )


if __name__ == "__main__":
    main()
