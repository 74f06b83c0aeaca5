"""Shared fixtures: every test gets its own FLIS_HOME."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# No per-example deadline (a loaded 2-core CI machine is slow), and in CI a fixed example
# sequence so a landing never depends on luck; local runs keep exploring new examples.
settings.register_profile("flis", deadline=None)
settings.register_profile("flis-ci", deadline=None, derandomize=True)
settings.load_profile("flis-ci" if os.environ.get("CI") else "flis")

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
