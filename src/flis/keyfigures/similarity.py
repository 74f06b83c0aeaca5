"""Similar municipalities per data area: a nearest-neighbour model on structural variables.

Method (docs/benchmarking.md): per area a few structural variables that a municipality cannot
change in the short run, standardised to z-scores over the 98 municipalities; weighted Euclidean
distance; distances rebased to 0–1 by the largest distance in the area; the k nearest
municipalities (ties broken by municipality code) form the anchor's comparison group.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from flis.errors import FlisError
from flis.keyfigures.groups import reference_groups
from flis.keyfigures.model import Area
from flis.keyfigures.similarity_defaults import DEFAULT_K
from flis.periods import add_months, parse_month
from flis.reference import municipalities

METHOD = "sim-1"
#: Distances are stored and ordered at this precision, so that rebuilds on other machines agree.
DIGITS = 9

#: Per area: (variable, weight). Why each is there: docs/benchmarking.md.
VARIABLES: dict[Area, tuple[tuple[str, float], ...]] = {
    "economy": (
        ("log_population", 2.0),
        ("share_0_5", 1.0),
        ("share_6_16", 1.0),
        ("share_65_plus", 1.5),
        ("share_other_citizenship", 1.0),
        ("net_migration", 1.0),
        ("urbanity", 1.0),
    ),
    "citizens": (
        ("log_population", 2.0),
        ("share_0_5", 1.0),
        ("share_65_plus", 1.0),
        ("share_80_plus", 1.0),
        ("share_foreign", 1.0),
        ("net_migration", 2.0),
        ("urbanity", 1.0),
    ),
    "staff": (
        ("log_population", 2.0),
        ("share_65_plus", 1.0),
        ("share_80_plus", 1.0),
        ("employees_per_1000", 2.0),
        ("urbanity", 1.0),
    ),
    "school": (
        ("log_population", 1.0),
        ("share_6_16", 2.0),
        ("cohort_growth", 1.0),
        ("share_other_citizenship", 1.5),
        ("urbanity", 1.5),
    ),
}

# Each municipality's latest delivered month in the 12 months up to the reference month, so that
# one missing delivery does not drop a municipality from the model.
_BASE_SQL = """
WITH cpr_month AS (
    SELECT home_municipality AS code, max(month) AS month, count(DISTINCT month) AS months
    FROM citizens.resident_month WHERE month BETWEEN $first AND $last GROUP BY ALL
),
residents AS (
    SELECT r.home_municipality AS code,
           count(*) AS population,
           count(*) FILTER (WHERE r.age <= 5) AS age_0_5,
           count(*) FILTER (WHERE r.age BETWEEN 6 AND 11) AS age_6_11,
           count(*) FILTER (WHERE r.age BETWEEN 6 AND 16) AS age_6_16,
           count(*) FILTER (WHERE r.age >= 65) AS age_65_plus,
           count(*) FILTER (WHERE r.age >= 80) AS age_80_plus,
           count(*) FILTER (WHERE r.citizenship <> 'DK') AS foreign_citizens,
           count(*) FILTER (WHERE c.group_code = 'OTH') AS other_citizens
    FROM citizens.resident_month r
    JOIN cpr_month l ON r.home_municipality = l.code AND r.month = l.month
    LEFT JOIN (
        SELECT code, json_extract_string(attrs, '$.group') AS group_code
        FROM dim.code WHERE codelist = 'citizenship'
    ) c ON c.code = r.citizenship
    WHERE r.cpr_status IN ('01', '03')
    GROUP BY ALL
),
moves AS (
    SELECT home_municipality AS code,
           sum(CASE WHEN event IN ('TIL', 'IND') THEN 1
                    WHEN event IN ('FRA', 'UDV') THEN -1 ELSE 0 END) AS net_moves
    FROM citizens.population_event WHERE month BETWEEN $first AND $last GROUP BY ALL
),
staff_month AS (
    SELECT employer_municipality AS code, max(month) AS month
    FROM staff.employment_month WHERE month BETWEEN $first AND $last GROUP BY ALL
),
employees AS (
    SELECT e.employer_municipality AS code, count(DISTINCT e.person_key) AS employees
    FROM staff.employment_month e
    JOIN staff_month s ON e.employer_municipality = s.code AND e.month = s.month
    GROUP BY ALL
)
SELECT m.municipality_code, m.dst_group_code, l.months, r.population, r.age_0_5, r.age_6_11,
       r.age_6_16, r.age_65_plus, r.age_80_plus, r.foreign_citizens, r.other_citizens,
       coalesce(v.net_moves, 0) AS net_moves, e.employees
