"""The local web UI and the app factory: story list with search, story, storyline, entity and article pages.

Pages are Jinja2 templates with autoescaping; article text is always escaped (never marked safe), shown in
its own direction (``dir="rtl"`` for right-to-left languages, ``dir="auto"`` when the language is unknown)
and names inside the interface are isolated in ``<bdi>``. Timelines are inline SVG drawn on the server.
Nothing is loaded from outside: styles are served from ``/static``; pages carry no script at all and a
Content-Security-Policy that forbids inline scripts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from babel import Locale, UnknownLocaleError
from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader
from markupsafe import Markup, escape
from starlette.middleware.trustedhost import TrustedHostMiddleware

from storylens import __version__
from storylens.analysis import coverage
from storylens.settings import current_settings
from storylens.store import reads
from storylens.store.db import store_target
from storylens.store.read_model import SearchHit
from storylens.translation import Translator, get_translator
from storylens.views import api, errors, web_follow
from storylens.views.api import SearchMode, StoreDep
from storylens.views.api_coverage import filtered_stories
from storylens.views.coverage import story_view
from storylens.views.outlets import OutletRegistry, load_registry

RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ps", "sd", "syr", "ug", "ur", "yi"})
STATIC = Path(__file__).with_name("static")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")  # the Host headers served unless more are allowed
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)


def text_direction(lang: str | None) -> str:
    """``rtl`` for right-to-left languages, ``ltr`` for other known ones, ``auto`` when unknown."""
    if not lang or lang == "und":
        return "auto"
    return "rtl" if lang.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


@cache
def language_name(lang: str | None) -> str:
    """The English name of a language code ("ar" -> "Arabic"), or the code itself."""
    if not lang or lang == "und":
        return "unknown language"
    try:
        return Locale("en").languages.get(lang) or lang
    except (UnknownLocaleError, ValueError):
        return lang


def format_value(value: Any) -> str:
    """A figure value for reading: thousands separated, a range as ``low–high``."""
    if isinstance(value, list):
        return "–".join(format_value(v) for v in value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.6g}" if isinstance(value, float) else str(value)


# What browsers drop from an href before reading its scheme: C0 controls and spaces at either end, tabs and
# line breaks anywhere (so "java\tscript:" is "javascript:" to them).
URL_EDGES = "".join(chr(c) for c in range(0x21))
URL_DROPPED = re.compile(r"[\t\n\r]")
HTTP_URL = re.compile(r"https?://[^/?#\\\s]", re.IGNORECASE)


def safe_href(url: str | None) -> str | None:
    """``url`` as an href if it is an absolute http(s) URL, else None, so that ``javascript:``, ``vbscript:``,
    ``data:`` and every other scheme are shown as text, never as a link. The one check for every link to
    an outside page, in the web pages and the briefing alike."""
    if not url:
        return None
    cleaned = URL_DROPPED.sub("", url.strip(URL_EDGES))
    return cleaned if HTTP_URL.match(cleaned) else None


def highlight(snippet: str | None) -> Markup:
    """An FTS snippet with the matched words in ``<mark>``; everything else escaped."""
    text = str(escape(snippet or ""))
    return Markup(text.replace(reads.HIT_START, "<mark>").replace(reads.HIT_END, "</mark>"))


def facet_link(path: str, form: dict[str, str], facet: str, value: str) -> str | None:
    """The URL of ``path`` with the current filters and one facet value chosen (a month becomes a date range);
    None for a value that cannot be chosen (an unknown month)."""
    params = {key: v for key, v in form.items() if v and not (key == "mode" and not form.get("q"))}
    if facet == "language":
        params["lang"] = value
    elif facet == "outlet":
        params["outlet"] = value
    elif re.fullmatch(r"[0-9]{4}-[0-9]{2}", value):
        first = dt.date.fromisoformat(value + "-01")
        params["since"] = first.isoformat()
        params["until"] = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1).isoformat()
        params["until"] = (dt.date.fromisoformat(params["until"]) - dt.timedelta(days=1)).isoformat()
    else:
        return None
    return f"{path}?{urlencode(params)}"


@cache
def template_env() -> Environment:
    env = Environment(
        loader=PackageLoader("storylens.views", "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    env.filters.update(
        direction=text_direction, language=language_name, value=format_value, highlight=highlight, safe_href=safe_href
    )
    env.globals.update(version=__version__, unknown_source=coverage.UNKNOWN_SOURCE, facet_link=facet_link)
    return env


def render(template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(template_env().get_template(template).render(**context), status_code=status_code)


# ---------------------------------------------------------------- timeline charts


@dataclass(frozen=True)
class Span:
    """One mark on a timeline row: a point (an article) or a bar (a story)."""

    first: str
    last: str
    label: str
    href: str


TIMELINE_LEFT, TIMELINE_WIDTH, ROW_HEIGHT = 170, 760, 26


def timeline_chart(rows: list[tuple[str, str, list[Span]]]) -> dict[str, Any] | None:
    """Coordinates for an SVG timeline: one row per (label, direction, spans), dates along x, ticks below."""
    dates = [dt.date.fromisoformat(d) for _, _, spans in rows for s in spans for d in (s.first, s.last)]
    if not dates:
        return None
    start, end = min(dates), max(dates)
    days = max((end - start).days, 1)

    def x(day: str) -> float:
        return TIMELINE_LEFT + TIMELINE_WIDTH * (dt.date.fromisoformat(day) - start).days / days

    marks, labels = [], []
    for index, (label, direction, spans) in enumerate(rows):
        y = 20 + index * ROW_HEIGHT
        labels.append({"y": y + 4, "text": label, "dir": direction})
        for span in spans:
            left, right = x(span.first), x(span.last)
            marks.append({"x": left, "y": y, "width": max(right - left, 0.0), "label": span.label, "href": span.href})
    tick_count = min(days, 6)
    ticks = [start + dt.timedelta(days=round(days * i / tick_count)) for i in range(tick_count + 1)]
    return {
        "width": TIMELINE_LEFT + TIMELINE_WIDTH + 40,
        "height": 40 + len(rows) * ROW_HEIGHT,
        "axis_y": 20 + len(rows) * ROW_HEIGHT - 8,
        "marks": marks,
        "labels": labels,
        "ticks": [{"x": x(t.isoformat()), "label": t.isoformat()} for t in dict.fromkeys(ticks)],
    }


def story_timeline(articles: list[dict[str, Any]]) -> dict[str, Any] | None:
    by_language: dict[str, list[Span]] = defaultdict(list)
    for article in articles:
        if article["published"]:
            label = f"{article['source'] or coverage.UNKNOWN_SOURCE}, {article['published']}: {article['title'] or ''}"
            by_language[article["lang"]].append(
                Span(article["published"], article["published"], label, f"#article-{article['id']}")
            )
    return timeline_chart([(language_name(lang), "ltr", spans) for lang, spans in sorted(by_language.items())])


def storyline_timeline(stories: list[dict[str, Any]]) -> dict[str, Any] | None:
    rows = []
    for story in stories:
        span = story["time_span"]
        if span["first"]:
            label = f"{story['title']} ({story['size']} articles)"
            rows.append(
                (
                    story["title"],
                    text_direction(story["title_lang"]),
                    [Span(span["first"], span["last"] or span["first"], label, f"/stories/{story['id']}")],
                )
            )
    return timeline_chart(rows)


# ---------------------------------------------------------------- pages

FormText = Annotated[str | None, Query(max_length=200)]
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")


def form_date(value: str | None, name: str) -> dt.date | None:
    """A date from a form field: blank means none; anything but YYYY-MM-DD is a 422."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise HTTPException(422, f"{name} {value!r}: expected a date as YYYY-MM-DD") from None


