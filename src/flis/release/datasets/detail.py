"""Level 3, detail: each municipality's own individual-level rows for the release month.

Pupils (enrolments), grades, pupil absence, employments, staff absence periods, residents and
population events, each for the municipality in the role that owns the row (the school's owner,
the employer, the home municipality). The warehouse person key is replaced by the
municipality's pseudonym (:mod:`flis.release.pseudonym`), computed inside DuckDB; load lineage
columns are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa

from flis.release.pseudonym import LENGTH, municipality_key
from flis.settings import Settings


@dataclass(frozen=True)
class DetailSpec:
    """One detail dataset: its warehouse table and the column naming the owning municipality."""

    name: str
    table: str
    owner: str


DATASETS = (
    DetailSpec("pupils", "school.enrolment_month", "owner_municipality"),
    DetailSpec("grades", "school.grade", "owner_municipality"),
    DetailSpec("pupil_absence", "school.pupil_absence_day", "owner_municipality"),
    DetailSpec("employments", "staff.employment_month", "employer_municipality"),
    DetailSpec("staff_absence", "staff.absence_period", "employer_municipality"),
    DetailSpec("residents", "citizens.resident_month", "home_municipality"),
    DetailSpec("events", "citizens.population_event", "home_municipality"),
)
#: Warehouse columns never published in detail datasets.
HIDDEN = ("delivery_id", "source_line", "person_key")
_PADS = "release_pseudonym_pads"


def _pads(key: bytes) -> tuple[bytes, bytes]:
    padded = key.ljust(64, b"\0")  # a municipality key is 32 bytes: no pre-hashing needed
    return bytes(b ^ 0x36 for b in padded), bytes(b ^ 0x5C for b in padded)


def install_pads(conn: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """A temporary table of every municipality's HMAC pads (never persisted)."""
    master = settings.pseudonym_key.get_secret_value().encode()
    rows = conn.execute("SELECT municipality_code FROM dim.municipality").fetchall()
    codes = [int(r[0]) for r in rows]
    pads = [_pads(municipality_key(master, code)) for code in sorted(codes)]
    conn.execute(
        f"CREATE OR REPLACE TEMP TABLE {_PADS} (municipality_code SMALLINT, ipad BLOB, opad BLOB)"
    )
    conn.executemany(
        f"INSERT INTO {_PADS} VALUES (?, ?, ?)",
        [(c, i, o) for c, (i, o) in zip(sorted(codes), pads, strict=True)],
    )


def _columns(conn: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    schema, name = table.split(".")
    rows = conn.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = ? AND table_name = ? ORDER BY column_index",
        [schema, name],
    ).fetchall()
    return [str(r[0]) for r in rows if r[0] not in HIDDEN]


def query(conn: duckdb.DuckDBPyConnection, spec: DetailSpec) -> str:
    """SQL for one dataset: the owning municipality first, the pseudonym, then the columns."""
    inner = "unhex(sha256(k.ipad || encode(CAST(t.person_key AS VARCHAR))))"
    person_id = f"substr(sha256(k.opad || {inner}), 1, {LENGTH}) AS person_id"
    rest = [c for c in _columns(conn, spec.table) if c != spec.owner]
    select = ", ".join(
        [f"t.{spec.owner} AS municipality_code", person_id, *(f"t.{c}" for c in rest)]
    )
    return (
        f"SELECT {select} FROM {spec.table} AS t "
        f"JOIN {_PADS} AS k ON k.municipality_code = t.{spec.owner} "
        "WHERE t.month = $period ORDER BY ALL"
    )


def split(table: pa.Table) -> Iterator[tuple[int, pa.Table]]:
    """(municipality, its rows) of a table sorted by ``municipality_code``."""
    codes = table.column("municipality_code").to_numpy()
    if len(codes) == 0:
        return
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    ends = np.r_[starts[1:], len(codes)]
    for start, end in zip(starts, ends, strict=True):
        yield int(codes[start]), table.slice(int(start), int(end - start))


def build_detail(conn: duckdb.DuckDBPyConnection, *, spec: DetailSpec, period: str) -> pa.Table:
    """One detail dataset for every municipality, sorted by municipality, pseudonym and row."""
    return conn.sql(query(conn, spec), params={"period": period}).to_arrow_table()
