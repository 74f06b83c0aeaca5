"""Compiling a key figure to SQL with SQLGlot, so that the same definition runs on DuckDB and Spark.

The query has four parts:

``periods``
    maps each data month to the period a value belongs to (the month itself, the year to date,
    the calendar year stored at December, the school year stored at July, the last 12 months).
``num_month`` / ``den_month``
    the measure aggregated per municipality (in the key figure's role) and data month, over the
    source rows the named filters keep.
``num`` / ``den`` and the final SELECT
    the monthly amounts folded into periods (flows summed; stocks averaged or taken at the
    first or last month) and divided: ``value = scale × numerator ÷ denominator``.
"""

from __future__ import annotations

from functools import lru_cache

import sqlglot
from sqlglot import exp

from flis.keyfigures.catalogue import Catalogue, catalogue
from flis.keyfigures.measures import expand
from flis.keyfigures.model import KeyFigure, Level, MeasureRef, Window

Dialect = str

_PERIODS: dict[Level, str] = {
    "monthly": "SELECT month, month AS period, TRUE AS is_first, TRUE AS is_last FROM dim.month",
    "count_date": (
        "SELECT month, month AS period, TRUE AS is_first, TRUE AS is_last FROM dim.month "
        "WHERE month_of_year = {count_month}"
    ),
    "year_to_date": (
        "SELECT d.month, p.month AS period, d.month_of_year = 1 AS is_first, "
        "d.month = p.month AS is_last FROM dim.month AS d "
        "JOIN dim.month AS p ON d.year = p.year AND d.month <= p.month"
    ),
    "yearly": (
        "SELECT month, CAST(year AS VARCHAR) || '-12' AS period, month_of_year = 1 AS is_first, "
        "month_of_year = 12 AS is_last FROM dim.month"
    ),
    "school_year": (
        "SELECT month, CAST(school_year + 1 AS VARCHAR) || '-07' AS period, "
        "month_of_year = 8 AS is_first, month_of_year = 7 AS is_last FROM dim.month"
    ),
    "rolling_year": (
        "SELECT d.month, p.month AS period, "
        "d.year * 12 + d.month_of_year = p.year * 12 + p.month_of_year - 11 AS is_first, "
        "d.month = p.month AS is_last FROM dim.month AS d JOIN dim.month AS p "
        "ON d.year * 12 + d.month_of_year BETWEEN p.year * 12 + p.month_of_year - 11 "
        "AND p.year * 12 + p.month_of_year"
    ),
}


def _count_parts(kf: KeyFigure) -> tuple[str | None, str | None]:
    if kf.count_date is None:
        return None, None
    month, day = kf.count_date.split("-")
    return str(int(month)), day


def period_map(kf: KeyFigure) -> exp.Select:
    """``(month, period, is_first, is_last)``: which data months feed which period."""
    count_month, _ = _count_parts(kf)
    sql = _PERIODS[kf.level].replace("{count_month}", count_month or "0")
    query = sqlglot.parse_one(sql, read="duckdb")
    assert isinstance(query, exp.Select)
    return query


def window(ref: MeasureRef, cat: Catalogue | None = None) -> Window:
    cat = cat or catalogue()
    return ref.window or cat.measures[ref.measure].default_window


def source_query(kf: KeyFigure, ref: MeasureRef, cat: Catalogue | None = None) -> exp.Select:
    """The measure's source rows, with the figure's count date filled in."""
    cat = cat or catalogue()
    source = cat.source_of(ref)
    loc = f"measures.yaml: sources.{source.id}"
    query = sqlglot.parse_one(
        expand(source.sql, count_date=kf.count_date, location=loc), read="duckdb"
    )
    assert isinstance(query, exp.Select)
    return query


def monthly_query(
    kf: KeyFigure,
    ref: MeasureRef,
    *,
    months: list[str] | None = None,
    source_table: str | None = None,
    cat: Catalogue | None = None,
) -> exp.Select:
    """The measure per municipality (in the figure's role) and month, over the filtered rows.

    ``source_table`` names a table already holding the source rows (the build shares them).
    """
    cat = cat or catalogue()
    measure = cat.measures[ref.measure]
    source = cat.source_of(ref)
    count_month, _ = _count_parts(kf)
    loc = f"measures.yaml: sources.{source.id}"
    inner: exp.Expression = (
        exp.to_table(source_table) if source_table else source_query(kf, ref, cat).subquery()
    )
    role = sqlglot.parse_one(source.roles[kf.role], read="duckdb")
    persons = source.persons or "NULL"
    query = (
        sqlglot.select(
            exp.alias_(role, "municipality_code"),
            "month",
            exp.alias_(sqlglot.parse_one(measure.expression, read="duckdb"), "amount"),
            exp.alias_(sqlglot.parse_one(persons, read="duckdb"), "persons"),
        )
        .from_(exp.alias_(inner, "u", table=True))
        .group_by(role.copy(), "month")
    )
    for name in ref.filters:
        text = expand(
            source.filters[name].where, count_date=kf.count_date, location=f"{loc}.{name}"
        )
        query = query.where(sqlglot.condition(f"({text})", dialect="duckdb"), copy=False)
    if count_month is not None:
        query = query.where(f"SUBSTRING(month, 6, 2) = '{int(count_month):02d}'", copy=False)
    if months is not None:
        months_in = exp.column("month").isin(*[exp.Literal.string(m) for m in months])
        query = query.where(months_in, copy=False)
    return query


