"""Receiving: idempotency, re-delivery, rejected re-delivery, folders, lineage and privacy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from flis.errors import ConfigError
from flis.ingest.pipeline import Outcome
from flis.settings import load_settings
from flis.warehouse.checksum import content_checksum
from tests.ingest.factories import extract, file_name

Ingest = Callable[..., list[Outcome]]
Open = Callable[[], duckdb.DuckDBPyConnection]
CONTRACTS = ["economy", "cpr", "payroll-employment", "payroll-absence", "school", "central"]


def _write(folder: Path, contract_id: str, data: bytes, *, seq: int = 1, **kw: object) -> Path:
    path = folder / file_name(contract_id, seq=seq, **kw)  # type: ignore[arg-type]
    path.write_bytes(data)
    return path


def _rows(conn: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[object, ...]]:
    return conn.execute(sql).fetchall()


@pytest.mark.parametrize("contract_id", CONTRACTS)
def test_every_contract_loads_completely(contract_id: str, inbox: Path, ingest: Ingest) -> None:
    _write(inbox, contract_id, extract(contract_id))
    (outcome,) = ingest(inbox)
    assert outcome.status == "accepted"
    assert outcome.delivery is not None
    assert outcome.delivery.loaded_rows == outcome.delivery.records > 0


def test_same_bytes_twice_is_a_no_op(inbox: Path, ingest: Ingest, warehouse: Open) -> None:
    _write(inbox, "economy", extract("economy"))
    ingest(inbox)
    conn = warehouse()
    before = content_checksum(conn), _rows(conn, "SELECT * FROM ingest.delivery")
    conn.close()
    (again,) = ingest(inbox)
    assert again.status == "duplicate" and again.duplicate_of == 1
    conn = warehouse()
    assert (content_checksum(conn), _rows(conn, "SELECT * FROM ingest.delivery")) == before


def test_same_bytes_for_another_month_is_a_delivery(inbox: Path, ingest: Ingest) -> None:
    data = extract("central")
    _write(inbox, "central", data)
    _write(inbox, "central", data, period="2024-09")
    assert [o.status for o in ingest(inbox)] == ["accepted", "accepted"]


def test_redelivery_replaces_the_slice(inbox: Path, ingest: Ingest, warehouse: Open) -> None:
    first = _write(inbox, "economy", extract("economy", n=3))
    ingest(first)
    second = _write(inbox, "economy", extract("economy", n=2), seq=2)
    (outcome,) = ingest(second)
    assert outcome.status == "accepted"
    conn = warehouse()
    assert _rows(conn, "SELECT delivery_id, status, superseded_by FROM ingest.delivery") == [
        (1, "superseded", 2),
        (2, "accepted", None),
    ]
    assert _rows(conn, "SELECT delivery_id, count(*) FROM economy.posting GROUP BY 1") == [(2, 2)]


def test_rejected_redelivery_keeps_the_accepted_one(
    inbox: Path, ingest: Ingest, warehouse: Open
) -> None:
    ingest(_write(inbox, "economy", extract("economy", n=3)))
    conn = warehouse()
    before = content_checksum(conn)
    conn.close()
    cut = extract("economy", n=2)[:-20]
    (outcome,) = ingest(_write(inbox, "economy", cut, seq=2))
    assert outcome.status == "rejected"
    conn = warehouse()
    assert content_checksum(conn) == before
    assert _rows(conn, "SELECT delivery_id, status FROM ingest.delivery") == [
        (1, "accepted"),
        (2, "rejected"),
    ]


def test_other_slices_are_untouched_by_a_redelivery(
    inbox: Path, ingest: Ingest, warehouse: Open
) -> None:
    ingest(_write(inbox, "economy", extract("economy", municipality=101), municipality=101))
    ingest(_write(inbox, "economy", extract("economy")))
    ingest(_write(inbox, "economy", extract("economy", n=1), seq=2))
    conn = warehouse()
    assert _rows(
        conn, "SELECT owner_municipality, count(*) FROM economy.posting GROUP BY 1 ORDER BY 1"
    ) == [(101, 2), (461, 1)]


def test_generator_layout_folder(tmp_path: Path, ingest: Ingest) -> None:
    world = tmp_path / "world"
    for contract_id in CONTRACTS:
        from flis.sources.catalogue import contract

        c = contract(contract_id)
        folder = world / c.source / "461" / "2024-08"
        folder.mkdir(parents=True, exist_ok=True)
        _write(folder, contract_id, extract(contract_id))
    (world / "manifest.json").write_text("{}")
    (world / "faults.json").write_text("[]")
    outcomes = ingest(world)
    assert sorted(o.status for o in outcomes) == ["accepted"] * 6


def test_quarantined_rows_are_kept_masked(inbox: Path, ingest: Ingest, warehouse: Open) -> None:
    lines = extract("payroll-employment").decode().split("\n")
    lines[2] = lines[2].replace("LC", "XX")
    _write(inbox, "payroll-employment", "\n".join(lines).encode())
    (outcome,) = ingest(inbox, quarantine_threshold=0.5)
    assert outcome.status == "accepted-with-quarantine"
    conn = warehouse()
    ((line, record_type, content),) = _rows(
        conn, "SELECT line, record_type, content FROM ingest.quarantine"
    )
    assert (line, record_type) == (3, "ansaettelse")
    assert "010180-****" in content and "0101802001" not in content
    assert _rows(conn, "SELECT count(*) FROM staff.employment_month") == [(1,)]


def test_raw_cpr_numbers_never_enter_the_warehouse(
    inbox: Path, ingest: Ingest, warehouse: Open
) -> None:
    for contract_id in CONTRACTS:
        _write(inbox, contract_id, extract(contract_id))
    bad = extract("payroll-absence").decode().replace("EGEN_SYGDOM;05", "EGEN_SYGDOM;32", 1)
    _write(inbox, "payroll-absence", bad.encode(), seq=2)
    ingest(inbox, quarantine_threshold=0.9)
    conn = warehouse()
    cprs = ["0101801000", "0101802000", "0101802001", "0202174235", "0303084236"]
    columns = _rows(
        conn,
        "SELECT schema_name, table_name, column_name FROM duckdb_columns() "
        "WHERE data_type = 'VARCHAR' AND NOT internal AND database_name = current_database()",
    )
    for schema, table, column in columns:
        hits = _rows(
            conn,
            f'SELECT count(*) FROM "{schema}"."{table}" WHERE '
            + " OR ".join(f"contains(\"{column}\", '{c}')" for c in cprs),
        )
        assert hits == [(0,)], f"raw CPR number in {schema}.{table}.{column}"


def test_linked_person_key_is_shared_across_areas(
    inbox: Path, ingest: Ingest, warehouse: Open
) -> None:
    _write(inbox, "payroll-employment", extract("payroll-employment"))
    _write(inbox, "payroll-absence", extract("payroll-absence"))
    ingest(inbox)
    conn = warehouse()
    assert _rows(
        conn,
        "SELECT count(*) FROM staff.employment_month e JOIN staff.absence_period a "
        "USING (person_key, employment_id)",
    ) == [(2,)]
    assert _rows(conn, "SELECT count(*), count(DISTINCT person_key) FROM dim.person") == [(2, 2)]


def test_demo_key_is_refused_outside_demo_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLIS_DEMO", "0")
    with pytest.raises(ConfigError):
        load_settings()


def test_every_fact_row_has_lineage(inbox: Path, ingest: Ingest, warehouse: Open) -> None:
    for contract_id in CONTRACTS:
        _write(inbox, contract_id, extract(contract_id))
    ingest(inbox)
    conn = warehouse()
    for schema in ("economy", "citizens", "staff", "school", "central"):
        for (table,) in _rows(
            conn, f"SELECT table_name FROM duckdb_tables() WHERE schema_name = '{schema}'"
        ):
            orphans = _rows(
                conn,
                f"SELECT count(*) FROM {schema}.{table} f LEFT JOIN ingest.delivery d "
                "USING (delivery_id) WHERE d.status NOT IN ('accepted', "
                "'accepted-with-quarantine') OR d.delivery_id IS NULL",
            )
            assert orphans == [(0,)], f"{schema}.{table}"
