"""Key rules: primary-key uniqueness and references between record types in one file."""

from __future__ import annotations

from flis.ingest.rules.fields import masked
from flis.ingest.sql import ident, lit
from flis.sources.contract import RecordType


def duplicate_key_sql(rt: RecordType, table: str) -> str | None:
    """Every record whose primary key already appeared on an earlier line.

    Keys that may repeat are found by hashing the key of every record and aggregating the
    hashes (a hash aggregate over one integer, cheap even over millions of records); only the
    records of those few candidates are then compared on the key itself, so a hash collision
    costs a comparison, never a wrong finding. Missing key values count as equal.
    """
    if not rt.primary_key:
        return None
    keys = [ident(k) for k in rt.primary_key]
    shown = " || '|' || ".join(
        f"coalesce({masked(rt.field(k), row='t')}, '')" for k in rt.primary_key
    )
    same = " AND ".join(f"t.{k} IS NOT DISTINCT FROM d.{k}" for k in keys)
    hashed = f"hash({', '.join(f'r.{k}' for k in keys)})"
    return (
        "SELECT * FROM (WITH candidate AS MATERIALIZED ("
        f"SELECT r.* FROM {table} r JOIN (SELECT r.file_id, {hashed} AS h FROM {table} r "
        f"GROUP BY ALL HAVING count(*) > 1) c ON r.file_id = c.file_id AND {hashed} = c.h) "
        f"SELECT t.file_id, t.line_no, 'duplicate-key' AS rule, "
        f"{lit(', '.join(rt.primary_key))} AS column_name, {shown} AS value, "
        f"CAST(d.first_line AS VARCHAR) AS expected FROM candidate t JOIN ("
        f"SELECT file_id, {', '.join(keys)}, min(line_no) AS first_line FROM candidate "
        f"GROUP BY ALL HAVING count(*) > 1) d ON t.file_id = d.file_id AND {same} "
        "WHERE t.line_no > d.first_line)"
    )


def reference_sql(rt: RecordType, table: str, tables: dict[str, str]) -> list[str]:
    """Records whose ``references`` field names a record missing from the same file."""
    out = []
    for spec in rt.fields:
        if not spec.references:
            continue
        ref_rt, ref_field = spec.references.split(".")
        v = ident(spec.name)
        ref_table = tables.get(ref_rt)
        exists = (
            f"EXISTS (SELECT 1 FROM {ref_table} r WHERE r.file_id = t.file_id "
            f"AND r.{ident(ref_field)} = t.{v})"
            if ref_table
            else "FALSE"
        )
        out.append(
            f"SELECT file_id, line_no, 'unknown-reference' AS rule, "
            f"{lit(spec.name)} AS column_name, "
            f"{v} AS value, {lit(spec.references)} AS expected FROM {table} t "
            f"WHERE {v} IS NOT NULL AND NOT {exists}"
        )
    return out
