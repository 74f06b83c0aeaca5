"""A content checksum over the information model, to prove that a rejected or crashed load
changed nothing."""

from __future__ import annotations

import duckdb

#: Schemas holding the information model (the ingest registry is left out on purpose: a
#: rejected delivery is recorded there).
MODEL_SCHEMAS = ("dim", "economy", "citizens", "staff", "school", "central")


def model_tables(
    conn: duckdb.DuckDBPyConnection, schemas: tuple[str, ...] = MODEL_SCHEMAS
) -> list[str]:
    """Qualified names of the base tables in ``schemas``, sorted."""
    marks = ", ".join("?" * len(schemas))
    rows = conn.execute(
        "SELECT schema_name || '.' || table_name FROM duckdb_tables() "
        f"WHERE database_name = current_database() AND schema_name IN ({marks}) ORDER BY 1",
        list(schemas),
    ).fetchall()
    return [r[0] for r in rows]


def content_checksum(
    conn: duckdb.DuckDBPyConnection, schemas: tuple[str, ...] = MODEL_SCHEMAS
) -> dict[str, tuple[int, int]]:
    """Per table: (row count, order-independent sum of row hashes)."""
    out = {}
    for table in model_tables(conn, schemas):
        row = conn.execute(
            f"SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM {table} AS t"
        ).fetchall()[0]
        assert row is not None
        out[table] = (int(row[0]), int(row[1]))
    return out