def _fold(monthly: str, how: Window, periods: str) -> exp.Select:
    # a mean runs over all months of the period: a month without rows counts as zero
    agg = "SUM(m.amount) / MAX(w.months)" if how == "mean" else "SUM(m.amount)"
    query = (
        sqlglot.select("m.municipality_code", "p.period", f"{agg} AS amount")
        .select("MAX(m.persons) AS persons")
        .from_(f"{monthly} AS m")
        .join(f"{periods} AS p", on="p.month = m.month")
        .group_by("m.municipality_code", "p.period")
    )
    if how == "mean":
        sizes = f"(SELECT period, COUNT(*) AS months FROM {periods} GROUP BY period) AS w"
        query = query.join(sizes, on="w.period = p.period")
    if how == "first":
        query = query.where("p.is_first")
    elif how == "last":
        query = query.where("p.is_last")
    return query


def final_query(
    kf: KeyFigure, *, num_month: str, den_month: str | None, periods: str = "periods"
) -> exp.Select:
    """Fold the monthly amounts into periods and divide; reads CTE or table names given."""
    cat = catalogue()
    scale = exp.Literal.number(repr(kf.scale))
    if kf.denominator is None or den_month is None:
        query = sqlglot.select(
            "n.municipality_code",
            "n.period",
            "n.amount AS numerator",
            "CAST(NULL AS DOUBLE) AS denominator",
        ).from_("num AS n")
        query = query.select(
            exp.alias_(exp.Mul(this=scale, expression=exp.column("amount", "n")), "value"),
            "n.persons AS persons",
        )
        return query.with_("num", as_=_fold(num_month, window(kf.numerator, cat), periods))
    numerator = sqlglot.parse_one("COALESCE(n.amount, 0)")
    denominator = sqlglot.parse_one("COALESCE(d.amount, 0)")
    value = exp.Div(
        this=exp.Mul(this=scale, expression=numerator.copy()),
        expression=sqlglot.parse_one("NULLIF(d.amount, 0)"),
    )
    query = (
        sqlglot.select(
            "COALESCE(n.municipality_code, d.municipality_code) AS municipality_code",
            "COALESCE(n.period, d.period) AS period",
        )
        .select(exp.alias_(numerator, "numerator"), exp.alias_(denominator, "denominator"))
        .select(exp.alias_(value, "value"), "COALESCE(d.persons, n.persons) AS persons")
        .from_("num AS n")
        .join(
            "den AS d",
            on="n.municipality_code = d.municipality_code AND n.period = d.period",
            join_type="FULL OUTER",
        )
    )
    query = query.with_("num", as_=_fold(num_month, window(kf.numerator, cat), periods), copy=False)
    return query.with_(
        "den", as_=_fold(den_month, window(kf.denominator, cat), periods), copy=False
    )


def compile_query(kf: KeyFigure, *, months: list[str] | None = None) -> exp.Select:
    """The whole key figure as one self-contained SELECT (all parts as CTEs)."""
    den = "den_month" if kf.denominator is not None else None
    final = final_query(kf, num_month="num_month", den_month=den)
    parts: list[tuple[str, exp.Expression]] = [
        ("periods", period_map(kf)),
        ("num_month", monthly_query(kf, kf.numerator, months=months)),
    ]
    if kf.denominator is not None:
        parts.append(("den_month", monthly_query(kf, kf.denominator, months=months)))
    parts += [(cte.alias, cte.this) for cte in final.ctes]
    final.set("with_", None)
    query = sqlglot.select("*").from_("result")
    for name, part in [*parts, ("result", final)]:
        query = query.with_(name, as_=part, copy=False)
    return query


@lru_cache(maxsize=1024)
def compile_sql(kf: KeyFigure, dialect: Dialect = "duckdb", *, pretty: bool = True) -> str:
    """The key figure's SQL in ``dialect`` (``duckdb`` or ``spark``).

    Returns one SELECT with columns ``municipality_code, period, numerator, denominator, value,
    persons`` for every municipality and period with data.
    """
    return compile_query(kf).sql(dialect=dialect, pretty=pretty)
