"""The backend suite's tests of what `watch` and `follow` keep: feeds and entries read (``store/watch.py``),
watchlists, alerts, deliveries and briefings (``store/alerts.py``), and what changed since a time
(``store/changes.py``). ``FollowSuite`` is mixed into ``suite.StoreSuite``; it uses that class's fixtures
(``store``, ``three``: three stored articles) and runs on every backend."""

from __future__ import annotations

import pytest

from storylens.extraction.records import Extraction, Mention
from storylens.store import alerts, entities, extraction, stories
from storylens.store import watch as feeds
from storylens.store.alerts import NewAlert
from storylens.store.changes import stories_changed_since
from storylens.store.db import Store


def _in_story(store: Store, story_id: int, article_ids: list[int]) -> None:
    with store.transaction() as conn:
        stories.ensure_stories(conn, [story_id])
        for article_id in article_ids:
            stories.set_member(conn, article_id, story_id, 0.5, {})
        stories.set_titles(conn, [(story_id, f"story {story_id} title")])
        stories.refresh_story_dates(conn)


def _place_mention(store: Store, article_id: int) -> int:
    """The article (the suite's first text) mentions Ostrava, linked to a place entity; the entity's id."""
    with store.transaction() as conn:
        mention = Mention(21, 28, "Ostrava", "place", "ostrava")
        extraction.replace_extraction(conn, article_id, "en", Extraction([mention], [], []))
        mention_id = entities.all_mentions(conn)[0]["id"]
        return entities.save_entity(conn, "l:ost", "Ostrava", "place", False, [mention_id], set())


def _ingested_at(store: Store, times: dict[int, str]) -> None:
    """Set the ingest time of these articles' documents (by hand: a test cannot wait for the clock)."""
    with store.transaction() as conn:
        for article_id, at in times.items():
            conn.execute(
                "UPDATE documents SET ingested_at = ? WHERE id = (SELECT document_id FROM articles WHERE id = ?)",
                (at, article_id),
            )


