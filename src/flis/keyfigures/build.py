"""``flis build``: every key figure for every municipality and period into ``keyfigures.value``.

Per key figure the build

1. lays out the *frame*: all 98 municipalities × every period the present months touch, with the
   delivery slices (contract × municipality × month) each value needs, the status those slices
   give (ok, missing_delivery, rejected_delivery, incomplete_month) and a fingerprint of the
   figure's SQL and the accepted delivery ids it reads;
2. recomputes only the frame rows whose fingerprint differs from the stored one (all of them
   with ``only_changed=False``), running the compiled SQL on just the months those rows need;
3. rewrites those value rows and the nation, region and DST-group values of their periods.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

import duckdb
import sqlglot
from sqlglot import exp

from flis.keyfigures.catalogue import catalogue
from flis.keyfigures.compiler import final_query, monthly_query, period_map, source_query
from flis.keyfigures.frame import SLICES, lay_out, months_for_changed, present_months
from flis.keyfigures.model import KeyFigure, MeasureRef

Progress = Callable[[str, int, int], None]

_WRITE = """
INSERT INTO keyfigures.value
SELECT $1, c.municipality_code, c.period,
       CASE WHEN s.status = 'ok' THEN {value} END,
       CASE WHEN s.status IN ('ok', 'denominator_zero') THEN coalesce(r.numerator, 0) END,
       CASE WHEN s.status IN ('ok', 'denominator_zero') THEN {denominator} END,
       CASE WHEN s.status IN ('ok', 'denominator_zero') THEN coalesce(r.persons, 0) END,
       s.status, c.inputs
FROM kf_changed AS c
LEFT JOIN kf_result AS r ON r.municipality_code = c.municipality_code AND r.period = c.period
CROSS JOIN LATERAL (SELECT CASE
    WHEN c.status <> 'ok' THEN c.status
    WHEN {has_den} AND coalesce(r.denominator, 0) = 0 THEN 'denominator_zero'
    ELSE 'ok' END AS status) AS s
"""

_GROUP_MEMBERS = """
SELECT municipality_code, 'nation' AS group_id FROM dim.municipality
UNION ALL SELECT municipality_code, 'region:' || CAST(region_code AS VARCHAR) FROM dim.municipality
UNION ALL SELECT municipality_code, 'dst:' || CAST(dst_group_code AS VARCHAR) FROM dim.municipality
"""

_GROUPS = """
INSERT INTO keyfigures.group_value
SELECT $1, g.group_id, v.period, {value}, {numerator}, {denominator},
       CAST(count(*) FILTER (WHERE v.status = 'ok') AS INTEGER)
FROM keyfigures.value AS v
JOIN ({members}) AS g ON g.municipality_code = v.municipality_code
WHERE v.keyfigure = $1 AND v.period IN (SELECT DISTINCT period FROM kf_changed)
GROUP BY g.group_id, v.period
"""


@dataclass
class BuildReport:
    """What a build did."""

    keyfigures: int = 0
    periods: list[str] = field(default_factory=list)
    values_written: int = 0
    values_unchanged: int = 0
    group_values_written: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class _MonthlyCache:
    """Monthly measure tables shared by key figures within one build."""

    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self.conn = conn
        self.tables: dict[str, str] = {}

    def table(self, sql: str) -> str:
        key = hashlib.sha256(sql.encode()).hexdigest()[:16]
        if key not in self.tables:
            name = f"kfm_{key}"
            self.conn.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")
            self.tables[key] = name
        return self.tables[key]

    def drop(self) -> None:
        for name in self.tables.values():
            self.conn.execute(f"DROP TABLE IF EXISTS {name}")
        self.tables.clear()


def _monthly(cache: _MonthlyCache, kf: KeyFigure, ref: MeasureRef, months: list[str] | None) -> str:
    """The name of a table with the measure per municipality and month."""
    span = tuple(months) if months is not None else None
    source_sql = _source_sql(kf, ref, span)
    source = cache.table(source_sql) if source_sql else None
    return cache.table(_monthly_sql(kf, ref, span, source))


@lru_cache(maxsize=4096)
def _source_sql(kf: KeyFigure, ref: MeasureRef, months: tuple[str, ...] | None) -> str | None:
    """SQL for the rows of a source the build materialises once (None: read it inline)."""
    if not catalogue().source_of(ref).materialize:
        return None
    rows = sqlglot.select("*").from_(source_query(kf, ref).subquery("s"))
    if kf.count_date is not None:
        rows = rows.where(f"SUBSTRING(month, 6, 2) = '{kf.count_date[:2]}'")
    if months is not None:
        rows = rows.where(exp.column("month").isin(*[exp.Literal.string(m) for m in months]))
    return rows.sql("duckdb")


@lru_cache(maxsize=4096)
def _monthly_sql(
    kf: KeyFigure, ref: MeasureRef, months: tuple[str, ...] | None, source: str | None
) -> str:
    query = monthly_query(kf, ref, months=list(months) if months else None, source_table=source)
    return query.sql("duckdb")


def _compute(cache: _MonthlyCache, kf: KeyFigure, months: list[str] | None) -> None:
    """``kf_result``: the figure's values for the months given (all months if None)."""
    num = _monthly(cache, kf, kf.numerator, months)
    den = _monthly(cache, kf, kf.denominator, months) if kf.denominator is not None else None
    cache.conn.execute(f"CREATE OR REPLACE TEMP TABLE kf_periods AS {period_map(kf).sql('duckdb')}")
    query = final_query(kf, num_month=num, den_month=den, periods="kf_periods")
    cache.conn.execute(f"CREATE OR REPLACE TEMP TABLE kf_result AS {query.sql('duckdb')}")


