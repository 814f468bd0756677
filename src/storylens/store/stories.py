"""Stories as the stages see them: article vectors and evidence keys, story members and their reasons, story
summaries (centroid, core keys), titles and date spans, and which stories hold given articles."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from storylens.store.articles import chunks
from storylens.store.backend import Connection, Row
from storylens.store.db import Store


def story_ids(conn: Connection) -> list[int]:
    """Every stored story's id, in order."""
    return [row[0] for row in conn.execute("SELECT id FROM stories ORDER BY id")]


def stories_of(conn: Connection, article_ids: Sequence[int]) -> list[int | None]:
    """The stories holding these articles, in first-seen order (None: some article is in no story)."""
    stories: dict[int | None, None] = {}
    for chunk in chunks(list(article_ids)):
        rows = conn.execute(
            f"""SELECT sm.story_id FROM articles a LEFT JOIN story_members sm ON sm.article_id = a.id
                WHERE a.id IN ({",".join("?" * len(chunk))}) GROUP BY sm.story_id ORDER BY min(a.id)""",
            chunk,
        )
        stories.update(dict.fromkeys(row[0] for row in rows))
    return list(stories)


# Vectors and evidence keys of articles (the clustering stage's input).


def embedded_ids(store: Store, encoder: str, article_ids: Sequence[int] | None = None) -> set[int]:
    """Articles (among ``article_ids``, or all) that have a stored vector from this encoder."""
    if article_ids is None:
        return {row[0] for row in store.conn.execute("SELECT article_id FROM embeddings WHERE encoder = ?", (encoder,))}
    return {
        row[0]
        for chunk in chunks(list(article_ids))
        for row in store.conn.execute(
            f"SELECT article_id FROM embeddings WHERE encoder = ? AND article_id IN ({','.join('?' * len(chunk))})",
            [encoder, *chunk],
        )
    }


def drop_other_encoders(conn: Connection, encoder: str) -> None:
    """Remove the vectors of every encoder but ``encoder``: after a recluster with it, the store is its alone
    (search and later ingests then use it)."""
    conn.execute("DELETE FROM embeddings WHERE encoder <> ?", (encoder,))


def save_embeddings(conn: Connection, encoder: str, rows: Iterable[tuple[int, str, np.ndarray, Iterable[str]]]) -> None:
    """Store (article id, text hash, float32 vector, evidence keys) for each article, replacing older ones."""
    rows = list(rows)
    conn.executemany(
        """INSERT INTO embeddings (article_id, encoder, text_hash, vector) VALUES (?,?,?,?) ON CONFLICT
           (article_id, encoder) DO UPDATE SET text_hash = excluded.text_hash, vector = excluded.vector""",
        [(article_id, encoder, text_hash, vector.tobytes()) for article_id, text_hash, vector, _ in rows],
    )
    conn.executemany(
        """INSERT INTO article_keys (article_id, keys) VALUES (?, ?)
           ON CONFLICT (article_id) DO UPDATE SET keys = excluded.keys""",
        [(article_id, json.dumps(sorted(keys), ensure_ascii=False)) for article_id, _, _, keys in rows],
    )


def vectors_and_keys(
    store: Store, encoder: str, article_ids: Sequence[int]
) -> list[tuple[int, np.ndarray, frozenset[str]]]:
    """(article id, vector, evidence keys) of those of these articles with both stored."""
    return [
        (row[0], np.frombuffer(row[1], dtype=np.float32), frozenset(json.loads(row[2])))
        for chunk in chunks(list(article_ids))
        for row in store.conn.execute(
            f"""SELECT e.article_id, e.vector, k.keys FROM embeddings e JOIN article_keys k USING (article_id)
                WHERE e.encoder = ? AND e.article_id IN ({",".join("?" * len(chunk))})""",
            [encoder, *chunk],
        )
    ]


StoredMember = tuple[int, str, str | None, np.ndarray, frozenset[str], int]


def stored_members(store: Store, encoder: str) -> list[StoredMember]:
    """Every clustered article (not translations) with its vector and keys: (article id, language, published
    date as ISO text or None, vector, evidence keys, story id), by article id."""
    rows = store.conn.execute(
        """SELECT a.id, a.lang, a.published, e.vector, k.keys, sm.story_id FROM story_members sm
           JOIN articles a ON a.id = sm.article_id AND a.role = 'article'
           JOIN embeddings e ON e.article_id = a.id AND e.encoder = ?
           JOIN article_keys k ON k.article_id = a.id ORDER BY a.id""",
        (encoder,),
    )
    return [(r[0], r[1], r[2], np.frombuffer(r[3], dtype=np.float32), frozenset(json.loads(r[4])), r[5]) for r in rows]


