"""API routes for facets, the article list, a story's coverage by outlet and country, and briefings.

Facets count stories (or articles) per language, outlet and month over what the filters keep; outlets come
from the registry the app was given (``views/outlets.py``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from storylens.store import reads
from storylens.store.read_model import ArticleInStory, Brief, FacetCounts, Page, StoryCoverage
from storylens.views import coverage
from storylens.views.api import (
    LangQuery,
    NextToken,
    PageSize,
    SinceQuery,
    StoreDep,
    found,
    in_range,
    paged,
    resolve_entity,
)
from storylens.views.errors import ERROR_RESPONSES
from storylens.views.outlets import OutletRegistry

OutletQuery = Annotated[str | None, Query(max_length=300, description="Outlet: a host name such as bbc.co.uk.")]
SourceQuery = Annotated[str | None, Query(max_length=200, description="Source as the input wrote it.")]
EntityQuery = Annotated[str | None, Query(max_length=200, description="Entity id or name.")]
BriefFormatQuery = Annotated[Literal["json", "md", "html"], Query(description="json, md (Markdown) or html.")]


def outlet_registry(request: Request) -> OutletRegistry:
    return request.app.state.outlets


RegistryDep = Annotated[OutletRegistry, Depends(outlet_registry)]
router = APIRouter(prefix="/api", tags=["api"])


def filtered_stories(
    store: Any, registry: OutletRegistry, outlet: str | None = None, title_lang: str | None = None, **filters: Any
) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """Stories the filters keep (newest first) and their facet counts; shared by the API and the pages.
    ``title_lang`` titles each story by a headline in that language (the web list filtered by language)."""
    if filters.get("since") and filters.get("until") and filters["since"] > filters["until"]:
        raise HTTPException(status_code=422, detail="since must not be after until")
    stories = [dict(s) for s in reads.list_stories(store, limit=None, **filters)]
    return coverage.story_facets(store, stories, registry, outlet, title_lang=title_lang)


@router.get("/facets/stories", responses=ERROR_RESPONSES, response_model_exclude_unset=True)
def api_story_facets(
    store: StoreDep,
    registry: RegistryDep,
    lang: LangQuery = None,
    source: SourceQuery = None,
    outlet: OutletQuery = None,
    entity: EntityQuery = None,
    since: SinceQuery = None,
    until: SinceQuery = None,
) -> FacetCounts:
    """How many stories (under these filters) have articles in each language, from each outlet and in each
    month: ``{total, facets: {language|outlet|month: [{value, label, count}]}}``."""
    filters: dict[str, Any] = {
        "lang": lang,
        "source": source,
        "entity": resolve_entity(store, entity),
        "since": since,
        "until": until,
    }
    stories, counts = filtered_stories(store, registry, outlet, **filters)
    return FacetCounts.model_validate({"total": len(stories), "facets": counts})


@router.get("/articles", responses=ERROR_RESPONSES, response_model_exclude_unset=True)
def api_articles(
    request: Request,
    store: StoreDep,
    registry: RegistryDep,
    lang: LangQuery = None,
    outlet: OutletQuery = None,
    since: SinceQuery = None,
    until: SinceQuery = None,
    size: PageSize = 50,
    after: NextToken = None,
) -> Page[ArticleInStory]:
    """Articles newest first, filtered by language, outlet and publication date; one page of ``rows``."""
    ids, _ = coverage.article_list(store, registry, outlet=outlet, lang=lang, since=since, until=until)
    return _article_page(request, store, ids, size, after)


def _article_page(request: Request, store: Any, ids: list[int], size: int, after: str | None) -> Page[ArticleInStory]:
    page = paged(request, ids, size, after)
    summaries = reads.articles_by_ids(store, page.rows)
    rows = [summaries[i] for i in page.rows if i in summaries]
    return Page[ArticleInStory](total=page.total, next=page.next, next_url=page.next_url, rows=rows)


@router.get("/facets/articles", responses=ERROR_RESPONSES, response_model_exclude_unset=True)
def api_article_facets(
    store: StoreDep,
    registry: RegistryDep,
    lang: LangQuery = None,
    outlet: OutletQuery = None,
    since: SinceQuery = None,
    until: SinceQuery = None,
) -> FacetCounts:
    """How many articles (under these filters) are in each language, from each outlet and in each month."""
    ids, counts = coverage.article_list(store, registry, outlet=outlet, lang=lang, since=since, until=until)
    return FacetCounts.model_validate({"total": len(ids), "facets": counts})


@router.get("/stories/{story_id}/coverage", responses=ERROR_RESPONSES, response_model_exclude_unset=True)
def api_story_coverage(store: StoreDep, registry: RegistryDep, story_id: int) -> StoryCoverage:
    """Who reports the story: per outlet and per country, the store's outlets that do not, and what only one
    language or outlet reports (each fact once; articles without a known outlet left out of outlets)."""
    story = found(coverage.story_view(store, in_range(story_id, "story"), registry), "story", story_id)
    return StoryCoverage(story=story_id, coverage=story.coverage, exclusives=story.exclusives)


def build_translated_brief(request: Request, store: Any, ref: str, since: Any, to: str | None) -> dict[str, Any]:
    """The brief for ``ref`` with, when ``to`` is given, the server's translator's results beside the originals
    (404 for an unknown reference; 502 when the translator cannot run, with its message)."""
    from storylens.translation import TranslationError
    from storylens.views import brief as briefing  # brief reads web's filters, and web imports this module
    from storylens.views.brief_translation import cached

    registry = request.app.state.outlets
    try:
        if to is None:
            return briefing.build_brief(store, ref, since=since, registry=registry)
        with cached(request.app.state.translator, request.app.state.db_path) as translator:
            return briefing.build_brief(store, ref, since=since, registry=registry, to=to, translator=translator)
    except briefing.BriefError as error:
        raise HTTPException(status_code=404, detail=str(error)) from None
    except TranslationError as error:
        raise HTTPException(status_code=502, detail=str(error)) from None


def brief_response(request: Request, store: Any, ref: str, since: Any, output: str, to: str | None) -> Response:
    from storylens.views import brief as briefing

    content = build_translated_brief(request, store, ref, since, to)
    if output == "md":
        return PlainTextResponse(briefing.render_markdown(content), media_type="text/markdown; charset=utf-8")
    if output == "html":
        return HTMLResponse(briefing.render_html(content))
    return Response(briefing.render(content, "json"), media_type="application/json")


ToQuery = Annotated[
    str | None,
    Query(pattern="^[a-z]{2,3}$", description="Reader's language: translations and names in it (e.g. en)."),
]


BRIEF_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    200: {"model": Brief, "content": {"text/markdown": {}, "text/html": {}}},
}


@router.get("/stories/{story_id}/brief", responses=BRIEF_RESPONSES)
def api_story_brief(
    request: Request,
    store: StoreDep,
    story_id: int,
    since: SinceQuery = None,
    format: BriefFormatQuery = "json",
    to: ToQuery = None,
) -> Response:
    """An extractive briefing on one story (JSON by default; ``format=md`` or ``html`` for a document); ``to=en``
    adds translations into that language beside the originals and names as its readers write them."""
    return brief_response(request, store, f"story:{in_range(story_id, 'story')}", since, format, to)


@router.get("/storylines/{storyline_id}/brief", responses=BRIEF_RESPONSES)
def api_storyline_brief(
    request: Request,
    store: StoreDep,
    storyline_id: int,
    since: SinceQuery = None,
    format: BriefFormatQuery = "json",
    to: ToQuery = None,
) -> Response:
    """An extractive briefing on a storyline, one section per story (``to`` as for a story's brief)."""
    return brief_response(request, store, f"storyline:{in_range(storyline_id, 'storyline')}", since, format, to)
