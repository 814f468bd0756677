"""The alert rules: which alerts a batch of newly processed articles raises for each watchlist.

- ``story-match``: a story gets an article that matches the watchlist (the entity is mentioned, the keyword is
  written or meant, or it is the followed story); the story is followed by the watchlist from then on.
- ``new-article``, ``new-language``, ``new-outlet``: a followed story gets an article, the first in a language,
  the first from an outlet.
- ``figure-change`` / ``figure-disagreement``: in a followed story, a figure the new articles report changes
  from an earlier day's value (a toll rises), or outlets state different values on one day for the first time.
- ``new-quote``: a new article quotes a followed person (an entity watchlist).

Only articles ingested after the watchlist was created raise its alerts. Every alert has a key naming its
evidence (watchlist, story, article, language, outlet, figure value or quote), so a rerun raises nothing twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from storylens.alerts.keywords import literal_matches, meaning_matches
from storylens.store import alerts as alert_store
from storylens.store import reads
from storylens.store.alerts import ArticleFacts, NewAlert, Watchlist
from storylens.store.articles import list_articles
from storylens.store.db import Store


def _cite(article: ArticleFacts, **extra: Any) -> dict[str, Any]:
    return {"article": article.id, "id": article.key, "lang": article.lang, "source": article.source,
            "title": article.title, "url": article.url, "published": article.published} | extra  # fmt: skip


def matching_articles(store: Store, watch: Watchlist, articles: Sequence[ArticleFacts]) -> dict[int, dict[str, Any]]:
    """Article id -> how it matches the watchlist (the mention, the snippet or the similarity)."""
    ids = [a.id for a in articles]
    if watch.kind == "story":
        return {a.id: {"how": "followed story"} for a in articles if str(a.story_id) == watch.value}
    if watch.kind == "entity":
        entity_ids = alert_store.entity_ids_named(store, watch.value)
        return {
            article: {"how": "mentions", "mentions": sorted(set(texts))}
            for article, texts in alert_store.mentions_of(store, entity_ids, ids).items()
        }
    found: dict[int, dict[str, Any]] = {}
    for article, score in meaning_matches(store, watch.value, ids).items():
        found[article] = {"how": "meaning", "similarity": round(score, 4)}
    for article, snippet in literal_matches(watch.value, list_articles(store, ids=ids)).items():
        found[article] = {"how": "words", "snippet": snippet} | (
            {"similarity": found[article]["similarity"]} if article in found else {}
        )
    return found


def alerts_for(store: Store, watch: Watchlist, articles: Sequence[ArticleFacts]) -> list[NewAlert]:
    """The alerts ``articles`` (newly processed) raise for one watchlist."""
    fresh = [a for a in articles if a.ingested_at >= watch.created_at and (not watch.lang or a.lang == watch.lang)]
    fresh = [a for a in fresh if a.story_id is not None]
    if not fresh:
        return []
    followed = alert_store.followed_stories(store, watch.id)
    if watch.kind == "story" and watch.value.isdigit():
        followed.add(int(watch.value))
    matches = matching_articles(store, watch, fresh)
    by_story: dict[int, list[ArticleFacts]] = defaultdict(list)
    for article in fresh:
        by_story[int(article.story_id)].append(article)  # type: ignore[arg-type]
    raised: list[NewAlert] = []
    for story_id, members in sorted(by_story.items()):
        title = alert_store.story_title(store, story_id)
        matched = [a for a in members if a.id in matches]
        if story_id not in followed:
            if not matched:
                continue
            raised.append(
                NewAlert(
                    f"{watch.id}:story:{story_id}", watch.id, "story-match", story_id,
                    f"{watch.label} matches story {story_id}: {title}",
                    [_cite(a, match=matches.get(a.id, {"how": "same story"})) for a in matched + [
                        a for a in members if a.id not in matches]],
                )
            )  # fmt: skip
        else:
            raised.extend(_story_news(store, watch, story_id, title, members, [a.id for a in fresh]))
        raised.extend(_figure_news(store, watch, story_id, title, {a.id: a for a in fresh if a.story_id == story_id}))
        if watch.kind == "entity":
            raised.extend(_quote_news(store, watch, story_id, title, {a.id: a for a in members + matched}))
    return raised


def _story_news(
    store: Store, watch: Watchlist, story_id: int, title: str, members: list[ArticleFacts], batch: list[int]
) -> list[NewAlert]:
    """New articles, languages and outlets in a followed story."""
    before = alert_store.story_members_before(store, story_id, batch)
    languages = {lang for lang, _ in before}
    outlets = {source for _, source in before if source}
    raised = []
    for article in members:
        raised.append(
            NewAlert(f"{watch.id}:article:{article.id}", watch.id, "new-article", story_id,
                     f"new article in story {story_id}: {article.title or article.key}", [_cite(article)])
        )  # fmt: skip
        if article.lang not in languages:
            languages.add(article.lang)
            raised.append(
                NewAlert(f"{watch.id}:lang:{story_id}:{article.lang}", watch.id, "new-language", story_id,
                         f"story {story_id} is now reported in {article.lang}: {title}", [_cite(article)])
            )  # fmt: skip
        if article.source and article.source not in outlets:
            outlets.add(article.source)
            raised.append(
                NewAlert(f"{watch.id}:outlet:{story_id}:{article.source}", watch.id, "new-outlet", story_id,
                         f"story {story_id} is now reported by {article.source}: {title}", [_cite(article)])
            )  # fmt: skip
    return raised


def _figure_news(
    store: Store, watch: Watchlist, story_id: int, title: str, new: dict[int, ArticleFacts]
) -> list[NewAlert]:
    """A figure the new articles report that changed from an earlier day, or that outlets now disagree on."""
    raised = []
    for group in reads.list_figure_groups(store, story_id=story_id):
        if group["id"] is None:
            continue
        fresh = [o for o in group["occurrences"] if o["article"] in new]
        if not fresh:
            continue
        label = group["what"] or group["unit"] or "figure"
        measure = f"{group['unit']}:{group['what']}"
        evidence = [
            _cite(new[o["article"]], figure=o["text"], value=o["value"]) if o["article"] in new
            else {"article": o["article"], "figure": o["text"], "value": o["value"], "source": o["source"],
                  "published": o["published"]}
            for o in group["occurrences"]
        ]  # fmt: skip
        if group["discrepancy"]:
            raised.append(
                NewAlert(f"{watch.id}:disagree:{story_id}:{measure}", watch.id, "figure-disagreement", story_id,
                         f"outlets disagree on {label} in story {story_id}: {title}", evidence)
            )  # fmt: skip
        earlier = {str(o["value"]) for o in group["occurrences"] if o["article"] not in new}
        for occurrence in fresh:
            if group["updated"] and earlier and str(occurrence["value"]) not in earlier:
                raised.append(
                    NewAlert(
                        f"{watch.id}:figure:{story_id}:{measure}:{occurrence['value']}", watch.id, "figure-change",
                        story_id, f"{label} in story {story_id} is now {occurrence['value']}"
                        f" (was {', '.join(sorted(earlier))}): {title}", evidence,
                    )
                )  # fmt: skip
    return raised


def _quote_news(
    store: Store, watch: Watchlist, story_id: int, title: str, new: dict[int, ArticleFacts]
) -> list[NewAlert]:
    """New quotes from the followed person."""
    entity_ids = alert_store.entity_ids_named(store, watch.value)
    raised = []
    for group in reads.list_quote_groups(store, story_id=story_id):
        if group["speaker_id"] not in entity_ids:
            continue
        for variant in group["variants"]:
            if variant["article"] in new:
                article = new[variant["article"]]
                raised.append(
                    NewAlert(
                        f"{watch.id}:quote:{article.id}:{variant['start']}", watch.id, "new-quote", story_id,
                        f"new quote from {group['speaker']} in story {story_id}: {title}",
                        [_cite(article, quote=variant["text"])],
                    )
                )  # fmt: skip
    return raised
