"""A tiny ingested world with key figures built, shared by the release tests.

The world is generated, ingested and built once per test session (per xdist worker); every test
gets its own copy of that home folder as its ``FLIS_HOME``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

from flis.ingest.pipeline import ingest_paths
from flis.keyfigures.build import build
from flis.keyfigures.similarity import build_similarity
from flis.release.build import release
from flis.release.manifest import Manifest
from flis.settings import Settings
from flis.sources.generator.run import generate
from flis.warehouse.connection import connect

MUNICIPALITIES = [101, 147, 461, 751, 851]
MONTHS = ["2025-08", "2025-09"]


def rebuild_keyfigures(settings: Settings) -> None:
    conn = connect(settings)
    try:
        build(conn)
        build_similarity(conn)
    finally:
        conn.close()


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(delivery folder, home folder with the world ingested and key figures built)."""
    base = tmp_path_factory.mktemp("release-world")
    deliveries, home = base / "deliveries", base / "home"
    generate(
        out=deliveries,
        scale=0.003,
        months=MONTHS,
        seed=5,
        municipalities=MUNICIPALITIES,
        fault_mode="none",
    )
    settings = Settings(home=home, demo=True)
    ingest_paths([deliveries], settings=settings)
    rebuild_keyfigures(settings)
    return deliveries, home


@pytest.fixture(scope="session")
def corrected_cpr(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A second CPR delivery (sequence 02) for 101 in 2025-09 with other residents."""
    out = tmp_path_factory.mktemp("corrected")
    generate(
        out=out / "world",
        scale=0.003,
        months=["2025-08", "2025-09"],
        seed=99,
        municipalities=[101],
        fault_mode="none",
    )
    target = out / "redelivery" / "CPR_0101_202509_02.txt"
    target.parent.mkdir()
    shutil.copyfile(out / "world/cpr/101/2025-09/CPR_0101_202509_01.txt", target)
    return target


@pytest.fixture
def home_settings(world: tuple[Path, Path], _isolated_home: Path) -> Settings:
    """Settings of a private copy of the world's home (also the test's FLIS_HOME)."""
    shutil.copytree(world[1], _isolated_home)
    return Settings(home=_isolated_home, demo=True)


@pytest.fixture
def publish(home_settings: Settings) -> Callable[..., Manifest]:
    """Build and publish a release of a period in the test's home."""

    def make(period: str | None = "2025-09") -> Manifest:
        conn = connect(home_settings)
        try:
            return release(conn, home_settings, period)
        finally:
            conn.close()

    return make


@pytest.fixture
def warehouse(home_settings: Settings) -> Iterator[Callable[[], duckdb.DuckDBPyConnection]]:
    opened: list[duckdb.DuckDBPyConnection] = []

    def open_() -> duckdb.DuckDBPyConnection:
        conn = connect(home_settings)
        opened.append(conn)
        return conn

    yield open_
    for conn in opened:
        conn.close()