def _write_values(conn: duckdb.DuckDBPyConnection, kf: KeyFigure) -> int:
    has_den = kf.denominator is not None
    value = "r.value" if has_den else f"{kf.scale!r} * coalesce(r.numerator, 0)"
    denominator = "coalesce(r.denominator, 0)" if has_den else "NULL"
    conn.execute(
        "DELETE FROM keyfigures.value WHERE keyfigure = $1 AND (municipality_code, period) IN "
        "(SELECT (municipality_code, period) FROM kf_changed)",
        [kf.id],
    )
    sql = _WRITE.format(value=value, denominator=denominator, has_den=str(has_den).upper())
    conn.execute(sql, [kf.id])
    row = conn.execute("SELECT count(*) FROM kf_changed").fetchone()
    return int(row[0]) if row else 0


def _exact(column: str) -> str:
    """A double as an exact decimal, so parallel sums give the same bits on every rebuild."""
    return f"CAST({column} AS DECIMAL(38, 10))"


def _write_groups(conn: duckdb.DuckDBPyConnection, kf: KeyFigure) -> int:
    ok = "FILTER (WHERE v.status = 'ok')"
    if kf.aggregation == "mean_of_values":
        value, numerator, denominator = f"avg({_exact('v.value')}) {ok}", "NULL", "NULL"
    elif kf.denominator is None:
        numerator, denominator = f"sum({_exact('v.numerator')}) {ok}", "NULL"
        value = f"{kf.scale!r} * {numerator}"
    else:
        numerator = f"sum({_exact('v.numerator')}) {ok}"
        denominator = f"sum({_exact('v.denominator')}) {ok}"
        value = f"{kf.scale!r} * {numerator} / nullif({denominator}, 0)"
    conn.execute(
        "DELETE FROM keyfigures.group_value WHERE keyfigure = $1 "
        "AND period IN (SELECT DISTINCT period FROM kf_changed) "
        "AND (group_id = 'nation' OR group_id LIKE 'region:%' OR group_id LIKE 'dst:%')",
        [kf.id],
    )
    sql = _GROUPS.format(
        value=value, numerator=numerator, denominator=denominator, members=_GROUP_MEMBERS
    )
    conn.execute(sql, [kf.id])
    row = conn.execute("SELECT count(*) FROM (SELECT DISTINCT period FROM kf_changed)").fetchone()
    return (int(row[0]) if row else 0) * _group_count(conn)


def _group_count(conn: duckdb.DuckDBPyConnection) -> int:
    row = conn.execute(f"SELECT count(DISTINCT group_id) FROM ({_GROUP_MEMBERS})").fetchone()
    return int(row[0]) if row else 0


def _build_one(
    conn: duckdb.DuckDBPyConnection,
    cache: _MonthlyCache,
    kf: KeyFigure,
    *,
    present: list[str],
    only_changed: bool,
) -> tuple[int, int, int]:
    """Rebuild one key figure's changed values; return (written, unchanged, group values)."""
    frame = lay_out(conn, kf, present=present, only_changed=only_changed)
    total, changed = frame.total, frame.changed
    if changed == 0:
        return 0, total, 0
    _compute(cache, kf, None if changed == total else months_for_changed(conn, frame.needed))
    conn.execute("BEGIN TRANSACTION")
    try:
        written = _write_values(conn, kf)
        groups = _write_groups(conn, kf)
        conn.execute("COMMIT")
    except Exception:
        conn.execute("ROLLBACK")
        raise
    return written, total - changed, groups


def build(
    conn: duckdb.DuckDBPyConnection,
    *,
    only_changed: bool = True,
    progress: Progress | None = None,
    keyfigures: Iterable[str] | None = None,
) -> BuildReport:
    """Compute every key figure for all municipalities and present periods.

    Args:
        conn: an open, migrated warehouse.
        only_changed: recompute only values whose input fingerprint changed (the default);
            False recomputes everything.
        progress: called with (key-figure id, number done, total) after each key figure.
        keyfigures: build only these ids (default: the whole catalogue).

    Returns:
        A :class:`BuildReport` with counts of values written and left unchanged.
    """
    start = time.perf_counter()
    every = catalogue().keyfigures
    figures = [every[k] for k in keyfigures] if keyfigures is not None else list(every.values())
    report = BuildReport(keyfigures=len(figures), periods=present_months(conn))
    conn.execute(SLICES)
    _drop_unknown(conn, list(every))
    cache = _MonthlyCache(conn)
    try:
        for i, kf in enumerate(figures, start=1):
            written, unchanged, groups = _build_one(
                conn, cache, kf, present=report.periods, only_changed=only_changed
            )
            report.values_written += written
            report.values_unchanged += unchanged
            report.group_values_written += groups
            if progress:
                progress(kf.id, i, len(figures))
    finally:
        cache.drop()
    rows = conn.execute("SELECT status, count(*) FROM keyfigures.value GROUP BY status").fetchall()
    report.statuses = {str(s): int(n) for s, n in sorted(rows)}
    report.seconds = round(time.perf_counter() - start, 3)
    return report


def _drop_unknown(conn: duckdb.DuckDBPyConnection, ids: list[str]) -> None:
    """Values of key figures no longer in the catalogue are removed."""
    for table in ("keyfigures.value", "keyfigures.group_value"):
        conn.execute(
            f"DELETE FROM {table} WHERE keyfigure NOT IN (SELECT * FROM unnest($1::VARCHAR[]))",
            [ids],
        )