FROM dim.municipality m
LEFT JOIN cpr_month l ON l.code = m.municipality_code
LEFT JOIN residents r ON r.code = m.municipality_code
LEFT JOIN moves v ON v.code = m.municipality_code
LEFT JOIN employees e ON e.code = m.municipality_code
ORDER BY m.municipality_code
"""


_SHARES = {
    "share_0_5": "age_0_5",
    "share_6_16": "age_6_16",
    "share_65_plus": "age_65_plus",
    "share_80_plus": "age_80_plus",
    "share_foreign": "foreign_citizens",
    "share_other_citizenship": "other_citizens",
}


class SimilarityError(FlisError):
    """The similarity model cannot be built from what the warehouse holds."""

    kind = "similarity-error"
    http_status = 409


@dataclass(frozen=True)
class Neighbour:
    """One of an anchor's nearest municipalities."""

    municipality_code: int
    distance: float  # rebased: 0 identical, 1 the two least alike municipalities in the area
    rank: int  # 1 = most similar


@dataclass(frozen=True)
class AreaModel:
    """One area's inputs and result: raw values, z-scores and each anchor's neighbours."""

    area: Area
    codes: tuple[int, ...]
    variables: tuple[tuple[str, float], ...]
    values: dict[str, tuple[float | None, ...]]
    zscores: dict[str, tuple[float, ...]]
    neighbours: dict[int, tuple[Neighbour, ...]]


@dataclass(frozen=True)
class SimilarityReport:
    """What a build wrote: the method version, reference month, groups and imputed inputs."""

    method_version: str
    month: str
    k: int
    groups: int
    variables: dict[str, list[dict[str, Any]]]
    imputed: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def build_similarity(
    conn: duckdb.DuckDBPyConnection, *, k: int = DEFAULT_K, month: str | None = None
) -> SimilarityReport:
    """Rebuild the similar-municipality groups, and store the nation, DST and region groups.

    Args:
        conn: a migrated warehouse.
        k: neighbours per municipality and area (1–97).
        month: reference month ``YYYY-MM``; default the latest month with CPR data.

    Returns:
        The report: method version, reference month, group count and imputed inputs.

    Raises:
        SimilarityError: no CPR data in the 12 months up to the reference month, or a bad k.
    """
    if not 1 <= k <= len(municipalities()) - 1:
        raise SimilarityError(
            f"k must be between 1 and 97, got {k}",
            hint="the default is 10",
            message_da=f"k skal være mellem 1 og 97, fik {k}",
            hint_da="standardværdien er 10",
        )
    chosen = parse_month(month) if month else latest_month(conn)
    raw = structural_values(conn, month=chosen)
    models = [area_model(area, raw, k=k) for area in VARIABLES]
    version = method_version(models, month=chosen, k=k)
    build = (version, chosen, k, month is None, _now())
    _write(conn, models, version=version, k=k, build=build)
    return SimilarityReport(
        method_version=version,
        month=chosen,
        k=k,
        groups=len(models) * len(raw) + len(reference_groups()),
        variables={a: [{"variable": v, "weight": w} for v, w in vs] for a, vs in VARIABLES.items()},
        imputed=_imputed(models),
    )


def current_version(conn: duckdb.DuckDBPyConnection, *, month: str, k: int) -> str:
    """The method version a build with ``month`` and ``k`` would get now, without writing.

    Raises:
        SimilarityError: no CPR data in the 12 months up to ``month``.
    """
    raw = structural_values(conn, month=month)
    models = [area_model(area, raw, k=k) for area in VARIABLES]
    return method_version(models, month=month, k=k)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def latest_month(conn: duckdb.DuckDBPyConnection) -> str:
    """The latest month with CPR data (the default reference month)."""
    row = conn.execute("SELECT max(month) FROM citizens.resident_month").fetchone()
    if not row or row[0] is None:
        raise SimilarityError(
            "the warehouse holds no CPR data to compute structural variables from",
            hint="ingest CPR deliveries first (flis ingest), then run `flis groups build`",
            message_da="lageret har ingen CPR-data at beregne strukturvariabler ud fra",
            hint_da="indlæs CPR-leveringer først (flis ingest), og kør så `flis groups build`",
        )
    return str(row[0])


