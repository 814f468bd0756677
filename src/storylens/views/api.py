"""The read-only JSON API under ``/api/``: stories, storylines, articles, entities, quotes, figures and search.

Every request opens the store read-only (``mode=ro`` and ``PRAGMA query_only``); parameters are validated
by FastAPI (422 with the reason), unknown ids answer 404, both as ``{"error", "detail"}`` (``views/errors.py``).
Each route's return type is a row of the typed read model (``store/read_model/``), so ``/openapi.json``
documents every field; lists are ``Page`` rows in the datasette style. Search combines SQLite FTS5 matches with
cross-lingual semantic matches from the stored article vectors, when an encoder can embed the query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi import Path as PathParam

from storylens.store import reads
from storylens.store.db import MAX_ROWID, Store
from storylens.store.read_model import (
    ArticleDetail,
    EntityDetail,
    EntitySummary,
    FigureGroup,
    Page,
    QuoteGroup,
    Row,
    SearchPage,
    StorylineDetail,
    StorylineSummary,
    StorySummary,
    StoryView,
)
from storylens.store.readers import Readers
from storylens.views.errors import ERROR_RESPONSES
from storylens.views.search import SearchMode, SearchService

T = TypeVar("T")
M = TypeVar("M", bound=Row)
F = TypeVar("F", bound=Callable[..., Any])
LangQuery = Annotated[
    str | None, Query(pattern=r"^[a-z]{2,3}$", description="ISO 639-1 (or 639-3) language code, e.g. en, ar, he.")
]
SinceQuery = Annotated[dt.date | None, Query(description="YYYY-MM-DD")]
StoryQuery = Annotated[int | None, Query(ge=0, description="Only this story's items.")]
SearchText = Annotated[str, Query(min_length=1, max_length=500, description="Words in any language.")]
PageSize = Annotated[int, Query(alias="_size", ge=1, le=500, description="Rows per page.")]
NextToken = Annotated[
    str | None, Query(alias="_next", pattern=r"^[0-9]{1,12}$", description="The `next` token of the previous page.")
]
VerboseQuery = Annotated[bool, Query(description="Also give `why_numbers`: the scores behind each article's `why`.")]
ArticleRef = Annotated[
    str, PathParam(min_length=1, max_length=1000, description="Article id as the CLI prints it, or its row id.")
]


def open_request_store(request: Request) -> Iterator[Store]:
    """A read-only store for one request (on PostgreSQL a pooled connection: ``store.readers``)."""
    with request.app.state.readers.store() as store:
        yield store


StoreDep = Annotated[Store, Depends(open_request_store)]


def search_service(request: Request) -> SearchService:
    return request.app.state.search


def configure(
    app: Any, db_path: Path | str, *, encoder_spec: str | None = None, encoder: Any = None, cutoff: float | None = None
) -> None:
    """Attach the store path and the search service (by default with the store's own encoder and its measured
    relevance cut-off) to an app."""
    app.state.db_path = db_path
    app.state.readers = Readers(db_path)
    app.state.search = SearchService(encoder_spec=encoder_spec, encoder=encoder, cutoff=cutoff)


def paged(request: Request, rows: Sequence[T], size: int, after: str | None) -> Page[T]:
    """One page of ``rows`` in the datasette style: ``total``, ``next`` (the ``_next`` token of the following
    page, null on the last), ``next_url`` (this URL with that token) and the page's ``rows``."""
    start = int(after or 0)
    end = start + size
    token = str(end) if end < len(rows) else None
    next_url = str(request.url.include_query_params(_next=token)) if token else None
    return Page[T](total=len(rows), next=token, next_url=next_url, rows=list(rows[start:end]))


def found(item: M | None, what: str, ref: object) -> M:
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
    entity = found(reads.find_entity(store, ref), "entity", repr(ref))
    return entity.id


router = APIRouter(prefix="/api", tags=["api"])


def route(path: str) -> Callable[[F], F]:
    """A GET route of the API: its response model is the function's return type; fields a read leaves unset
    (an article's text, a story's changes) are left out."""
    return router.get(path, response_model_exclude_unset=True, responses=ERROR_RESPONSES)


