"""Benchmarking one municipality's key figure: group, region and nation, rank, change, members.

One call reads the figure's period slice once (98 rows plus the own value a year before) and
the stored group values once; everything else is computed in memory (docs/benchmarking.md).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

import duckdb

from flis.errors import NotFoundError
from flis.keyfigures.aggregate import Member, aggregate
from flis.keyfigures.groups import Group, get_group, group_id_for, reference_groups
from flis.keyfigures.model import Direction, KeyFigure
from flis.periods import add_months, parse_month
from flis.reference import municipalities, municipality

#: Values are compared at 12 significant digits, so that sums added up in another order tie.
TIE_DIGITS = 12

# One round trip: the period's 98 rows, the own row a year before, and the stored group values.
_SLICE_SQL = """
SELECT period, municipality_code, value, numerator, denominator, persons, status
FROM keyfigures.value WHERE keyfigure = $kf
    AND (period = $period OR (period = $previous AND municipality_code = $code))
UNION ALL
SELECT group_id, members, value, numerator, denominator, NULL, NULL
FROM keyfigures.group_value WHERE keyfigure = $kf AND period = $period
    AND group_id IN ('nation', $region, $chosen)
"""


class UnknownPeriod(NotFoundError):
    kind = "unknown-period"

    def __init__(self, keyfigure: str, period: str, hint: str, hint_da: str | None = None) -> None:
        super().__init__(
            f"key figure '{keyfigure}' has no values for {period}",
            hint=hint,
            message_da=f"nøgletallet '{keyfigure}' har ingen værdier for {period}",
            hint_da=hint_da,
        )
        self.keyfigure = keyfigure
        self.period = period


@dataclass(frozen=True)
class Row:
    """One municipality's row of ``keyfigures.value``."""

    value: float | None
    numerator: float | None
    denominator: float | None
    persons: int | None
    status: str


@dataclass(frozen=True)
class Comparison:
    """A reference value: the comparison group, the region or the nation."""

    group_id: str
    kind: str
    name: str
    value: float | None
    numerator: float | None
    denominator: float | None
    members: int  # municipalities that contributed a value
    size: int  # municipalities in the group
    source: str  # group_value (stored by the build) or computed (here, by the figure's rule)


@dataclass(frozen=True)
class Ranking:
    """Rank among the municipalities with a value; 1 is best by the figure's direction."""

    rank: int | None
    of: int  # municipalities with a value
    total: int  # all municipalities
    tied_with: int  # other municipalities with the same value (they share the rank)
    percentile: float | None  # share of the others ranked below, ties counting half, 0–100
    order: str  # how 1 is chosen
    statement: str


@dataclass(frozen=True)
class Change:
    """Change since the same period a year before; null with a reason when not available."""

    previous_period: str
    previous_value: float | None
    absolute: float | None
    relative: float | None  # absolute ÷ |previous value|
    assessment: str | None  # better, worse, unchanged; None for neutral figures or no change
    reason: str | None


@dataclass(frozen=True)
class MemberValue:
    municipality_code: int
    name: str
    distance: float | None
    neighbour_rank: int | None
    value: float | None
    status: str


