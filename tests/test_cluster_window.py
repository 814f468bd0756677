"""Each ingest batch loads only the stored stories of the time window it reaches, and decides exactly what a
clusterer holding the whole store decided (the clustering stage before windows, kept here as the reference)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pytest

from storylens.clustering import window
from storylens.clustering.online import ClusterItem
from storylens.clustering.stage import ClusteringStage
from storylens.models import DateInfo, LanguageGuess, RawDocument
from storylens.stages import StageProgress
from storylens.store import stories
from storylens.store.articles import NewArticle, list_articles, store_document
from storylens.store.db import Store
from storylens.store.stage_writers import ClusteringWriter

DIM = 64
START = dt.date(2025, 1, 1)


class NoEncoder:
    """Vectors are stored by the test before the stage runs; the stage must never embed."""

    name = "test-window"
    dim = DIM

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        raise AssertionError("every article was embedded by the test")

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        raise AssertionError("not used")


class WholeStoreStage(ClusteringStage):
    """The stage as it was: every stored assignment restored, the batch decided with the stored articles dated
    between its first date less ``window_days`` and its last date plus ``window_days`` (with ``around``, as the
    stage decides them: only the new articles and the stored ones of the stories they reach)."""

    around = False

    def process(self, store: Store, article_ids: Sequence[int], progress: StageProgress | None = None) -> None:
        originals = [a for a in list_articles(store, ids=list(article_ids)) if a.role == "article"]
        with store.stage_batch(self.name, article_ids, writer=self.writer) as writer:
            clusterer = self.make_clusterer()
            exclude = {a.id for a in originals}
            stored = [
                (ClusterItem(str(i), lang, dt.date.fromisoformat(day) if day else None, vector, keys), story)
                for i, lang, day, vector, keys, story in stories.stored_members(store, self.encoder.name)
                if i not in exclude
            ]
            clusterer.restore([item for item, _ in stored], [story for _, story in stored])
            new_items = list(self._items(store, originals))
            dates = [item.date for item in new_items if item.date is not None]
            span = dt.timedelta(days=clusterer.window_days)
            recent = (
                [i for i, _ in stored if i.date is not None and min(dates) - span <= i.date <= max(dates) + span]
                if dates
                else []
            )
            if self.around:
                known = writer.level_matches([int(item.id) for item in recent])
                clusterer.known_level_matches({str(i): match for i, match in known.items()})
            around = [item.id for item in new_items] if self.around else None
            assignments = clusterer.consolidate([*recent, *new_items], around=around)
            if self.around:
                decided = {a.item_id for a in assignments}
                writer.set_level_matches(
                    (int(i.id), clusterer.level_match(i.id)[1])
                    for i in recent
                    if int(i.id) not in known and i.id not in decided
                )
            self._write(writer, clusterer, assignments, {item.id: story for item, story in stored})
            writer.refresh_story_dates()


class WholeStoreAroundStage(WholeStoreStage):
    """The whole store restored, the batch decided as the stage decides it (around its new articles)."""

    around = True


def corpus(seed: int) -> list[tuple[str, str, dt.date | None, np.ndarray, set[str]]]:
    """Invented events over 400 days: each a few articles in two languages over a few days, sharing a rare key,
    some undated; every vector is its event's direction plus noise."""
    rng = np.random.default_rng(seed)
    rows = []
    for event in range(45):
        direction = rng.normal(size=DIM)
        first = START + dt.timedelta(days=int(rng.integers(0, 400)))
        for n in range(int(rng.integers(2, 8))):
            day = None if rng.random() < 0.08 else first + dt.timedelta(days=int(rng.integers(0, 5)))
            # an undated article is close to its event: the whole store has no better story for it far away (where
            # one does, the window decides otherwise: see clustering/window.py)
            vector = direction + rng.normal(scale=1.1 if day else 0.4, size=DIM)
            keys = {f"k:event{event}"} if rng.random() < 0.7 else set()
            keys |= {f"k:common{int(rng.integers(0, 6))}"}
            lang = "en" if n % 2 else "fr"
            rows.append((f"e{event}-{n}", lang, day, (vector / np.linalg.norm(vector)).astype(np.float32), keys))
    return rows