# Stories and their members.


def clear_stories(conn: Connection) -> None:
    """Drop every story and membership."""
    conn.execute("DELETE FROM story_members")
    conn.execute("DELETE FROM stories")


def ensure_stories(conn: Connection, ids: Iterable[int]) -> None:
    conn.executemany("INSERT INTO stories (id) VALUES (?) ON CONFLICT DO NOTHING", [(story_id,) for story_id in ids])


NO_LEVEL_MATCH = -2.0  # a stored level match: measured, no article of another language found


def set_member(
    conn: Connection,
    article_id: int,
    story_id: int,
    similarity: float | None,
    reasons: dict[str, Any],
    level_match: float | None = None,
    measured: bool = False,
) -> None:
    """Put an article in a story with the similarity and reasons of that decision, and, when ``measured``, its best
    similarity to an article of another language as measured then (``level_match``; None: none found)."""
    conn.execute(
        """INSERT INTO story_members (article_id, story_id, similarity, reasons, level_match) VALUES (?,?,?,?,?)
           ON CONFLICT(article_id) DO UPDATE SET story_id = excluded.story_id,
           similarity = excluded.similarity, reasons = excluded.reasons, level_match = excluded.level_match""",
        (
            article_id,
            story_id,
            similarity,
            json.dumps(reasons, ensure_ascii=False),
            None if not measured else NO_LEVEL_MATCH if level_match is None else float(level_match),
        ),
    )


def set_level_matches(conn: Connection, matches: Iterable[tuple[int, float | None]]) -> None:
    """Store the level match (measured; None: none found) of articles that stay in their stories."""
    conn.executemany(
        "UPDATE story_members SET level_match = ? WHERE article_id = ?",
        [(NO_LEVEL_MATCH if match is None else float(match), article_id) for article_id, match in matches],
    )


def level_matches(conn: Connection, article_ids: Sequence[int]) -> dict[int, float | None]:
    """The stored level match of each of these articles that has one measured (None: none found)."""
    found: dict[int, float | None] = {}
    for chunk in chunks(sorted(set(article_ids))):
        rows = conn.execute(
            f"""SELECT article_id, level_match FROM story_members
                WHERE article_id IN ({",".join("?" * len(chunk))}) AND level_match IS NOT NULL""",
            chunk,
        )
        found.update((row[0], None if row[1] <= NO_LEVEL_MATCH else float(row[1])) for row in rows)
    return found


def move_member(conn: Connection, article_id: int, story_id: int) -> None:
    """Move an article to another story, keeping its stored reasons."""
    conn.execute("UPDATE story_members SET story_id = ? WHERE article_id = ?", (story_id, article_id))


def join_translation(conn: Connection, article_id: int, original_id: int, reasons: dict[str, Any]) -> None:
    """Put a translation in its original's story (nothing if the original is in none)."""
    row = conn.execute("SELECT story_id FROM story_members WHERE article_id = ?", (original_id,)).fetchone()
    if row is None:
        return
    conn.execute(
        """INSERT INTO story_members (article_id, story_id, similarity, reasons) VALUES (?, ?, NULL, ?)
           ON CONFLICT(article_id) DO UPDATE SET story_id = excluded.story_id, reasons = excluded.reasons""",
        (article_id, row[0], json.dumps(reasons)),
    )


def drop_empty_stories(conn: Connection, story_ids: Iterable[int] | None = None) -> None:
    """Delete the stories (among ``story_ids``, or all) that have no member left."""
    empty = "NOT EXISTS (SELECT 1 FROM story_members sm WHERE sm.story_id = stories.id)"
    if story_ids is None:
        conn.execute(f"DELETE FROM stories WHERE {empty}")
        return
    for chunk in chunks(sorted(set(story_ids))):
        conn.execute(f"DELETE FROM stories WHERE id IN ({','.join('?' * len(chunk))}) AND {empty}", chunk)


