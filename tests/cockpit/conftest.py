"""The cockpit's world: the API tests' published world plus users with passwords, one app that
both a TestClient and a live uvicorn server (for the browser) serve, and a headless chromium."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from flis.access.model import Role
from flis.access.passwords import set_password
from flis.access.store import add_user
from flis.api.app import create_app
from flis.warehouse.connection import connect
from tests.api.conftest import OWN, World, build_world

PASSWORD = "rigtig-hest-batteri"
#: user name → (role, municipality)
USERS = {
    "vera": (Role.viewer, OWN),
    "ana": (Role.analyst, OWN),
    "dora": (Role.data_admin, OWN),
    "otto": (Role.operator, None),
}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "cockpit"


@dataclass(frozen=True)
class Cockpit:
    world: World
    app: FastAPI


@pytest.fixture(scope="session")
def cockpit(tmp_path_factory: pytest.TempPathFactory) -> Cockpit:
    world = build_world(tmp_path_factory.mktemp("cockpit-world"))
    conn = connect(world.settings)
    try:
        for name, (role, municipality) in USERS.items():
            add_user(conn, name=name, role=role, municipality=municipality)
            set_password(conn, name=name, password=PASSWORD)
    finally:
        conn.close()
    return Cockpit(world, create_app(world.settings))


@pytest.fixture
def client(cockpit: Cockpit) -> TestClient:
    """A fresh cookie jar per test over the shared app (no lifespan: the server shares it)."""
    return TestClient(cockpit.app, raise_server_exceptions=False, follow_redirects=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def live_url(cockpit: Cockpit) -> Iterator[str]:
    """The cockpit app served by uvicorn on a free loopback port, in a background thread."""
    port = _free_port()
    config = uvicorn.Config(cockpit.app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError(f"uvicorn did not start on port {port} within 20 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        found = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield found
        found.close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser context (no cookies) at laptop width; script errors fail the test."""
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, accept_downloads=True, locale="da-DK"
    )
    found = context.new_page()
    errors: list[str] = []
    found.on("pageerror", lambda exc: errors.append(str(exc)))
    yield found
    context.close()
    assert not errors, f"script errors in {request.node.name}: {errors}"