@route("/stories")
def api_stories(
    request: Request,
    store: StoreDep,
    lang: LangQuery = None,
    source: Annotated[str | None, Query(max_length=200)] = None,
    entity: Annotated[str | None, Query(max_length=200, description="Entity id or name.")] = None,
    since: SinceQuery = None,
    until: SinceQuery = None,
    size: PageSize = 50,
    after: NextToken = None,
    outlet: Annotated[str | None, Query(max_length=300, description="Outlet: a host name such as bbc.co.uk.")] = None,
) -> Page[StorySummary]:
    """Stories, newest first, optionally only those with articles in a language, outlet, period or naming an
    entity; one page of ``rows`` with the ``total`` and the ``next_url`` of the next page."""
    if since and until and since > until:
        raise HTTPException(status_code=422, detail="since must not be after until")
    entity_id = resolve_entity(store, entity)
    filters = {"since": since, "until": until, "lang": lang, "source": source, "entity": entity_id}
    stories: list[Any] = list(reads.list_stories(store, limit=None, **filters))  # type: ignore[arg-type]
    if outlet:
        from storylens.views.coverage import story_facets

        stories = story_facets(store, [dict(s) for s in stories], request.app.state.outlets, outlet)[0]
    return paged(request, stories, size, after)


@route("/stories/{story_id}")
def api_story(
    request: Request, store: StoreDep, story_id: int, since: SinceQuery = None, verbose: VerboseQuery = False
) -> StoryView:
    """One story: articles with texts and reasons, timeline, entities, quotes, figures and their matrix,
    what each language or outlet alone reports (each fact once), coverage by outlet and country, and (with
    ``since``) what was stored since that date."""
    from storylens.views.coverage import story_view

    story = story_view(store, in_range(story_id, "story"), request.app.state.outlets, since=since, verbose=verbose)
    return found(story, "story", story_id)


@route("/articles/{article_id:path}")
def api_article(store: StoreDep, article_id: ArticleRef, verbose: VerboseQuery = False) -> ArticleDetail:
    """One article with its text, its story and why, and its mentions, quotes and figures (with offsets).
    The id is the one the CLI prints (``key``: input id, ``file#2``, ``a-`` short id) or the row id."""
    return found(reads.article_by_ref(store, article_id, verbose=verbose), "article", repr(article_id))


@route("/storylines")
def api_storylines(
    request: Request, store: StoreDep, size: PageSize = 50, after: NextToken = None
) -> Page[StorylineSummary]:
    """Storylines (threads of stories), one page."""
    return paged(request, reads.list_storylines(store), size, after)


@route("/storylines/{storyline_id}")
def api_storyline(store: StoreDep, storyline_id: int, since: SinceQuery = None) -> StorylineDetail:
    """A storyline: its stories in time order, the links between them and why, and (with ``since``) what each
    story gained since that date."""
    line = reads.storyline_detail(store, in_range(storyline_id, "storyline"), since=since)
    return found(line, "storyline", storyline_id)


@route("/entities")
def api_entities(
    request: Request, store: StoreDep, story: StoryQuery = None, size: PageSize = 50, after: NextToken = None
) -> Page[EntitySummary]:
    """Entities with their variants per language (``{text, lang, count}``), most mentioned first, one page."""
    return paged(request, reads.list_entities(store, story_id=story_filter(story)), size, after)


@route("/entities/{entity_ref}")
def api_entity(store: StoreDep, entity_ref: Annotated[str, PathParam(max_length=200)]) -> EntityDetail:
    """An entity by id or name: variants per language, its stories, entities named beside it."""
    return found(reads.find_entity(store, entity_ref), "entity", repr(entity_ref))


@route("/quotes")
def api_quotes(
    request: Request, store: StoreDep, story: StoryQuery = None, size: PageSize = 50, after: NextToken = None
) -> Page[QuoteGroup]:
    """Quote groups (one statement as reported by several articles), one page."""
    return paged(request, reads.list_quote_groups(store, story_id=story_filter(story)), size, after)


@route("/figures")
def api_figures(
    request: Request, store: StoreDep, story: StoryQuery = None, size: PageSize = 50, after: NextToken = None
) -> Page[FigureGroup]:
    """Figure groups (one number as reported by several articles, discrepancies marked), one page."""
    return paged(request, reads.list_figure_groups(store, story_id=story_filter(story)), size, after)


@route("/search")
def api_search(
    request: Request,
    store: StoreDep,
    service: Annotated[SearchService, Depends(search_service)],
    q: SearchText,
    mode: SearchMode = "hybrid",
    lang: LangQuery = None,
    since: SinceQuery = None,
    size: PageSize = 20,
    after: NextToken = None,
) -> SearchPage:
    """Articles matching a query in any language: exact words (FTS5) and meaning (stored vectors, above the
    relevance cut-off measured for the store's encoder), fused; one page of ``rows``, ``total`` counts all."""
    found = service.search(store, q, mode=mode, lang=lang, since=since)
    page = paged(request, found["results"], size, after)
    return SearchPage(query=q, mode=mode, note=found["note"], **dict(page))
