"""The clustering article stage: embed new articles and assign them to stories.

State lives in the store, not in memory: each batch restores the stored assignments into an
``OnlineClusterer``, then decides the stories of the new articles together with the stored ones of the same
time window (placed in date order, then refined), and writes back what changed (new, merged or split
stories, the reasons for every decision, and each changed story's centroid and core keys, which the
storyline stage reads, and its title: a headline of its articles that names those keys). Translations join
their original's story. Articles without a date of their own get one inferred from the story they join, kept
apart from source dates (``articles.inferred_date``): shown as inferred, never evidence, recomputed by ``recluster``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from storylens.cleaning.lines import date_line_value, is_title_like, split_lines
from storylens.clustering.keys import evidence_keys
from storylens.clustering.language_means import load_background
from storylens.clustering.online import Assignment, ClusterItem, OnlineClusterer
from storylens.clustering.storylines import StorySummary
from storylens.dates import publication_weekday, relative_mentions
from storylens.encoders import Encoder, get_encoder, lead_text
from storylens.stages import StageProgress
from storylens.store.articles import Article, chunks, list_articles
from storylens.store.db import Store
from storylens.store.inferred_dates import clear_inferred_dates, set_inferred_dates, story_dates

# Articles embedded per encoder call (and per write of their vectors and keys). Small calls cost the encoder
# dearly when other processes share the cores: on a busy 2-core machine itn_dev's short items took about twice
# as long at 16 a call as at 256 (no difference on an idle one). Vectors do not depend on it.
EMBED_BATCH_SIZE = 256
OPENING_CHARS = 120  # a story named by an article's opening (no titled article names it better) shows this much
OPENING_SCAN_CHARS = 1500  # a headline is looked for in this much of an untitled article's opening ...
OPENING_LINES = 12  # ... within its first lines
HEADLINE_MIN_WORDS = 3  # a lone label ("Menu", a photo credit's name) is not a headline


class ClusteringStage:
    """Online story assignment over stored articles; swap the encoder or clusterer settings freely."""

    name = "clustering"
    requires = ("article.text", "article.language", "article.date")
    provides = ("article.vector", "article.keys", "article.story", "story.summary")

    def __init__(
        self,
        encoder: Encoder | None = None,
        make_clusterer: Callable[[], OnlineClusterer] | None = None,
        batch_size: int = EMBED_BATCH_SIZE,
    ) -> None:
        self._encoder = encoder
        self.make_clusterer = make_clusterer or self._default_clusterer
        self.batch_size = batch_size

    def _default_clusterer(self) -> OnlineClusterer:
        """Default settings, starting from the background language means shipped for this encoder."""
        return OnlineClusterer(background_means=load_background(self.encoder.name))

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = get_encoder()
        return self._encoder

    def process(self, store: Store, article_ids: Sequence[int], progress: StageProgress | None = None) -> None:
        articles = list_articles(store, ids=list(article_ids))
        originals = [a for a in articles if a.role == "article"]
        self.embed(store, originals, progress)
        # The stored stories are read and written in one write transaction: another writer cannot change them
        # in between (story ids would collide); the batch is marked clustered in the same commit.
        with store.stage_batch(self.name, article_ids) as conn:
            clusterer = self.make_clusterer()
            stored = self._stored_items(store, exclude={a.id for a in originals})
            clusterer.restore([item for item, _ in stored], [story for _, story in stored])
            new_items = list(self._items(store, originals))
            recent = _within_window([item for item, _ in stored], new_items, clusterer.window_days)
            assignments = clusterer.consolidate([*recent, *new_items])
            self._write(conn, clusterer, assignments, {item.id: story for item, story in stored})
            _join_translations(conn, [a for a in articles if a.role == "translation"])
            _refresh_stories(conn)
            _infer_dates(conn, originals)

    def recluster(self, store: Store, progress: StageProgress | None = None) -> int:
        """Rebuild every assignment from the stored vectors, deterministically; returns the story count."""
        everything = list_articles(store)
        originals = [a for a in everything if a.role == "article"]
        translations = [a for a in everything if a.role == "translation"]
        self.embed(store, originals, progress)
        clusterer = self.make_clusterer()
        assignments = clusterer.recluster(list(self._items(store, originals)))
        with store.stage_batch(self.name, None, rebuilt=True) as conn:
            conn.execute("DELETE FROM story_members")
            conn.execute("DELETE FROM stories")
            self._write(conn, clusterer, assignments, {})
            _join_translations(conn, translations)
            _refresh_stories(conn)
            clear_inferred_dates(conn)
            _infer_dates(conn, originals)
        return len(clusterer.stories)

    def rebuild(self, store: Store, progress: StageProgress | None = None) -> int:
        return self.recluster(store, progress)

    def embed(self, store: Store, articles: Sequence[Article], progress: StageProgress | None = None) -> None:
        """Store a vector (title + lead) and evidence keys for every article that lacks them."""
        name = self.encoder.name
        have = {row[0] for row in store.conn.execute("SELECT article_id FROM embeddings WHERE encoder = ?", (name,))}
        missing = [a for a in articles if a.id not in have]
        for done in range(0, len(missing), self.batch_size):
            batch = missing[done : done + self.batch_size]
            texts = [lead_text(a.title, _body(a)) for a in batch]
            vectors = self.encoder.encode(texts).astype(np.float32)
            with store.transaction() as conn:
                conn.executemany(
                    "INSERT OR REPLACE INTO embeddings (article_id, encoder, text_hash, vector) VALUES (?,?,?,?)",
                    [(a.id, name, _text_hash(t), v.tobytes()) for a, t, v in zip(batch, texts, vectors, strict=True)],
                )
                conn.executemany(
                    "INSERT OR REPLACE INTO article_keys (article_id, keys) VALUES (?, ?)",
                    [(a.id, json.dumps(sorted(evidence_keys(a.text, a.lang)), ensure_ascii=False)) for a in batch],
                )
            if progress:
                progress("embedding", min(done + self.batch_size, len(missing)), len(missing))

    def _items(self, store: Store, articles: Iterable[Article]) -> Iterable[ClusterItem]:
        by_id = {a.id: a for a in articles}
        rows = [
            row
            for chunk in chunks(list(by_id))
            for row in store.conn.execute(
                f"""SELECT e.article_id, e.vector, k.keys FROM embeddings e JOIN article_keys k USING (article_id)
                    WHERE e.encoder = ? AND e.article_id IN ({",".join("?" * len(chunk))})""",
                [self.encoder.name, *chunk],
            )
        ]
        return [
            ClusterItem(
                str(row[0]),
                by_id[row[0]].lang,
                by_id[row[0]].published,
                np.frombuffer(row[1], dtype=np.float32),
                frozenset(json.loads(row[2])),
            )
            for row in rows
        ]

    def _stored_items(self, store: Store, exclude: set[int]) -> list[tuple[ClusterItem, int]]:
        rows = store.conn.execute(
            """SELECT a.id, a.lang, a.published, e.vector, k.keys, sm.story_id FROM story_members sm
               JOIN articles a ON a.id = sm.article_id AND a.role = 'article'
               JOIN embeddings e ON e.article_id = a.id AND e.encoder = ?
               JOIN article_keys k ON k.article_id = a.id ORDER BY a.id""",
            (self.encoder.name,),
        )
        return [
            (
                ClusterItem(
                    str(r[0]),
                    r[1],
                    dt.date.fromisoformat(r[2]) if r[2] else None,
                    np.frombuffer(r[3], dtype=np.float32),
                    frozenset(json.loads(r[4])),
                ),
                r[5],
            )
            for r in rows
            if r[0] not in exclude
        ]

    def _write(
        self,
        conn: sqlite3.Connection,
        clusterer: OnlineClusterer,
        assignments: list[Assignment],
        stored_story: Mapping[str, int],
    ) -> None:
        """Memberships, reasons, and the summary of every story that gained or lost an article (or has none)."""
        live, labels = set(clusterer.stories), clusterer.labels()
        conn.executemany("INSERT OR IGNORE INTO stories (id) VALUES (?)", [(story_id,) for story_id in live])
        reasons = {a.item_id: a for a in assignments}
        for item_id, story_id in labels.items():
            assignment = reasons.get(item_id)
            if assignment is not None:
                conn.execute(
                    """INSERT INTO story_members (article_id, story_id, similarity, reasons) VALUES (?,?,?,?)
                       ON CONFLICT(article_id) DO UPDATE SET story_id = excluded.story_id,
                       similarity = excluded.similarity, reasons = excluded.reasons""",
                    (
                        int(item_id),
                        story_id,
                        assignment.best.similarity if assignment.best else None,
                        json.dumps(_reasons(assignment), ensure_ascii=False),
                    ),
                )
            elif stored_story.get(item_id) != story_id:
                conn.execute("UPDATE story_members SET story_id = ? WHERE article_id = ?", (story_id, int(item_id)))
        conn.execute("DELETE FROM stories WHERE id NOT IN (SELECT story_id FROM story_members)")
        touched = {labels[a.item_id] for a in assignments} | {stored_story.get(a.item_id) for a in assignments}
        touched.update(row[0] for row in conn.execute("SELECT id FROM stories WHERE centroid IS NULL"))  # older stores
        summaries = [clusterer.stories[story_id].summary() for story_id in touched & live]
        conn.executemany(
            "UPDATE stories SET centroid = ?, core_keys = ? WHERE id = ?",
            [
                (s.centroid.astype(np.float32).tobytes(), json.dumps(sorted(s.keys), ensure_ascii=False), s.id)
                for s in summaries
            ],
        )
        _title_stories(conn, summaries)


def _body(article: Article) -> str:
    """The article's text without its title line, which lead_text puts first."""
    if article.title and article.text.startswith(article.title):
        return article.text[len(article.title) :]
    return article.text


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _within_window(stored: Sequence[ClusterItem], new: Sequence[ClusterItem], days: int) -> list[ClusterItem]:
    """Stored articles dated within ``days`` of the new batch: their stories are decided again with it."""
    dates = [item.date for item in new if item.date is not None]
    if not dates:
        return []
    low, high = min(dates) - dt.timedelta(days=days), max(dates) + dt.timedelta(days=days)
    return [item for item in stored if item.date is not None and low <= item.date <= high]


