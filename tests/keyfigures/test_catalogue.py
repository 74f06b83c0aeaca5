"""The catalogue: strict loading, every key figure compiles to DuckDB and Spark, and is tested."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import sqlglot

from flis.errors import ConfigError, NotFoundError
from flis.keyfigures.catalogue import FOLDER, keyfigure, keyfigures, load_catalogue
from flis.keyfigures.compiler import compile_sql, monthly_query
from flis.warehouse.connection import open_warehouse
from tests.keyfigures import (
    test_keyfigures_citizens,
    test_keyfigures_economy,
    test_keyfigures_school,
    test_keyfigures_staff,
)

ENTRY = """
keyfigures:
  - id: {id}
    title: {{da: T, en: T}}
    description: {{da: D, en: D}}
    area: school
    main_area: x
    unit: count
    level: monthly
    numerator: {{measure: {measure}, filters: [{filter}]}}
    role: owner
    aggregation: ratio_of_sums
    direction: neutral
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "catalogue"
    target.mkdir()
    shutil.copy(FOLDER / "measures.yaml", target / "measures.yaml")
    return target


def _write(
    folder: Path,
    name: str,
    *,
    id: str = "x.one",
    measure: str = "pupils",
    filter: str = "folkeskole",
) -> None:
    (folder / name).write_text(ENTRY.format(id=id, measure=measure, filter=filter), "utf-8")


def test_package_catalogue_has_at_least_40_figures_in_four_areas() -> None:
    figures = keyfigures()
    assert len(figures) >= 40
    assert {kf.area for kf in figures.values()} == {"economy", "citizens", "staff", "school"}


def test_a_good_file_loads(folder: Path) -> None:
    _write(folder, "a.yaml")
    assert list(load_catalogue(folder).keyfigures) == ["x.one"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"measure": "nope"}, "a.yaml: x.one.numerator: unknown measure 'nope'"),
        ({"filter": "nope"}, "a.yaml: x.one.numerator: unknown filter 'nope'"),
        ({"measure": "net_spend", "filter": "actual", "id": "x.two"}, None),
    ],
)
def test_loader_names_file_and_key(
    folder: Path, kwargs: dict[str, str], message: str | None
) -> None:
    _write(folder, "a.yaml", **kwargs)
    if message is None:
        load_catalogue(folder)
        return
    with pytest.raises(ConfigError) as err:
        load_catalogue(folder)
    assert message in str(err.value)


def test_duplicate_ids_across_files(folder: Path) -> None:
    _write(folder, "a.yaml")
    _write(folder, "b.yaml")
    with pytest.raises(ConfigError, match=r"b.yaml: x.one: duplicate key-figure id 'x.one'"):
        load_catalogue(folder)


def test_unknown_field_is_refused(folder: Path) -> None:
    (folder / "a.yaml").write_text(
        ENTRY.format(id="x.one", measure="pupils", filter="folkeskole") + "    colour: red\n",
        "utf-8",
    )
    with pytest.raises(ConfigError, match=r"a\.yaml: x\.one"):
        load_catalogue(folder)


def test_role_must_exist_on_the_measure(folder: Path) -> None:
    text = ENTRY.format(id="x.one", measure="net_spend", filter="actual")
    (folder / "a.yaml").write_text(text.replace("role: owner", "role: home"), "utf-8")
    with pytest.raises(ConfigError, match="has no municipality role 'home'"):
        load_catalogue(folder)


def test_unknown_keyfigure() -> None:
    with pytest.raises(NotFoundError):
        keyfigure("nope")


@pytest.fixture(scope="module")
def warehouse() -> Iterator[duckdb.DuckDBPyConnection]:
    conn = open_warehouse(":memory:")
    yield conn
    conn.close()


@pytest.mark.parametrize("kf_id", list(keyfigures()))
def test_every_keyfigure_compiles_for_duckdb_and_spark(
    kf_id: str, warehouse: duckdb.DuckDBPyConnection
) -> None:
    sql = compile_sql(keyfigure(kf_id))
    warehouse.execute(f"EXPLAIN {sql}")  # binds against the current information model
    spark = sqlglot.transpile(sql, read="duckdb", write="spark")[0]
    assert "municipality_code" in spark
    assert (
        compile_sql(keyfigure(kf_id), "spark")
        == sqlglot.transpile(sql, read="duckdb", write="spark", pretty=True)[0]
    )


@pytest.mark.parametrize("kf_id", list(keyfigures()))
def test_every_measure_sums_exactly(kf_id: str, warehouse: duckdb.DuckDBPyConnection) -> None:
    """A measure's monthly amount is an integer or an exact decimal, never a float: a parallel
    sum of doubles depends on the order rows meet, so a rebuild could differ in the last bits and
    ``flis releases verify`` would fail on a correct release (it did, on posting amounts)."""
    kf = keyfigure(kf_id)
    for ref in (kf.numerator, kf.denominator):
        if ref is None:
            continue
        sql = monthly_query(kf, ref).sql("duckdb")
        types = dict((row[0], row[1]) for row in warehouse.execute(f"DESCRIBE {sql}").fetchall())
        assert types["amount"].startswith(("DECIMAL", "BIGINT", "HUGEINT", "INTEGER")), (
            f"{kf_id}: measure {ref.measure} sums {types['amount']}"
        )


def test_every_keyfigure_has_a_hand_worked_test() -> None:
    tested = {case[0] for case in test_keyfigures_school.COUNT_DAY_CASES}
    tested |= {case[0] for case in test_keyfigures_school.SCHOOL_YEAR_CASES}
    tested |= {case[0] for case in test_keyfigures_school.TRANSITION_CASES}
    tested |= {case[0] for case in test_keyfigures_staff.CASES}
    tested |= {case[0] for case in test_keyfigures_citizens.CASES}
    tested |= {case[0] for case in test_keyfigures_economy.CASES}
    tested |= {"oekonomi.strukturel_driftsbalance_pr_indbygger"}  # its own test
    assert sorted(set(keyfigures()) - tested) == []
