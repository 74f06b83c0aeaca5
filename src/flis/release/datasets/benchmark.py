"""Level 1, benchmark: every key figure for all 98 municipalities and every period up to the
release's, with the nation, region, DST-group and similar-municipality group values and their
member counts, and which municipalities form each of those groups (``group_members``).

Disclosure control runs over every key figure and period at once: a published cell resting on
fewer persons than the threshold is suppressed, and further cells so that it cannot be recovered
from the group sums (ratio of sums: Σ member numerators = group numerator, likewise the
denominators; mean of values: Σ member values = members × group value) or from the relations
between key figures and periods declared in ``keyfigures/catalogue/relations.yaml`` (absence by
type adds up to all absence, twelve months to the rolling year). A value, its numerator and its
denominator are tied: when one is suppressed all three are.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from flis.keyfigures.catalogue import catalogue
from flis.keyfigures.groups import reference_groups
from flis.keyfigures.model import KeyFigure, MeasureRef
from flis.release.cells import Cells, suppress
from flis.release.relations import relations
from flis.release.rounding import ratio, significant

_VALUES = """
SELECT v.keyfigure, v.period, v.municipality_code, m.name AS municipality_name, m.region_code,
       m.dst_group_code, v.status AS data_status, v.value, v.numerator, v.denominator, v.persons
FROM keyfigures.value AS v JOIN dim.municipality AS m USING (municipality_code)
WHERE v.period <= $period
ORDER BY v.keyfigure, v.period, v.municipality_code
"""

_MEMBERS = """
SELECT municipality_code, 'nation' AS group_id FROM dim.municipality
UNION ALL SELECT municipality_code, 'region:' || CAST(region_code AS VARCHAR) FROM dim.municipality
UNION ALL SELECT municipality_code, 'dst:' || CAST(dst_group_code AS VARCHAR) FROM dim.municipality
"""

_GROUPS = f"""
WITH persons AS (
    SELECT v.keyfigure, v.period, g.group_id,
           sum(v.persons) FILTER (WHERE v.status = 'ok') AS persons,
           list(v.municipality_code ORDER BY v.municipality_code)
               FILTER (WHERE v.status = 'ok') AS member_codes
    FROM keyfigures.value AS v JOIN ({_MEMBERS}) AS g USING (municipality_code)
    WHERE v.period <= $period
    GROUP BY ALL
)
SELECT gv.keyfigure, gv.period, gv.group_id, split_part(gv.group_id, ':', 1) AS kind,
       gv.members, gv.value, gv.numerator, gv.denominator, p.persons, p.member_codes
FROM keyfigures.group_value AS gv
LEFT JOIN persons AS p USING (keyfigure, period, group_id)
WHERE gv.period <= $period
  AND (gv.group_id = 'nation' OR gv.group_id LIKE 'region:%' OR gv.group_id LIKE 'dst:%')
ORDER BY gv.keyfigure, gv.period, gv.group_id
"""

#: Similar-municipality groups of each key figure's data area (``flis groups build``), aggregated
#: here by the figure's rule exactly as the build aggregates the nation, regions and DST groups.
_SIMILAR = """
WITH meta(keyfigure, area, mean, has_den, scale) AS (VALUES {meta}),
rows AS (
    SELECT v.*, gm.group_id, meta.mean, meta.has_den, meta.scale
    FROM keyfigures.value AS v
    JOIN meta USING (keyfigure)
    JOIN keyfigures."group" AS g ON g.kind = 'similar' AND g.area = meta.area
    JOIN keyfigures.group_member AS gm
      ON gm.group_id = g.group_id AND gm.municipality_code = v.municipality_code
    WHERE v.period <= $period
), sums AS (
    SELECT keyfigure, period, group_id, any_value(mean) AS mean,
           any_value(has_den) AS has_den, any_value(scale) AS scale,
           CAST(count(*) FILTER (WHERE status = 'ok') AS INTEGER) AS members,
           CAST(avg(CAST(value AS DECIMAL(38, 10))) FILTER (WHERE status = 'ok') AS DOUBLE)
               AS mean_value,
           CAST(sum(CAST(numerator AS DECIMAL(38, 10))) FILTER (WHERE status = 'ok') AS DOUBLE)
               AS num,
           CAST(sum(CAST(denominator AS DECIMAL(38, 10))) FILTER (WHERE status = 'ok') AS DOUBLE)
               AS den,
           sum(persons) FILTER (WHERE status = 'ok') AS persons,
           list(municipality_code ORDER BY municipality_code) FILTER (WHERE status = 'ok')
               AS member_codes
    FROM rows GROUP BY keyfigure, period, group_id
)
SELECT keyfigure, period, group_id, 'similar' AS kind, members,
       CASE WHEN mean THEN mean_value WHEN NOT has_den THEN scale * num
            ELSE scale * num / nullif(den, 0) END AS value,
       CASE WHEN mean THEN NULL ELSE num END AS numerator,
       CASE WHEN mean OR NOT has_den THEN NULL ELSE den END AS denominator,
       persons, member_codes
