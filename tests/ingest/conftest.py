"""Fixtures for ingestion tests: settings, a delivery folder and an ingest helper."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from flis.ingest.pipeline import Outcome, ingest_paths
from flis.settings import Settings, load_settings
from flis.warehouse.connection import connect


@pytest.fixture
def settings(_isolated_home: Path) -> Settings:
    return load_settings()


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    path = tmp_path / "inbox"
    path.mkdir()
    return path


@pytest.fixture
def ingest(settings: Settings) -> Callable[..., list[Outcome]]:
    """Ingest paths with the test's settings (overrides such as quarantine_threshold allowed)."""

    def run(*paths: Path, **overrides: object) -> list[Outcome]:
        chosen = settings.model_copy(update=overrides) if overrides else settings
        return ingest_paths(list(paths), settings=chosen)

    return run


@pytest.fixture
def warehouse(settings: Settings) -> Callable[[], duckdb.DuckDBPyConnection]:
    """Open the test's warehouse (close it before ingesting again)."""

    def open_() -> duckdb.DuckDBPyConnection:
        return connect(settings)

    return open_
