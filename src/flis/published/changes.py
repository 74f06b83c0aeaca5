"""Value-level changes between two releases, for incremental BI loads."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from flis.published.release_data import PublishedRelease

_DIFF = """
SELECT * FROM (
SELECT coalesce(b.keyfigure, a.keyfigure) AS keyfigure, coalesce(b.period, a.period) AS period,
       coalesce(b.area_id, a.area_id) AS area_id, coalesce(b.kind, a.kind) AS kind,
       CASE WHEN a.area_id IS NULL THEN 'new' WHEN b.area_id IS NULL THEN 'removed'
            ELSE 'revised' END AS change,
       a.value AS old_value, b.value AS new_value,
       a.suppressed AS old_suppressed, b.suppressed AS new_suppressed,
       b.value_status AS value_status
FROM old_values a FULL OUTER JOIN new_values b
  ON a.keyfigure = b.keyfigure AND a.period = b.period AND a.area_id = b.area_id
WHERE a.area_id IS NULL OR b.area_id IS NULL
   OR a.value IS DISTINCT FROM b.value OR a.suppressed IS DISTINCT FROM b.suppressed
   OR a.numerator IS DISTINCT FROM b.numerator OR a.denominator IS DISTINCT FROM b.denominator
) ORDER BY keyfigure, period, kind <> 'municipality', area_id
"""

CHANGE_COLUMNS = (
    "keyfigure",
    "period",
    "area_id",
    "kind",
    "change",
    "old_value",
    "new_value",
    "old_suppressed",
    "new_suppressed",
    "value_status",
)


def changes_between(old: PublishedRelease, new: PublishedRelease) -> pa.Table:
    """Every published value that is new, revised or removed in ``new`` compared with ``old``."""
    conn = duckdb.connect()
    try:
        conn.register("old_values", old.values)
        conn.register("new_values", new.values)
        table: pa.Table = conn.sql(_DIFF).to_arrow_table()
        return table
    finally:
        conn.close()
