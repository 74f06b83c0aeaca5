"""The frame of a key figure: every municipality × period, the delivery slices each value reads,
the status those slices give, and the fingerprint that tells the incremental build what changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

import duckdb
import pyarrow as pa

from flis import periods as months_
from flis.keyfigures.catalogue import catalogue
from flis.keyfigures.compiler import compile_sql, period_map
from flis.keyfigures.model import KeyFigure

SLICES = """
CREATE OR REPLACE TEMP TABLE kf_slice AS
SELECT contract, municipality_code, month,
       string_agg(CASE WHEN status IN ('accepted', 'accepted-with-quarantine')
                  THEN CAST(delivery_id AS VARCHAR) END, ',' ORDER BY delivery_id) AS accepted,
       bool_or(status = 'rejected') AS rejected
FROM ingest.delivery
WHERE contract IS NOT NULL AND municipality_code IS NOT NULL AND month IS NOT NULL
GROUP BY contract, municipality_code, month
"""

_FRAME = """
CREATE OR REPLACE TEMP TABLE kf_frame AS
WITH req AS (
    SELECT m.municipality_code, n.period, n.month, c.contract,
           s.accepted, coalesce(s.rejected, FALSE) AS rejected
    FROM dim.municipality AS m
    CROSS JOIN kf_needed AS n
    CROSS JOIN kf_contracts AS c
    LEFT JOIN kf_slice AS s ON s.contract = c.contract
        AND s.municipality_code = m.municipality_code AND s.month = n.month
), per_contract AS (
    SELECT municipality_code, period, contract,
           count(accepted) AS has, count(*) AS needed, bool_or(rejected) AS rejected,
           string_agg(month || '=' || coalesce(accepted, '-'), ';' ORDER BY month) AS ids
    FROM req GROUP BY municipality_code, period, contract
)
SELECT municipality_code, period,
       CASE WHEN bool_and(has = needed) THEN 'ok'
            WHEN bool_or(has = 0 AND rejected) THEN 'rejected_delivery'
            WHEN bool_or(has = 0) THEN 'missing_delivery'
            ELSE 'incomplete_month' END AS status,
       md5($1 || string_agg(contract || ':' || ids, '|' ORDER BY contract)) AS inputs
FROM per_contract GROUP BY municipality_code, period
"""

_CHANGED = """
CREATE OR REPLACE TEMP TABLE kf_changed AS
SELECT f.* FROM kf_frame AS f
LEFT JOIN keyfigures.value AS v ON v.keyfigure = $1
    AND v.municipality_code = f.municipality_code AND v.period = f.period
WHERE $2 OR v.inputs IS DISTINCT FROM f.inputs
"""


@lru_cache(maxsize=1024)
def fingerprint(kf: KeyFigure) -> str:
    """Hash of the key figure's definition as SQL: a changed definition recomputes its values."""
    text = compile_sql(kf, pretty=False) + repr(kf.model_dump(include={"scale", "aggregation"}))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def present_months(conn: duckdb.DuckDBPyConnection) -> list[str]:
    rows = conn.execute(
        "SELECT DISTINCT month FROM ingest.delivery WHERE month IS NOT NULL ORDER BY month"
    ).fetchall()
    return [str(r[0]) for r in rows]


def needed_months(conn: duckdb.DuckDBPyConnection, kf: KeyFigure, present: list[str]) -> pa.Table:
    """``(period, month)``: the data months each period of this figure reads, lags included."""
    rows = conn.execute(
        f"SELECT period, month FROM ({period_map(kf).sql('duckdb')}) AS p "
        "WHERE period IN (SELECT period FROM (" + period_map(kf).sql("duckdb") + ") AS q "
        "WHERE q.month IN (SELECT * FROM unnest($1::VARCHAR[])))",
        [present],
    ).fetchall()
    if kf.level in ("monthly", "year_to_date", "rolling_year", "count_date"):
        rows = [r for r in rows if r[0] in set(present)]
    cat = catalogue()
    lags = {
        lag
        for ref in (kf.numerator, kf.denominator)
        if ref is not None
        for lag in cat.source_of(ref).lags
    }
    pairs = {(str(p), str(m)) for p, m in rows}
    pairs |= {(p, months_.add_months(m, lag)) for p, m in pairs for lag in lags}
    ordered = sorted(pairs)
    return pa.table({"period": [p for p, _ in ordered], "month": [m for _, m in ordered]})


def contracts(kf: KeyFigure) -> pa.Table:
    cat = catalogue()
    names = sorted(
        {
            c
            for ref in (kf.numerator, kf.denominator)
            if ref is not None
            for c in cat.source_of(ref).contracts
        }
    )
    return pa.table({"contract": names})


@dataclass(frozen=True)
class Frame:
    """``kf_frame`` and ``kf_changed`` are laid out; these are their sizes."""

    needed: pa.Table
    total: int
    changed: int


def lay_out(
    conn: duckdb.DuckDBPyConnection, kf: KeyFigure, *, present: list[str], only_changed: bool
) -> Frame:
    """Temp tables ``kf_frame`` (all rows with status and inputs) and ``kf_changed``.

    ``kf_slice`` (from :data:`SLICES`) must exist.
    """
    needed = needed_months(conn, kf, present)
    conn.register("kf_needed", needed)
    conn.register("kf_contracts", contracts(kf))
    conn.execute(_FRAME, [fingerprint(kf)])
    conn.execute(_CHANGED, [kf.id, not only_changed])
    conn.unregister("kf_needed")
    conn.unregister("kf_contracts")
    row = conn.execute(
        "SELECT (SELECT count(*) FROM kf_frame), count(*) FROM kf_changed"
    ).fetchone()
    total, changed = (int(row[0]), int(row[1])) if row else (0, 0)
    return Frame(needed, total, changed)


def months_for_changed(conn: duckdb.DuckDBPyConnection, needed: pa.Table) -> list[str]:
    periods = {str(r[0]) for r in conn.execute("SELECT DISTINCT period FROM kf_changed").fetchall()}
    pairs = zip(
        needed.column("period").to_pylist(), needed.column("month").to_pylist(), strict=True
    )
    return sorted({m for p, m in pairs if p in periods})
