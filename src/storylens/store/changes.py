"""What changed since a time, by ingest time (``documents.ingested_at``, UTC): the one meaning of "since" for
changes (``storylens brief --changed-since``, the web's "since my last visit"). Filters by publication date are
separate and named as such (``--published-since``)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from storylens.store import reads
from storylens.store.db import Store


def stories_changed_since(store: Store, since: str, *, limit: int = 1000) -> list[dict[str, Any]]:
    """Stories that gained articles ingested at or after ``since`` (ISO time), most new articles first; each with
    its summary and those new articles (articles in no story yet are listed under story None). At most the
    ``limit`` most recently ingested articles are read."""
    rows = store.conn.execute(
        """SELECT a.id, sm.story_id FROM articles a JOIN documents d ON d.id = a.document_id
           LEFT JOIN story_members sm ON sm.article_id = a.id
           WHERE d.ingested_at >= ? ORDER BY d.ingested_at DESC, a.id DESC LIMIT ?""",
        (since, limit),
    ).fetchall()
    by_story: dict[int | None, list[int]] = defaultdict(list)
    for row in rows:
        by_story[row["story_id"]].append(row["id"])
    articles = reads.articles_by_ids(store, [row["id"] for row in rows])
    changed: list[dict[str, Any]] = []
    for story_id, ids in by_story.items():
        summary = reads.story_summary(store, story_id) if story_id is not None else None
        new = [articles[i] for i in ids if i in articles]
        changed.append({"story": summary, "new_articles": new, "count": len(new)})
    changed.sort(key=lambda c: (-c["count"], c["story"] is None))
    return changed
