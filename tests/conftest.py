"""Shared fixtures: every test gets its own FLIS_HOME."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "flis-home"
    monkeypatch.setenv("FLIS_HOME", str(home))
    monkeypatch.setenv("FLIS_DEMO", "1")
    return home


@pytest.fixture
def repo_root() -> Path:
    return REPO
