"""The storyline article stage: link stories into storylines from their stored summaries and core entities.

Runs after the clustering stage (which stores each story's centroid and core keys) and the extraction stage
(which links mentions to canonical entities). Storylines are rebuilt over every story on each batch: a
thread of two or more stories, named after its first story, with the reasons for every link.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

from storylens.clustering.storylines import Storylines, StorySummary, core_keys
from storylens.stages import StageProgress
from storylens.store.db import Store

LINKING_ENTITY_TYPES = ("person", "organisation")  # places recur across unrelated stories of one region


class StorylineStage:
    """Storylines over every stored story; swap the ``Storylines`` settings freely."""

    name = "storylines"
    requires = ("story.summary", "entities")
    provides = ("storylines",)

    def __init__(self, storylines: Storylines | None = None) -> None:
        self.storylines = storylines or Storylines()

    def process(self, store: Store, article_ids: Sequence[int], progress: StageProgress | None = None) -> None:
        self._link(store, article_ids)

    def rebuild(self, store: Store, progress: StageProgress | None = None) -> int:
        """Link every story anew; returns how many storylines there are."""
        return self._link(store, None)

    def _link(self, store: Store, article_ids: Sequence[int] | None) -> int:
        """Link every story anew, marking these articles (None: all) done."""
        with store.stage_batch(self.name, article_ids, rebuilt=article_ids is None) as conn:
            summaries = _summaries(conn)
            names = {str(row[0]): row[1] for row in conn.execute("SELECT id, name FROM entities")}
            links = self.storylines.link(summaries)
            groups = self.storylines.group(summaries, links)
            conn.execute("UPDATE stories SET storyline_id = NULL")
            conn.execute("DELETE FROM storylines")
            line_of: dict[int, int] = {}
            for group in groups:
                line_id = min(group)
                title = conn.execute("SELECT title FROM stories WHERE id = ?", (line_id,)).fetchone()[0]
                conn.execute("INSERT INTO storylines (id, title) VALUES (?, ?)", (line_id, title))
                conn.executemany("UPDATE stories SET storyline_id = ? WHERE id = ?", [(line_id, s) for s in group])
                line_of.update(dict.fromkeys(group, line_id))
            conn.executemany(
                "INSERT INTO storyline_links (earlier, later, storyline_id, reasons) VALUES (?, ?, ?, ?)",
                [
                    (
                        link.earlier,
                        link.later,
                        line_of[link.earlier],
                        json.dumps(
                            {
                                "similarity": link.similarity,
                                "shared_keys": list(link.shared_keys),
                                "shared_entities": [names.get(entity, entity) for entity in link.shared_entities],
                                "gap_days": link.gap_days,
                                "explanation": link.explain(names),
                            },
                            ensure_ascii=False,
                        ),
                    )
                    for link in links
                ],
            )
        return len(groups)


def _summaries(conn: sqlite3.Connection) -> list[StorySummary]:
    """Every story as linking sees it: stored centroid, core keys and dates, and its core entities."""
    sizes = dict(
        conn.execute(
            """SELECT sm.story_id, count(*) FROM story_members sm
           JOIN articles a ON a.id = sm.article_id AND a.role = 'article' GROUP BY sm.story_id"""
        ).fetchall()
    )
    entity_counts: dict[int, Counter[str]] = defaultdict(Counter)
    rows = conn.execute(
        f"""SELECT sm.story_id, m.entity_id, count(DISTINCT m.article_id) FROM mentions m
            JOIN articles a ON a.id = m.article_id AND a.role = 'article'
            JOIN story_members sm ON sm.article_id = m.article_id
            JOIN entities e ON e.id = m.entity_id AND e.type IN ({",".join("?" * len(LINKING_ENTITY_TYPES))})
            GROUP BY sm.story_id, m.entity_id""",
        LINKING_ENTITY_TYPES,
    )
    for story_id, entity_id, count in rows:
        entity_counts[story_id][str(entity_id)] = count
    stories = conn.execute("SELECT id, centroid, core_keys, first_date, last_date FROM stories ORDER BY id").fetchall()
    dim = next((len(row[1]) // 4 for row in stories if row[1] is not None), 1)
    return [
        StorySummary(
            row[0],
            np.frombuffer(row[1], dtype=np.float32) if row[1] is not None else np.zeros(dim, dtype=np.float32),
            json.loads(row[2]),
            _date(row[3]),
            _date(row[4]),
            core_keys(entity_counts[row[0]], sizes.get(row[0], 0)),
        )
        for row in stories
    ]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
