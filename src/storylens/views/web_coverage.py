"""Web pages for the article list (with facet counts) and for briefings on a story or a storyline.

The brief pages show the same content as ``storylens brief`` inside the site's layout; every quoted text
carries its language and direction and every name sits in ``<bdi>``, so mixed scripts keep their order.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from storylens.store import reads
from storylens.views import api, coverage
from storylens.views.web import LANGUAGE_CODE, FormText, form_date, render

router = APIRouter(include_in_schema=False)
ARTICLE_PAGE = 100


@router.get("/articles", response_class=HTMLResponse)
def article_list_page(
    request: Request,
    store: api.StoreDep,
    lang: FormText = None,
    outlet: FormText = None,
    since: FormText = None,
    until: FormText = None,
    page: int = 1,
) -> HTMLResponse:
    """Articles newest first, filtered by language, outlet and dates, with facet counts; 100 a page."""
    if lang and not LANGUAGE_CODE.fullmatch(lang):
        raise HTTPException(422, f"lang {lang!r}: expected a language code such as en, ar or he")
    if not 1 <= page <= 10**6:
        raise HTTPException(422, "page: expected a number from 1")
    first, last = form_date(since, "since"), form_date(until, "until")
    ids, counts = coverage.article_list(
        store, request.app.state.outlets, outlet=outlet or None, lang=lang or None, since=first, until=last
    )
    shown = ids[(page - 1) * ARTICLE_PAGE : page * ARTICLE_PAGE]
    summaries = reads.articles_by_ids(store, shown)
    form = {"lang": lang or "", "outlet": outlet or "", "since": since or "", "until": until or ""}
    return render(
        "articles.html",
        articles=[summaries[i] for i in shown if i in summaries],
        total=len(ids),
        counts=counts,
        form=form,
        page=page,
        pages=max(1, -(-len(ids) // ARTICLE_PAGE)),
    )


READER_LANGUAGES = ("en", "he", "ar")  # offered as "read in" links on a brief page


def _brief_page(
    request: Request, store: Any, ref: str, since: dt.date | None, back: str, api_url: str, to: str | None
) -> HTMLResponse:
    from storylens.views.api_coverage import build_translated_brief

    if to is not None and not LANGUAGE_CODE.fullmatch(to):
        raise HTTPException(422, f"to={to!r}: expected a language code such as en, he or ar")
    content = build_translated_brief(request, store, ref, since, to)
    return render("brief_page.html", brief=content, back=back, api=api_url, readers=READER_LANGUAGES)


@router.get("/stories/{story_id}/brief", response_class=HTMLResponse)
def story_brief_page(
    request: Request, store: api.StoreDep, story_id: int, since: FormText = None, to: FormText = None
) -> HTMLResponse:
    number = api.in_range(story_id, "story")
    day = form_date(since, "since")
    return _brief_page(
        request, store, f"story:{number}", day, f"/stories/{number}", f"/api/stories/{number}/brief", to or None
    )


@router.get("/storylines/{storyline_id}/brief", response_class=HTMLResponse)
def storyline_brief_page(
    request: Request, store: api.StoreDep, storyline_id: int, since: FormText = None, to: FormText = None
) -> HTMLResponse:
    number = api.in_range(storyline_id, "storyline")
    day = form_date(since, "since")
    return _brief_page(
        request,
        store,
        f"storyline:{number}",
        day,
        f"/storylines/{number}",
        f"/api/storylines/{number}/brief",
        to or None,
    )