FROM sums
ORDER BY keyfigure, period, group_id
"""

#: Who belongs to each group: the nation, regions and DST groups from ``dim.municipality`` (as
#: ``_MEMBERS`` aggregates them), the similar groups from ``flis groups build`` with rank and
#: distance. Membership rests on no persons, so no disclosure control applies.
_MEMBERSHIP = """
SELECT 'nation' AS group_id, 'nation' AS kind, $nation AS group_name, NULL AS area,
       municipality_code, name AS municipality_name, NULL AS rank, NULL AS distance
FROM dim.municipality
UNION ALL
SELECT 'region:' || CAST(region_code AS VARCHAR), 'region', region_name, NULL,
       municipality_code, name, NULL, NULL
FROM dim.municipality
UNION ALL
SELECT 'dst:' || CAST(dst_group_code AS VARCHAR), 'dst', dst_group, NULL,
       municipality_code, name, NULL, NULL
FROM dim.municipality
UNION ALL
SELECT g.group_id, g.kind, g.name, g.area, gm.municipality_code, m.name, gm.rank, gm.distance
FROM keyfigures."group" AS g
JOIN keyfigures.group_member AS gm USING (group_id)
JOIN dim.municipality AS m USING (municipality_code)
WHERE g.kind = 'similar'
ORDER BY group_id, rank NULLS LAST, municipality_code
"""

_PARTS = ("value", "numerator", "denominator")


@dataclass
class Benchmark:
    """The benchmark tables and how many cells disclosure control suppressed."""

    values: pa.Table
    groups: pa.Table
    group_members: pa.Table
    keyfigures: pa.Table
    suppressed: dict[str, str]


def counts_persons(ref: MeasureRef | None) -> bool:
    """Whether a measure is itself a count of distinct persons (then it is a cell of persons)."""
    return ref is not None and "person_key" in catalogue().measures[ref.measure].expression


def _records(conn: duckdb.DuckDBPyConnection, sql: str, period: str) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, {"period": period})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _slices(
    rows: list[dict[str, Any]],
) -> Iterator[tuple[tuple[str, str], list[dict[str, Any]]]]:
    key: tuple[str, str] | None = None
    chunk: list[dict[str, Any]] = []
    for row in rows:
        k = (row["keyfigure"], row["period"])
        if k != key and chunk:
            assert key is not None
            yield key, chunk
            chunk = []
        key = k
        chunk.append(row)
    if chunk and key is not None:
        yield key, chunk


def _cell_persons(kf: KeyFigure, part: str, row: dict[str, Any]) -> int | None:
    persons = row.get("persons")
    ref = {"numerator": kf.numerator, "denominator": kf.denominator}.get(part)
    if counts_persons(ref) and row.get(part) is not None:
        own = round(float(row[part]))
        return own if persons is None else min(int(persons), own)
    return None if persons is None else int(persons)


def _add_row(cells: Cells, kf: KeyFigure, prefix: str, row: dict[str, Any]) -> None:
    for part in _PARTS:
        cells.add(f"{prefix}|{part}", row.get(part), _cell_persons(kf, part, row))
    cells.tie(*(f"{prefix}|{part}" for part in _PARTS))


#: Statuses whose numerator and denominator are published (a zero denominator publishes 0 / 0).
_PUBLISHED = ("ok", "denominator_zero")


def slice_cells(
    kf: KeyFigure,
    members: list[dict[str, Any]],
    groups: list[dict[str, Any]],
    cells: Cells | None = None,
    scope: str = "",
) -> Cells:
    """The cells and group relations of one key figure and period (ids prefixed by ``scope``)."""
    cells = Cells() if cells is None else cells
    for row in members:
        if row["data_status"] in _PUBLISHED:
            _add_row(cells, kf, f"{scope}m:{row['municipality_code']}", row)
    for group in groups:
        prefix = f"{scope}g:{group['group_id']}"
        _add_row(cells, kf, prefix, group)
        codes = group["member_codes"] or []
        # 98 overlapping similar groups would each need a second suppressed member, cascading
        # through the overlaps; their totals sit in no other relation, so they are covered by
        # suppressing the group's value whenever a member's is (cells.suppress)
        covered = group["kind"] == "similar"
        if kf.aggregation == "mean_of_values":
            parts = [f"{scope}m:{c}|value" for c in codes]
            if parts and all(p in cells.values for p in parts):
                coefs = [1.0 / len(parts)] * len(parts)
                cells.relate(f"{prefix}|value", parts, coefs, covered=covered)
            continue
        for part in ("numerator", "denominator"):
            parts = [f"{scope}m:{c}|{part}" for c in codes]
            if all(p in cells.values for p in parts):
                cells.relate(f"{prefix}|{part}", parts, covered=covered)
    return cells


def relate_keyfigures(cells: Cells, members: list[dict[str, Any]]) -> int:
    """Add the declared relations between key figures and periods for every municipality.

    Cell ids are ``<key figure>|<period>|m:<code>|<part>``; a relation is added where its total
    is published (a part the release does not publish is unknown to the adversary).
    """
    periods = sorted({r["period"] for r in members})
    codes = sorted({r["municipality_code"] for r in members})
    added = 0
    for relation in relations():
        for total, terms in relation.expand():
            for period in periods:
                (kf, at, part), parts = relation.instance(total, terms, period)
                for code in codes:
                    before = len(cells.relations)
                    cells.relate(
                        f"{kf}|{at}|m:{code}|{part}",
                        [f"{k}|{p}|m:{code}|{q}" for k, p, q, _ in parts],
                        None if all(c == 1.0 for *_, c in parts) else [c for *_, c in parts],
                    )
                    added += len(cells.relations) - before
    return added


def benchmark_cells(members: list[dict[str, Any]], groups: list[dict[str, Any]]) -> Cells:
    """Every cell of the benchmark with the group relations and the declared relations."""
    cells = Cells()
    for kf, period, rows, group_rows in slices(members, groups):
        slice_cells(kf, rows, group_rows, cells, f"{kf.id}|{period}|")
    relate_keyfigures(cells, members)
    return cells


def _publish(rows: list[dict[str, Any]], prefix: str, flags: dict[str, str]) -> None:
    for row in rows:
        key = prefix.format(**row)
        hit = [flags[f"{key}|{p}"] for p in _PARTS if f"{key}|{p}" in flags]
        row["suppressed"] = ("primary" if "primary" in hit else "secondary") if hit else None
        _round(row, hidden=bool(hit))


def _round(row: dict[str, Any], *, hidden: bool) -> None:
    """Rounded numerator and denominator; the value recomputed from them where it is a ratio."""
    value, num, den = (None if hidden else row.get(p) for p in _PARTS)
    kf = catalogue().keyfigures[row["keyfigure"]]
    row["numerator"], row["denominator"] = significant(num), significant(den)
    from_parts = value is not None and num is not None  # mean-of-values groups have no parts
    row["value"] = (
        ratio(kf.scale, row["numerator"], row["denominator"], has_denominator=den is not None)
        if from_parts
        else significant(value)
    )


def _similar_sql() -> str:
    meta = ", ".join(
        f"('{kf.id}', '{kf.area}', {kf.aggregation == 'mean_of_values'}, "
        f"{kf.denominator is not None}, {kf.scale!r})"
        for kf in catalogue().keyfigures.values()
    )
    return _SIMILAR.format(meta=meta)


def read_rows(
    conn: duckdb.DuckDBPyConnection, *, period: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Municipality rows and group rows (with their contributing members) up to ``period``.

    Groups: the nation, regions, DST groups and the similar-municipality groups of the key
    figure's data area (when ``flis groups build`` has made them), sorted by key figure, period
    and group id.
    """
    groups = _records(conn, _GROUPS, period) + _records(conn, _similar_sql(), period)
    groups.sort(key=lambda g: (g["keyfigure"], g["period"], g["group_id"]))
    return _records(conn, _VALUES, period), groups


