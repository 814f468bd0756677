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
        reach = window.load_ranges(window.one_span([late[0].date]), clusterer.window_days, clusterer.bucket_days)
        assert loaded and total is not None and len(loaded) < total / 2
        by_story: dict[int, list[dt.date | None]] = {}
        for item, story in loaded:
            by_story.setdefault(story, []).append(item.date)
        for dates in by_story.values():  # a dated article within reach, or an undated one ingested lately (all were)
            assert None in dates or any(low <= d <= high for d in dates if d for low, high in reach)
        assert total == sum(1 for _ in stories.stored_members(store, NoEncoder.name))


def test_load_ranges_cover_the_batch_and_twice_the_window_in_whole_buckets() -> None:
    day = dt.date(2025, 6, 18)
    (low, high), *rest = window.load_ranges([(day, day + dt.timedelta(days=3))], 21, 7)
    assert not rest and low <= day - dt.timedelta(days=42) and high >= day + dt.timedelta(days=45)
    assert low.toordinal() % 7 == 0 and (high.toordinal() + 1) % 7 == 0
    (far,) = window.load_ranges(window.one_span([day + dt.timedelta(days=400), day]), 21, 7)
    assert far[0] == low and far[1] >= day + dt.timedelta(days=442)  # the span between, decided again as before
    later = day + dt.timedelta(days=400)
    first, second = window.load_ranges([(later, later), (day, day)], 21, 7)  # two spans (a cut): two ranges
    assert first[0] == low and first[1] < later - dt.timedelta(days=42) and second[1] == far[1]
    (joined,) = window.load_ranges([(day, day), (day + dt.timedelta(days=60), day + dt.timedelta(days=60))], 21, 7)
    assert joined[0] == low  # ranges that meet are one


class CountingWriter:
    """Stored articles on given days, counted between two dates as the store counts them."""

    def __init__(self, days: list[dt.date]) -> None:
        self.days = days
        self.asked: list[tuple[dt.date, dt.date]] = []

    def clustered_between(self, low: dt.date, high: dt.date, limit: int) -> int:
        self.asked.append((low, high))
        return min(limit, sum(1 for day in self.days if low <= day <= high))


def test_a_batch_is_cut_only_at_gaps_that_hold_more_stored_articles_than_the_bound() -> None:
    day = dt.date(2025, 1, 1)
    dates = [day, day + dt.timedelta(days=100), day + dt.timedelta(days=101), day + dt.timedelta(days=300)]
    stored = [day + dt.timedelta(days=50)] * 3 + [day + dt.timedelta(days=200)] * 5 + [day + dt.timedelta(days=15)]
    writer = CountingWriter(stored)
    assert window.date_spans(writer, dates, 21, limit=8) == [(dates[0], dates[-1])]  # 3 + 5 held: one span
    # the gaps asked: beyond 21 days of either side (the article on day 15 is within a batch article's window)
    assert writer.asked == [
        (day + dt.timedelta(days=22), day + dt.timedelta(days=78)),
        (dates[2] + dt.timedelta(days=22), dates[3] - dt.timedelta(days=22)),
    ]
    assert window.date_spans(writer, dates, 21, limit=7) == [(dates[0], dates[2]), (dates[3], dates[3])]  # the fuller
    assert window.date_spans(writer, dates, 21, limit=2) == [
        (dates[0], dates[0]),
        (dates[1], dates[2]),
        (dates[3], dates[3]),
    ]
    assert window.date_spans(CountingWriter([]), dates, 21, limit=0) == [(dates[0], dates[-1])]  # an empty store
    assert window.date_spans(writer, [], 21) == []


def test_a_batch_leaves_alone_the_many_stored_articles_between_its_old_article_and_the_rest(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One article dated months before the rest of its batch (a date read from an old header line): where the
    store holds more articles between than the bound, the batch loads and decides its two windows only; the
    stories between stay as they were, and the old article joins its event's story as in a batch of its own."""
    rng = np.random.default_rng(7)
    directions = rng.normal(size=(40, DIM))

    def article(event: int, n: int, day: dt.date) -> tuple[str, str, dt.date, np.ndarray, set[str]]:
        vector = directions[event] + rng.normal(scale=0.25, size=DIM)
        return f"e{event}-{n}", "en", day, (vector / np.linalg.norm(vector)).astype(np.float32), {f"k:e{event}"}

    old = [article(0, n, START + dt.timedelta(days=n)) for n in range(4)]
    between = [article(e, n, START + dt.timedelta(days=40 + 5 * e + n)) for e in range(1, 31) for n in range(3)]
    late = START + dt.timedelta(days=260)
    batch = [article(0, 9, START + dt.timedelta(days=1))] + [article(35, n, late) for n in range(4)]
    loaded: list[str] = []
    load = window.load_window

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        rows = load(*args, **kwargs)
        loaded.extend(item.id for item, _ in rows)
        return rows

    monkeypatch.setattr(window, "load_window", spy)
    for bound, cut in ((len(between) - 1, True), (len(between), False)):
        with Store(tmp_path / f"gap{bound}.db") as store:
            stage = ClusteringStage(NoEncoder())  # type: ignore[arg-type]
            stage.span_max_articles = bound  # the gap holds len(between) stored articles
            for part in (old, between[:45], between[45:]):
                ingest(store, stage, part)
            before, _ = outcome(store)
            loaded.clear()
            ingest(store, stage, batch)
            after, _ = outcome(store)
            key_of = {str(a.id): a.key for a in list_articles(store)}
        loaded_between = {key_of[i] for i in loaded} & {row[0] for row in between}
        if cut:  # those within twice the window of the old article (whole buckets) only
            assert loaded_between and all(int(key.split("-")[0][1:]) <= 2 for key in loaded_between)
        else:  # the whole span between, decided again as before
            assert loaded_between == {row[0] for row in between}
        assert after["e0-9"] == before["e0-0"] and after["e35-0"] not in before.values()
        assert all(after[row[0]] == before[row[0]] for row in between)
