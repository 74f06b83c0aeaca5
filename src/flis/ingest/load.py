"""Loading a validated delivery into the information model (inside the caller's transaction).

A slice (contract × municipality × month) is replaced by deleting the rows of the deliveries it
supersedes and inserting the new ones. Facts are appended per delivery, so the rows of one
delivery sit together and DuckDB's zone maps on ``delivery_id`` let the delete skip the rest of
the history: the cost grows with the delivery, not with the history.
"""

from __future__ import annotations

import duckdb

from flis.ingest.formats import reader
from flis.ingest.mappings import mapping
from flis.ingest.mappings.base import Load
from flis.ingest.persons import insert_persons
from flis.ingest.pseudonym import derived_person_columns
from flis.ingest.sql import ident, lit
from flis.ingest.target import Target
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
    for rt in contract.record_types:
        cols = ["r.file_id", "r.line_no"]
        for spec in rt.fields:
            cols.append(f"r.{typed_column(spec)} AS {ident(spec.name)}")
            if spec.type == "cpr":
                cols += [f"r.{ident(spec.name + '__key')}", derived_person_columns(spec.name)]
        conn.execute(
            f"CREATE OR REPLACE TEMP VIEW {typed_table(rt.code)} AS SELECT {', '.join(cols)} "
            f"FROM {raw_tables[rt.code]} r WHERE NOT EXISTS (SELECT 1 FROM quarantined_lines q "
            "WHERE q.file_id = r.file_id AND q.line_no = r.line_no)"
        )


def _insert_sql(load: Load, target: Target) -> str:
    month_end = f"DATE {lit(target.last_day.isoformat())}"
    names = ["delivery_id", "month", "source_line", *load.columns]
    exprs = ["$1", "$2", "line_no"] + [
        e.replace("{month_end}", month_end) for e in load.columns.values()
    ]
    return (
        f"INSERT INTO {load.table} ({', '.join(names)}) "
        f"SELECT {', '.join(exprs)} FROM {typed_table(load.record_type)} WHERE file_id = $3"
    )


def load_delivery(
    conn: duckdb.DuckDBPyConnection,
    *,
    target: Target,
    file_id: int,
    delivery_id: int,
    replaces: list[int],
) -> int:
    """Replace the slice's rows from ``replaces`` with this delivery's; return rows loaded."""
    m = mapping(target.contract.id)
    if replaces:
        marks = ", ".join("?" * len(replaces))
        for table in m.tables:
            conn.execute(f"DELETE FROM {table} WHERE delivery_id IN ({marks})", replaces)
    loaded = 0
    for load in m.loads:
        row = conn.execute(
            _insert_sql(load, target), [delivery_id, target.period, file_id]
        ).fetchall()[0]
        loaded += int(row[0]) if row else 0
    if m.persons:
        insert_persons(conn, file_id=file_id, delivery_id=delivery_id)
    for statement in m.dimension_sql:
        conn.execute(statement, [delivery_id, target.period, file_id])
    return loaded


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
