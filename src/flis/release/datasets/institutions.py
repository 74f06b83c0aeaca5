"""Level 2, institutions: aggregates per school and month across the country.

Sums of fractional numbers (FTE, grade means) are taken as DECIMAL, so that they do not depend on
the order a parallel engine adds them up in (reproducible releases).

Pupils (ordinary, special-class, other), classes, class size, special-class share, pupil absence,
leaving-exam averages, and the staff on the school's payroll workplace (full-time equivalents,
sickness absence). Disclosure control runs per municipality and month (one component): a school
cell resting on fewer persons than the threshold is suppressed, and further cells so that it
cannot be recovered from the school's own sub-counts (pupils = ordinary + special + other) or
from the municipality's totals over its schools, which readers are assumed to know.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import duckdb
import pyarrow as pa

from flis.release.cells import Cells, suppress
from flis.release.datasets.benchmark import to_table
from flis.release.rounding import significant

_SQL = """
WITH active AS (
    SELECT e.month, e.institution_number, e.person_key, e.class_id,
           bool_or(coalesce(ct.segregated, FALSE)) AS segregated,
           bool_or(coalesce(ct.ordinary, FALSE)) AS ordinary
    FROM school.enrolment_month AS e
    JOIN dim.month AS m ON m.month = e.month
    LEFT JOIN school.class_month AS c ON c.class_id = e.class_id AND c.month = e.month
    LEFT JOIN dim.class_type AS ct ON ct.class_type = c.class_type
    WHERE e.month <= $period AND e.from_date <= m.month_end
      AND (e.to_date IS NULL OR e.to_date >= m.month_end)
    GROUP BY ALL
), person AS (
    SELECT month, institution_number, person_key,
           bool_or(segregated) AS special, bool_or(ordinary) AND NOT bool_or(segregated) AS ord
    FROM active GROUP BY ALL
), pupils AS (
    SELECT p.month, p.institution_number, count(*) AS pupils,
           count(*) FILTER (WHERE p.ord) AS pupils_ordinary,
           count(*) FILTER (WHERE p.special) AS pupils_special,
           count(*) FILTER (WHERE NOT p.ord AND NOT p.special) AS pupils_other
    FROM person AS p GROUP BY ALL
), classes AS (
    SELECT month, institution_number, count(DISTINCT class_id) AS classes,
           count(DISTINCT class_id) FILTER (WHERE ordinary AND NOT segregated) AS ordinary_classes
    FROM active GROUP BY ALL
), absence AS (
    SELECT month, institution_number, count(*) AS absence_days,
           count(DISTINCT person_key) AS absent_pupils
    FROM school.pupil_absence_day WHERE month <= $period GROUP BY ALL
), exams AS (
    SELECT month, institution_number, count(*) AS exam_pupils,
           CAST(avg(mean_grade) AS DOUBLE) AS grade_mean
    FROM (SELECT month, institution_number, person_key,
                 CAST(sum(grade_value) / count(*) AS DECIMAL(18, 9)) AS mean_grade
          FROM school.grade WHERE month <= $period AND grade_value IS NOT NULL GROUP BY ALL)
    GROUP BY ALL
), staff AS (
    SELECT em.month, em.workplace AS institution_number, count(DISTINCT em.person_key) AS staff,
           CAST(sum(CAST(em.fte AS DECIMAL(18, 6))) AS DOUBLE) AS staff_fte
    FROM staff.employment_month AS em JOIN dim.month AS m ON m.month = em.month
    WHERE em.month <= $period AND em.start_date <= m.month_end
      AND (em.end_date IS NULL OR em.end_date >= m.month_end)
    GROUP BY ALL
), sickness AS (
    SELECT a.month, em.workplace AS institution_number, sum(a.calendar_days) AS sick_days,
           count(DISTINCT a.person_key) AS sick_staff
    FROM staff.absence_period AS a
    JOIN dim.staff_absence_type AS t ON t.absence_type = a.absence_type AND t.sickness
    JOIN (SELECT DISTINCT month, employment_id, workplace FROM staff.employment_month) AS em
      ON em.month = a.month AND em.employment_id = a.employment_id
    WHERE a.month <= $period
    GROUP BY ALL
)
SELECT month, institution_number, coalesce(d.name, institution_number) AS name,
       i.institution_type, i.owner_municipality, i.school_days,
       coalesce(p.pupils, 0) AS pupils, coalesce(p.pupils_ordinary, 0) AS pupils_ordinary,
       coalesce(p.pupils_special, 0) AS pupils_special,
       coalesce(p.pupils_other, 0) AS pupils_other,
       coalesce(c.classes, 0) AS classes, coalesce(c.ordinary_classes, 0) AS ordinary_classes,
       p.pupils_ordinary / nullif(c.ordinary_classes, 0) AS class_size,
       100.0 * p.pupils_special / nullif(p.pupils, 0) AS special_class_share,
       coalesce(a.absence_days, 0) AS absence_days, coalesce(a.absent_pupils, 0) AS absent_pupils,
       100.0 * coalesce(a.absence_days, 0) / nullif(p.pupils * i.school_days, 0) AS absence_pct,
       coalesce(x.exam_pupils, 0) AS exam_pupils, x.grade_mean,
       coalesce(s.staff, 0) AS staff, coalesce(s.staff_fte, 0) AS staff_fte,
       coalesce(k.sick_days, 0) AS sick_days, coalesce(k.sick_staff, 0) AS sick_staff,
       k.sick_days / nullif(s.staff_fte, 0) AS sick_days_per_fte
