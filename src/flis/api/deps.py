"""Shared state of the app and the ``Annotated`` dependency aliases routes use."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Literal

import duckdb
from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from flis.access.model import Principal
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
    state: Annotated[AppState, Depends(_state)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
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
Format = Literal["json", "csv", "parquet"]
FormatDep = Annotated[Format, Query(description="json (paged), csv or parquet (complete).")]
LimitDep = Annotated[int, Query(ge=1, le=100_000, description="Page size (json).")]
OffsetDep = Annotated[int, Query(ge=0, le=1_000_000_000, description="Rows to skip (json).")]
