"""Shared state of the app and the ``Annotated`` dependency aliases routes use."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated, Literal

import duckdb
from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from flis.access.model import Principal
from flis.access.sessions import SESSION_COOKIE, SessionAuthenticator, principal_for_cookie
from flis.access.throttle import SignInGuard
from flis.api.auth import Authenticator, principal_from_header
from flis.published.release_data import PublishedRelease, ReleaseCache
from flis.settings import Settings


@dataclass
class AppState:
    """One warehouse connection for the app (cursors per request), releases and authentication."""

    settings: Settings
    conn: duckdb.DuckDBPyConnection
    lock: threading.Lock
    releases: ReleaseCache
    authenticator: Authenticator
    sessions: SessionAuthenticator  # the cockpit's sign-in sessions (docs/cockpit.md)
    signin_guard: SignInGuard = field(default_factory=SignInGuard)  # brakes password guessing

    def cursor(self) -> duckdb.DuckDBPyConnection:
        with self.lock:
            return self.conn.cursor()


async def _state(request: Request) -> AppState:
    state: AppState = request.app.state.flis
    return state


def _warehouse(state: Annotated[AppState, Depends(_state)]) -> Iterator[duckdb.DuckDBPyConnection]:
    cur = state.cursor()
    try:
        yield cur
    finally:
        cur.close()


_bearer = HTTPBearer(auto_error=False, description="A token from `flis tokens create`.")


async def require_principal(
    request: Request,
    state: Annotated[AppState, Depends(_state)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    # The cockpit's browser scripts call this same API with the session cookie instead of a
    # bearer token (same access rules); unsafe methods must then send the session's CSRF token.
    session_id = request.cookies.get(SESSION_COOKIE)
    if credentials is None and session_id:
        return principal_for_cookie(
            state.sessions,
            session_id=session_id,
            method=request.method,
            csrf_header=request.headers.get("x-csrf-token"),
        )
    header = f"Bearer {credentials.credentials}" if credentials else None
    return principal_from_header(state.authenticator, header)


async def _release(
    state: Annotated[AppState, Depends(_state)],
    as_of: Annotated[
        str | None, Query(description="Release id; answers as published then (default latest).")
    ] = None,
) -> PublishedRelease:
    return state.releases.get(as_of)


StateDep = Annotated[AppState, Depends(_state)]
WarehouseDep = Annotated[duckdb.DuckDBPyConnection, Depends(_warehouse)]
PrincipalDep = Annotated[Principal, Depends(require_principal)]
ReleaseDep = Annotated[PublishedRelease, Depends(_release)]
Format = Literal["json", "csv", "csv-da", "xlsx", "parquet"]
FormatDep = Annotated[
    Format,
    Query(description="json (paged); csv, csv-da (Danish Excel), xlsx or parquet (complete)."),
]
LimitDep = Annotated[int, Query(ge=1, le=100_000, description="Page size (json).")]
OffsetDep = Annotated[int, Query(ge=0, le=1_000_000_000, description="Rows to skip (json).")]