def structural_values(
    conn: duckdb.DuckDBPyConnection, *, month: str
) -> dict[int, dict[str, float | None]]:
    """Municipality code → every structural variable, from the 12 months up to ``month``."""
    params = {"first": add_months(month, -11), "last": month}
    result = conn.execute(_BASE_SQL, params)
    names = [d[0] for d in result.description]
    rows = [dict(zip(names, r, strict=True)) for r in result.fetchall()]
    out = {int(r["municipality_code"]): _derive(r) for r in rows}
    if all(v["log_population"] is None for v in out.values()):
        raise SimilarityError(
            f"no CPR data in the 12 months up to {month}",
            hint="choose a month with CPR deliveries, or ingest them first",
            message_da=f"ingen CPR-data i de 12 måneder til og med {month}",
            hint_da="vælg en måned med CPR-leveringer, eller indlæs dem først",
        )
    return out


def _derive(row: dict[str, Any]) -> dict[str, float | None]:
    """The variables of one municipality from its counts; None where there is no data."""
    out: dict[str, float | None] = {"urbanity": float(row["dst_group_code"])}
    has = bool(row["population"])
    n = float(row["population"] or 1)
    out["log_population"] = math.log(n) if has else None
    for name, count in _SHARES.items():
        out[name] = 100.0 * row[count] / n if has else None
    # a year's net moves per 1,000 residents, scaled up when months are missing
    months = row["months"] or 12
    out["net_migration"] = 1000.0 * row["net_moves"] * 12 / months / n if has else None
    young, pupils, staff = row["age_0_5"], row["age_6_11"], row["employees"]
    out["cohort_growth"] = young / pupils if has and pupils else None
    out["employees_per_1000"] = 1000.0 * staff / n if has and staff else None
    return out


def zscores(values: Sequence[float | None]) -> list[float]:
    """Standard scores (population standard deviation); missing values score 0, the mean.

    A variable that does not vary carries no information: every municipality scores 0.
    """
    known = np.array([v for v in values if v is not None], dtype=float)
    if known.size == 0:
        return [0.0] * len(values)
    mean, sd = float(known.mean()), float(known.std())
    scale = max(1.0, float(np.abs(known).max()))
    # Equal values can give a tiny sd through rounding, and spreads below 1e-12 of the
    # values' size (e.g. subnormal numbers) are noise, not structure: treat both as constant.
    if not math.isfinite(sd) or sd <= 1e-12 * scale or known.max() == known.min():
        return [0.0] * len(values)
    return [0.0 if v is None else (v - mean) / sd for v in values]


def distance_matrix(z: np.ndarray[Any, Any], weights: Sequence[float]) -> np.ndarray[Any, Any]:
    """Weighted Euclidean distances between rows of ``z``, rebased to 0–1 by the largest.

    ``d(i, j) = sqrt(Σ_v w_v (z_iv − z_jv)²) / max_{a,b} d(a, b)``; all zeros if every row is
    alike. Symmetric with a zero diagonal by construction.
    """
    diff = z[:, None, :] - z[None, :, :]
    dist = np.sqrt((diff * diff) @ np.asarray(weights, dtype=float))
    top = float(dist.max()) if dist.size else 0.0
    rebased = dist / top if top > 0 else np.zeros_like(dist)
    rounded: np.ndarray[Any, Any] = np.round(rebased, DIGITS)
    return rounded


def nearest(
    codes: Sequence[int], dist: np.ndarray[Any, Any], *, k: int
) -> dict[int, tuple[Neighbour, ...]]:
    """Each code's k nearest other codes, by distance then municipality code."""
    out: dict[int, tuple[Neighbour, ...]] = {}
    for i, code in enumerate(codes):
        others = sorted((float(dist[i, j]), c) for j, c in enumerate(codes) if c != code)
        out[code] = tuple(Neighbour(c, d, n) for n, (d, c) in enumerate(others[:k], start=1))
    return out


def area_model(area: Area, raw: dict[int, dict[str, float | None]], *, k: int) -> AreaModel:
    """Z-scores, distances and neighbours of one area."""
    codes = tuple(sorted(raw))
    variables = VARIABLES[area]
    values = {v: tuple(raw[c][v] for c in codes) for v, _ in variables}
    z = {v: tuple(zscores(values[v])) for v, _ in variables}
    matrix = np.array([[z[v][i] for v, _ in variables] for i in range(len(codes))], dtype=float)
    dist = distance_matrix(matrix, [w for _, w in variables])
    return AreaModel(area, codes, variables, values, z, nearest(codes, dist, k=k))


