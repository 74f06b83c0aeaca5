"""The one place errors become ``application/problem+json`` (RFC 9457) responses."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from flis.api.language import choose_language
from flis.api.schemas import Problem
from flis.errors import FlisError, Language
from flis.problem_kinds import title

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


_COULD_NOT_ANSWER: dict[Language, str] = {
    "da": "serveren kunne ikke svare",
    "en": "the server could not answer",
}


def problem(
    status: int, kind: str, lang: Language, detail: str | None = None, **extra: Any
) -> JSONResponse:
    """A problem+json answer; ``title`` is the kind's fixed title in ``lang`` (problems.yaml)."""
    body = {
        "type": TYPE_BASE + kind,
        "title": title(kind, lang),
        "status": status,
        "detail": detail,
        **extra,
    }
    headers = {"Content-Language": lang, "Vary": "Accept-Language"}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def request_language(request: Request) -> Language:
    return choose_language(request.headers.get("accept-language"))


async def _flis_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, FlisError)
    status, lang = exc.http_status, request_language(request)
    if status >= 500:  # messages of internal errors may name paths: log them, answer generically
        _log.error("%s: %s", exc.kind, exc)
        return problem(status, exc.kind, lang, _COULD_NOT_ANSWER[lang])
    return problem(status, exc.kind, lang, exc.message_in(lang), hint=exc.hint_in(lang))


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
        for e in exc.errors()
    ]
    return problem(422, "invalid-request", request_language(request), errors=errors)


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    kind = _HTTP_KINDS.get(exc.status_code, f"http-{exc.status_code}")
    return problem(exc.status_code, kind, request_language(request), str(exc.detail))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    _log.exception("unexpected error")
    lang = request_language(request)
    return problem(500, "internal-error", lang, _COULD_NOT_ANSWER[lang])


def install(app: FastAPI) -> None:
    app.add_exception_handler(FlisError, _flis_error)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
