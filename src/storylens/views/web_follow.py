"""Web pages for following stories: each watchlist's page and Atom feed (``/feeds/ID.atom``), and "since my last
visit" (articles ingested since the time a cookie remembers, so the server still writes nothing)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from storylens.alerts.atom import watchlist_feed
from storylens.store import alerts as alert_store
from storylens.store.changes import stories_changed_since
from storylens.views import api
from storylens.views.api import StoreDep

router = APIRouter(include_in_schema=False)
LAST_VISIT_COOKIE = "storylens_last_visit"
FIRST_VISIT_DAYS = 1  # without a remembered visit, "since my last visit" shows this many days


def _render(template: str, **context: Any) -> HTMLResponse:
    from storylens.views.web import render

    return render(template, **context)


def _watchlist(store: StoreDep, watchlist_id: int) -> alert_store.Watchlist:
    found = alert_store.get_watchlist(store, api.in_range(watchlist_id, "watchlist"))
    if found is None:
        raise HTTPException(404, f"no watchlist {watchlist_id}")
    return found


@router.get("/watchlists", response_class=HTMLResponse)
def watchlists_page(store: StoreDep) -> HTMLResponse:
    counts = alert_store.alert_counts(store)
    rows = [w.as_dict() | {"label": w.label, "alerts": counts.get(w.id, 0)} for w in alert_store.watchlists(store)]
    return _render("watchlists.html", watchlists=rows)


@router.get("/watchlists/{watchlist_id}", response_class=HTMLResponse)
def watchlist_page(store: StoreDep, watchlist_id: int) -> HTMLResponse:
    watch = _watchlist(store, watchlist_id)
    alerts = alert_store.list_alerts(store, watchlist_id=watch.id)[::-1]
    return _render("watchlist.html", watch=watch.as_dict() | {"label": watch.label}, alerts=alerts)


@router.get("/feeds/{watchlist_id}.atom")
def watchlist_atom(request: Request, store: StoreDep, watchlist_id: int) -> Response:
    watch = _watchlist(store, watchlist_id)
    base = f"{request.url.scheme}://{request.url.netloc}"
    return Response(watchlist_feed(store, watch, base), media_type="application/atom+xml")


@router.get("/since", response_class=HTMLResponse)
def since_last_visit(
    request: Request,
    store: StoreDep,
    t: Annotated[dt.datetime | None, Query(description="Show changes since this time instead.")] = None,
) -> HTMLResponse:
    """Stories with articles ingested since the last visit (a cookie) or since ``t``; the visit is remembered."""
    now = dt.datetime.now(dt.UTC)
    remembered = request.cookies.get(LAST_VISIT_COOKIE)
    since = t
    if since is None and remembered:
        try:
            since = dt.datetime.fromisoformat(remembered)
        except ValueError:
            since = None
    first_visit = since is None
    if since is None:
        since = now - dt.timedelta(days=FIRST_VISIT_DAYS)
    if since.tzinfo is None:
        since = since.replace(tzinfo=dt.UTC)
    start = since.astimezone(dt.UTC).isoformat(timespec="seconds")
    response = _render("since.html", since=start, first_visit=first_visit, changed=stories_changed_since(store, start))
    response.set_cookie(
        LAST_VISIT_COOKIE, now.isoformat(timespec="seconds"), max_age=366 * 86400, httponly=True, samesite="strict"
    )
    return response
