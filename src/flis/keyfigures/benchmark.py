"""Benchmarking one municipality's key figure: group, region and nation, rank, change, members.

One call reads the figure's period slice once (98 rows plus the own value a year before) and
the stored group values once; everything else is computed in memory (docs/benchmarking.md).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any, Protocol

import duckdb

from flis.errors import NotFoundError
from flis.keyfigures.aggregate import Member, aggregate
from flis.keyfigures.groups import Group, get_group, group_id_for, reference_groups
from flis.keyfigures.model import Direction, KeyFigure
from flis.periods import add_months, parse_month
from flis.reference import municipalities, municipality

#: Values are compared at 12 significant digits, so that sums added up in another order tie.
TIE_DIGITS = 12

#: Flag of a group value computed on demand that is withheld because a member's value is hidden.
MEMBER_SUPPRESSED = "member-suppressed"

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
    suppressed: str | None = None  # primary or secondary: hidden by disclosure control


@dataclass(frozen=True)
class Stored:
    """A group value stored by the key-figure build (or published in a release)."""

    value: float | None
    numerator: float | None
    denominator: float | None
    members: int
    suppressed: str | None = None


@dataclass(frozen=True)
class Slice:
    """What one benchmark call reads: the period's rows, the own row a year before, groups."""

    rows: dict[int, Row]
    before: Row | None
    stored: dict[str, Stored]


class BenchmarkSource(Protocol):
    """Where a benchmark reads its rows: the warehouse (operators) or a published release."""

    release_id: str | None

    def read_slice(
        self, kf: KeyFigure, *, period: str, previous: str, code: int, group_ids: tuple[str, ...]
    ) -> Slice:
        """The slice, or UnknownPeriod when the source has no values for ``period``."""
        ...

    def group(self, group_id: str) -> Group:
        """One comparison group with its members (UnknownGroup if there is none)."""
        ...


