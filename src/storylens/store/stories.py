"""Stories as the stages see them: which stories exist and which stories hold given articles."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from storylens.store.articles import chunks


def story_ids(conn: sqlite3.Connection) -> list[int]:
    """Every stored story's id, in order."""
    return [row[0] for row in conn.execute("SELECT id FROM stories ORDER BY id")]


def stories_of(conn: sqlite3.Connection, article_ids: Sequence[int]) -> list[int | None]:
    """The stories holding these articles, in first-seen order (None: some article is in no story)."""
    stories: dict[int | None, None] = {}
    for chunk in chunks(list(article_ids)):
        rows = conn.execute(
            f"""SELECT DISTINCT sm.story_id FROM articles a LEFT JOIN story_members sm ON sm.article_id = a.id
                WHERE a.id IN ({",".join("?" * len(chunk))})""",
            chunk,
        )
        stories.update(dict.fromkeys(row[0] for row in rows))
    return list(stories)
