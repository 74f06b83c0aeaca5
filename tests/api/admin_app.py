"""An empty installation served by its own app, for tests that change users, tokens, messages.

Kept apart from the shared published world so those changes cannot touch other tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient

from flis.access.model import Role
from flis.access.store import create_token
from flis.api.app import create_app
from flis.settings import Settings
from flis.warehouse.connection import session

#: who → (role, municipality)
PRINCIPALS = {
    "operator": (Role.operator, None),
    "viewer-461": (Role.viewer, 461),
    "analyst-101": (Role.analyst, 101),
}


@dataclass(frozen=True)
class AdminApp:
    settings: Settings
    client: TestClient
    tokens: dict[str, str]  # keys of PRINCIPALS

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


def admin_app(home: Path) -> Iterator[AdminApp]:
    settings = Settings(home=home, demo=True)
    with session(settings) as conn:
        tokens = {
            who: create_token(conn, role=role, municipality=code)
            for who, (role, code) in PRINCIPALS.items()
        }
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield AdminApp(settings, client, tokens)
