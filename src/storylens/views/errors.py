"""Errors of the local server, said for people: JSON ``{"error", "detail"}`` under ``/api/``, pages elsewhere.

``error`` is a short kind ("not found", "invalid request", "internal error"); ``detail`` one or more plain
sentences, never a raw validation dump. A 422 names each parameter with what it should be (``since 'soon':
expected a date as YYYY-MM-DD``). Pages use ``error_404.html``, ``error_422.html`` and ``error_500.html``
(``error.html`` for any other status); a 500 is logged with its traceback and shows no internals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from storylens.store.read_model import Row

log = logging.getLogger("storylens.serve")

KINDS = {
    400: "bad request",
    404: "not found",
    405: "method not allowed",
    422: "invalid request",
    500: "internal error",
}
# What a parameter is expected to be, when its pattern alone would not say it to a person.
EXPECTED = {
    "lang": "expected a language code such as en, ar or he",
    "_next": "expected the `next` token of the previous page",
}
INTERNAL = "storylens could not answer this request; the details are in the log of `storylens serve`"


class ApiError(Row):
    """What every API error answers."""

    error: str = Field(description="The kind of error: not found, invalid request, internal error...")
    detail: str = Field(description="What went wrong, in plain words.")


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": ApiError, "description": "Nothing by that id or name"},
    422: {"model": ApiError, "description": "A parameter is not valid"},
}


def kind(status: int) -> str:
    return KINDS.get(status, "client error" if status < 500 else "server error")


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def problem(error: dict[str, Any]) -> str:
    """One validation error as a sentence: the parameter, the value given and what was expected."""
    location = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body")]
    name = location[-1] if location else "request"
    context = error.get("ctx") or {}
    expected = {
        "missing": "is required",
        "int_parsing": "expected a whole number",
        "int_from_float": "expected a whole number",
        "date_from_datetime_parsing": "expected a date as YYYY-MM-DD",
        "date_parsing": "expected a date as YYYY-MM-DD",
        "date_from_datetime_inexact": "expected a date as YYYY-MM-DD",
        "greater_than_equal": f"must be at least {context.get('ge')}",
        "less_than_equal": f"must be at most {context.get('le')}",
        "string_too_short": "must not be empty" if context.get("min_length") == 1 else "is too short",
        "string_too_long": f"must be at most {context.get('max_length')} characters",
        "literal_error": f"expected one of {context.get('expected')}",
        "string_pattern_mismatch": EXPECTED.get(name, "is not in the expected form"),
    }.get(error.get("type", ""), str(error.get("msg", "is not valid")).lower())
    if error.get("type") == "missing" or "input" not in error:
        return f"{name} {expected}"
    return f"{name} {_shown(error['input'])}: {expected}"


def problems(errors: Sequence[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(problem(error) for error in errors))


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def install(app: FastAPI, render: Callable[..., HTMLResponse]) -> None:
    """Answer every error of ``app`` as JSON under ``/api/`` and as a page (``render(template, status, ...)``)
    elsewhere."""

    def answer(request: Request, status: int, messages: list[str]) -> Response:
        if _wants_json(request):
            body = ApiError(error=kind(status), detail="; ".join(messages))
            return JSONResponse(body.model_dump(), status_code=status)
        template = f"error_{status}.html" if status in (404, 422, 500) else "error.html"
        return render(template, status_code=status, status=status, title=kind(status), messages=messages)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        detail = str(error.detail)
        if detail == HTTPStatus(error.status_code).phrase:  # Starlette's own words: say what was asked
            said = {
                404: f"nothing at {request.url.path}",
                405: f"{request.method} is not allowed: this server only reads",
            }
            detail = said.get(error.status_code, detail)
        return answer(request, error.status_code, [detail])

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        return answer(request, 422, problems(error.errors()))

    @app.exception_handler(Exception)
    async def server_error(request: Request, error: Exception) -> Response:
        log.error("500 on %s", request.url.path, exc_info=error)
        return answer(request, 500, [INTERNAL])