@dataclass(frozen=True)
class BenchmarkResult:
    """Everything a leader needs to place one value (``to_dict`` for JSON)."""

    keyfigure: str
    title_da: str
    title_en: str
    unit: str
    direction: Direction
    aggregation: str
    period: str
    municipality_code: int
    municipality_name: str
    value: float | None
    numerator: float | None
    denominator: float | None
    persons: int | None
    status: str
    group: Comparison
    method_version: str | None
    region: Comparison
    nation: Comparison
    ranking: Ranking
    change: Change
    members: tuple[MemberValue, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def benchmark(
    conn: duckdb.DuckDBPyConnection,
    *,
    municipality: int,
    keyfigure: KeyFigure,
    period: str,
    group: str = "similar",
) -> BenchmarkResult:
    """Place one municipality's value of a key figure among the others.

    Args:
        conn: a warehouse with built key figures (``keyfigures.value``).
        municipality: 3-digit municipality code.
        keyfigure: the catalogue entry (direction, aggregation rule, scale).
        period: ``YYYY-MM``.
        group: ``similar`` (the figure's area), ``region``, ``dst``, a user group's name or a
            full group id such as ``user:seks-byer`` or ``similar:school:461``.

    Returns:
        Own value, group, region and national values, rank, change and group members.

    Raises:
        NotFoundError: unknown municipality; UnknownPeriod: no values for the period;
        UnknownGroup: no such group (similar groups need ``flis groups build``).
    """
    muni = _municipality(municipality)
    period = parse_month(period)
    chosen_id = group_id_for(_group_ref(group, muni=muni, area=keyfigure.area))
    region = reference_groups()[f"region:{muni[1]}"]
    ids = (region.group_id, chosen_id)
    rows, before, stored = _slice(conn, keyfigure, period=period, code=muni[0], group_ids=ids)
    chosen = get_group(conn, chosen_id)
    own = rows.get(muni[0]) or Row(None, None, None, None, "missing")
    return BenchmarkResult(
        keyfigure=keyfigure.id,
        title_da=keyfigure.title.da,
        title_en=keyfigure.title.en,
        unit=keyfigure.unit,
        direction=keyfigure.direction,
        aggregation=keyfigure.aggregation,
        period=period,
        municipality_code=muni[0],
        municipality_name=municipality_name(muni[0]),
        value=own.value,
        numerator=own.numerator,
        denominator=own.denominator,
        persons=own.persons,
        status=own.status,
        group=_compare(chosen, rows, keyfigure, stored),
        method_version=chosen.method_version,
        region=_compare(region, rows, keyfigure, stored),
        nation=_compare(reference_groups()["nation"], rows, keyfigure, stored),
        ranking=rank(_values(rows), muni[0], direction=keyfigure.direction),
        change=change(own, before, previous=_previous(period), direction=keyfigure.direction),
        members=_members(chosen, rows),
    )


@cache
def _municipality(code: int) -> tuple[int, int, int]:
    """(code, region code, DST group code), or NotFoundError for an unknown code."""
    m = municipality(code)
    return m.code, m.region_code, m.dst_group_code


@cache
def municipality_name(code: int) -> str:
    return municipality(code).name


def _group_ref(ref: str, *, muni: tuple[int, int, int], area: str) -> str:
    special = {
        "similar": f"similar:{area}:{muni[0]}",
        "region": f"region:{muni[1]}",
        "dst": f"dst:{muni[2]}",
    }
    return special.get(ref, ref)


def _previous(period: str) -> str:
    return add_months(period, -12)


def _slice(
    conn: duckdb.DuckDBPyConnection,
    kf: KeyFigure,
    *,
    period: str,
    code: int,
    group_ids: tuple[str, str],
) -> tuple[dict[int, Row], Row | None, dict[str, tuple[Any, ...]]]:
    """The period's rows by municipality, the own row a year before, stored group values."""
    params = {
        "kf": kf.id,
        "period": period,
        "previous": _previous(period),
        "code": code,
        "region": group_ids[0],
        "chosen": group_ids[1],
    }
    rows: dict[int, Row] = {}
    before = None
    stored: dict[str, tuple[Any, ...]] = {}
    for key, number, value, num, den, persons, status in conn.execute(
        _SLICE_SQL, params
    ).fetchall():
        if status is None:  # a stored group value: (value, numerator, denominator, members)
            stored[key] = (value, num, den, number)
        elif key == period:
            rows[int(number)] = Row(value, num, den, persons, status)
        else:
            before = Row(value, num, den, persons, status)
    if not rows:
        raise UnknownPeriod(kf.id, period, *_available(conn, kf.id))
    return rows, before, stored


def _available(conn: duckdb.DuckDBPyConnection, keyfigure: str) -> tuple[str, str]:
    """Which periods have values, in English and Danish."""
    found = conn.execute(
        "SELECT min(period), max(period) FROM keyfigures.value WHERE keyfigure = ?", [keyfigure]
    ).fetchone()
    if not found or found[0] is None:
        return (
            "the key figure has not been built; run the key-figure build first",
            "nøgletallet er ikke beregnet endnu; kør beregningen af nøgletal først",
        )
    return (
        f"values exist for {found[0]} to {found[1]}",
        f"der er værdier for {found[0]} til {found[1]}",
    )


def _compare(
    group: Group, rows: dict[int, Row], kf: KeyFigure, stored: dict[str, tuple[Any, ...]]
) -> Comparison:
    """The group's value: as stored by the build when it is, else by the figure's rule."""
    head = (group.group_id, group.kind, group.name)
    size = len(group.members)
    if group.group_id in stored:
        value, num, den, members = stored[group.group_id]
        return Comparison(*head, value, num, den, int(members or 0), size, "group_value")
    ok = [
        Member(r.numerator, r.denominator, r.value)
        for code in group.codes
        if (r := rows.get(code)) is not None and r.status == "ok"
    ]
    agg = aggregate(kf.aggregation, ok, scale=kf.scale)
    return Comparison(
        *head, agg.value, agg.numerator, agg.denominator, agg.members, size, "computed"
    )


def _values(rows: dict[int, Row]) -> dict[int, float]:
    return {
        c: r.value
        for c, r in rows.items()
        if r.status == "ok" and r.value is not None and not math.isnan(r.value)
    }


def rank(values: dict[int, float], code: int, *, direction: Direction) -> Ranking:
    """Competition ranking (1, 2, 2, 4): ties share the best rank and are stated.

    ``percentile`` = 100 × (others ranked below + ½ × others tied) ÷ (municipalities − 1).
    """
    order = {
        "higher_is_better": "highest value first (higher is better)",
        "lower_is_better": "lowest value first (lower is better)",
        "neutral": "highest value first (the figure has no better direction)",
    }[direction]
    total = len(municipalities())
    if code not in values:
        text = f"not ranked: no value ({len(values)} of {total} municipalities have one)"
        return Ranking(None, len(values), total, 0, None, order, text)
    sign = -1.0 if direction == "lower_is_better" else 1.0
    scores = [sign * _tie_key(v) for v in values.values()]
    own = sign * _tie_key(values[code])
    better = sum(s > own for s in scores)
    tied = sum(s == own for s in scores) - 1
    below = len(scores) - better - tied - 1
    pct = 100.0 * (below + 0.5 * tied) / (len(scores) - 1) if len(scores) > 1 else None
    text = f"{better + 1} of {len(scores)}" + (f", tied with {tied}" if tied else "")
    text += f"; {order}"
    if len(scores) < total:
        text += f"; {total - len(scores)} without a value"
    return Ranking(better + 1, len(scores), total, tied, pct, order, text)


def _tie_key(value: float) -> float:
    return float(f"{value:.{TIE_DIGITS}g}")


def change(own: Row, before: Row | None, *, previous: str, direction: Direction) -> Change:
    """Own value now against the same period a year before."""
    prev = before.value if before is not None and before.status == "ok" else None
    reason = None
    if own.value is None:
        reason = f"no value for this period (status {own.status})"
    elif before is None:
        reason = f"no row for {previous}: the period has not been built"
    elif prev is None:
        reason = f"no value for {previous} (status {before.status})"
    if reason or own.value is None or prev is None:
        return Change(previous, prev, None, None, None, reason)
    absolute = own.value - prev
    relative = absolute / abs(prev) if prev else None
    return Change(
        previous,
        prev,
        absolute,
        relative,
        _assess(own.value, prev, direction),
        None if prev else "relative change undefined: the value a year before is 0",
    )


def _assess(now: float, before: float, direction: Direction) -> str | None:
    if direction == "neutral":
        return None
    if _tie_key(now) == _tie_key(before):
        return "unchanged"
    better = now > before if direction == "higher_is_better" else now < before
    return "better" if better else "worse"


def _members(group: Group, rows: dict[int, Row]) -> tuple[MemberValue, ...]:
    missing = Row(None, None, None, None, "missing")
    return tuple(
        MemberValue(m.municipality_code, m.name, m.distance, m.rank, row.value, row.status)
        for m in group.members
        if (row := rows.get(m.municipality_code, missing))
    )
