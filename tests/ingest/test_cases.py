"""Every rule code has case files under ``tests/cases/<rule>/<case>/`` with exact findings."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
import yaml

from flis.ingest import registry
from flis.ingest.pipeline import Outcome
from flis.ingest.rules import rules
from flis.warehouse.checksum import content_checksum

CASES = Path(__file__).resolve().parent.parent / "cases"
CASE_DIRS = sorted(p.parent for p in CASES.glob("*/*/expected.yaml"))


def test_every_rule_code_has_a_case() -> None:
    assert sorted({p.parent.name for p in CASE_DIRS}) == sorted(rules())


@pytest.mark.parametrize("case", CASE_DIRS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_case(
    case: Path,
    tmp_path: Path,
    ingest: Callable[..., list[Outcome]],
    warehouse: Callable[[], duckdb.DuckDBPyConnection],
) -> None:
    spec = yaml.safe_load((case / "expected.yaml").read_text("utf-8"))
    overrides = {"quarantine_threshold": spec["threshold"]} if "threshold" in spec else {}
    for expected in spec["deliveries"]:
        src = tmp_path / expected["file"]
        shutil.copy(case / expected["file"], src)
        conn = warehouse()
        before = content_checksum(conn)
        conn.close()
        (outcome,) = ingest(src, **overrides)
        assert outcome.status == expected["status"]
        conn = warehouse()
        if outcome.duplicate_of:
            found = [[f.code, f.line, f.column] for f in outcome.findings]
        else:
            assert outcome.delivery is not None
            found = [
                [f["rule"], f["line"], f["column_name"]]
                for f in registry.findings_of(conn, outcome.delivery.delivery_id)
            ]
        assert found == [list(f) for f in expected["findings"]]
        if expected["status"] in ("rejected", "duplicate", "superseded"):
            assert content_checksum(conn) == before, "a rejected delivery changed the warehouse"
        conn.close()