def _reasons(assignment: Assignment) -> dict[str, object]:
    data = dataclasses.asdict(assignment)
    data["explanation"] = assignment.explain()
    return data


def _join_translations(conn: sqlite3.Connection, translations: Sequence[Article]) -> None:
    for translation in translations:
        row = conn.execute(
            "SELECT story_id FROM story_members WHERE article_id = ?", (translation.translation_of,)
        ).fetchone()
        if row is None:
            continue
        reasons = {
            "explanation": f"translation of article {translation.translation_of}, which is in this story",
            "translation_of": translation.translation_of,
        }
        conn.execute(
            """INSERT INTO story_members (article_id, story_id, similarity, reasons) VALUES (?, ?, NULL, ?)
               ON CONFLICT(article_id) DO UPDATE SET story_id = excluded.story_id, reasons = excluded.reasons""",
            (translation.id, row[0], json.dumps(reasons)),
        )


def _title_stories(conn: sqlite3.Connection, summaries: Sequence[StorySummary]) -> None:
    """Each story's title: among headlines (an article's title, else a headline-like line of its opening) that
    name any of the story's core names and numbers, a title before an opening, then the one naming most, then
    the earliest; so a byline or a show's name standing in an article's title field does not name the story."""
    keys_of = {summary.id: summary.keys for summary in summaries}
    headlines: dict[int, list[tuple[int, bool, str]]] = {story_id: [] for story_id in keys_of}
    for chunk in chunks(list(keys_of)):
        rows = conn.execute(
            f"""SELECT sm.story_id, a.title, a.lang, substr(d.text, a.start + 1, ?) AS opening
                FROM story_members sm JOIN articles a ON a.id = sm.article_id JOIN documents d ON d.id = a.document_id
                WHERE sm.story_id IN ({",".join("?" * len(chunk))}) AND a.role = 'article'
                ORDER BY a.published IS NULL, a.published, a.id""",
            (OPENING_SCAN_CHARS, *chunk),
        )
        for row in rows:
            keys = keys_of[row["story_id"]]
            if row["title"]:
                headlines[row["story_id"]].append(
                    (len(evidence_keys(row["title"], row["lang"]) & keys), True, row["title"])
                )
                continue
            named = [
                (len(evidence_keys(text, row["lang"]) & keys), text) for text in _opening_headlines(row["opening"])
            ]
            best = max(named, key=lambda pair: pair[0], default=(0, ""))  # the first of those naming most
            headlines[row["story_id"]].append((best[0], False, best[1]))
    conn.executemany(
        "UPDATE stories SET title = ? WHERE id = ?",
        [
            (max(found, key=lambda h: (h[0] > 0, h[1], h[0]), default=(0, False, ""))[2], story_id)
            for story_id, found in headlines.items()
        ],
    )


