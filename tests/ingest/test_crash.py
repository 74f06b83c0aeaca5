"""Crash safety: SIGKILL during an ingest leaves the warehouse as before the load, and running
the ingest again gives the same result as an uninterrupted run."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from flis.sources.catalogue import contract
from flis.sources.formats import render_extract
from flis.warehouse.checksum import content_checksum
from tests.ingest.factories import extract, file_name

ROWS = 80_000
FRACTIONS = (0.6, 0.8, 0.95)


def _big_cpr(municipality: int = 461, n: int = ROWS) -> bytes:
    table = pa.table(
        {
            "cpr": [
                f"{1 + i % 28:02d}{1 + i // 28 % 12:02d}{i // 336 % 100:02d}{i % 9999:04d}"
                for i in range(n)
            ],
            "kommune": [municipality] * n,
            "status": ["01"] * n,
            "koen": ["K"] * n,
            "foedselsdato": pa.array([dt.date(1970, 1, 1)] * n),
            "civilstand": ["U"] * n,
            "statsborgerskab": ["DK"] * n,
        }
    )
    return render_extract(
        contract("cpr"), municipality=municipality, period="2024-08", records={"001": table}
    )


def _run(home: Path, path: Path, kill_after: float | None = None) -> float:
    env = {**os.environ, "FLIS_HOME": str(home), "FLIS_DEMO": "1"}
    cmd = [sys.executable, "-c", "from flis.cli import main; main()", "ingest", str(path)]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if kill_after is not None:
        try:
            proc.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
    proc.wait()
    return time.monotonic() - start


def _state(home: Path) -> tuple[object, ...]:
    conn = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        registry = conn.execute(
            "SELECT delivery_id, file_name, status, loaded_rows FROM ingest.delivery ORDER BY 1"
        ).fetchall()
        return content_checksum(conn), registry
    finally:
        conn.close()


@pytest.mark.slow
def test_sigkill_during_load_changes_nothing(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    small = inbox / file_name("cpr")
    small.write_bytes(extract("cpr"))
    big = inbox / file_name("cpr", seq=2)
    big.write_bytes(_big_cpr())
    base = tmp_path / "base"
    _run(base, small)
    before = _state(base)
    reference = tmp_path / "reference"
    shutil.copytree(base, reference)
    duration = _run(reference, big)
    after = _state(reference)
    assert after != before and after[1][-1][2] == "accepted"
    for fraction in FRACTIONS:
        home = tmp_path / f"crash-{fraction}"
        shutil.copytree(base, home)
        _run(home, big, kill_after=duration * fraction)
        crashed = _state(home)
        assert crashed in (before, after), f"half-loaded after a kill at {fraction:.0%}"
        _run(home, big)
        assert _state(home) == after, f"re-run after a kill at {fraction:.0%} differs"


@pytest.mark.slow
def test_sigkill_during_a_batch_of_deliveries_changes_nothing(tmp_path: Path) -> None:
    """Deliveries of one batch commit together: a kill leaves none or all of them loaded."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for municipality in (101, 147, 461):
        name = file_name("cpr", municipality=municipality)
        (inbox / name).write_bytes(_big_cpr(municipality, ROWS // 2))
    earlier = tmp_path / file_name("economy")
    earlier.write_bytes(extract("economy"))
    base = tmp_path / "base"
    _run(base, earlier)
    before = _state(base)
    reference = tmp_path / "reference"
    shutil.copytree(base, reference)
    duration = _run(reference, inbox)
    after = _state(reference)
    assert [r[2] for r in after[1]] == ["accepted"] * 4
    for fraction in FRACTIONS:
        home = tmp_path / f"crash-{fraction}"
        shutil.copytree(base, home)
        _run(home, inbox, kill_after=duration * fraction)
        assert _state(home) in (before, after), f"part of a batch after a kill at {fraction:.0%}"
        _run(home, inbox)
        assert _state(home) == after, f"re-run after a kill at {fraction:.0%} differs"
