"""What two stores must agree on, on any backend: stories (as sets of article keys) with their titles and dates,
storylines, per-article extraction counts, entities, quote and figure groups, dates and stage marks."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from storylens.store.db import Store


def _rows(store: Store, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in store.conn.execute(sql, params).fetchall()]


def snapshot(target: str) -> dict[str, object]:
    with Store(target, readonly=True) as store:
        key = dict(_rows(store, "SELECT id, key || '#' || part FROM articles"))
        members: dict[int, set[str]] = defaultdict(set)
        for article_id, story_id in _rows(store, "SELECT article_id, story_id FROM story_members"):
            members[story_id].add(key[article_id])
        story = {story_id: frozenset(keys) for story_id, keys in members.items()}
        lines: dict[int, set[frozenset[str]]] = defaultdict(set)
        for story_id, line_id in _rows(store, "SELECT id, storyline_id FROM stories WHERE storyline_id IS NOT NULL"):
            lines[line_id].add(story[story_id])
        counts = {
            table: sorted(
                _rows(
                    store,
                    f"SELECT a.key, count(*) FROM {table} x JOIN articles a ON a.id = x.article_id GROUP BY a.key",
                )
            )
            for table in ("mentions", "quotes", "figures")
        }
        groups = {}
        for table in ("quotes", "figures"):
            grouped: dict[int, set[tuple[str, int]]] = defaultdict(set)
            for article_id, start, group_id in _rows(store, f"SELECT article_id, start, group_id FROM {table}"):
                grouped[group_id].add((key[article_id], start))
            groups[table] = {frozenset(g) for g in grouped.values()}
        titles = {
            story[story_id]: (title, first, last)
            for story_id, title, first, last in _rows(store, "SELECT id, title, first_date, last_date FROM stories")
            if story_id in story
        }
        return {
            "articles": sorted(key.values()),
            "stories": titles,
            "storylines": {frozenset(line) for line in lines.values()},
            "extraction": counts,
            "entities": sorted(_rows(store, "SELECT name, type FROM entities")),
            "groups": groups,
            "dates": sorted(_rows(store, "SELECT key, published, date_method, inferred_date FROM articles")),
            "stage_marks": sorted(_rows(store, "SELECT stage, count(*) FROM article_stages GROUP BY stage")),
        }


def _scrub(value: Any) -> Any:
    """Without the ingestion times (the two stores were filled at different moments); read-model rows as dicts."""
    if hasattr(value, "model_dump"):
        value = value.model_dump()
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items() if k != "ingested_at"}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


# Word searches over the invented corpus: a title word, words in every article (all tied but for length), a
# word some texts repeat, two words, a word's beginning.
SEARCHES = ("Ostrava", "officials", "crisis review", "Porto", "Trondheim floods", "reporters", "day", "publ")


def read_model(target: str) -> dict[str, object]:
    """What the views read: story and storyline lists, every story's page, entities, facets, articles."""
    from storylens.store import reads

    with Store(target, readonly=True) as store:
        stories = reads.list_stories(store)
        return _scrub(
            {
                "stories": stories,
                "story_pages": [reads.story_detail(store, story["id"]) for story in stories],
                "storylines": reads.list_storylines(store),
                "entities": reads.list_entities(store),
                "entity_pages": [reads.find_entity(store, e["name"]) for e in reads.list_entities(store)],
                "facets": reads.facets(store),
                "articles": [reads.article_by_ref(store, str(n)) for n in range(1, 25)],
                "evidence": [reads.story_evidence(store, n, 1) for n in range(1, 5)],
                "word_search": {q: [hit["id"] for hit in reads.search_text(store, q)] for q in SEARCHES},
            }
        )
