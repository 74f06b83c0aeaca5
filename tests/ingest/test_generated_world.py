"""Ingesting the generator's --faults realistic world finds every fault this stage can see."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from flis.ingest import registry
from flis.ingest.pipeline import Outcome, ingest_paths
from flis.settings import Settings
from flis.sources.generator.run import generate
from flis.warehouse.connection import connect

MUNICIPALITIES = [101, 147, 461, 751, 851]
MONTHS = ["2025-05", "2025-06", "2025-07"]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("faulty-world")
    generate(
        out=out,
        scale=0.003,
        months=MONTHS,
        seed=11,
        municipalities=MUNICIPALITIES,
        fault_mode="realistic",
    )
    return out


@pytest.fixture
def ingested(world: Path) -> tuple[list[Outcome], dict[str, list[dict[str, Any]]]]:
    settings = Settings()
    outcomes = ingest_paths([world], settings=settings)
    conn = connect(settings, read_only=True)
    try:
        findings = {
            o.path.rsplit("/", 1)[-1]: registry.findings_of(conn, o.delivery.delivery_id)
            for o in outcomes
            if o.delivery is not None
        }
    finally:
        conn.close()
    return outcomes, findings


def _faults(world: Path) -> list[dict[str, Any]]:
    return list(json.loads((world / "faults.json").read_text())["faults"])


def test_every_row_and_structure_fault_is_reported_where_it_is(
    world: Path, ingested: tuple[list[Outcome], dict[str, list[dict[str, Any]]]]
) -> None:
    outcomes, findings = ingested
    checked = 0
    for fault in _faults(world):
        if fault["stage"] not in ("row", "structure"):
            continue
        name = fault["file"].rsplit("/", 1)[-1]
        rules = {(f["rule"], f["line"], f["column_name"]) for f in findings[name]}
        if fault["stage"] == "row":
            assert (fault["expected_rule"], fault["line"], fault["column"]) in rules, fault
        else:
            assert fault["expected_rule"] in {r for r, _, _ in rules}, fault
            status = next(o.status for o in outcomes if o.path.endswith(name))
            assert status == "rejected", fault
        checked += 1
    assert checked >= 5


def test_receive_faults_are_handled_as_duplicates_and_re_deliveries(
    world: Path, ingested: tuple[list[Outcome], dict[str, list[dict[str, Any]]]]
) -> None:
    outcomes, _ = ingested
    status = {o.path.rsplit("/", 1)[-1]: o.status for o in outcomes}
    for fault in _faults(world):
        if fault["kind"] == "duplicate-file":
            assert status[fault["file"].rsplit("/", 1)[-1]] == "duplicate"
        if fault["kind"] == "re-delivery":
            first = fault["file"].rsplit("/", 1)[-1]
            second = fault["note"].removeprefix("corrected by ").rsplit("/", 1)[-1]
            assert status[second] == "accepted"
            settings = Settings()
            conn = connect(settings, read_only=True)
            try:
                row = conn.execute(
                    "SELECT status FROM ingest.delivery WHERE file_name = ?", [first]
                ).fetchone()
            finally:
                conn.close()
            assert row is not None and row[0] == "superseded"
