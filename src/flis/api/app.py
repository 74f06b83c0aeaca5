"""``create_app(settings)``: the FastAPI application behind ``flis serve``."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, Depends, FastAPI

from flis import __version__, cockpit
from flis.access.sessions import SessionAuthenticator
from flis.api import problems
from flis.api.auth import TokenAuthenticator
from flis.api.deps import AppState, require_principal
from flis.api.odata import routes as odata_routes
from flis.api.routes import (
    admin,
    audit,
    benchmark,
    changes,
    deliveries,
    groups,
    institutions,
    keyfigures,
    messages,
    meta,
    municipalities,
    regions,
    releases,
    subscriptions,
    values,
)
from flis.errors import FlisError
from flis.published.release_data import ReleaseCache
from flis.settings import Settings
from flis.warehouse.connection import connect

API_PREFIX = "/api/v1"
_RESOURCES = (
    meta,
    municipalities,
    regions,
    groups,
    keyfigures,
    values,
    benchmark,
    institutions,
    releases,
    changes,
    deliveries,
    audit,
    admin,
    messages,
    subscriptions,
)


def _state(settings: Settings) -> AppState:
    conn = connect(settings)
    lock = threading.Lock()
    return AppState(
        settings=settings,
        conn=conn,
        lock=lock,
        releases=ReleaseCache(settings.home),
        authenticator=TokenAuthenticator(conn.cursor()),
        sessions=SessionAuthenticator(
            conn, lock, dt.timedelta(minutes=settings.session_idle_minutes)
        ),
    )


def _warm(releases: ReleaseCache) -> None:
    try:
        latest = releases.get(None)
        latest.index  # noqa: B018 (cached properties: the values table and its index)
        latest.institutions  # noqa: B018
    except FlisError:  # nothing published yet: the first request says so
        pass


def create_app(settings: Settings) -> FastAPI:
    """The API over the installation in ``settings.home`` (docs/api.md)."""
    state = _state(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Read the latest release into memory now rather than on the first visitor's request
        # (the cockpit's first chart: 2.3 s cold at demo scale without this, docs/cockpit.md).
        threading.Thread(target=_warm, args=(state.releases,), daemon=True).start()
        yield
        state.conn.close()

    app = FastAPI(
        title="flis API",
        version=__version__,
        description="Published key figures, groups, institutions, releases and deliveries "
        "of the shared municipal management-information system (docs/api.md).",
        lifespan=lifespan,
        # FastAPI's Swagger and ReDoc pages load scripts from a CDN; flis makes no outside requests.
        docs_url=None,
        redoc_url=None,
    )
    app.state.flis = state
    problems.install(app)
    app.include_router(meta.open_router)
    api = APIRouter(
        prefix=API_PREFIX, dependencies=[Depends(require_principal)], responses=problems.RESPONSES
    )
    for module in _RESOURCES:
        api.include_router(module.router)
    app.include_router(api)
    odata = APIRouter(dependencies=[Depends(require_principal)], responses=problems.RESPONSES)
    odata.include_router(odata_routes.router)
    app.include_router(odata)
    # The web cockpit (docs/cockpit.md): HTML shells and static files; its data comes from /api/v1.
    cockpit.install(app)
    return app