def method_version(models: Sequence[AreaModel], *, month: str, k: int) -> str:
    """``sim-1:<sha>`` of the inputs, weights, reference month and k: same inputs, same id."""
    payload = {
        "method": METHOD,
        "month": month,
        "k": k,
        "areas": {
            m.area: {
                "weights": [[v, w] for v, w in m.variables],
                "values": {v: [_canonical(x) for x in xs] for v, xs in m.values.items()},
            }
            for m in models
        },
        "codes": list(models[0].codes) if models else [],
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return f"{METHOD}:{hashlib.sha256(text.encode()).hexdigest()[:12]}"


def _canonical(value: float | None) -> float | None:
    return None if value is None else round(value, DIGITS)


def _imputed(models: Sequence[AreaModel]) -> list[dict[str, Any]]:
    return [
        {"area": m.area, "variable": v, "municipality_code": c}
        for m in models
        for v, xs in m.values.items()
        for c, x in zip(m.codes, xs, strict=True)
        if x is None
    ]


def _group_rows(
    models: Sequence[AreaModel], *, version: str, k: int
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Rows for keyfigures.group and keyfigures.group_member, in a fixed order."""
    now = _now()
    names = {m.code: m.name for m in municipalities()}
    groups: list[tuple[Any, ...]] = []
    members: list[tuple[Any, ...]] = []
    for model in models:
        for anchor, neighbours in model.neighbours.items():
            gid = f"similar:{model.area}:{anchor}"
            name = f"Similar to {names[anchor]} ({model.area})"
            text = f"The {k} municipalities most like {names[anchor]} on {model.area} structure"
            groups.append((gid, "similar", name, model.area, anchor, version, None, text, now))
            members += [(gid, n.municipality_code, n.distance, n.rank) for n in neighbours]
    for group in reference_groups().values():
        head = (group.group_id, group.kind, group.name)
        groups.append((*head, None, None, None, None, group.description, now))
        members += [(group.group_id, c, None, None) for c in group.codes]
    return groups, members


def _input_rows(models: Sequence[AreaModel], *, version: str) -> list[tuple[Any, ...]]:
    return [
        (version, m.area, c, v, m.values[v][i], m.zscores[v][i])
        for m in models
        for i, c in enumerate(m.codes)
        for v, _ in m.variables
    ]


def _write(
    conn: duckdb.DuckDBPyConnection,
    models: Sequence[AreaModel],
    *,
    version: str,
    k: int,
    build: tuple[Any, ...],
) -> None:
    """Replace the built groups, their build record and this version's inputs in one
    transaction."""
    groups, members = _group_rows(models, version=version, k=k)
    inputs = _input_rows(models, version=version)
    conn.execute("BEGIN TRANSACTION")
    try:
        conn.execute(
            "DELETE FROM keyfigures.group_member WHERE group_id IN (SELECT group_id FROM "
            "keyfigures.\"group\" WHERE kind IN ('similar', 'nation', 'dst', 'region'))"
        )
        conn.execute(
            "DELETE FROM keyfigures.\"group\" WHERE kind IN ('similar', 'nation', 'dst', 'region')"
        )
        conn.execute("DELETE FROM keyfigures.similarity_input WHERE method_version = ?", [version])
        conn.execute("DELETE FROM keyfigures.similarity_build")
        conn.execute("INSERT INTO keyfigures.similarity_build VALUES (?, ?, ?, ?, ?)", list(build))
        _insert(conn, 'keyfigures."group"', groups)
        _insert(conn, "keyfigures.group_member", members)
        _insert(conn, "keyfigures.similarity_input", inputs)
        conn.execute("COMMIT")
    except Exception:
        conn.execute("ROLLBACK")
        raise


def _insert(conn: duckdb.DuckDBPyConnection, table: str, rows: list[tuple[Any, ...]]) -> None:
    """Bulk insert through Arrow (row-by-row inserts are slow in DuckDB)."""
    if not rows:
        return
    columns = list(zip(*rows, strict=True))
    frame = pa.table({f"c{i}": pa.array(list(c)) for i, c in enumerate(columns)})
    conn.register("similarity_rows", frame)
    try:
        conn.execute(f"INSERT INTO {table} SELECT * FROM similarity_rows")
    finally:
        conn.unregister("similarity_rows")