def unsummarised_stories(conn: Connection) -> list[int]:
    """Stories with no stored centroid (stores made before centroids were kept)."""
    return [row[0] for row in conn.execute("SELECT id FROM stories WHERE centroid IS NULL ORDER BY id")]


def save_summaries(conn: Connection, summaries: Iterable[tuple[int, np.ndarray, Iterable[str]]]) -> None:
    """Store each story's (id, centroid, core keys)."""
    conn.executemany(
        "UPDATE stories SET centroid = ?, core_keys = ? WHERE id = ?",
        [
            (centroid.astype(np.float32).tobytes(), json.dumps(sorted(keys), ensure_ascii=False), story_id)
            for story_id, centroid, keys in summaries
        ],
    )


def story_openings(conn: Connection, story_ids: Sequence[int], scan_chars: int) -> Iterator[Row]:
    """Each story's articles (not translations), earliest first: ``story_id``, ``title``, ``lang`` and
    ``opening`` (the first ``scan_chars`` characters of the article's text)."""
    for chunk in chunks(list(story_ids)):
        yield from conn.execute(
            f"""SELECT sm.story_id, a.title, a.lang, substr(d.text, a.start + 1, ?) AS opening
                FROM story_members sm JOIN articles a ON a.id = sm.article_id JOIN documents d ON d.id = a.document_id
                WHERE sm.story_id IN ({",".join("?" * len(chunk))}) AND a.role = 'article'
                ORDER BY a.published IS NULL, a.published, a.id""",
            (scan_chars, *chunk),
        )


def set_titles(conn: Connection, titles: Iterable[tuple[int, str]]) -> None:
    """Store each (story id, title)."""
    conn.executemany("UPDATE stories SET title = ? WHERE id = ?", [(title, story_id) for story_id, title in titles])


def refresh_story_dates(conn: Connection, story_ids: Iterable[int] | None = None) -> None:
    """Each story's (among ``story_ids``, or every story's) date span, from its members' publication dates."""
    update = """UPDATE stories SET
             first_date = (SELECT min(a.published) FROM story_members sm JOIN articles a ON a.id = sm.article_id
                           WHERE sm.story_id = stories.id),
             last_date = (SELECT max(a.published) FROM story_members sm JOIN articles a ON a.id = sm.article_id
                          WHERE sm.story_id = stories.id)"""
    if story_ids is None:
        conn.execute(update)
        return
    for chunk in chunks(sorted(set(story_ids))):
        conn.execute(f"{update} WHERE id IN ({','.join('?' * len(chunk))})", chunk)


# Stories changed since the storyline stage last ran: a log per writing stage (migration 0017).

CHANGE_LOGS = ("story_changes", "story_entity_changes")  # clustering's, extraction's


def note_story_changes(conn: Connection, story_ids: Iterable[int | None], log: str = "story_changes") -> None:
    """Append to ``log`` the stories whose members, summary or entities changed (or that were dropped), for the
    storyline stage, and forget the rows of ``log`` it has read (but the last, which keeps the numbering going)."""
    if log not in CHANGE_LOGS:
        raise ValueError(f"no change log {log!r}")
    read = conn.execute("SELECT seq FROM storyline_log_read WHERE log = ?", (log,)).fetchone()
    if read is not None:
        conn.execute(f"DELETE FROM {log} WHERE seq < ?", (read[0],))
    conn.executemany(
        f"INSERT INTO {log} (story_id) VALUES (?)",
        [(story_id,) for story_id in sorted({s for s in story_ids if s is not None})],
    )


def read_story_changes(conn: Connection) -> list[int]:
    """The stories the change logs recorded since this was last called, which marks them read (in the storyline
    stage's transaction: it writes only ``storyline_log_read``)."""
    changed: set[int] = set()
    for log in CHANGE_LOGS:
        read = conn.execute("SELECT seq FROM storyline_log_read WHERE log = ?", (log,)).fetchone()
        rows = conn.execute(
            f"SELECT seq, story_id FROM {log} WHERE seq > ? ORDER BY seq", (0 if read is None else read[0],)
        ).fetchall()
        if rows:
            changed.update(int(row[1]) for row in rows)
            conn.execute(
                """INSERT INTO storyline_log_read (log, seq) VALUES (?, ?)
                   ON CONFLICT (log) DO UPDATE SET seq = excluded.seq""",
                (log, rows[-1][0]),
            )
    return sorted(changed)