def slices(
    members: list[dict[str, Any]], groups: list[dict[str, Any]]
) -> Iterator[tuple[KeyFigure, str, list[dict[str, Any]], list[dict[str, Any]]]]:
    """(key figure, period, its municipality rows, its group rows), one per component."""
    by_slice = dict(_slices(groups))
    for (kf_id, period), rows in _slices(members):
        yield catalogue().keyfigures[kf_id], period, rows, by_slice.get((kf_id, period), [])


def _protect(
    members: list[dict[str, Any]], groups: list[dict[str, Any]], *, threshold: int
) -> dict[str, str]:
    return suppress(benchmark_cells(members, groups), threshold=threshold)


_VALUE_TYPES = {
    "keyfigure": pa.string(),
    "period": pa.string(),
    "municipality_code": pa.int16(),
    "municipality_name": pa.string(),
    "region_code": pa.int16(),
    "dst_group_code": pa.int16(),
    "data_status": pa.string(),
    "value": pa.float64(),
    "numerator": pa.float64(),
    "denominator": pa.float64(),
    "suppressed": pa.string(),
}
_GROUP_TYPES = {
    "keyfigure": pa.string(),
    "period": pa.string(),
    "group_id": pa.string(),
    "kind": pa.string(),
    "members": pa.int32(),
    "value": pa.float64(),
    "numerator": pa.float64(),
    "denominator": pa.float64(),
    "suppressed": pa.string(),
}

