"""Key rules: primary-key uniqueness and references between record types in one file."""

from __future__ import annotations

from flis.ingest.rules.fields import masked
from flis.ingest.sql import ident, lit
from flis.sources.contract import RecordType


def duplicate_key_sql(rt: RecordType, table: str) -> str | None:
    """Every record whose primary key already appeared on an earlier line.

    Keys seen more than once are found by a hash aggregate first (cheaper than a window over
    every record); only their records are joined back. Missing key values count as equal.
    """
    if not rt.primary_key:
        return None
    keys = [ident(k) for k in rt.primary_key]
    shown = " || '|' || ".join(
        f"coalesce({masked(rt.field(k), row='t')}, '')" for k in rt.primary_key
    )
    same = " AND ".join(f"t.{k} IS NOT DISTINCT FROM d.{k}" for k in keys)
    return (
        f"SELECT t.file_id, t.line_no, 'duplicate-key' AS rule, "
        f"{lit(', '.join(rt.primary_key))} AS column_name, {shown} AS value, "
        f"CAST(d.first_line AS VARCHAR) AS expected FROM {table} t JOIN ("
        f"SELECT file_id, {', '.join(keys)}, min(line_no) AS first_line FROM {table} "
        f"GROUP BY ALL HAVING count(*) > 1) d ON t.file_id = d.file_id AND {same} "
        "WHERE t.line_no > d.first_line"
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
