"""Reference dimensions (municipalities, chart of accounts, code lists) seeded from package data."""

from __future__ import annotations

import hashlib
import json

import duckdb

from flis.reference import codelist, codelists, municipalities


def _rows() -> dict[str, list[tuple[object, ...]]]:
    munis: list[tuple[object, ...]] = [
        (m.code, m.code4, m.name, m.region_code, m.region_name, m.dst_group_code, m.dst_group)
        for m in municipalities()
    ]
    hf = {c.code: c for c in codelist("hovedfunktion").codes}
    hk = {c.code: c for c in codelist("hovedkonto").codes}
    functions: list[tuple[object, ...]] = []
    for c in codelist("funktion").codes:
        parent = hf[c.parent or ""]
        top = hk[parent.parent or ""]
        functions.append((c.code, c.da, c.en, parent.code, parent.da, top.code, top.da))
    codes: list[tuple[object, ...]] = [
        (cl.id, c.code, c.da, c.en, c.parent, json.dumps(c.attrs, sort_keys=True))
        for cl in codelists().values()
        for c in cl.codes
    ]
    return {"dim.municipality": munis, "dim.account_function": functions, "dim.code": codes}


def seed_reference(conn: duckdb.DuckDBPyConnection) -> bool:
    """(Re)write the reference dimensions when the package data changed; True if written."""
    rows = _rows()
    fingerprint = hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()
    conn.execute("CREATE TABLE IF NOT EXISTS meta.reference_seed (fingerprint VARCHAR NOT NULL)")
    current = conn.execute("SELECT fingerprint FROM meta.reference_seed").fetchall()
    if current == [(fingerprint,)]:
        return False
    conn.execute("BEGIN TRANSACTION")
    try:
        for table, values in rows.items():
            conn.execute(f"DELETE FROM {table}")
            # One list parameter per column, unnested side by side. Not pyarrow: pa.array() on
            # Python values imports pandas (2 s on every fresh warehouse when it is installed).
            columns = [list(c) for c in zip(*values, strict=True)]
            select = ", ".join("unnest(?)" for _ in columns)
            conn.execute(f"INSERT INTO {table} SELECT {select}", columns)
        conn.execute("DELETE FROM meta.reference_seed")
        conn.execute("INSERT INTO meta.reference_seed VALUES (?)", [fingerprint])
        conn.execute("COMMIT")
    except Exception:
        conn.execute("ROLLBACK")
        raise
    return True
