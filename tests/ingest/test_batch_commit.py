"""A batch commits in one transaction, yet each delivery behaves as if committed alone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from flis.ingest import pipeline
from flis.ingest.load import LoadPlan
from flis.ingest.pipeline import Outcome
from flis.ingest.pseudonym import person_key
from flis.settings import Settings
from tests.ingest.factories import extract, file_name

Ingest = Callable[..., list[Outcome]]
Open = Callable[[], duckdb.DuckDBPyConnection]


def _write(folder: Path, data: bytes, *, municipality: int = 461, seq: int = 1) -> Path:
    path = folder / file_name("payroll-employment", municipality=municipality, seq=seq)
    path.write_bytes(data)
    return path


def _employments(inbox: Path, municipality: int, n: int, seq: int = 1) -> Path:
    data = extract("payroll-employment", municipality=municipality, n=n)
    return _write(inbox, data, municipality=municipality, seq=seq)


def _key(settings: Settings, cpr: str) -> int:
    return person_key(cpr, settings.person_key.get_secret_value())


def test_person_enters_with_the_first_delivery_that_loads_it(
    inbox: Path, ingest: Ingest, warehouse: Open, settings: Settings
) -> None:
    newer = _employments(inbox, 461, n=2, seq=2)
    older = _employments(inbox, 461, n=3, seq=1)  # the only file with 0101802002 before 101's
    other = _employments(inbox, 101, n=3)
    outcomes = ingest(newer, older, other)
    assert [o.status for o in outcomes] == ["accepted", "superseded", "accepted"]
    conn = warehouse()
    persons = conn.execute("SELECT person_key, delivery_id FROM dim.person ORDER BY 2, 1")
    assert persons.fetchall() == sorted(
        [
            (_key(settings, "0101802000"), 1),
            (_key(settings, "0101802001"), 1),
            (_key(settings, "0101802002"), 3),
        ],
        key=lambda r: (r[1], r[0]),
    )


def test_a_failing_delivery_leaves_the_ones_before_it_loaded(
    inbox: Path,
    ingest: Ingest,
    warehouse: Open,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paths = [_employments(inbox, m, n=1 + i) for i, m in enumerate((101, 147, 461))]
    real = pipeline.load_facts

    def failing(conn: duckdb.DuckDBPyConnection, plan: LoadPlan) -> None:
        if any(f.file_id == 1 for f in plan.loads):
            raise duckdb.IOException("disk full while loading 147")
        real(conn, plan)

    monkeypatch.setattr(pipeline, "load_facts", failing)
    with pytest.raises(duckdb.IOException, match="147"):
        ingest(*paths)
    conn = warehouse()
    registry = conn.execute("SELECT delivery_id, municipality_code, status FROM ingest.delivery")
    assert registry.fetchall() == [(1, 101, "accepted")]
    assert conn.execute(
        "SELECT delivery_id, employer_municipality, count(*) FROM staff.employment_month "
        "GROUP BY ALL"
    ).fetchall() == [(1, 101, 1)]
    assert conn.execute("SELECT person_key, delivery_id FROM dim.person").fetchall() == [
        (_key(settings, "0101802000"), 1)
    ]
    conn.close()
    monkeypatch.setattr(pipeline, "load_facts", real)
    assert [o.status for o in ingest(*paths)] == ["duplicate", "accepted", "accepted"]
    conn = warehouse()
    persons = conn.execute("SELECT person_key, delivery_id FROM dim.person ORDER BY 2")
    assert persons.fetchall() == [
        (_key(settings, "0101802000"), 1),
        (_key(settings, "0101802001"), 2),
        (_key(settings, "0101802002"), 3),
    ]
