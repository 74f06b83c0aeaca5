"""Key rules: primary-key uniqueness and references between record types in one file."""

from __future__ import annotations

from flis.ingest.rules.fields import masked
from flis.ingest.sql import ident, lit
from flis.sources.contract import RecordType


def duplicate_key_sql(rt: RecordType, table: str) -> str | None:
    """Every record whose primary key already appeared on an earlier line."""
    if not rt.primary_key:
        return None
    keys = ", ".join(ident(k) for k in rt.primary_key)
    shown = " || '|' || ".join(f"coalesce({masked(rt.field(k))}, '')" for k in rt.primary_key)
    return (
        f"SELECT file_id, line_no, 'duplicate-key' AS rule, {lit(', '.join(rt.primary_key))} "
        "AS column_name, "
        f"value, CAST(first_line AS VARCHAR) AS expected FROM ("
        f"SELECT file_id, line_no, {shown} AS value, "
        f"min(line_no) OVER (PARTITION BY file_id, {keys}) AS first_line "
        f"FROM {table}) WHERE line_no > first_line"
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