FROM school.institution_month AS i
LEFT JOIN (SELECT institution_number, name FROM dim.institution) AS d USING (institution_number)
LEFT JOIN pupils AS p USING (month, institution_number)
LEFT JOIN classes AS c USING (month, institution_number)
LEFT JOIN absence AS a USING (month, institution_number)
LEFT JOIN exams AS x USING (month, institution_number)
LEFT JOIN staff AS s USING (month, institution_number)
LEFT JOIN sickness AS k USING (month, institution_number)
WHERE i.month <= $period
ORDER BY i.owner_municipality, i.month, i.institution_number
"""

#: Published measure → the column counting the persons it rests on.
PERSONS = {
    "pupils": "pupils",
    "pupils_ordinary": "pupils_ordinary",
    "pupils_special": "pupils_special",
    "pupils_other": "pupils_other",
    "classes": "pupils",
    "ordinary_classes": "pupils_ordinary",
    "class_size": "pupils_ordinary",
    "special_class_share": "pupils_special",
    "absence_days": "absent_pupils",
    "absence_pct": "absent_pupils",
    "exam_pupils": "exam_pupils",
    "grade_mean": "exam_pupils",
    "staff": "staff",
    "staff_fte": "staff",
    "sick_days": "sick_staff",
    "sick_days_per_fte": "sick_staff",
}
#: Columns summed over a municipality's schools into totals readers are assumed to know.
ADDITIVE = (
    "pupils",
    "pupils_ordinary",
    "pupils_special",
    "pupils_other",
    "classes",
    "absence_days",
    "exam_pupils",
    "staff",
    "staff_fte",
    "sick_days",
)
#: Cells of which one reveals the other given the rest of the row.
TIES = (
    ("pupils_special", "special_class_share"),
    ("pupils_ordinary", "class_size"),
    ("absence_days", "absence_pct"),
    ("sick_days", "sick_days_per_fte"),
)
_INTEGERS = {
    "pupils",
    "pupils_ordinary",
    "pupils_special",
    "pupils_other",
    "classes",
    "ordinary_classes",
    "absence_days",
    "exam_pupils",
    "staff",
    "sick_days",
}
_TYPES: dict[str, pa.DataType] = {
    "month": pa.string(),
    "institution_number": pa.string(),
    "name": pa.string(),
    "institution_type": pa.string(),
    "owner_municipality": pa.int16(),
    "school_days": pa.int32(),
    **{c: (pa.int64() if c in _INTEGERS else pa.float64()) for c in PERSONS},
    "suppressed": pa.string(),
}


def read_schools(conn: duckdb.DuckDBPyConnection, *, period: str) -> list[dict[str, Any]]:
    """Every school and month up to ``period``, before disclosure control."""
    cursor = conn.execute(_SQL, {"period": period})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def components(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """The rows of one municipality and month at a time (rows sorted by both)."""
    chunk: list[dict[str, Any]] = []
    for row in rows:
        if chunk and (row["owner_municipality"], row["month"]) != (
            chunk[0]["owner_municipality"],
            chunk[0]["month"],
        ):
            yield chunk
            chunk = []
        chunk.append(row)
    if chunk:
        yield chunk


def component_cells(rows: list[dict[str, Any]]) -> Cells:
    """The cells and relations of one municipality's schools in one month."""
    cells = Cells()
    for row in rows:
        school = row["institution_number"]
        for column, persons in PERSONS.items():
            cells.add(f"{school}|{column}", row[column], row[persons])
        for tie in TIES:
            cells.tie(*(f"{school}|{c}" for c in tie))
        parts = [f"{school}|pupils_{k}" for k in ("ordinary", "special", "other")]
        cells.relate(f"{school}|pupils", parts)
    for column in ADDITIVE:
        total = f"total|{column}"
        cells.add_known(total, sum(float(r[column] or 0) for r in rows))
        cells.relate(total, [f"{r['institution_number']}|{column}" for r in rows])
    return cells


def _apply(rows: list[dict[str, Any]], flags: dict[str, str]) -> None:
    for row in rows:
        school = row["institution_number"]
        hidden = {c: flags[f"{school}|{c}"] for c in PERSONS if f"{school}|{c}" in flags}
        for column in PERSONS:
            row[column] = None if column in hidden else _number(column, row[column])
        row["suppressed"] = ";".join(f"{c}={why}" for c, why in sorted(hidden.items())) or None


def _number(column: str, value: Any) -> Any:
    if value is None or column in _INTEGERS:
        return None if value is None else int(value)
    return significant(float(value))


def build_institutions(
    conn: duckdb.DuckDBPyConnection, *, period: str, threshold: int
) -> tuple[pa.Table, dict[str, int]]:
    """The institutions table up to ``period`` and the count of primary/secondary cells."""
    rows = read_schools(conn, period=period)
    counts = {"primary": 0, "secondary": 0}
    for chunk in components(rows):
        flags = {
            c: why
            for c, why in suppress(component_cells(chunk), threshold=threshold).items()
            if not c.startswith("total|")
        }
        for why in flags.values():
            counts[why] += 1
        _apply(chunk, flags)
    return to_table(rows, _TYPES), counts