def batches(rows: list, count: int, undated_day: dict[str, dt.date]) -> list[list]:
    """In date order, cut into ``count`` batches; an undated article comes with its event's first dated one."""
    ordered = sorted(rows, key=lambda r: (r[2] or undated_day[r[0].split("-")[0]], r[0]))
    size = -(-len(ordered) // count)
    return [ordered[start : start + size] for start in range(0, len(ordered), size)]


def ingest(store: Store, stage: ClusteringStage, batch: list) -> None:
    ids = []
    for key, lang, day, vector, keys in batch:
        date = DateInfo(day, "declared", "") if day else DateInfo(None, "unknown", "")
        doc = RawDocument(origin="t.jsonl", kind="jsonl", text=f"article {key}", external_id=key)
        article = NewArticle(1, key, "article", 0, len(doc.text), key, LanguageGuess(lang, 0.9), date, None, ())
        (article_id,) = store_document(store, doc, [article]).new_article_ids
        with store.transaction() as conn:
            stories.save_embeddings(conn, NoEncoder.name, [(article_id, "h", vector, keys)])
        ids.append(article_id)
    stage.process(store, ids)


def outcome(store: Store) -> tuple[dict[str, int], dict[int, tuple[str | None, str | None]]]:
    keys = {a.id: a.key for a in list_articles(store)}
    rows = store.conn.execute("SELECT article_id, story_id FROM story_members").fetchall()
    spans = store.conn.execute("SELECT id, first_date, last_date FROM stories").fetchall()
    return {keys[r[0]]: r[1] for r in rows}, {r[0]: (r[1], r[2]) for r in spans}


def similarities(store: Store) -> dict[int, float | None]:
    return dict(store.conn.execute("SELECT article_id, similarity FROM story_members").fetchall())


@pytest.mark.parametrize("seed", [1, 2])
def test_batches_decide_what_the_whole_store_decided(tmp_path, seed: int) -> None:
    rows = corpus(seed)
    first_day = {}
    for key, _, day, _, _ in sorted(rows, key=lambda r: (r[2] is None, r[2] or START)):
        first_day.setdefault(key.split("-")[0], day or START)
    cut = batches(rows, 9, first_day)
    with Store(tmp_path / "window.db") as windowed, Store(tmp_path / "whole.db") as whole:
        for batch in cut:
            ingest(windowed, ClusteringStage(NoEncoder()), batch)  # type: ignore[arg-type]
            ingest(whole, WholeStoreAroundStage(NoEncoder()), batch)  # type: ignore[arg-type]
            assert outcome(windowed) == outcome(whole)
        assert similarities(windowed) == pytest.approx(similarities(whole))
        assert len(set(outcome(windowed)[0].values())) > 30  # many stories, so windows leave most out


def test_a_late_batch_loads_its_window_not_the_store(tmp_path) -> None:
    rows = corpus(3)
    first_day = {}
    for key, _, day, _, _ in sorted(rows, key=lambda r: (r[2] is None, r[2] or START)):
        first_day.setdefault(key.split("-")[0], day or START)
    cut = batches(rows, 6, first_day)
    with Store(tmp_path / "w.db") as store:
        stage = ClusteringStage(NoEncoder())  # type: ignore[arg-type]
        for batch in cut[:-1]:
            ingest(store, stage, batch)
        clusterer = stage.make_clusterer()
        late = [ClusterItem("new", "en", dt.date(2026, 2, 20), np.ones(DIM, dtype=np.float32) / DIM**0.5)]
        with store.stage_batch(stage.name, [], writer=ClusteringWriter) as writer:
            loaded = window.load_window(writer, clusterer, NoEncoder.name, late, set())
            total = writer.totals_kept(NoEncoder.name)
        reach = window.load_ranges([late[0].date], clusterer.window_days, clusterer.bucket_days)
        assert loaded and total is not None and len(loaded) < total / 2
        by_story: dict[int, list[dt.date | None]] = {}
        for item, story in loaded:
            by_story.setdefault(story, []).append(item.date)
        for dates in by_story.values():  # a dated article within reach, or an undated one ingested lately (all were)
            assert None in dates or any(low <= d <= high for d in dates if d for low, high in reach)
        assert total == sum(1 for _ in stories.stored_members(store, NoEncoder.name))


def test_load_ranges_cover_the_batch_and_twice_the_window_in_whole_buckets() -> None:
    day = dt.date(2025, 6, 18)
    (low, high), *rest = window.load_ranges([day, day + dt.timedelta(days=3)], 21, 7)
    assert not rest and low <= day - dt.timedelta(days=42) and high >= day + dt.timedelta(days=45)
    assert low.toordinal() % 7 == 0 and (high.toordinal() + 1) % 7 == 0
    (far,) = window.load_ranges([day + dt.timedelta(days=400), day], 21, 7)
    assert far[0] == low and far[1] >= day + dt.timedelta(days=442)  # the span between, decided again as before


def test_undated_articles_after_their_stories_find_them_by_their_rare_keys(tmp_path) -> None:
    """Undated articles ingested last, long after their stories' windows: those naming a rare key of their event
    join the story the whole store gives them (looked up by key, not by loading every story)."""
    rows = corpus(4)
    dated = sorted((r for r in rows if r[2] is not None), key=lambda r: (r[2], r[0]))
    undated = [r for r in rows if r[2] is None]
    cut = [dated[start : start + 40] for start in range(0, len(dated), 40)] + [undated]
    with Store(tmp_path / "window.db") as windowed, Store(tmp_path / "whole.db") as whole:
        for batch in cut:
            ingest(windowed, ClusteringStage(NoEncoder()), batch)  # type: ignore[arg-type]
            ingest(whole, WholeStoreStage(NoEncoder()), batch)  # type: ignore[arg-type]
        (got, _), (expected, _) = outcome(windowed), outcome(whole)
    keyed = [key for key, _, _, _, keys in undated if any(k.startswith("k:event") for k in keys)]
    assert len(keyed) >= 3
    for key in keyed:  # the same story mates as with the whole store
        assert {k for k, s in got.items() if s == got[key]} == {k for k, s in expected.items() if s == expected[key]}
