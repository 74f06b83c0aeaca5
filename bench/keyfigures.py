"""Key-figure build speed, and ten key figures computed the way an analyst would, compared.

Target: a full build of every key figure for 98 municipalities × 12 months at --scale 1.0 in
under 60 s on the 2-core machine. Then ten key figures are computed as an analyst would with a
dataframe library from the same warehouse tables (read the columns, filter, join, group), the
answers are checked to be equal, and the speed ratio is printed (target ≥ 10×).

The analyst side uses pandas (a dev dependency, used only here): read the columns with
DuckDB's ``.df()``, then filter, merge and group by in pandas.

``python -m bench.keyfigures WAREHOUSE`` runs it on a warehouse file (it writes key-figure
values into it).
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from flis.keyfigures.build import build
from flis.warehouse.connection import open_warehouse

TARGET_SECONDS = 60.0
TARGET_RATIO = 10.0
Values = dict[tuple[int, str], float]


def run(conn_path: Path) -> dict[str, Any]:
    """Time a full and a no-change build on the warehouse at ``conn_path``; compare ten figures."""
    conn = open_warehouse(conn_path)
    try:
        full = build(conn, only_changed=False)
        again = build(conn)
        months = full.periods
        print(
            f"keyfigures: {full.keyfigures} key figures × 98 municipalities × {len(months)} "
            f"months: full build {full.seconds:.1f} s (target {TARGET_SECONDS:.0f} s), "
            f"{full.values_written:,d} values, statuses {full.statuses}"
        )
        print(f"  rebuild with nothing changed: {again.seconds:.1f} s, 0 values rewritten")
        comparison = compare(conn)
    finally:
        conn.close()
    return {
        "full_build_seconds": full.seconds,
        "no_change_rebuild_seconds": again.seconds,
        "keyfigures": full.keyfigures,
        "months": len(months),
        "values": full.values_written,
        "statuses": full.statuses,
        "target_seconds": TARGET_SECONDS,
        **comparison,
    }


def compare(conn: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Ten key figures by the build (SQL) and by dataframe code; equal answers, speed ratio."""
    ids = list(ANALYST)
    start = time.perf_counter()
    build(conn, only_changed=False, keyfigures=ids)
    build_seconds = time.perf_counter() - start
    start = time.perf_counter()
    analyst = {kf: fn(conn) for kf, fn in ANALYST.items()}
    analyst_seconds = time.perf_counter() - start
    checked, mismatches = 0, []
    for kf in ids:
        for muni, period, value in conn.execute(
            "SELECT municipality_code, period, value FROM keyfigures.value "
            "WHERE keyfigure = ? AND status = 'ok'",
            [kf],
        ).fetchall():
            other = analyst[kf].get((int(muni), str(period)))
            checked += 1
            if other is None or not math.isclose(value, other, rel_tol=1e-6, abs_tol=1e-9):
                mismatches.append((kf, muni, period, value, other))
    ratio = analyst_seconds / build_seconds if build_seconds else float("inf")
    print(
        f"  ten key figures: build {build_seconds:.2f} s, analyst ({LIBRARY}) "
        f"{analyst_seconds:.2f} s, ratio {ratio:.1f}x (target {TARGET_RATIO:.0f}x); "
        f"{checked:,d} values compared, {len(mismatches)} differ"
    )
    return {
        "ten_build_seconds": round(build_seconds, 3),
        "ten_analyst_seconds": round(analyst_seconds, 3),
        "analyst_library": LIBRARY,
        "speed_ratio": round(ratio, 2),
        "target_ratio": TARGET_RATIO,
        "values_compared": checked,
        "values_differing": len(mismatches),
        "first_differences": [list(m) for m in mismatches[:5]],
    }


LIBRARY = "pandas"
Frame = Any  # pandas.DataFrame; pandas is a dev dependency used only here


def _df(conn: duckdb.DuckDBPyConnection, table: str, columns: str) -> Frame:
    """Read the columns an analyst needs into a pandas DataFrame."""
    return conn.sql(f"SELECT {columns} FROM {table}").df()


def _values(series: Frame) -> Values:
    return {(int(m), str(p)): float(v) for (m, p), v in series.items() if v == v}


