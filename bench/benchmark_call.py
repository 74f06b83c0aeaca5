"""One ``benchmark()`` call as a library call: p50 and p95 (target p50 < 5 ms).

Runs on the warehouse at ``conn_path``. When it holds no key-figure values, it is filled with a
synthetic year: 40 figures × 98 municipalities × 12 months, and when it has no similarity groups
they are built (from a small synthetic CPR month if there is no CPR data either).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any, get_args

import duckdb

from flis.keyfigures.benchmark import benchmark
from flis.keyfigures.model import Area, KeyFigure, MeasureRef
from flis.keyfigures.similarity import build_similarity
from flis.periods import add_months
from flis.reference import municipalities
from flis.reference.codelists import Text
from flis.warehouse.connection import open_warehouse

FIGURES = 40
MONTHS = 12
LAST_MONTH = "2024-12"
CALLS = 1000
WARMUP = 50

_VALUES = """
INSERT INTO keyfigures.value
SELECT 'bench-' || lpad(f::VARCHAR, 2, '0'), m.municipality_code, p.period,
       100.0 * n / d, n, d, d, 'ok', '{}'
FROM range($figures) AS t(f), dim.municipality m, (SELECT unnest($periods) AS period) p,
     LATERAL (SELECT 1 + hash(f, m.municipality_code, p.period) % 500 AS n,
                     600 + hash(p.period, f, m.municipality_code) % 400 AS d)
"""
_RESIDENTS = """
INSERT INTO citizens.resident_month
SELECT 1, $month, i, m.municipality_code, m.municipality_code::BIGINT * 100000 + i, '01', 'K',
       DATE '1980-01-01', (i * 7 + m.municipality_code::INTEGER) % 95, 'U',
       CASE WHEN (i + m.municipality_code::INTEGER) % 9 = 0 THEN 'PL' ELSE 'DK' END, NULL, NULL
FROM dim.municipality m, range(30 + m.municipality_code % 41 * 4) AS t(i)
"""


def synthetic_figure(number: int) -> KeyFigure:
    areas: tuple[Area, ...] = get_args(Area)
    return KeyFigure(
        id=f"bench-{number:02d}",
        title=Text(da=f"Benchmark-tal {number}", en=f"Benchmark figure {number}"),
        description=Text(da="Syntetisk", en="Synthetic"),
        area=areas[number % len(areas)],
        main_area="bench",
        unit="percent",
        level="monthly",
        numerator=MeasureRef(measure="n"),
        denominator=MeasureRef(measure="d"),
        scale=100.0,
        role="owner",
        aggregation="ratio_of_sums" if number % 2 else "mean_of_values",
        direction=("higher_is_better", "lower_is_better", "neutral")[number % 3],
    )


def _prepare(conn: duckdb.DuckDBPyConnection) -> list[tuple[KeyFigure, str]]:
    """Each figure to call with and its latest period; fills a synthetic year when empty."""
    latest = dict(
        conn.execute("SELECT keyfigure, max(period) FROM keyfigures.value GROUP BY ALL").fetchall()
    )
    if not latest:
        periods = [add_months(LAST_MONTH, -i) for i in range(MONTHS)]
        conn.execute(_VALUES, {"figures": FIGURES, "periods": periods})
        latest = {f"bench-{n:02d}": LAST_MONTH for n in range(FIGURES)}
    built = conn.execute("SELECT count(*) FROM keyfigures.\"group\" WHERE kind = 'similar'")
    if not (built.fetchone() or (0,))[0]:
        if not (conn.execute("SELECT count(*) FROM citizens.resident_month").fetchone() or (0,))[0]:
            conn.execute(_RESIDENTS, {"month": max(latest.values())})
        build_similarity(conn)
    return [(kf, latest[kf.id]) for kf in _figures(set(latest))]


def _figures(ids: set[str]) -> list[KeyFigure]:
    """The catalogue's figures that the warehouse holds (or the synthetic ones)."""
    if all(i.startswith("bench-") for i in ids):
        return [synthetic_figure(n) for n in range(FIGURES)]
    from flis.keyfigures.catalogue import keyfigures

    return [kf for kf in keyfigures().values() if kf.id in ids]


def run(conn_path: Path) -> dict[str, Any]:
    """Time ``CALLS`` benchmark calls over random (municipality, figure, group) choices."""
    conn = open_warehouse(conn_path)
    pairs = _prepare(conn)
    rng = random.Random(1)
    codes = [m.code for m in municipalities()]
    groups = ["similar", "similar", "region", "dst"]
    timings, cpu = [], []
    for i in range(WARMUP + CALLS):
        (kf, period), code, group = rng.choice(pairs), rng.choice(codes), rng.choice(groups)
        start, start_cpu = time.perf_counter(), time.process_time()
        benchmark(conn, municipality=code, keyfigure=kf, period=period, group=group)
        if i >= WARMUP:
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
    conn.close()
    cuts = statistics.quantiles(timings, n=100)
    result = {
        "calls": CALLS,
        "figures": len(pairs),
        "p50_ms": cuts[49],
        "p95_ms": cuts[94],
        "max_ms": max(timings),
        "cpu_p50_ms": statistics.median(cpu),  # all threads; less sensitive to a busy machine
    }
    print(
        f"benchmark call: {CALLS} calls over {len(pairs)} figures, p50 {cuts[49]:.2f} ms, "
        f"p95 {cuts[94]:.2f} ms, max {max(timings):.2f} ms, CPU p50 "
        f"{result['cpu_p50_ms']:.2f} ms (target p50 < 5 ms)"
    )
    return result


if __name__ == "__main__":
    run(Path(sys.argv[1] if len(sys.argv) > 1 else "flis-home/bench/benchmark-call.duckdb"))