router = APIRouter(include_in_schema=False)
STORY_PAGE = 200  # stories shown on the list page; the facet counts and the total count all


@router.get("/", response_class=HTMLResponse)
def story_list_page(
    request: Request,
    store: StoreDep,
    q: Annotated[str | None, Query(max_length=500)] = None,
    mode: SearchMode = "hybrid",
    lang: FormText = None,
    source: FormText = None,
    outlet: FormText = None,
    entity: FormText = None,
    since: FormText = None,
    until: FormText = None,
) -> HTMLResponse:
    """Stories newest first, filtered, with facet counts; with ``q``, the stories and articles a search finds.

    The filter form sends empty fields for filters left blank; they mean "no filter".
    """
    if lang and not LANGUAGE_CODE.fullmatch(lang):
        raise HTTPException(422, f"lang {lang!r}: expected a language code such as en, ar or he")
    first, last = form_date(since, "since"), form_date(until, "until")
    entity_id = api.resolve_entity(store, entity)
    filters: dict[str, Any] = {
        "lang": lang or None,
        "source": source or None,
        "entity": entity_id,
        "since": first,
        "until": last,
    }
    search, loose = None, []
    hits_by_story: dict[int, list[SearchHit]] = defaultdict(list)
    if q and q.strip():
        search = api.search_service(request).search(store, q.strip(), mode=mode)
        for hit in search["results"]:
            if hit.story is None:
                loose.append(hit)
            else:
                hits_by_story[hit.story].append(hit)
        filters["ids"] = list(hits_by_story)
    stories, counts = filtered_stories(store, request.app.state.outlets, outlet or None, lang or None, **filters)
    for story in stories:
        story["hits"] = hits_by_story[story["id"]] if search else []
    total = len(stories)
    return render(
        "stories.html",
        stories=stories[:STORY_PAGE],
        total=total,
        search=search,
        loose=loose,
        facets=reads.facets(store),
        counts=counts,
        form={
            "q": q or "",
            "mode": mode,
            "lang": lang or "",
            "source": source or "",
            "outlet": outlet or "",
            "entity": entity or "",
            "since": since or "",
            "until": until or "",
        },
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, store: StoreDep, story_id: int, since: FormText = None) -> HTMLResponse:
    day = form_date(since, "since")
    registry = request.app.state.outlets
    story = api.found(story_view(store, api.in_range(story_id, "story"), registry, since=day), "story", story_id)
    columns = coverage.group_articles(story["articles"])
    return render(
        "story.html",
        story=story,
        columns=columns,
        chart=story_timeline(story["articles"]),
        articles={a["id"]: a for a in story["articles"]},
        since=day,
    )