class FollowSuite:
    """Feeds, watchlists, alerts and changes, on any backend."""

    # -------------------------------------------------------------- feeds polled by `watch`

    def test_feeds_are_added_updated_parked_and_their_entries_read_once(self, store: Store) -> None:
        first, second = feeds.sync_feeds(store, [("https://a.example/feed", 60.0), ("https://b.example/rss", 30.5)])
        assert (first.url, first.interval_seconds, first.next_poll_at, first.parked) == (
            "https://a.example/feed", 60.0, 0.0, False,
        )  # fmt: skip
        again = feeds.sync_feeds(store, [("https://b.example/rss", 90.0)])  # a new interval, the same feed
        assert [(s.id, s.interval_seconds) for s in again] == [(second.id, 90.0)]
        feeds.record_success(store, first.id, next_poll_at=1000.5, etag='"e1"', last_modified="Mon, 1 Jan 2026")
        feeds.record_failure(store, second.id, error="timed out", next_poll_at=2000.0, parked=False)
        feeds.record_failure(store, second.id, error="refused", next_poll_at=3000.0, parked=True)
        states = {s.id: s for s in feeds.feed_states(store)}
        assert (states[first.id].etag, states[first.id].last_modified, states[first.id].next_poll_at) == (
            '"e1"', "Mon, 1 Jan 2026", 1000.5,
        )  # fmt: skip
        assert (states[second.id].failures, states[second.id].parked, states[second.id].last_error) == (
            2, True, "refused",
        )  # fmt: skip
        feeds.unpark(store, [second.id])
        unparked = {s.id: s for s in feeds.feed_states(store)}[second.id]
        assert (unparked.parked, unparked.failures, unparked.next_poll_at) == (False, 0, 0.0)
        feeds.mark_entry_seen(store, first.id, "guid-1")
        feeds.mark_entry_seen(store, first.id, "guid-1")  # twice is harmless
        assert feeds.seen_entries(store, first.id, ["guid-1", "guid-2"]) == {"guid-1"}
        assert feeds.seen_entries(store, second.id, ["guid-1"]) == set()

    # -------------------------------------------------------------- watchlists and alerts

    def test_watchlists_are_created_once_listed_and_deleted_with_their_alerts(
        self, store: Store, three: list[int]
    ) -> None:
        keyword, created = alerts.add_watchlist(store, "keyword", "bridge")
        same, created_again = alerts.add_watchlist(store, "keyword", "bridge")
        person, _ = alerts.add_watchlist(store, "entity", "Engineers", "en")
        assert created and not created_again and same == keyword
        assert [(w.kind, w.value, w.lang) for w in alerts.watchlists(store)] == [
            ("keyword", "bridge", ""), ("entity", "Engineers", "en"),
        ]  # fmt: skip
        assert alerts.get_watchlist(store, person.id) == person and alerts.get_watchlist(store, 10**6) is None
        with store.transaction() as conn:
            alerts.record_alerts(conn, [NewAlert("k:1", keyword.id, "keyword", None, "bridge", [])])
        assert alerts.alert_counts(store) == {keyword.id: 1}
        assert alerts.remove_watchlist(store, keyword.id) and not alerts.remove_watchlist(store, keyword.id)
        assert [w.id for w in alerts.watchlists(store)] == [person.id]
        assert alerts.list_alerts(store) == [] and alerts.alert_counts(store) == {}

    def test_alerts_are_raised_once_read_in_order_and_delivered_once_per_sink(
        self, store: Store, three: list[int]
    ) -> None:
        _in_story(store, 4, three[:2])
        watch, _ = alerts.add_watchlist(store, "story", "4")
        raised = [
            NewAlert("s:4", watch.id, "story-match", 4, "Bridge closed", [{"article": three[0], "text": "café"}]),
            NewAlert("s:4:new", watch.id, "new-articles", 4, "One more", [{"article": three[1]}]),
        ]
        with store.stage_batch("alerts", three) as conn:
            assert alerts.record_alerts(conn, [*raised, raised[0]]) == 2  # the same key is recorded once
        with store.stage_batch("alerts", three) as conn:
            assert alerts.record_alerts(conn, raised) == 0
        listed = alerts.list_alerts(store)
        assert [(a["key"], a["story"], a["link"], a["watchlist"]["value"]) for a in listed] == [
            ("s:4", 4, "/stories/4", "4"), ("s:4:new", 4, "/stories/4", "4"),
        ]  # fmt: skip
        assert listed[0]["evidence"] == [{"article": three[0], "text": "café"}]
        assert [a["key"] for a in alerts.list_alerts(store, limit=1)] == ["s:4:new"]  # the newest
        assert alerts.list_alerts(store, since="2999-01-01") == []
        assert len(alerts.list_alerts(store, since=listed[0]["created_at"], watchlist_id=watch.id)) == 2
        assert alerts.followed_stories(store, watch.id) == {4}
        alerts.mark_delivered(store, listed[0]["id"], "terminal")
        alerts.mark_delivered(store, listed[0]["id"], "terminal")
        assert [a["id"] for a in alerts.undelivered(store, "terminal")] == [listed[1]["id"]]
        assert [a["id"] for a in alerts.undelivered(store, "jsonl")] == [a["id"] for a in listed]

    def test_the_facts_alert_rules_read(self, store: Store, three: list[int]) -> None:
        _in_story(store, 4, three[:2])
        place = _place_mention(store, three[0])
        facts = alerts.article_facts(store, list(reversed(three)))
        assert [(f.id, f.key, f.story_id, f.lang, f.source, f.published) for f in facts] == [
            (three[0], "a", 4, "en", "wire", "2026-03-04"),
            (three[1], "b", 4, "en", "wire", "2026-03-02"),
            (three[2], "c", None, "en", "wire", None),
        ]
        assert alerts.story_members_before(store, 4, [three[0]]) == [("en", "wire")]
        assert alerts.story_title(store, 4) == "story 4 title" and alerts.story_title(store, 99) == "story 99"
        assert alerts.entity_ids_named(store, "OSTRAVA") == {place}  # case-insensitive, name or mention
        assert alerts.entity_ids_named(store, "Porto") == set()
        assert alerts.mentions_of(store, {place}, three) == {three[0]: ["Ostrava"]}
        assert alerts.mentions_of(store, set(), three) == {}

    def test_the_alert_stage_raises_each_alert_once(self, store: Store, three: list[int]) -> None:
        from storylens.alerts.stage import AlertStage

        _in_story(store, 4, three[:2])
        _place_mention(store, three[0])
        place, story = alerts.add_watchlist(store, "entity", "ostrava")[0], alerts.add_watchlist(store, "story", "4")[0]
        _ingested_at(store, dict.fromkeys(three, "2999-01-01T00:00:00+00:00"))  # after the watchlists were made
        AlertStage().process(store, three)
        raised = [(a["watchlist"]["id"], a["kind"], a["story"]) for a in alerts.list_alerts(store)]
        AlertStage().process(store, three)  # the same articles again: the story watchlist's alerts are not repeated
        assert len(alerts.list_alerts(store, watchlist_id=story.id)) == 4
        assert raised == [
            (place.id, "story-match", 4),
            (story.id, "new-article", 4), (story.id, "new-language", 4), (story.id, "new-outlet", 4),
            (story.id, "new-article", 4),
        ]  # fmt: skip
        match = alerts.list_alerts(store, watchlist_id=place.id)[0]["evidence"]
        assert [(e["article"], e["match"]) for e in match] == [
            (three[0], {"how": "mentions", "mentions": ["Ostrava"]}), (three[1], {"how": "same story"}),
        ]  # fmt: skip

    def test_the_last_briefing_is_remembered_per_story(self, store: Store) -> None:
        assert alerts.last_briefing(store, "story:1") is None
        alerts.record_briefing(store, "story:1", "2026-03-01T10:00:00+00:00")
        alerts.record_briefing(store, "story:1", "2026-03-02T10:00:00+00:00")
        assert alerts.last_briefing(store, "story:1") == "2026-03-02T10:00:00+00:00"

    # -------------------------------------------------------------- what changed since

    @pytest.mark.parametrize("since", ["2026-03-05T00:00:00+00:00", "2026-03-05"])
    def test_changes_since_a_time_count_by_ingest_time(self, store: Store, three: list[int], since: str) -> None:
        _in_story(store, 4, three[:2])
        _in_story(store, 5, three[2:])
        times = ["2026-03-06T09:00:00+00:00", "2026-03-04T09:00:00+00:00", "2026-03-05T12:00:00+00:00"]
        _ingested_at(store, dict(zip(three, times, strict=True)))
        changed = stories_changed_since(store, since)
        assert [(c["story"]["id"], c["count"], [a["id"] for a in c["new_articles"]]) for c in changed] == [
            (4, 1, [three[0]]), (5, 1, [three[2]]),
        ]  # fmt: skip
        assert stories_changed_since(store, "2026-03-07") == []
        everything = stories_changed_since(store, "2026-01-01")
        assert [(c["story"]["id"], c["count"]) for c in everything] == [(4, 2), (5, 1)]
        assert [c["count"] for c in stories_changed_since(store, "2026-01-01", limit=1)] == [1]
