"""The extraction article stage: extract from new articles, then relink entities and regroup per story.

Mentions, quotes and figures are stored with offsets into their article's text. Entities are linked
over every stored mention (a name seen in one story helps link it in another); quotes and figures are
grouped again only in the stories that received new articles.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from storylens.encoders import get_encoder
from storylens.extraction import (
    FigureRef,
    Mention,
    MentionRef,
    Quote,
    QuoteRef,
    extract,
    group_figures,
    group_quotes,
    link_entities,
    load_aliases,
)
from storylens.extraction.records import Figure
from storylens.stages import StageProgress
from storylens.store.articles import chunks, list_articles
from storylens.store.db import Store

QuoteEncoder = Callable[[list[str]], np.ndarray]


class ExtractionStage:
    """Extracts, links and groups; ``aliases`` is a user alias file (``variant<TAB>canonical`` lines)."""

    name = "extraction"
    requires = ("article.text", "article.language", "article.story")
    provides = ("article.mentions", "article.quotes", "article.figures", "entities", "story.groups")

    def __init__(self, aliases: Path | None = None, quote_encoder: QuoteEncoder | None = None) -> None:
        self.aliases = load_aliases(aliases) if aliases else {}
        self.quote_encoder = quote_encoder or self._embed_quotes
        self._quote_vectors: dict[str, np.ndarray] = {}

    def _embed_quotes(self, texts: list[str]) -> np.ndarray:
        """Quote vectors from the default encoder, each text embedded once per process."""
        missing = [text for text in dict.fromkeys(texts) if text not in self._quote_vectors]
        if missing:
            self._quote_vectors.update(zip(missing, get_encoder().encode(missing), strict=True))
        return np.stack([self._quote_vectors[text] for text in texts])

    def process(self, store: Store, article_ids: Sequence[int], progress: StageProgress | None = None) -> None:
        articles = list_articles(store, ids=list(article_ids))
        with store.stage_batch(self.name, article_ids) as conn:
            for done, article in enumerate(articles, start=1):
                _replace_extraction(conn, article.id, article.text, article.lang)
                if progress:
                    progress("extracting", done, len(articles))
            self.relink(conn)
            self.regroup(conn, _stories_of(conn, article_ids))

    def rebuild(self, store: Store, progress: StageProgress | None = None) -> None:
        self.regroup_all(store)

    def regroup_all(self, store: Store) -> None:
        """Relink every mention and rebuild the quote and figure groups of every story (after a recluster)."""
        with store.stage_batch(self.name, rebuilt=True) as conn:
            self.relink(conn)
            conn.execute("DELETE FROM quote_groups")
            conn.execute("DELETE FROM figure_groups")
            stories = [row[0] for row in conn.execute("SELECT id FROM stories ORDER BY id")]
            self.regroup(conn, [*stories, None])

    def relink(self, conn: sqlite3.Connection) -> None:
        """Link every stored mention to a canonical entity, keeping entity ids stable by their key."""
        rows = conn.execute(
            """SELECT m.id, m.article_id, m.start, m.end, m.text, m.type, m.lang, sm.story_id
               FROM mentions m LEFT JOIN story_members sm ON sm.article_id = m.article_id ORDER BY m.id"""
        ).fetchall()
        refs = [
            MentionRef(
                Mention(r["start"], r["end"], r["text"], r["type"], ""),
                r["lang"],
                str(r["article_id"]),
                None if r["story_id"] is None else str(r["story_id"]),
            )
            for r in rows
        ]
        row_of = _row_ids(rows)
        for entity in link_entities(refs, self.aliases):
            conn.execute(
                """INSERT INTO entities (name, type, key) VALUES (?, ?, ?)
                   ON CONFLICT(key) DO UPDATE SET name = excluded.name, type = excluded.type""",
                (entity.name, entity.type, entity.id),
            )
            entity_id = conn.execute("SELECT id FROM entities WHERE key = ?", (entity.id,)).fetchone()[0]
            conn.executemany(
                "UPDATE mentions SET entity_id = ? WHERE id = ?",
                [(entity_id, row_of[(m.article_id, m.mention.start, m.mention.end)]) for m in entity.mentions],
            )
        conn.execute(
            "DELETE FROM entities WHERE id NOT IN (SELECT entity_id FROM mentions WHERE entity_id IS NOT NULL)"
        )
        conn.execute(
            """UPDATE quotes SET speaker_entity_id = (
                   SELECT m.entity_id FROM mentions m WHERE m.article_id = quotes.article_id
                   AND m.start = quotes.speaker_start AND m.end = quotes.speaker_end)"""
        )

    def regroup(self, conn: sqlite3.Connection, story_ids: Sequence[int | None]) -> None:
        """Quote groups and figure groups of these stories (None: articles in no story), built anew."""
        for story_id in story_ids:
            in_story = "sm.story_id IS ?"
            conn.execute("DELETE FROM quote_groups WHERE story_id IS ?", (story_id,))
            conn.execute("DELETE FROM figure_groups WHERE story_id IS ?", (story_id,))
            quotes = conn.execute(
                f"""SELECT q.*, a.lang FROM quotes q JOIN articles a ON a.id = q.article_id
                    LEFT JOIN story_members sm ON sm.article_id = q.article_id WHERE {in_story} ORDER BY q.id""",
                (story_id,),
            ).fetchall()
            self._store_quote_groups(conn, story_id, quotes)
            figures = conn.execute(
                f"""SELECT f.*, a.lang FROM figures f JOIN articles a ON a.id = f.article_id
                    LEFT JOIN story_members sm ON sm.article_id = f.article_id WHERE {in_story} ORDER BY f.id""",
                (story_id,),
            ).fetchall()
            _store_figure_groups(conn, story_id, figures)

    def _store_quote_groups(self, conn: sqlite3.Connection, story_id: int | None, rows: list[sqlite3.Row]) -> None:
        if not rows:
            return
        refs = [
            QuoteRef(
                Quote(r["start"], r["end"], r["text"], r["kind"], r["cue"] or None),
                r["lang"],
                str(r["article_id"]),
                None if r["speaker_entity_id"] is None else str(r["speaker_entity_id"]),
            )
            for r in rows
        ]
        row_of = _row_ids(rows)
        for group in group_quotes(refs, self.quote_encoder):
            speaker = int(group.speaker_entity) if group.speaker_entity else None
            group_id = conn.execute(
                "INSERT INTO quote_groups (story_id, speaker_entity_id) VALUES (?, ?)", (story_id, speaker)
            ).lastrowid
            conn.executemany(
                "UPDATE quotes SET group_id = ? WHERE id = ?",
                [(group_id, row_of[o.article_id, o.quote.start, o.quote.end]) for o in group.occurrences],
            )


def _store_figure_groups(conn: sqlite3.Connection, story_id: int | None, rows: list[sqlite3.Row]) -> None:
    refs = [
        FigureRef(
            Figure(r["start"], r["end"], r["text"], _value(r), r["unit"] or None, r["what"] or None),
            r["lang"],
            str(r["article_id"]),
        )
        for r in rows
    ]
    row_of = _row_ids(rows)
    for group in group_figures(refs):
        counted = [o.figure.counted for o in group.occurrences if o.figure.counted]
        group_id = conn.execute(
            "INSERT INTO figure_groups (story_id, unit, what, discrepancy) VALUES (?, ?, ?, ?)",
            (story_id, group.unit or "", max(set(counted), key=counted.count) if counted else "", group.discrepant),
        ).lastrowid
        conn.executemany(
            "UPDATE figures SET group_id = ? WHERE id = ?",
            [(group_id, row_of[o.article_id, o.figure.start, o.figure.end]) for o in group.occurrences],
        )


def _row_ids(rows: list[sqlite3.Row]) -> dict[tuple[str, int, int], int]:
    """Row id of a quote or figure by its place: article and offsets."""
    return {(str(r["article_id"]), r["start"], r["end"]): r["id"] for r in rows}


def _value(row: sqlite3.Row) -> float | tuple[float, float]:
    low, high = row["value_low"], row["value_high"]
    return low if low == high else (low, high)


def _stories_of(conn: sqlite3.Connection, article_ids: Sequence[int]) -> list[int | None]:
    stories: dict[int | None, None] = {}
    for chunk in chunks(list(article_ids)):
        rows = conn.execute(
            f"""SELECT DISTINCT sm.story_id FROM articles a LEFT JOIN story_members sm ON sm.article_id = a.id
                WHERE a.id IN ({",".join("?" * len(chunk))})""",
            chunk,
        )
        stories.update(dict.fromkeys(row[0] for row in rows))
    return list(stories)


def _replace_extraction(conn: sqlite3.Connection, article_id: int, text: str, lang: str) -> None:
    for table in ("mentions", "quotes", "figures"):
        conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
    found = extract(text, lang)
    conn.executemany(
        "INSERT INTO mentions (article_id, start, end, text, type, lang) VALUES (?,?,?,?,?,?)",
        [(article_id, m.start, m.end, m.text, m.type, lang) for m in found.mentions],
    )
    conn.executemany(
        """INSERT INTO quotes (article_id, start, end, text, kind, cue, speaker_text, speaker_start, speaker_end)
           VALUES (?,?,?,?,?,?,?,?,?)""",
        [
            (
                article_id,
                q.start,
                q.end,
                q.text,
                q.kind,
                q.cue or "",
                q.speaker.text if q.speaker else q.speaker_text,
                q.speaker.start if q.speaker else None,
                q.speaker.end if q.speaker else None,
            )
            for q in found.quotes
        ],
    )
    conn.executemany(
        """INSERT INTO figures (article_id, start, end, text, value_low, value_high, unit, what, approximate)
           VALUES (?,?,?,?,?,?,?,?,?)""",
        [
            (
                article_id,
                f.start,
                f.end,
                f.text,
                *(f.value if isinstance(f.value, tuple) else (f.value, f.value)),
                f.unit or "",
                f.counted or "",
                f.approximate,
            )
            for f in found.figures
        ],
    )
