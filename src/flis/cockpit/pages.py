"""The cockpit's HTML routes: sign-in, sign-out and one shell per page.

A shell carries no data: the page's script fetches it from ``/api/v1`` with the session cookie.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from flis.access.model import Principal, Role
from flis.access.passwords import principal_for_password
from flis.access.sessions import SESSION_COOKIE, Session
from flis.access.store import token_id_of
from flis.api.deps import AppState
from flis.cockpit.i18n import LANG_COOKIE, Language, choose_language, messages
from flis.cockpit.render import render
from flis.keyfigures.catalogue import keyfigure as find_keyfigure

router = APIRouter(prefix="/cockpit", include_in_schema=False)
root_router = APIRouter(include_in_schema=False)
SIGNIN_CSRF_COOKIE = "flis_signin_csrf"
HOME = "/cockpit/"
SIGNIN = "/cockpit/signin"
#: Page name → (message key of its title, roles that see it in the menu; None = all).
PAGES: dict[str, tuple[str, tuple[Role, ...] | None]] = {
    "overview": ("nav_overview", None),
    "groups": ("nav_groups", None),
    "schools": ("nav_schools", None),
    "releases": ("nav_releases", None),
    "deliveries": ("nav_deliveries", (Role.data_admin, Role.operator)),
}


def _state(request: Request) -> AppState:
    state: AppState = request.app.state.flis
    return state


def _session(request: Request) -> Session | None:
    session_id = request.cookies.get(SESSION_COOKIE)
    return _state(request).sessions.find(session_id) if session_id else None


def _cookie(response: Response, request: Request, name: str, value: str, **extra: Any) -> None:
    # Lax, not Strict: a shared group link opened from e-mail finds the user signed in; unsafe
    # requests are guarded by CSRF tokens, which Lax cookies alone would not be.
    secure = _state(request).settings.cookie_secure
    response.set_cookie(name, value, httponly=True, samesite="lax", secure=secure, **extra)


def _finish(request: Request, response: Response, lang: Language) -> Response:
    """Remember a language chosen by ``?lang=`` and forbid outside scripts, styles and frames."""
    if request.query_params.get("lang") == lang:
        _cookie(response, request, LANG_COOKIE, lang, max_age=365 * 24 * 3600, path="/")
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; "
        "base-uri 'none'; form-action 'self'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def _menu(principal: Principal) -> list[str]:
    return [page for page, (_, roles) in PAGES.items() if roles is None or principal.role in roles]


def _shell(request: Request, page: str, **extra: Any) -> Response:
    lang = choose_language(request, _state(request).settings.language)
    session = _session(request)
    if session is None:
        wanted = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        target = f"{SIGNIN}?next={quote(wanted)}"
        return _finish(request, RedirectResponse(target, status_code=303), lang)
    html = render(page, lang=lang, session=session, menu=_menu(session.principal), **extra)
    return _finish(request, HTMLResponse(html), lang)


@root_router.get("/")
def root() -> RedirectResponse:
    return RedirectResponse(HOME, status_code=307)


@router.get("/")
def overview(request: Request) -> Response:
    return _shell(request, "overview")


@router.get("/keyfigures/{keyfigure_id}")
def keyfigure(request: Request, keyfigure_id: str) -> Response:
    kf = find_keyfigure(keyfigure_id)  # unknown ids: the API's not-found problem
    return _shell(request, "keyfigure", keyfigure=kf.id, title_text=kf.title)


@router.get("/groups")
def groups(request: Request) -> Response:
    return _shell(request, "groups")


@router.get("/schools")
def schools(request: Request) -> Response:
    return _shell(request, "schools")


@router.get("/releases")
def releases(request: Request) -> Response:
    return _shell(request, "releases")


@router.get("/deliveries")
def deliveries(request: Request) -> Response:
    # Shown to every role that types the address: the API's 403 then says what is not allowed.
    return _shell(request, "deliveries")


def _signin_page(request: Request, *, status: int = 200, notice: str | None = None) -> Response:
    lang = choose_language(request, _state(request).settings.language)
    form_token = secrets.token_urlsafe(24)
    nxt = request.query_params.get("next", HOME)
    html = render(
        "signin",
        lang=lang,
        session=None,
        menu=[],
        form_token=form_token,
        next_path=nxt if nxt.startswith("/cockpit/") else HOME,
        notice=messages(lang).get(notice or "", None),
        failed=status == 401,
    )
    response = HTMLResponse(html, status_code=status)
    _cookie(response, request, SIGNIN_CSRF_COOKIE, form_token, path="/cockpit/signin")
    return _finish(request, response, lang)


@router.get("/signin")
def signin_form(request: Request) -> Response:
    notice = request.query_params.get("notice")
    return _signin_page(request, notice=notice if notice in ("signed_out",) else None)


async def _form(request: Request) -> dict[str, str]:
    body = (await request.body()).decode("utf-8", errors="replace")
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}


def _check_form_token(request: Request, sent: str | None, expected: str | None) -> bool:
    return bool(sent and expected and secrets.compare_digest(sent, expected))


@router.post("/signin")
async def signin(request: Request) -> Response:
    form = await _form(request)
    if not _check_form_token(request, form.get("csrf"), request.cookies.get(SIGNIN_CSRF_COOKIE)):
        return _signin_page(request, status=403, notice="form_expired")
    state = _state(request)
    user = None if form.get("token") else form.get("username", "").strip()
    address = request.client.host if request.client else "unknown"
    wait = state.signin_guard.wait_seconds(user=user, address=address)
    if wait > 0:
        response = _signin_page(request, status=429, notice="too_many_attempts")
        response.headers["Retry-After"] = str(int(wait) + 1)
        return response
    principal: Principal | None
    token_id: str | None = None
    if form.get("token"):
        token = form["token"].strip()
        principal = state.authenticator.authenticate(token)
        token_id = token_id_of(token)
    else:
        with state.lock:
            principal = principal_for_password(
                state.conn, name=form.get("username", "").strip(), password=form.get("password", "")
            )
    if principal is None:
        state.signin_guard.failed(user=user, address=address)
        return _signin_page(request, status=401)
    state.signin_guard.succeeded(user=principal.user)
    session_id, _ = state.sessions.start(principal.user, token_id=token_id)
    nxt = form.get("next", HOME)
    response = RedirectResponse(nxt if nxt.startswith("/cockpit/") else HOME, status_code=303)
    _cookie(response, request, SESSION_COOKIE, session_id, path="/")
    response.delete_cookie(SIGNIN_CSRF_COOKIE, path="/cockpit/signin")
    return response


@router.post("/signout")
async def signout(request: Request) -> Response:
    form = await _form(request)
    session = _session(request)
    session_id = request.cookies.get(SESSION_COOKIE)
    if session is None or session_id is None:
        return RedirectResponse(SIGNIN, status_code=303)
    if not _check_form_token(request, form.get("csrf"), session.csrf_token):
        lang = choose_language(request, _state(request).settings.language)
        return _finish(request, HTMLResponse(messages(lang)["form_expired"], status_code=403), lang)
    _state(request).sessions.end(session_id)
    response = RedirectResponse(f"{SIGNIN}?notice=signed_out", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
