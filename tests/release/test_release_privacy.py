"""Privacy: pseudonyms, each municipality's detail folder, suppression, and no CPR anywhere."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from flis.cli.app import app
from flis.errors import ConfigError
from flis.release.datasets.benchmark import benchmark_cells, read_rows
from flis.release.datasets.detail import DATASETS
from flis.release.datasets.institutions import component_cells, components, read_schools
from flis.release.disclosure import determined
from flis.release.manifest import Manifest
from flis.release.pseudonym import municipality_key, pseudonym
from flis.release.publish import outbox_root
from flis.release.store import releases_root
from flis.release.subscriptions import add
from flis.settings import Settings
from flis.warehouse.connection import connect
from tests.release.conftest import MUNICIPALITIES
from tests.release.cpr_scan import find_cprs, scan


def _detail(settings: Settings, release_id: str, code: int, name: str) -> set[str]:
    path = releases_root(settings.home) / release_id / "detail" / str(code) / f"{name}.parquet"
    return set(pq.read_table(path, columns=["person_id"]).column(0).to_pylist())


def test_pseudonyms_are_stable_for_a_municipality_across_releases(
    publish: Callable[..., Manifest], home_settings: Settings
) -> None:
    publish("2025-08")
    publish("2025-09")
    august = _detail(home_settings, "2025-08.1", 101, "residents")
    september = _detail(home_settings, "2025-09.1", 101, "residents")
    assert len(august & september) > 0.9 * len(september)


def test_pseudonyms_differ_across_municipalities_and_match_the_reference(
    publish: Callable[..., Manifest],
    home_settings: Settings,
    warehouse: Callable[[], duckdb.DuckDBPyConnection],
) -> None:
    publish("2025-09")
    row = (
        warehouse()
        .execute(
            "SELECT person_key FROM citizens.resident_month "
            "WHERE home_municipality = 101 AND month = '2025-09' ORDER BY person_key LIMIT 1"
        )
        .fetchone()
    )
    assert row is not None
    master = home_settings.pseudonym_key.get_secret_value().encode()
    own, other = (pseudonym(municipality_key(master, c), row[0]) for c in (101, 147))
    assert own != other and len(own) == 16
    assert own in _detail(home_settings, "2025-09.1", 101, "residents")
    assert all(
        not (
            _detail(home_settings, "2025-09.1", 101, "residents")
            & _detail(home_settings, "2025-09.1", c, "residents")
        )
        for c in MUNICIPALITIES[1:]
    )


def test_detail_folders_hold_only_the_owning_municipalitys_rows(
    publish: Callable[..., Manifest],
    home_settings: Settings,
    warehouse: Callable[[], duckdb.DuckDBPyConnection],
) -> None:
    manifest = publish("2025-09")
    folder = releases_root(home_settings.home) / "2025-09.1"
    for f in (f for f in manifest.files if f.level == "detail"):
        table = pq.read_table(folder / f.path)
        assert f.path.startswith(f"detail/{f.municipality_code}/")
        assert pc.all(pc.equal(table.column("municipality_code"), f.municipality_code)).as_py()
        assert "person_key" not in table.column_names
    for spec in DATASETS:
        total = (
            warehouse()
            .execute(f"SELECT count(*) FROM {spec.table} WHERE month = '2025-09'")
            .fetchone()
        )
        published = sum(f.rows for f in manifest.files if f.path.endswith(f"/{spec.name}.parquet"))
        assert total == (published,), spec.name


def test_no_suppressed_benchmark_cell_can_be_recovered(
    publish: Callable[..., Manifest],
    home_settings: Settings,
    warehouse: Callable[[], duckdb.DuckDBPyConnection],
) -> None:
    publish("2025-09")
    folder = releases_root(home_settings.home) / "2025-09.1"
    suppressed = {
        f"{r['keyfigure']}|{r['period']}|{unit}"
        for name, unit_of in (
            ("values", lambda r: f"m:{r['municipality_code']}"),
            ("groups", lambda r: f"g:{r['group_id']}"),
        )
        for r in pq.read_table(folder / f"benchmark/{name}.parquet").to_pylist()
        if r["suppressed"]
        for unit in [unit_of(r)]
    }
    cells = benchmark_cells(*read_rows(warehouse(), period="2025-09"))  # true values, relations
    hidden = {c for c in cells.values if c.rsplit("|", 1)[0] in suppressed}
    published = {c: v for c, v in cells.values.items() if c not in hidden}
    assert not determined(published, hidden, cells.all_relations())
    assert all(p >= 5 or p == 0 for c, p in cells.persons.items() if c in published)
    assert hidden & cells.relations_cells()


def test_no_cpr_number_in_the_release_the_outbox_or_the_output(
    publish: Callable[..., Manifest],
    home_settings: Settings,
    world: tuple[Path, Path],
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert scan(world[0]), "the scanner must find the CPR numbers in the raw deliveries"
    conn = connect(home_settings)
    try:
        for code in MUNICIPALITIES[:2]:
            for dataset in ("benchmark", "institutions", "detail"):
                add(conn, municipality=code, dataset=dataset, formats=["parquet", "csv", "xlsx"])
    finally:
        conn.close()
    caplog.set_level(logging.DEBUG)
    runner = CliRunner()
    outputs = [runner.invoke(app, ["release", "2025-09"]), runner.invoke(app, ["releases"])]
    outputs.append(runner.invoke(app, ["releases", "show", "2025-09.1", "--json"]))
    assert all(r.exit_code == 0 for r in outputs), [r.output for r in outputs]
    assert any((outbox_root(home_settings.home)).rglob("*.xlsx"))
    assert scan(releases_root(home_settings.home)) == {}
    assert scan(outbox_root(home_settings.home)) == {}
    log = io.StringIO("".join(r.output for r in outputs) + caplog.text)
    assert find_cprs(log.getvalue()) == []


def test_the_scanner_finds_a_planted_cpr(tmp_path: Path) -> None:
    rows = ["id;x", "1;010203-1234", "2;3112991234", "3;3213991234", "4;0,3112991234"]
    (tmp_path / "a.csv").write_text("\n".join(rows) + "\n")
    assert scan(tmp_path) == {"a.csv": ["010203-1234", "3112991234"]}


def test_no_suppressed_school_cell_can_be_recovered(
    publish: Callable[..., Manifest],
    home_settings: Settings,
    warehouse: Callable[[], duckdb.DuckDBPyConnection],
) -> None:
    publish("2025-09")
    path = releases_root(home_settings.home) / "2025-09.1/institutions/schools.parquet"
    hidden_columns = {
        (r["month"], r["institution_number"]): {
            part.split("=")[0] for part in (r["suppressed"] or "").split(";") if part
        }
        for r in pq.read_table(path).to_pylist()
    }
    checked = 0
    for rows in components(read_schools(warehouse(), period="2025-09")):
        cells = component_cells(rows)
        hidden = {
            f"{r['institution_number']}|{c}"
            for r in rows
            for c in hidden_columns[(r["month"], r["institution_number"])]
        }
        published = {c: v for c, v in cells.values.items() if c not in hidden}
        assert not determined(published, hidden, cells.relations), rows[0]["owner_municipality"]
        assert all(p == 0 or p >= 5 for c, p in cells.persons.items() if c in published)
        checked += bool(hidden)
    assert checked > 0


def test_the_demo_pseudonym_key_is_refused_outside_demo_mode() -> None:
    with pytest.raises(ConfigError, match="FLIS_PSEUDONYM_KEY"):
        Settings(demo=False, person_key="a-long-random-secret-from-the-vault")
    real = Settings(demo=False, person_key="one-secret", pseudonym_key="another-secret")
    assert real.pseudonym_key.get_secret_value() == "another-secret"