def _opening_headlines(text: str) -> list[str]:
    """The headline-like lines among the first ``OPENING_LINES`` lines: title-shaped (short, not ending a
    sentence, not a list item), of at least ``HEADLINE_MIN_WORDS`` words and not a date line, so page furniture
    (lone labels, "Published: ..." lines) is passed over. With none, the first line cut at a word."""
    lines = split_lines(text)[:OPENING_LINES]
    shaped = [
        line.text
        for line in lines
        if is_title_like(line) and len(line.words) >= HEADLINE_MIN_WORDS and date_line_value(line) is None
    ]
    if shaped or not lines:
        return shaped
    first = lines[0].text
    if len(first) <= OPENING_CHARS:
        return [first]
    return [first[:OPENING_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:—-") + "…"]


def _refresh_stories(conn: sqlite3.Connection) -> None:
    """Each story's date span."""
    conn.execute(
        """UPDATE stories SET
             first_date = (SELECT min(a.published) FROM story_members sm JOIN articles a ON a.id = sm.article_id
                           WHERE sm.story_id = stories.id),
             last_date = (SELECT max(a.published) FROM story_members sm JOIN articles a ON a.id = sm.article_id
                          WHERE sm.story_id = stories.id)"""
    )


def _infer_dates(conn: sqlite3.Connection, articles: Sequence[Article]) -> None:
    """An undated article gets an inferred date from its story (kept apart from source dates, never evidence):
    the story day matching a weekday its text names ("today, Wednesday"), else the story's first day."""
    inferred: list[tuple[int, dt.date | None, str]] = []
    for article in articles:
        if article.published is not None:
            continue
        span = story_dates(conn, article.id)
        if span is None:
            inferred.append((article.id, None, ""))
            continue
        weekday = publication_weekday(relative_mentions(article.text, article.lang))
        days = [span.first + dt.timedelta(days=n) for n in range(-1, (span.last - span.first).days + 2)]
        matching = [d for d in days if weekday is not None and d.weekday() == weekday[0]]
        evidence = f"story {span.story_id} ({span.first}…{span.last})" + (
            f"; the text says {weekday[1].text!r}" if matching and weekday else ""
        )
        inferred.append((article.id, matching[0] if matching else span.first, evidence))
    set_inferred_dates(conn, inferred)