_MEMBER_TYPES = {
    "group_id": pa.string(),
    "kind": pa.string(),
    "group_name": pa.string(),
    "area": pa.string(),
    "municipality_code": pa.int16(),
    "municipality_name": pa.string(),
    "rank": pa.int32(),
    "distance": pa.float64(),
}


def to_table(rows: list[dict[str, Any]], types: dict[str, pa.DataType]) -> pa.Table:
    """Rows (dicts) as an Arrow table with exactly the given columns and types."""
    return pa.table({name: pa.array([r.get(name) for r in rows], t) for name, t in types.items()})


def _catalogue_table() -> pa.Table:
    rows = [
        {
            "keyfigure": kf.id,
            "title_da": kf.title.da,
            "title_en": kf.title.en,
            "area": kf.area,
            "unit": kf.unit,
            "level": kf.level,
            "aggregation": kf.aggregation,
            "direction": kf.direction,
            "scale": kf.scale,
        }
        for kf in sorted(catalogue().keyfigures.values(), key=lambda k: k.id)
    ]
    types = dict.fromkeys(rows[0], pa.string()) | {"scale": pa.float64()}
    return to_table(rows, types)


def read_members(conn: duckdb.DuckDBPyConnection, group_ids: set[str]) -> list[dict[str, Any]]:
    """One row per member of each group in ``group_ids``, sorted by group id, then rank (similar
    groups), then municipality code."""
    cursor = conn.execute(_MEMBERSHIP, {"nation": reference_groups()["nation"].name})
    names = [d[0] for d in cursor.description]
    rows = (dict(zip(names, row, strict=True)) for row in cursor.fetchall())
    return [r for r in rows if r["group_id"] in group_ids]


def build_benchmark(conn: duckdb.DuckDBPyConnection, *, period: str, threshold: int) -> Benchmark:
    """The benchmark tables of a release for ``period``, disclosure control applied."""
    members, groups = read_rows(conn, period=period)
    memberships = read_members(conn, {g["group_id"] for g in groups})
    flags = _protect(members, groups, threshold=threshold)
    _publish(members, "{keyfigure}|{period}|m:{municipality_code}", flags)
    _publish(groups, "{keyfigure}|{period}|g:{group_id}", flags)
    return Benchmark(
        values=to_table(members, _VALUE_TYPES),
        groups=to_table(groups, _GROUP_TYPES),
        group_members=to_table(memberships, _MEMBER_TYPES),
        keyfigures=_catalogue_table(),
        suppressed=flags,
    )