@router.get("/storylines", response_class=HTMLResponse)
def storylines_page(store: StoreDep) -> HTMLResponse:
    return render("storylines.html", storylines=reads.list_storylines(store))


@router.get("/storylines/{storyline_id}", response_class=HTMLResponse)
def storyline_page(store: StoreDep, storyline_id: int, since: FormText = None) -> HTMLResponse:
    day = form_date(since, "since")
    line = api.found(
        reads.storyline_detail(store, api.in_range(storyline_id, "storyline"), since=day), "storyline", storyline_id
    )
    return render("storyline.html", line=line, chart=storyline_timeline(line["stories"]), since=day)


@router.get("/entities", response_class=HTMLResponse)
def entities_page(store: StoreDep) -> HTMLResponse:
    return render("entities.html", entities=reads.list_entities(store, limit=500))


@router.get("/entities/{entity_ref}", response_class=HTMLResponse)
def entity_page(store: StoreDep, entity_ref: Annotated[str, PathParam(max_length=200)]) -> HTMLResponse:
    entity = api.found(reads.find_entity(store, entity_ref), "entity", repr(entity_ref))
    return render("entity.html", entity=entity)


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(store: StoreDep, article_id: api.ArticleRef) -> HTMLResponse:
    article = api.found(reads.article_by_ref(store, article_id), "article", repr(article_id))
    return render("article.html", article=article)


# ---------------------------------------------------------------- the app


@asynccontextmanager
async def close_readers(app: FastAPI) -> AsyncIterator[None]:
    """When the server stops, close its readers' pooled connections."""
    yield
    app.state.readers.close()


def create_app(
    db_path: Path | str,
    *,
    encoder_spec: str | None = None,
    encoder: Any = None,
    allowed_hosts: Sequence[str] = LOCAL_HOSTS,
    search_cutoff: float | None = None,
    outlets: OutletRegistry | None = None,
    translator: Translator | None = None,
) -> FastAPI:
    """The local server: the JSON API under ``/api/``, OpenAPI at ``/openapi.json`` and the web pages.

    ``encoder`` (anything with ``name`` and ``encode_queries``) replaces the one built from ``encoder_spec``
    (default: the encoder the store was built with); ``search_cutoff`` replaces the cut-off measured for it;
    ``outlets`` is the outlet registry (default: ``outlets.load_registry()``); ``translator`` translates briefs
    asked for with ``?to=`` (default: the settings' translator, ``none`` unless set).
    Requests whose Host header is not one of ``allowed_hosts`` get a 400, so that a web page whose name was
    rebound to this machine (DNS rebinding) cannot read the store through the visitor's browser.
    """
    app = FastAPI(
        lifespan=close_readers,
        title="storylens",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        description="Read-only access to stories, storylines, articles, entities, quotes and figures.",
    )
    api.configure(app, store_target(db_path), encoder_spec=encoder_spec, encoder=encoder, cutoff=search_cutoff)
    app.state.outlets = outlets or load_registry()
    app.state.translator = translator or get_translator(current_settings().translator)
    app.state.db_path = store_target(db_path)
    from storylens.views import api_coverage, web_coverage

    app.include_router(api_coverage.router)
    app.include_router(api.router)
    app.include_router(web_coverage.router)
    app.include_router(router)
    app.include_router(web_follow.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    errors.install(app, render)
    return app