def _ratio(num: Frame, den: Frame, scale: float) -> Values:
    den = den[den != 0]
    return _values(scale * num.reindex(den.index, fill_value=0) / den)


def _population(conn: duckdb.DuckDBPyConnection) -> Frame:
    return _df(conn, "citizens.resident_month", "home_municipality, month, age")


def folketal(conn: duckdb.DuckDBPyConnection) -> Values:
    return _values(_population(conn).groupby(["home_municipality", "month"]).size())


def _age_share(low: int, high: int) -> Callable[[duckdb.DuckDBPyConnection], Values]:
    def share(conn: duckdb.DuckDBPyConnection) -> Values:
        r = _population(conn)
        keys = ["home_municipality", "month"]
        num = r[(r["age"] >= low) & (r["age"] <= high)].groupby(keys).size()
        return _ratio(num, r.groupby(keys).size(), 100.0)

    return share


def _employment(conn: duckdb.DuckDBPyConnection) -> Frame:
    e = _df(
        conn,
        "staff.employment_month",
        "employer_municipality, month, employment_id, staff_category, funktion, fte, "
        "start_date, end_date",
    )
    e = e.merge(_df(conn, "dim.month", "month, month_start, month_end, days"), on="month")
    start = np.maximum(e["start_date"].to_numpy(), e["month_start"].to_numpy())
    end = np.minimum(e["end_date"].fillna(e["month_end"]).to_numpy(), e["month_end"].to_numpy())
    days = (end - start) / np.timedelta64(1, "D") + 1
    e["active_days"] = np.maximum(0.0, days)
    return e


def fuldtidsansatte(conn: duckdb.DuckDBPyConnection) -> Values:
    e = _employment(conn)
    e["w"] = e["fte"] * e["active_days"] / e["days"]
    return _values(e.groupby(["employer_municipality", "month"])["w"].sum())


def _absence(conn: duckdb.DuckDBPyConnection, e: Frame) -> Frame:
    a = _df(
        conn,
        "staff.absence_period",
        "employer_municipality, month, employment_id, absence_type, calendar_days, "
        "CAST(hours AS DOUBLE) AS hours",
    )
    keys = ["employer_municipality", "month", "employment_id"]
    a = a.merge(e[[*keys, "fte", "staff_category", "funktion"]], on=keys, how="left")
    a["days"] = np.where(a["hours"].isna(), a["calendar_days"], a["hours"] / 7.4)
    return a


def sygefravaersprocent(conn: duckdb.DuckDBPyConnection) -> Values:
    e = _employment(conn)
    a = _absence(conn, e)
    keys = ["employer_municipality", "month"]
    sick = a[a["absence_type"].isin(["EGEN_SYGDOM", "ARBEJDSSKADE", "DELVIS_SYGDOM"])].copy()
    sick["dw"] = sick["days"] * sick["fte"].fillna(1.0)
    e["fd"] = e["active_days"] * e["fte"]
    return _ratio(sick.groupby(keys)["dw"].sum(), e.groupby(keys)["fd"].sum(), 100.0)


def sygefravaer_laerere(conn: duckdb.DuckDBPyConnection) -> Values:
    e = _employment(conn)
    a = _absence(conn, e)
    keys = ["employer_municipality", "month"]

    def teachers(t: Frame) -> Frame:
        return t[(t["staff_category"] == "20") & (t["funktion"] == "3.22.01")]

    sick = teachers(a[a["absence_type"].isin(["EGEN_SYGDOM", "ARBEJDSSKADE"])])
    den = teachers(e).groupby(keys)["active_days"].sum()
    return _ratio(sick.groupby(keys)["days"].sum(), den, 100.0)


def _enrolled_on(e: Frame, day: Frame) -> Frame:
    return e[(e["from_date"] <= day) & (e["to_date"].isna() | (e["to_date"] >= day))]


def elevfravaer(conn: duckdb.DuckDBPyConnection) -> Values:
    keys = ["owner_municipality", "month"]
    num = _df(conn, "school.pupil_absence_day", "owner_municipality, month").groupby(keys).size()
    e = _df(
        conn,
        "school.enrolment_month",
        "owner_municipality, month, institution_number, from_date, to_date",
    )
    e = e.merge(_df(conn, "dim.month", "month, month_end"), on="month")
    e = _enrolled_on(e, e["month_end"])
    inst = _df(conn, "school.institution_month", "institution_number, month, school_days")
    e = e.merge(inst, on=["institution_number", "month"], how="left")
    return _ratio(num, e.groupby(keys)["school_days"].sum(), 100.0)


