"""The one place errors become ``application/problem+json`` (RFC 9457) responses."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from flis.api.schemas import Problem
from flis.errors import FlisError

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "urn:flis:problem:"
_log = logging.getLogger("flis.api")
_DOCUMENTED = {
    400: "The request cannot be answered as asked.",
    401: "No valid bearer token.",
    403: "The token's role or municipality may not see this.",
    404: "No such thing (or no release yet).",
    422: "A parameter is invalid.",
}
RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "description": text,
        "model": Problem,
        "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    for status, text in _DOCUMENTED.items()
}
_HTTP_KINDS = {404: "not-found", 405: "method-not-allowed", 401: "unauthorized"}


def problem(
    status: int, kind: str, title: str, detail: str | None = None, **extra: Any
) -> JSONResponse:
    body = {"type": TYPE_BASE + kind, "title": title, "status": status, "detail": detail, **extra}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _title(kind: str) -> str:
    """A short fixed title per problem type (the detail says what happened this time)."""
    return kind.replace("-", " ").capitalize()


async def _flis_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, FlisError)
    status = exc.http_status
    if status >= 500:  # messages of internal errors may name paths: log them, answer generically
        _log.error("%s: %s", exc.kind, exc)
        return problem(status, exc.kind, "internal error", "the server could not answer")
    return problem(status, exc.kind, _title(exc.kind), exc.message, hint=exc.hint)


async def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
        for e in exc.errors()
    ]
    return problem(422, "invalid-request", "the request is invalid", errors=errors)


async def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    kind = _HTTP_KINDS.get(exc.status_code, f"http-{exc.status_code}")
    return problem(exc.status_code, kind, _title(kind), str(exc.detail))


async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    _log.exception("unexpected error")
    return problem(500, "internal-error", "internal error", "the server could not answer")


def install(app: FastAPI) -> None:
    app.add_exception_handler(FlisError, _flis_error)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
