"""The web cockpit served by ``flis serve`` at ``/cockpit/`` (docs/cockpit.md).

Server-rendered HTML shells, Danish first with English; every number is fetched by the browser
from the public API (``/api/v1``) with the session cookie, so the same access rules apply.
"""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from flis.cockpit.pages import root_router, router

STATIC_PATH = "/cockpit/static"


def install(app: FastAPI) -> None:
    """Mount the cockpit's pages, sign-in and static files on ``app``."""
    app.include_router(root_router)
    app.include_router(router)
    folder = resources.files("flis.cockpit").joinpath("static")
    app.mount(STATIC_PATH, StaticFiles(directory=str(folder)), name="cockpit-static")