class WarehouseSource:
    """The warehouse tables ``keyfigures.value`` and ``keyfigures.group_value``, in clear."""

    release_id: str | None = None

    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self.conn = conn

    def read_slice(
        self, kf: KeyFigure, *, period: str, previous: str, code: int, group_ids: tuple[str, ...]
    ) -> Slice:
        params = {
            "kf": kf.id,
            "period": period,
            "previous": previous,
            "code": code,
            "region": group_ids[0],
            "chosen": group_ids[1],
        }
        rows: dict[int, Row] = {}
        before = None
        stored: dict[str, Stored] = {}
        for key, number, value, num, den, persons, status in self.conn.execute(
            _SLICE_SQL, params
        ).fetchall():
            if status is None:  # a stored group value; ``number`` is its member count
                stored[key] = Stored(value, num, den, int(number or 0))
            elif key == period:
                rows[int(number)] = Row(value, num, den, persons, status)
            else:
                before = Row(value, num, den, persons, status)
        if not rows:
            raise UnknownPeriod(kf.id, period, *_available(self.conn, kf.id))
        return Slice(rows, before, stored)

    def group(self, group_id: str) -> Group:
        return get_group(self.conn, group_id)


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
    #: primary/secondary (the release suppressed it) or member-suppressed (computed here over a
    #: suppressed member, so the value could reveal that member by differencing)
    suppressed: str | None = None


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
    suppressed: int = 0  # municipalities whose value disclosure control hid (not ranked)


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
    suppressed: str | None = None


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
    suppressed: str | None = None  # the own value, hidden by disclosure control
    release_id: str | None = None  # the release answered from; None: the warehouse

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def benchmark(
    source: duckdb.DuckDBPyConnection | BenchmarkSource,
    *,
    municipality: int,
    keyfigure: KeyFigure,
    period: str,
    group: str = "similar",
) -> BenchmarkResult:
    """Place one municipality's value of a key figure among the others.

    Args:
        source: a warehouse with built key figures (``keyfigures.value``), or a
            ``BenchmarkSource`` such as a published release (suppressed cells stay hidden).
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
    src = WarehouseSource(source) if isinstance(source, duckdb.DuckDBPyConnection) else source
    muni = _municipality(municipality)
    period = parse_month(period)
    chosen_id = group_id_for(_group_ref(group, muni=muni, area=keyfigure.area))
    region = reference_groups()[f"region:{muni[1]}"]
    found = src.read_slice(
        keyfigure,
        period=period,
        previous=_previous(period),
        code=muni[0],
        group_ids=(region.group_id, chosen_id),
    )
    rows = found.rows
    chosen = src.group(chosen_id)
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
        group=_compare(chosen, rows, keyfigure, found.stored),
        method_version=chosen.method_version,
        region=_compare(region, rows, keyfigure, found.stored),
        nation=_compare(reference_groups()["nation"], rows, keyfigure, found.stored),
        ranking=rank(
            _values(rows),
            muni[0],
            direction=keyfigure.direction,
            suppressed=_hidden(rows) if src.release_id else None,
        ),
        change=change(own, found.before, previous=_previous(period), direction=keyfigure.direction),
        members=_members(chosen, rows),
        suppressed=own.suppressed,
        release_id=src.release_id,
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
    group: Group, rows: dict[int, Row], kf: KeyFigure, stored: dict[str, Stored]
) -> Comparison:
    """The group's value: as stored by the build when it is, else by the figure's rule."""
    head = (group.group_id, group.kind, group.name)
    size = len(group.members)
    if (s := stored.get(group.group_id)) is not None:
        return Comparison(
            *head, s.value, s.numerator, s.denominator, s.members, size, "group_value", s.suppressed
        )
    hidden = [c for c in group.codes if (r := rows.get(c)) is not None and r.suppressed]
    if hidden:  # any value over a hidden member would reveal it against the published others
        published = sum(
            1 for c in group.codes if (r := rows.get(c)) is not None and r.value is not None
        )
        return Comparison(*head, None, None, None, published, size, "computed", MEMBER_SUPPRESSED)
    ok = [
        Member(r.numerator, r.denominator, r.value)
        for code in group.codes
        if (r := rows.get(code)) is not None and r.status == "ok"
    ]
    agg = aggregate(kf.aggregation, ok, scale=kf.scale)
    return Comparison(
        *head, agg.value, agg.numerator, agg.denominator, agg.members, size, "computed"
    )


def _hidden(rows: dict[int, Row]) -> int:
    return sum(1 for r in rows.values() if r.suppressed)


def _values(rows: dict[int, Row]) -> dict[int, float]:
    return {
        c: r.value
        for c, r in rows.items()
        if r.status == "ok" and r.value is not None and not math.isnan(r.value)
    }


def rank(
    values: dict[int, float], code: int, *, direction: Direction, suppressed: int | None = None
) -> Ranking:
    """Competition ranking (1, 2, 2, 4): ties share the best rank and are stated.

    ``percentile`` = 100 × (others ranked below + ½ × others tied) ÷ (municipalities − 1).
    ``suppressed``: over a release, how many values disclosure control hid; the rank is then
    among the published values only and the statement says so.
    """
    order = {
        "higher_is_better": "highest value first (higher is better)",
        "lower_is_better": "lowest value first (lower is better)",
        "neutral": "highest value first (the figure has no better direction)",
    }[direction]
    total = len(municipalities())
    hidden = suppressed or 0
    kind = " published" if suppressed is not None else ""
    if code not in values:
        text = f"not ranked: no{kind} value ({len(values)} of {total} municipalities have one"
        text += f", {hidden} suppressed)" if suppressed is not None else ")"
        return Ranking(None, len(values), total, 0, None, order, text, hidden)
    sign = -1.0 if direction == "lower_is_better" else 1.0
    scores = [sign * _tie_key(v) for v in values.values()]
    own = sign * _tie_key(values[code])
    better = sum(s > own for s in scores)
    tied = sum(s == own for s in scores) - 1
    below = len(scores) - better - tied - 1
    pct = 100.0 * (below + 0.5 * tied) / (len(scores) - 1) if len(scores) > 1 else None
    text = f"{better + 1} of {len(scores)}{kind}" + (f", tied with {tied}" if tied else "")
    text += f"; {order}"
    if hidden:
        text += f"; {hidden} suppressed by disclosure control"
    if len(scores) + hidden < total:
        text += f"; {total - len(scores) - hidden} without a value"
    return Ranking(better + 1, len(scores), total, tied, pct, order, text, hidden)


def _tie_key(value: float) -> float:
    return float(f"{value:.{TIE_DIGITS}g}")


def change(own: Row, before: Row | None, *, previous: str, direction: Direction) -> Change:
    """Own value now against the same period a year before."""
    prev = before.value if before is not None and before.status == "ok" else None
    reason = None
    if own.suppressed:
        reason = f"the value for this period is suppressed ({own.suppressed} suppression)"
    elif own.value is None:
        reason = f"no value for this period (status {own.status})"
    elif before is None:
        reason = f"no row for {previous}: the period has not been built"
    elif before.suppressed:
        reason = f"the value for {previous} is suppressed ({before.suppressed} suppression)"
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
        MemberValue(
            m.municipality_code, m.name, m.distance, m.rank, row.value, row.status, row.suppressed
        )
        for m in group.members
        if (row := rows.get(m.municipality_code, missing))
    )
