"""The backend suite: one set of tests every store backend must pass, in the way Haystack tests its document
stores. ``StoreSuite`` holds the tests; each backend's module subclasses it and supplies ``target`` (a new, empty
store: a file path or a URL). ``test_sqlite.py`` and ``test_postgresql.py`` are the two subclasses.

Every test goes through the repositories (``store/*.py``), never through backend-specific SQL.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest

from storylens.extraction.records import Extraction, Figure, Mention, Quote
from storylens.models import DateInfo, LanguageGuess, RawDocument, Segment
from storylens.store import (
    bulk,
    cluster_window,
    entities,
    extraction,
    groups,
    inferred_dates,
    progress,
    reads,
    stories,
    storylines,
    translations,
)
from storylens.store.articles import NewArticle, get_article, list_articles, stats, store_document
from storylens.store.db import Store, StoreError, migrations
from tests.reliability.store_snapshot import run

from .snapshot import read_model, snapshot
from .suite_follow import FollowSuite
from .suite_serve import ServeSuite

TEXTS = [
    "Engineers closed the Ostrava river bridge after finding a crack in one beam.",
    "Dock workers in Porto Alegre began a strike over pay on Monday morning.",
    "Floods cut off the old town of Trondheim; 600 homes were evacuated.",
]


def new_article(key: str, text: str, day: int | None) -> NewArticle:
    date = DateInfo(dt.date(2026, 3, day), "declared", "") if day else DateInfo(None, "unknown", "")
    return NewArticle(
        part=1,
        key=key,
        role="article",
        start=0,
        end=len(text),
        title=text.split(" ")[0] + " " + text.split(" ")[1],
        language=LanguageGuess("en", 0.93),
        date=date,
        source="wire",
        segments=(Segment(0, len(text), "body"),),
        metadata={"n": 1},
    )


def add(store: Store, text: str, day: int | None, external_id: str) -> int:
    doc = RawDocument(origin="wire.jsonl", kind="jsonl", text=text, external_id=external_id, source="wire")
    return store_document(store, doc, [new_article(external_id, text, day)]).new_article_ids[0]


class TopicEncoder:
    """A stand-in encoder for meaning search: one dimension per topic word."""

    name = "test-topics"
    dim = 3
    topics = ("bridge", "strike", "flood")

    def encode(self, texts: list[str]) -> np.ndarray:
        rows = [[1.0 if topic in text.lower() else 0.01 for topic in self.topics] for text in texts]
        return (np.asarray(rows) / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self.encode(texts)


class StoreSuite(FollowSuite, ServeSuite):
    """The tests (with ``FollowSuite``'s: feeds, watchlists, alerts, changes; ``ServeSuite``'s: concurrent
    requests); a subclass provides the ``target`` fixture."""

    @pytest.fixture
    def target(self) -> str:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    @pytest.fixture
    def store(self, target: str):
        with Store(target) as opened:
            yield opened

    @pytest.fixture
    def three(self, store: Store) -> list[int]:
        """Three stored articles: two dated (days 4 and 2) and one undated."""
        return [add(store, TEXTS[0], 4, "a"), add(store, TEXTS[1], 2, "b"), add(store, TEXTS[2], None, "c")]

    # -------------------------------------------------------------- schema and transactions

    def test_migrations_run_once_to_the_latest_version(self, target: str) -> None:
        with Store(target) as store:
            assert store.version == migrations()[-1][0]
            add(store, TEXTS[0], 1, "a")
        with Store(target) as store:  # opening again migrates nothing and keeps the data
            assert store.version == migrations()[-1][0]
            assert len(list_articles(store)) == 1

    def test_reading_an_empty_store_fails_with_one_message(self, target: str) -> None:
        with pytest.raises(StoreError, match="no storylens database here"):
            Store(target, readonly=True)

    def test_a_failed_transaction_leaves_nothing(self, store: Store, three: list[int]) -> None:
        with pytest.raises(RuntimeError), store.transaction() as conn:
            stories.ensure_stories(conn, [7])
            stories.set_member(conn, three[0], 7, 0.9, {"why": "test"})
            raise RuntimeError("abort")
        assert stories.story_ids(store.conn) == []

    def test_a_read_only_store_refuses_writes(self, target: str, three: list[int]) -> None:
        with Store(target, readonly=True) as reader:
            reader.query_only()
            assert len(list_articles(reader)) == 3
            with pytest.raises(reader.backend.errors), reader.transaction() as conn:
                stories.ensure_stories(conn, [1])

    # -------------------------------------------------------------- articles

    def test_articles_are_slices_found_by_every_id(self, store: Store, three: list[int]) -> None:
        first = get_article(store, "a")
        assert first is not None and first.id == three[0] and first.text == TEXTS[0]
        assert first.published == dt.date(2026, 3, 4) and first.metadata == {"n": 1}
        assert get_article(store, str(three[1])) == list_articles(store, ids=[three[1]])[0]
        assert get_article(store, first.display_id) == first
        assert get_article(store, "no-such-article") is None

    def test_articles_list_undated_first_then_by_date(self, store: Store, three: list[int]) -> None:
        assert [a.id for a in list_articles(store)] == [three[2], three[1], three[0]]
        assert [a.id for a in list_articles(store, since=dt.date(2026, 3, 3))] == [three[0]]
        assert [a.id for a in list_articles(store, ids=three, limit=2)] == [three[2], three[1]]

    def test_the_same_text_is_stored_once(self, store: Store, three: list[int]) -> None:
        doc = RawDocument(origin="again.jsonl", kind="jsonl", text=TEXTS[0], external_id="a", source="wire")
        result = store_document(store, doc, [new_article("a", TEXTS[0], 4)])
        assert result.new_article_ids == () and result.duplicate_parts == 1
        counted = stats(store)
        assert counted["articles"] == 3 and counted["documents"] == 3 and counted["by_lang"] == {"en": 3}
        assert counted["first_published"] == "2026-03-02" and counted["last_published"] == "2026-03-04"

    # -------------------------------------------------------------- vectors and stories

    def test_vectors_round_trip_exactly_and_are_replaced(self, store: Store, three: list[int]) -> None:
        rng = np.random.default_rng(7)
        vectors = rng.standard_normal((3, 384)).astype(np.float32)
        with store.transaction() as conn:
            stories.save_embeddings(
                conn, "enc", [(i, "h", v, {"k1", "k2"}) for i, v in zip(three, vectors, strict=True)]
            )
            stories.save_embeddings(conn, "enc", [(three[0], "h2", vectors[2], {"k3"})])  # replaces the first
        assert stories.embedded_ids(store, "enc") == set(three)
        found = {i: (v, keys) for i, v, keys in stories.vectors_and_keys(store, "enc", three)}
        assert np.array_equal(found[three[0]][0], vectors[2]) and found[three[0]][1] == {"k3"}
        assert np.array_equal(found[three[1]][0], vectors[1]) and found[three[1]][1] == {"k1", "k2"}
        assert reads.stored_encoders(store) == {"enc": 3}

    def test_story_members_summaries_and_dates(self, store: Store, three: list[int]) -> None:
        centroid = np.linspace(-1, 1, 8, dtype=np.float32)
        with store.transaction() as conn:
            stories.save_embeddings(conn, "enc", [(i, "h", centroid, {"x"}) for i in three])
            stories.ensure_stories(conn, [5, 9, 5])
            stories.set_member(conn, three[0], 5, 0.8, {"similarity": 0.8})
            stories.set_member(conn, three[1], 9, None, {})
            stories.set_member(conn, three[1], 5, 0.7, {"similarity": 0.7})  # moved: the row is updated
            stories.set_member(conn, three[2], 9, 0.6, {})
            stories.drop_empty_stories(conn)
            stories.save_summaries(conn, [(5, centroid, {"b", "a"})])
            stories.refresh_story_dates(conn)
        assert stories.story_ids(store.conn) == [5, 9]
        assert stories.stories_of(store.conn, [three[2], three[0], three[1]]) == [5, 9]
        assert stories.unsummarised_stories(store.conn) == [9]
        members = stories.stored_members(store, "enc")
        assert [(m[0], m[2], m[5]) for m in members] == [
            (three[0], "2026-03-04", 5),
            (three[1], "2026-03-02", 5),
            (three[2], None, 9),
        ]
        rows = {row[0]: row for row in storylines.story_rows(store.conn)}
        assert np.array_equal(np.frombuffer(rows[5][1], dtype=np.float32), centroid)
        assert json.loads(rows[5][2]) == ["a", "b"] and rows[5][3:] == ("2026-03-02", "2026-03-04")
        assert rows[9][1] is None and rows[9][3:] == (None, None)
        assert inferred_dates.story_dates(store.conn, three[2]) is None
        assert inferred_dates.story_dates(store.conn, three[0]) == inferred_dates.StoryDates(
            5, dt.date(2026, 3, 2), dt.date(2026, 3, 4)
        )

    def test_a_time_window_of_stories_and_the_totals_over_all(self, store: Store, three: list[int]) -> None:
        """Stories with a member in a date range (whole), undated ones by ingest time, and the kept totals."""
        rng = np.random.default_rng(3)
        vectors = rng.standard_normal((3, 8)).astype(np.float32)
        with store.transaction() as conn:
            stories.save_embeddings(
                conn, "enc", [(i, "h", v, {"k", f"k{i}"}) for i, v in zip(three, vectors, strict=True)]
            )
            stories.ensure_stories(conn, [4, 6])
            stories.set_member(conn, three[0], 4, 0.5, {})  # day 4
            stories.set_member(conn, three[2], 4, 0.5, {})  # undated, same story
            stories.set_member(conn, three[1], 6, 0.5, {})  # day 2
            stories.save_summaries(conn, [(4, vectors[0], set()), (6, vectors[1], set())])
            cluster_window.rebuild_totals(conn, "other")  # dropped below: totals are kept for one encoder
            cluster_window.rebuild_totals(conn, "enc")
        conn = store.conn
        day = dt.date(2026, 3, 3)
        assert [m[0] for m in cluster_window.window_members(conn, "enc", [(day, day + dt.timedelta(1))], None)] == [
            three[0],
            three[2],
        ]
        assert [m[5] for m in cluster_window.window_members(conn, "enc", [(day - dt.timedelta(1), day)], None)] == [6]
        assert cluster_window.window_members(conn, "enc", [], "9999-01-01") == []
        since = cluster_window.newest_ingest(conn)
        assert since is not None and [m[0] for m in cluster_window.window_members(conn, "enc", [], since)] == [
            three[0],
            three[2],
        ]
        member = cluster_window.window_members(conn, "enc", [(day, day + dt.timedelta(1))], None)[0]
        assert member[1:3] == ("en", "2026-03-04") and np.array_equal(member[3], vectors[0])
        assert member[4] == {"k", f"k{three[0]}"}
        assert cluster_window.latest_dated(conn) == dt.date(2026, 3, 2)  # the last dated one ingested
        assert cluster_window.max_story_id(conn) == 6
        assert cluster_window.members_among(conn, [three[1], 99]) == {three[1]: 6}
        assert cluster_window.totals_kept(conn, "enc") == 3 and cluster_window.totals_kept(conn, "other") is None
        (count, total), *others = cluster_window.language_sums(conn, "enc").values()
        assert not others and count == 3 and np.allclose(total, vectors.astype(np.float64).sum(axis=0))
        with store.transaction() as conn:  # through a temporary table: inside a transaction, as the stage calls it
            assert cluster_window.key_counts(conn, "enc", ["k", f"k{three[1]}", "none"]) == {"k": 3, f"k{three[1]}": 1}
            assert cluster_window.stories_naming(conn, ["k", f"k{three[1]}", "none"]) == [
                ("k", 4),
                ("k", 6),
                (f"k{three[1]}", 6),
            ]
            assert [m[0] for m in cluster_window.window_members(conn, "enc", [], None, [6, 6])] == [three[1]]
        with store.transaction() as conn:
            cluster_window.add_totals(conn, "enc", [("ar", vectors[0], ["k", "new"])])
            stories.note_story_changes(conn, [6, None, 4, 6])  # clustering's log
            stories.note_story_changes(conn, [5, 6], "story_entity_changes")  # extraction's
        assert cluster_window.totals_kept(store.conn, "enc") == 4
        assert sorted(cluster_window.language_sums(store.conn, "enc")) == ["ar", "en"]
        with store.transaction() as conn:
            assert cluster_window.key_counts(conn, "enc", ["k", "new"]) == {"k": 4, "new": 1}
            assert stories.read_story_changes(conn) == [4, 5, 6]
            assert stories.read_story_changes(conn) == []  # read once
            stories.note_story_changes(conn, [7])  # the rows read are forgotten but the last: numbering goes on
            assert conn.execute("SELECT count(*) FROM story_changes").fetchone()[0] == 2
            assert stories.read_story_changes(conn) == [7]
            with pytest.raises(ValueError):
                stories.note_story_changes(conn, [1], "stories")

    def test_clustered_articles_between_two_dates_are_counted_up_to_a_limit(
        self, store: Store, three: list[int]
    ) -> None:
        """The counted look-up a batch's date gaps ask (``clustering/window.py``, ``date_spans``)."""
        day = dt.date(2026, 3, 2)  # three[1]'s date; three[0] is dated 2026-03-04, three[2] undated
        with store.transaction() as conn:
            stories.ensure_stories(conn, [4])
            stories.set_member(conn, three[0], 4, 0.5, {})
            stories.set_member(conn, three[2], 4, 0.5, {})  # undated: between no dates
        assert cluster_window.clustered_between(store.conn, day, day + dt.timedelta(2), 10) == 1  # three[1]: no story
        with store.transaction() as conn:
            stories.set_member(conn, three[1], 4, 0.5, {})
            assert cluster_window.clustered_between(conn, day, day + dt.timedelta(2), 10) == 2
            assert cluster_window.clustered_between(conn, day, day + dt.timedelta(2), 1) == 1  # up to the limit
            assert cluster_window.clustered_between(conn, day + dt.timedelta(1), day + dt.timedelta(1), 10) == 0
            assert cluster_window.clustered_between(conn, day + dt.timedelta(2), day + dt.timedelta(2), 10) == 1

    def test_story_dates_and_empty_stories_for_some_stories(self, store: Store, three: list[int]) -> None:
        with store.transaction() as conn:
            stories.save_embeddings(conn, "enc", [(three[0], "h", np.ones(4, dtype=np.float32), set())])
            stories.ensure_stories(conn, [1, 2, 3])
            stories.set_member(conn, three[0], 1, 0.5, {})
            stories.set_member(conn, three[1], 2, 0.5, {})
            stories.refresh_story_dates(conn, [2])
            stories.drop_empty_stories(conn, [1])
        rows = {row[0]: row[3:] for row in storylines.story_rows(store.conn)}
        assert rows == {1: (None, None), 2: ("2026-03-02", "2026-03-02"), 3: (None, None)}  # 3 not asked about
        assert stories.embedded_ids(store, "enc", [three[0], three[1]]) == {three[0]}

    def test_story_openings_and_titles(self, store: Store, three: list[int]) -> None:
        with store.transaction() as conn:
            stories.ensure_stories(conn, [1])
            for article_id in three:
                stories.set_member(conn, article_id, 1, 0.5, {})
            stories.set_titles(conn, [(1, "A bridge")])
        openings = list(stories.story_openings(store.conn, [1], 9))
        assert [row["opening"] for row in openings] == [TEXTS[1][:9], TEXTS[0][:9], TEXTS[2][:9]]  # undated last
        assert storylines.story_sizes(store.conn) == {1: 3}

    # -------------------------------------------------------------- extraction, entities, groups

    def _extract(self, store: Store, article_id: int) -> None:
        text = TEXTS[0]
        name = Mention(0, 9, text[0:9], "person", "engineers")
        found = Extraction(
            mentions=[name, Mention(14, 21, text[14:21], "place", "ostrava")],
            quotes=[Quote(22, 33, text[22:33], "direct", "said", speaker=name)],
            figures=[Figure(40, 43, text[40:43], 3.0, "people", approximate=True, measure="dead")],
        )
        with store.transaction() as conn:
            extraction.replace_extraction(conn, article_id, "en", found)

    def test_extraction_is_replaced_as_a_whole(self, store: Store, three: list[int]) -> None:
        self._extract(store, three[0])
        self._extract(store, three[0])
        mentions = entities.article_mentions(store.conn, [three[0]])
        assert [(m["start"], m["end"], m["type"], m["story_id"]) for m in mentions] == [
            (0, 9, "person", None),
            (14, 21, "place", None),
        ]
        figures = groups.story_figures(store.conn, None)
        assert [(f["value_low"], f["approximate"], f["what"]) for f in figures] == [(3.0, 1, "dead")]

    def test_entities_link_and_unused_ones_are_dropped(self, store: Store, three: list[int]) -> None:
        self._extract(store, three[0])
        mention_ids = [m["id"] for m in entities.all_mentions(store.conn)]
        with store.transaction() as conn:
            person = entities.save_entity(conn, "p:eng", "Engineers", "person", False, mention_ids[:1], {"s1", "s2"})
            again = entities.save_entity(conn, "p:eng", "Engineer", "person", True, mention_ids[:1], {"s2"})
            place = entities.save_entity(conn, "l:ost", "Ostrava", "place", False, [], {"s3"})
            entities.relink_quote_speakers(conn)
            rows, touched = entities.touched_mentions(conn, [three[1]], ["s2"])
            entities.drop_unused_entities(conn)
        assert again == person and touched == {person}
        assert [r["id"] for r in rows] == mention_ids[:1]
        assert storylines.entity_names(store.conn) == {str(person): "Engineer"}
        assert place not in {int(k) for k in storylines.entity_names(store.conn)}
        quotes = groups.story_quotes(store.conn, None)
        assert [q["speaker_entity_id"] for q in quotes] == [person]

    def test_groups_per_story_and_for_no_story(self, store: Store, three: list[int]) -> None:
        self._extract(store, three[0])
        quote_id = groups.story_quotes(store.conn, None)[0]["id"]
        figure_id = groups.story_figures(store.conn, None)[0]["id"]
        with store.transaction() as conn:
            first = groups.add_quote_group(conn, None, None, [quote_id])
            figure_group = groups.add_figure_group(
                conn, None, unit="people", measure="dead", discrepancy=True, updated=False, figure_ids=[figure_id]
            )
        assert groups.story_quotes(store.conn, None)[0]["group_id"] == first
        assert groups.story_figures(store.conn, None)[0]["group_id"] == figure_group
        with store.transaction() as conn:
            groups.clear_story_groups(conn, None)
        assert groups.story_quotes(store.conn, None)[0]["group_id"] is None
        with store.transaction() as conn:  # groups made again get the same ids on every backend
            assert groups.add_quote_group(conn, None, None, [quote_id]) == first == 1
            assert groups.add_quote_group(conn, None, None, []) == 2
            groups.clear_all_groups(conn)
            assert (
                groups.add_figure_group(
                    conn, None, unit=None, measure=None, discrepancy=False, updated=False, figure_ids=[figure_id]
                )
                == figure_group
                == 1
            )

    # -------------------------------------------------------------- storylines and progress

    def test_storylines_are_replaced_with_their_links(self, store: Store, three: list[int]) -> None:
        with store.transaction() as conn:
            stories.ensure_stories(conn, [1, 2, 3])
            for story_id, article_id in zip([1, 2, 3], three, strict=True):
                stories.set_member(conn, article_id, story_id, 0.5, {})
            stories.set_titles(conn, [(1, "one"), (2, "two"), (3, "three")])
            storylines.replace_storylines(conn, [[2, 3]], [(2, 3, {"shared": ["x"]})])
            storylines.replace_storylines(conn, [[1, 2]], [(1, 2, {"shared": ["y"]})])
        rows = store.conn.execute("SELECT id, storyline_id FROM stories ORDER BY id").fetchall()
        assert [tuple(r) for r in rows] == [(1, 1), (2, 1), (3, None)]
        links = store.conn.execute("SELECT earlier, later, storyline_id, reasons FROM storyline_links").fetchall()
        assert [tuple(r[:3]) for r in links] == [(1, 2, 1)] and json.loads(links[0][3]) == {"shared": ["y"]}

    def test_storylines_of_some_stories_are_rewritten(self, store: Store, three: list[int]) -> None:
        """Stories near a date range, the storylines around some stories, and those rewritten alone."""
        with store.transaction() as conn:
            stories.ensure_stories(conn, [1, 2, 3])
            for story_id, article_id in zip([1, 2, 3], three, strict=True):
                stories.set_member(conn, article_id, story_id, 0.5, {})
            stories.set_titles(conn, [(1, "one"), (2, "two"), (3, "three")])
            stories.refresh_story_dates(conn)
            storylines.replace_storylines(conn, [[1, 2]], [(2, 1, {"why": "kept"})])
        conn = store.conn
        assert storylines.stories_between(conn, [("2026-03-03", "2026-03-09")]) == [1]  # day 4; 3 is undated
        assert storylines.stories_between(conn, [("2026-03-01", "2026-03-02"), ("2026-03-04", "2026-03-04")]) == [1, 2]
        assert storylines.stories_between(conn, [("2026-03-02", "2026-03-03"), ("2026-03-01", "2026-03-05")]) == [1, 2]
        assert [row[0] for row in storylines.story_rows(conn, [3, 1])] == [1, 3]
        assert (
            storylines.story_sizes(conn, [2]) == {2: 1} and storylines.story_entity_counts(conn, ["person"], [2]) == {}
        )
        assert storylines.storyline_neighbourhood(conn, [2]) == ({1}, {1, 2})
        assert storylines.storyline_neighbourhood(conn, [3]) == (set(), {3})
        assert storylines.links_touching(conn, [1]) == [(2, 1, '{"why": "kept"}')]
        with store.transaction() as conn:  # story 3 joins: one storyline of three, the kept link and a new one
            storylines.rewrite_storylines(
                conn, [1, 2, 3], {1}, [[1, 2, 3]], [(2, 1, '{"why": "kept"}'), (1, 3, '{"why": "new"}')]
            )
        rows = store.conn.execute("SELECT id, storyline_id FROM stories ORDER BY id").fetchall()
        assert [tuple(r) for r in rows] == [(1, 1), (2, 1), (3, 1)]
        assert storylines.links_touching(store.conn, [3]) == [(1, 3, '{"why": "new"}')]
        with store.transaction() as conn:  # story 1 leaves: 2 and 3 no longer linked, no storyline left
            storylines.rewrite_storylines(conn, [1, 2, 3], {1}, [], [])
        assert store.conn.execute("SELECT count(*) FROM storylines").fetchone()[0] == 0
        assert storylines.links_touching(store.conn, [1, 2, 3]) == []
        assert storylines.entity_names(store.conn, []) == {}

    def test_bulk_writes_store_articles_and_members(self, store: Store) -> None:
        rows = [
            bulk.BulkArticle(
                f"k{n}", f"text {n}", "t", "en", dt.date(2026, 1, 1 + n) if n else None, "2026-02-01T00:00:00+00:00"
            )
            for n in range(3)
        ]
        with store.transaction() as conn:
            ids = bulk.add_articles(conn, rows)
            stories.ensure_stories(conn, [8])
            bulk.set_members(conn, [(i, 8, 0.1, "{}") for i in ids])
        assert [a.key for a in list_articles(store, ids=ids)] == ["k0", "k1", "k2"]  # undated first
        assert [a.text for a in list_articles(store, ids=[ids[2]])] == ["text 2"]
        assert list_articles(store, ids=[ids[1]])[0].published == dt.date(2026, 1, 2)
        assert storylines.story_sizes(store.conn) == {8: 3}

    def test_progress_marks_and_rebuild_requests(self, store: Store, three: list[int]) -> None:
        with store.stage_batch("clustering", three[:2]):
            pass
        with store.stage_batch("clustering", three[:1]):  # marking twice is harmless
            pass
        assert progress.lacking(store, "clustering") == [three[2]]
        with store.transaction() as conn:
            progress.request_rebuilds(conn, ["clustering", "clustering", "storylines"])
        assert progress.rebuild_requested(store, "clustering")
        with store.stage_batch("clustering", None, rebuilt=True):
            pass
        assert progress.lacking(store, "clustering") == [] and not progress.rebuild_requested(store, "clustering")
        assert progress.completed(store) == {"clustering": 3}

    def test_a_stage_cursor_skips_done_articles_and_finds_later_ones(self, store: Store, three: list[int]) -> None:
        with store.stage_batch("clustering", [three[0], three[2]]):  # the second is not done: the cursor stays below
            pass
        assert progress.lacking(store, "clustering") == [three[1]]
        with store.stage_batch("clustering", [three[1]]):
            pass
        cursor = store.conn.execute("SELECT done_through FROM stage_cursors WHERE stage = 'clustering'").fetchone()
        assert cursor is not None and cursor[0] == max(three)
        later = add(store, "A later article about something else entirely, long enough to be kept.", 5, "d")
        assert progress.lacking(store, "clustering") == [later] and progress.lacking(store, "extraction") == [
            *three,
            later,
        ]

    def test_level_matches_are_kept_with_the_member(self, store: Store, three: list[int]) -> None:
        with store.transaction() as conn:
            stories.ensure_stories(conn, [5])
            stories.set_member(conn, three[0], 5, 0.8, {}, 0.41, measured=True)
            stories.set_member(conn, three[1], 5, 0.7, {}, None, measured=True)  # measured: no other language
            stories.set_member(conn, three[2], 5, 0.6, {})  # not measured
            stories.move_member(conn, three[0], 5)
        assert stories.level_matches(store.conn, three) == {three[0]: pytest.approx(0.41), three[1]: None}
        with store.transaction() as conn:
            stories.set_level_matches(conn, [(three[2], 0.25)])
        assert stories.level_matches(store.conn, [three[2]]) == {three[2]: pytest.approx(0.25)}

    # -------------------------------------------------------------- search

    def test_word_search_finds_words_and_prefixes(self, store: Store, three: list[int]) -> None:
        hits = reads.search_text(store, "bridge")
        assert [h["id"] for h in hits] == [three[0]]
        assert reads.HIT_START + "bridge" + reads.HIT_END in hits[0]["snippet"]
        assert [h["id"] for h in reads.search_text(store, "trond")] == [three[2]]  # a word's beginning
        assert [h["id"] for h in reads.search_text(store, "dock pay")] == [three[1]]  # every word
        assert reads.search_text(store, "bridge strike") == []
        assert reads.search_text(store, "% ? '") == []

    def test_a_title_match_ranks_first(self, store: Store, three: list[int]) -> None:
        other = add(store, "Residents of Engineers Row said the closure of the bridge was expected.", 5, "d")
        assert [h["id"] for h in reads.search_text(store, "engineers")] == [three[0], other]

    def test_word_search_ranks_shorter_articles_first_and_ties_by_id(self, store: Store) -> None:
        """Each word once, titles alike: the shorter text first (bm25, and ts_rank normalised by length), equal
        scores by id. (Several words, ranked alike on both: the corpus searches of ``snapshot.read_model``.)"""
        longer = add(store, "A ferry left Bergen late on Monday because of the strong wind and the rain there.", 1, "x")
        first = add(store, "A ferry crossed at dawn.", 1, "y")
        second = add(store, "A ferry crossed at dusk.", 1, "z")
        assert [h["id"] for h in reads.search_text(store, "ferry")] == [first, second, longer]
        assert [h["id"] for h in reads.search_text(store, "ferry crossed")] == [first, second]

    def test_word_search_folds_accents_and_keeps_the_text(self, store: Store) -> None:
        cafe = add(store, "The café on Rue Molière reopened after the Łódź floods.", 1, "x")
        plain = add(store, "A cafe in Bergen closed for the winter.", 2, "y")
        assert {h["id"] for h in reads.search_text(store, "cafe")} == {cafe, plain}
        assert {h["id"] for h in reads.search_text(store, "CAFÉ")} == {cafe, plain}
        assert [h["id"] for h in reads.search_text(store, "moliere reop")] == [cafe]
        assert [h["id"] for h in reads.search_text(store, "Molière")] == [cafe]
        snippet = reads.search_text(store, "cafe molière")[0]["snippet"]
        assert "café on Rue Molière" in snippet.replace(reads.HIT_START, "").replace(reads.HIT_END, "")
        assert get_article(store, "x").text.startswith("The café")  # type: ignore[union-attr]

    def test_translations_are_cached_once(self, store: Store) -> None:
        translations.remember(store, "t", "he", "en", {"שלום": "hello", "עולם": "world"})
        translations.remember(store, "t", "he", "en", {"שלום": "hi"})  # a stored result is kept
        assert translations.lookup(store, "t", "he", "en", ["שלום", "עולם", "x"]) == {"שלום": "hello", "עולם": "world"}
        assert translations.lookup(store, "t", "he", "ar", ["שלום"]) == {}

    def test_the_api_serves_the_store_with_both_searches(self, target: str, store: Store, three: list[int]) -> None:
        from fastapi.testclient import TestClient

        from storylens.views.web import create_app

        encoder = TopicEncoder()
        with store.transaction() as conn:
            rows = [(i, "h", v, set()) for i, v in zip(three, encoder.encode(TEXTS), strict=True)]
            stories.save_embeddings(conn, encoder.name, rows)
            stories.ensure_stories(conn, [1])
            stories.set_member(conn, three[0], 1, None, {})
            stories.refresh_story_dates(conn)
        client = TestClient(create_app(target, encoder=encoder, search_cutoff=0.5), base_url="http://localhost")
        assert [s["id"] for s in client.get("/api/stories").json()["rows"]] == [1]
        assert client.get("/api/articles/b").json()["text"] == TEXTS[1]
        for mode in ("text", "semantic", "hybrid"):
            found = client.get("/api/search", params={"q": "strike", "mode": mode}).json()
            assert [row["id"] for row in found["rows"]] == [three[1]], mode

    # -------------------------------------------------------------- the whole pipeline

    def test_ingest_gives_the_stories_sqlite_gives(
        self, target: str, corpus: tuple[Path, Path], sqlite_reference: dict[str, dict[str, object]]
    ) -> None:
        """Two batches of the invented corpus through `storylens ingest` (the fast test encoder), in a process
        of their own as a user runs them, then a recluster: the same stories, groups and storylines, and the same
        pages for the views."""
        for path in corpus:
            run("none", "ingest", str(path), "--db", target)
        state = snapshot(target)
        assert sorted(len(keys) for keys in state["stories"]) == [4] * 5  # type: ignore[union-attr]
        assert state == sqlite_reference["ingest"]
        assert read_model(target) == sqlite_reference["views"]
        run("none", "recluster", "--db", target)
        assert snapshot(target) == sqlite_reference["recluster"]
        assert read_model(target) == sqlite_reference["views_recluster"]  # group and entity ids too
