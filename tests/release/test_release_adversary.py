"""The adversary with a whole release: every published table, every relation, one system.

It reads the benchmark (municipalities and groups with their members) and the institution level
exactly as published, writes out every linear relation a reader knows (group sums, the declared
relations between key figures and periods, a school's pupils by kind, the municipality totals
over its schools) and must not determine any suppressed value.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq

from flis.release.datasets.benchmark import benchmark_cells, build_benchmark, read_rows
from flis.release.datasets.institutions import PERSONS, component_cells, components, read_schools
from flis.release.disclosure import Relation, determined
from flis.release.manifest import Manifest
from flis.release.relations import parse_ref, relations
from flis.release.store import releases_root
from flis.settings import Settings

PARTS = ("value", "numerator", "denominator")


def _benchmark(folder: Path) -> tuple[dict[str, float], set[str]]:
    """Cell → published value, and the suppressed cells, of both benchmark tables."""
    published: dict[str, float] = {}
    hidden: set[str] = set()
    for name, unit in (("values", "m:{municipality_code}"), ("groups", "g:{group_id}")):
        for row in pq.read_table(folder / f"benchmark/{name}.parquet").to_pylist():
            prefix = f"{row['keyfigure']}|{row['period']}|{unit.format(**row)}"
            for part in PARTS:
                if row["suppressed"]:
                    hidden.add(f"{prefix}|{part}")
                elif row[part] is not None:
                    published[f"{prefix}|{part}"] = row[part]
    return published, hidden


def _scoped(scope: str, rels: list[Relation]) -> list[Relation]:
    return [
        Relation(scope + r.total, tuple(scope + p for p in r.parts), r.coefficients) for r in rels
    ]


def _institutions(
    folder: Path, rows: list[dict[str, Any]]
) -> tuple[dict[str, float], set[str], list[Relation]]:
    """The schools as published, with the municipality totals the reader is assumed to know."""
    table = {
        (r["month"], r["institution_number"]): r
        for r in pq.read_table(folder / "institutions/schools.parquet").to_pylist()
    }
    published: dict[str, float] = {}
    hidden: set[str] = set()
    rels: list[Relation] = []
    for chunk in components(rows):
        scope = f"inst|{chunk[0]['owner_municipality']}|{chunk[0]['month']}|"
        cells = component_cells(chunk)
        rels += _scoped(scope, cells.relations)
        published.update({scope + c: cells.values[c] for c in cells.known})
        for row in chunk:
            out = table[(row["month"], row["institution_number"])]
            for column in PERSONS:
                cell = f"{scope}{row['institution_number']}|{column}"
                if out[column] is None and row[column] is not None:
                    hidden.add(cell)
                elif out[column] is not None:
                    published[cell] = float(out[column])
    return published, hidden, rels


def test_no_suppressed_value_of_a_release_follows_from_all_its_published_tables(
    publish: Callable[..., Manifest],
    home_settings: Settings,
    warehouse: Callable[[], duckdb.DuckDBPyConnection],
) -> None:
    manifest = publish("2025-09")
    folder = releases_root(home_settings.home) / manifest.release_id
    conn = warehouse()
    structure = benchmark_cells(*read_rows(conn, period="2025-09"))  # which cells sum to which
    published, hidden = _benchmark(folder)
    schools, school_hidden, school_rels = _institutions(
        folder, read_schools(conn, period="2025-09")
    )
    all_rels = structure.all_relations() + school_rels
    leaked = determined(published | schools, hidden | school_hidden, all_rels)
    assert leaked == set()
    # the test has teeth: suppressed cells sit in group sums, in relations between key figures
    # and in the schools' tables
    in_relations = {c for r in all_rels for c in (r.total, *r.parts)}
    declared = {str(parse_ref(ref)) for r in relations() for ref in r.refs()}
    assert hidden & in_relations and school_hidden & in_relations
    assert any(_ref_of(c) in declared for c in hidden & in_relations)
    assert manifest.disclosure.primary > 0 and manifest.disclosure.secondary > 0


def _ref_of(cell: str) -> str:
    kf, _period, unit, part = cell.split("|")
    return f"{part}({kf})" if unit.startswith("m:") else ""


def test_the_manifest_counts_suppressed_cells_per_dataset(
    publish: Callable[..., Manifest],
    home_settings: Settings,
    warehouse: Callable[[], duckdb.DuckDBPyConnection],
) -> None:
    manifest = publish("2025-09")
    folder = releases_root(home_settings.home) / manifest.release_id
    flags = build_benchmark(
        warehouse(), period="2025-09", threshold=home_settings.disclosure_threshold
    ).suppressed
    rows = {cell.rsplit("|", 1)[0] for cell in flags}  # a row hides all its parts
    published_rows = [
        row
        for name in ("values", "groups")
        for row in pq.read_table(folder / f"benchmark/{name}.parquet").to_pylist()
    ]
    assert sum(bool(r["suppressed"]) for r in published_rows) == len(rows)
    schools = {"primary": 0, "secondary": 0}
    for row in pq.read_table(folder / "institutions/schools.parquet").to_pylist():
        for flag in filter(None, (row["suppressed"] or "").split(";")):
            schools[flag.split("=")[1]] += 1
    disclosure = manifest.disclosure
    assert disclosure.datasets["institutions"].model_dump() == schools
    assert disclosure.datasets["benchmark"].model_dump() == {
        why: sum(f == why for f in flags.values()) for why in ("primary", "secondary")
    }
    assert disclosure.primary == sum(d.primary for d in disclosure.datasets.values())
    assert disclosure.secondary == sum(d.secondary for d in disclosure.datasets.values())
    assert disclosure.relations == [r.id for r in relations()]
