"""One small published world with two releases (a re-delivery between them) and a token per role.

Built once per session (per xdist worker); the API tests share its app and client.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from flis.access.model import Role
from flis.access.store import create_token
from flis.api.app import create_app
from flis.ingest.pipeline import ingest_paths
from flis.keyfigures.build import build
from flis.keyfigures.similarity import build_similarity
from flis.release.build import release
from flis.settings import Settings
from flis.sources.generator.run import generate
from flis.warehouse.connection import connect

MUNICIPALITIES = [101, 147, 461, 751]
MONTHS = ["2025-08", "2025-09"]
OWN, FOREIGN = 461, 101
KEYFIGURE = "borger.andel_0_5"
FIRST, SECOND = "2025-09.1", "2025-09.2"


@dataclass(frozen=True)
class World:
    settings: Settings
    tokens: dict[str, str]  # "viewer", "analyst", "data-admin", "operator"
    deliveries: dict[int, int]  # municipality → one of its delivery ids

    def auth(self, role: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}


def _rebuild(settings: Settings) -> None:
    conn = connect(settings)
    try:
        build(conn)
        build_similarity(conn)
    finally:
        conn.close()


def _release(settings: Settings) -> None:
    conn = connect(settings)
    try:
        release(conn, settings, "2025-09")
    finally:
        conn.close()


def _redelivery(base: Path) -> Path:
    """A second CPR delivery (sequence 02) of 101 for 2025-09 with other residents."""
    generate(
        out=base / "other",
        scale=0.003,
        months=MONTHS,
        seed=99,
        municipalities=[FOREIGN],
        fault_mode="none",
    )
    target = base / "redelivery" / "CPR_0101_202509_02.txt"
    target.parent.mkdir()
    shutil.copyfile(base / "other/cpr/101/2025-09/CPR_0101_202509_01.txt", target)
    return target


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("api-world"))


def build_world(base: Path) -> World:
    """The published world in ``base`` (the cockpit's browser tests build their own)."""
    settings = Settings(home=base / "home", demo=True)
    generate(
        out=base / "deliveries",
        scale=0.003,
        months=MONTHS,
        seed=5,
        municipalities=MUNICIPALITIES,
        fault_mode="none",
    )
    ingest_paths([base / "deliveries"], settings=settings)
    _rebuild(settings)
    _release(settings)
    ingest_paths([_redelivery(base)], settings=settings)
    _rebuild(settings)
    _release(settings)
    conn = connect(settings)
    try:
        tokens = {
            role.value: create_token(
                conn, role=role, municipality=None if role is Role.operator else OWN
            )
            for role in Role
        }
        rows = conn.execute(
            "SELECT municipality_code, min(delivery_id) FROM ingest.delivery "
            "WHERE municipality_code IS NOT NULL GROUP BY 1"
        ).fetchall()
    finally:
        conn.close()
    return World(settings, tokens, {int(m): int(d) for m, d in rows})


@pytest.fixture(scope="session")
def client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.settings), raise_server_exceptions=False) as c:
        yield c