def klassekvotient(conn: duckdb.DuckDBPyConnection) -> Values:
    classes = _df(
        conn,
        "school.class_month",
        "owner_municipality, month, class_id, institution_number, class_type",
    )
    classes = classes[classes["month"].str.endswith("-09")]
    inst = _df(conn, "school.institution_month", "institution_number, month, institution_type")
    classes = classes.merge(inst, on=["institution_number", "month"])
    classes = classes[(classes["institution_type"] == "1012") & (classes["class_type"] == "ALM")]
    e = _df(conn, "school.enrolment_month", "month, class_id, person_key, from_date, to_date")
    e = e[e["month"].str.endswith("-09")]
    day = pd.to_datetime(e["month"].str.slice(0, 4) + "-09-05")
    sizes = _enrolled_on(e, day).groupby(["month", "class_id"])["person_key"].nunique()
    classes = classes.merge(
        sizes.rename("pupils").reset_index(), on=["month", "class_id"], how="left"
    )
    classes["pupils"] = classes["pupils"].fillna(0)
    kept = classes[(classes["pupils"] >= 5) & (classes["pupils"] <= 35)]
    keys = ["owner_municipality", "month"]
    return _ratio(kept.groupby(keys)["pupils"].sum(), kept.groupby(keys).size(), 1.0)


def budgetforbrug(conn: duckdb.DuckDBPyConnection) -> Values:
    p = _df(
        conn,
        "economy.posting",
        "owner_municipality, month, hovedkonto, dranst, posting_type, "
        "CAST(amount AS DOUBLE) AS amount",
    )
    p = p[p["dranst"].isin(["1", "2"]) & p["hovedkonto"].isin(list("0123456"))]
    p = p[p["posting_type"].isin(["R", "K"])]
    monthly = p.pivot_table(
        index=["owner_municipality", "month"],
        columns="posting_type",
        values="amount",
        aggfunc="sum",
        fill_value=0.0,
    ).reset_index()
    monthly["year"] = monthly["month"].str.slice(0, 4)
    monthly = monthly.sort_values(["owner_municipality", "month"])
    ytd = monthly.groupby(["owner_municipality", "year"])[["R", "K"]].cumsum()
    ytd.index = pd.MultiIndex.from_frame(monthly[["owner_municipality", "month"]])
    return _ratio(ytd["R"], ytd["K"], 100.0)


def foedte_pr_1000(conn: duckdb.DuckDBPyConnection) -> Values:
    keys = ["home_municipality", "month"]
    events = _df(conn, "citizens.population_event", "home_municipality, month, event")
    born = events[events["event"] == "FOD"].groupby(keys).size()
    pop = _population(conn).groupby(keys).size()
    out: Values = {}
    for muni, period in pop.index:
        y, m = int(period[:4]), int(period[5:])
        window = [
            f"{(y * 12 + m - 1 - k) // 12:04d}-{(y * 12 + m - 1 - k) % 12 + 1:02d}"
            for k in range(12)
        ]
        mean_pop = sum(float(pop.get((muni, w), 0)) for w in window) / 12
        if mean_pop:
            births = sum(float(born.get((muni, w), 0)) for w in window)
            out[(int(muni), str(period))] = 1000 * births / mean_pop
    return out


ANALYST: dict[str, Callable[[duckdb.DuckDBPyConnection], Values]] = {
    "borger.folketal": folketal,
    "borger.andel_0_5": _age_share(0, 5),
    "borger.andel_65_plus": _age_share(65, 200),
    "borger.foedte_pr_1000": foedte_pr_1000,
    "personale.fuldtidsansatte": fuldtidsansatte,
    "personale.sygefravaersprocent": sygefravaersprocent,
    "skole.sygefravaer_laerere": sygefravaer_laerere,
    "skole.elevfravaer": elevfravaer,
    "skole.klassekvotient": klassekvotient,
    "oekonomi.budgetforbrug": budgetforbrug,
}


if __name__ == "__main__":
    print(json.dumps(run(Path(sys.argv[1])), indent=2, default=str))
