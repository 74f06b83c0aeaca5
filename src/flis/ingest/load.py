"""Loading validated deliveries into the information model (inside the caller's transaction).

A slice (contract × municipality × month) is replaced by deleting the rows of the deliveries it
supersedes and inserting the new ones. The deliveries of a batch are loaded together: one
DELETE and one INSERT per fact table, one insert of new persons and one upsert per dimension,
whatever the number of files. Rows are inserted in file order, so the rows of one delivery sit
together and DuckDB's zone maps on ``delivery_id`` let a later delete skip the rest of the
history: the cost grows with the delivery, not with the history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb

from flis.ingest.formats import reader
from flis.ingest.mappings import mapping
from flis.ingest.mappings.base import LOADED_FILES, Load
from flis.ingest.persons import insert_persons
from flis.ingest.pseudonym import derived_person_columns
from flis.ingest.sql import ident, list_table, lit
from flis.ingest.types import typed_column
from flis.sources.contract import Contract


def typed_table(code: str) -> str:
    return ident(f"typed_{code}")


def build_typed(
    conn: duckdb.DuckDBPyConnection, *, contract: Contract, raw_tables: dict[str, str]
) -> None:
    """Views ``typed_<record type>``: the non-quarantined records, typed, with person keys.

    The typed values and person keys were computed once when the raw tables were built; birth
    date and sex derived from a CPR number only where a load reads them.
    """
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE quarantined_lines AS "
        "SELECT DISTINCT file_id, line_no FROM row_findings"
    )
    (quarantined,) = conn.execute("SELECT count(*) FROM quarantined_lines").fetchall()[0]
    for rt in contract.record_types:
        cols = ["r.file_id", "r.line_no"]
        for spec in rt.fields:
            cols.append(f"r.{typed_column(spec)} AS {ident(spec.name)}")
            if spec.type == "cpr":
                cols += [f"r.{ident(spec.name + '__key')}", derived_person_columns(spec.name)]
        clean = (
            " WHERE NOT EXISTS (SELECT 1 FROM quarantined_lines q "
            "WHERE q.file_id = r.file_id AND q.line_no = r.line_no)"
            if quarantined
            else ""
        )
        conn.execute(
            f"CREATE OR REPLACE TEMP VIEW {typed_table(rt.code)} AS SELECT {', '.join(cols)} "
            f"FROM {raw_tables[rt.code]} r{clean}"
        )


@dataclass(frozen=True)
class FileLoad:
    """One delivery of the batch that loads: its file, delivery id and month."""

    file_id: int
    delivery_id: int
    month: str
    month_end: dt.date
    keeps: bool  # False: superseded later in the same batch, so its facts are not inserted


@dataclass
class LoadPlan:
    """What the batch changes in the information model of one contract."""

    contract: Contract
    loads: list[FileLoad] = field(default_factory=list)  # in commit order
    replaced: list[int] = field(default_factory=list)  # deliveries in the warehouse superseded


def loaded_rows(
    conn: duckdb.DuckDBPyConnection, *, contract: Contract, file_ids: list[int]
) -> dict[int, int]:
    """Fact rows each file loads (all its clean records, over every load of the contract)."""
    if not file_ids:
        return {}
    ids = ", ".join(str(int(i)) for i in file_ids)
    parts = " UNION ALL ".join(
        f"SELECT file_id FROM {typed_table(load.record_type)} WHERE file_id IN ({ids})"
        for load in mapping(contract.id).loads
    )
    rows = conn.execute(f"SELECT file_id, count(*) FROM ({parts}) GROUP BY file_id").fetchall()
    counts = {int(i): 0 for i in file_ids}
    counts.update({int(r[0]): int(r[1]) for r in rows})
    return counts


def _insert_sql(load: Load) -> str:
    names = ["delivery_id", "month", "source_line", *load.columns]
    exprs = ["l._delivery_id", "l._month", "r.line_no"] + [
        e.replace("{month_end}", "l._month_end") for e in load.columns.values()
    ]
    return (
        f"INSERT INTO {load.table} ({', '.join(names)}) "
        f"SELECT {', '.join(exprs)} FROM {typed_table(load.record_type)} r "
        f"JOIN {LOADED_FILES} l USING (file_id) WHERE l._keeps"
    )


def _install_loads(conn: duckdb.DuckDBPyConnection, plan: LoadPlan) -> None:
    select, params = list_table(
        {
            "file_id": ("BIGINT", [f.file_id for f in plan.loads]),
            "_delivery_id": ("BIGINT", [f.delivery_id for f in plan.loads]),
            "_month": ("VARCHAR", [f.month for f in plan.loads]),
            "_month_end": ("DATE", [f.month_end for f in plan.loads]),
            "_keeps": ("BOOLEAN", [f.keeps for f in plan.loads]),
            "_order": ("BIGINT", list(range(len(plan.loads)))),
        }
    )
    conn.execute(f"CREATE OR REPLACE TEMP TABLE {LOADED_FILES} AS {select}", params)


def load_facts(conn: duckdb.DuckDBPyConnection, plan: LoadPlan) -> None:
    """Apply ``plan``: delete the replaced deliveries' rows, insert the new ones, persons and
    dimensions (the typed views of the batch must exist)."""
    m = mapping(plan.contract.id)
    if plan.replaced:
        marks = ", ".join("?" * len(plan.replaced))
        for table in m.tables:
            conn.execute(f"DELETE FROM {table} WHERE delivery_id IN ({marks})", plan.replaced)
    if not plan.loads:
        return
    _install_loads(conn, plan)
    if any(f.keeps for f in plan.loads):
        for load in m.loads:
            conn.execute(_insert_sql(load))
    if m.persons:
        insert_persons(conn, mapping=m)
    for statement in m.dimension_sql:
        conn.execute(statement)


def store_quarantine(
    conn: duckdb.DuckDBPyConnection,
    *,
    contract: Contract,
    file_id: int,
    delivery_id: int,
    raw_tables: dict[str, str],
) -> None:
    """Keep the quarantined lines (CPR numbers masked) with their record type."""
    kinds = " UNION ALL ".join(
        f"SELECT line_no, {lit(code)} AS record_type FROM {table} WHERE file_id = $2"
        for code, table in raw_tables.items()
    )
    masked = reader(contract).mask_sql(contract, "b.line")
    conn.execute(
        f"INSERT INTO ingest.quarantine SELECT $1, q.line_no, k.record_type, {masked} "
        f"FROM quarantined_lines q JOIN body b ON b.file_id = q.file_id AND b.line_no = q.line_no "
        f"LEFT JOIN ({kinds}) k ON k.line_no = q.line_no WHERE q.file_id = $2 "
        "ORDER BY q.line_no",
        [delivery_id, file_id],
    )
