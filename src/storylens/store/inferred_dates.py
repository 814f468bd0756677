"""Dates inferred for undated articles from their story, kept apart from the source's own date.

``articles.published`` holds only what the source says (declared, header, URL, text); an inferred date lives
in ``articles.inferred_date`` with its evidence, so clustering never reads it back, and ``recluster`` clears
and recomputes them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from storylens.store.backend import Connection


@dataclass(frozen=True)
class StoryDates:
    """The story an article is in and its span of source dates."""

    story_id: int
    first: dt.date
    last: dt.date


def story_dates(conn: Connection, article_id: int) -> StoryDates | None:
    """The article's story and its date span (None when it is in no story or the story has no dated article)."""
    row = conn.execute(
        """SELECT s.id, s.first_date, s.last_date FROM story_members sm JOIN stories s ON s.id = sm.story_id
           WHERE sm.article_id = ?""",
        (article_id,),
    ).fetchone()
    if row is None or row[1] is None:
        return None
    return StoryDates(row[0], dt.date.fromisoformat(row[1]), dt.date.fromisoformat(row[2]))


def set_inferred_dates(conn: Connection, inferred: Iterable[tuple[int, dt.date | None, str]]) -> None:
    """(article id, date or None, evidence) for each article and its translations."""
    rows = [(date.isoformat() if date else None, evidence, article_id) for article_id, date, evidence in inferred]
    conn.executemany("UPDATE articles SET inferred_date = ?, inferred_evidence = ? WHERE id = ?", rows)
    conn.executemany("UPDATE articles SET inferred_date = ?, inferred_evidence = ? WHERE translation_of = ?", rows)


def clear_inferred_dates(conn: Connection) -> None:
    conn.execute("UPDATE articles SET inferred_date = NULL, inferred_evidence = ''")
