"""Staff absence: each month's absence periods per employment, and the payroll-absence records.

Each employee gets two half-month slots per month; in each, at most one new absence period
starts (after any running one), so periods of one employment never overlap.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flis.sources.generator.absence_chances import KIND_TYPE, kind_chances, spell_length
from flis.sources.generator.days import as_dates, as_days
from flis.sources.generator.employments import OPEN, Staff
from flis.sources.generator.month_frame import Frame
from flis.sources.generator.world import World

_ABSENCE_TYPES = np.array(
    ["EGEN_SYGDOM", "ARBEJDSSKADE", "DELVIS_SYGDOM", "BARNS_SYGDOM", "BARSEL_ADOPTION", "ANDET"]
)


@dataclass
class _Spells:
    """Absence periods of one month as columns; ``row`` points into the month's staff."""

    row: list[np.ndarray]
    kind: list[np.ndarray]
    fra: list[np.ndarray]
    til: list[np.ndarray]

    def add(self, row: np.ndarray, kind: np.ndarray, fra: np.ndarray, til: np.ndarray) -> None:
        """Append one batch of periods."""
        self.row.append(row)
        self.kind.append(kind)
        self.fra.append(fra)
        self.til.append(til)


@dataclass
class _Carry:
    """Per employee: a period running into next month (``until`` ≥ 0) and the first free day."""

    until: np.ndarray
    kind: np.ndarray
    free_from: np.ndarray


def month_spells(
    world: World, frame: Frame, staff: Staff, sick_scale: float
) -> tuple[Staff, dict[str, np.ndarray]]:
    """Absence periods of the month, and the staff with periods running into next month."""
    rng = world.rng("staff-absence", frame.index)
    first, last = frame.first, frame.last
    lo = np.maximum(first, staff.start)
    hi = np.minimum(last, staff.end)
    spells = _Spells([], [], [], [])
    running = staff.busy_until >= first
    rows = np.flatnonzero(running)
    spells.add(rows, staff.busy_type[rows], lo[rows], np.minimum(staff.busy_until, hi)[rows])
    until = np.where(running & (staff.busy_until > last), staff.busy_until, -1)
    carry = _Carry(
        until=until,
        kind=np.where(until >= 0, staff.busy_type, 0),
        free_from=np.where(running, staff.busy_until + 2, lo),
    )
    cum = kind_chances(world, staff, first, sick_scale)
    for window in ((0, 14), (14, last - first + 1)):
        _half_month(rng, spells, carry, staff=staff, cum=cum, window=window, frame=frame, hi=hi)
    staff = replace(
        staff, busy_until=np.where(carry.until >= 0, carry.until, last), busy_type=carry.kind
    )
    return staff, _collect(rng, spells, len(staff))


def _half_month(
    rng: np.random.Generator,
    spells: _Spells,
    carry: _Carry,
    *,
    staff: Staff,
    cum: np.ndarray,
    window: tuple[int, int],
    frame: Frame,
    hi: np.ndarray,
) -> None:
    """At most one new period per free employee, starting within ``window`` days of the month."""
    n, first, last = len(staff), frame.first, frame.last
    kind = (rng.random(n)[:, None] > cum).sum(axis=1)
    drawn = first + rng.integers(window[0], window[1], n)
    start = as_days(
        np.busday_offset(as_dates(np.maximum(drawn, carry.free_from)), 0, roll="forward")
    )
    length = spell_length(rng, np.minimum(kind, 6), staff.female)
    end = as_days(np.busday_offset(as_dates(start), length - 1, roll="forward"))
    ok = (kind < 7) & (start <= hi) & (carry.until < 0)
    rows = np.flatnonzero(ok)
    spells.add(rows, KIND_TYPE[kind[rows]], start[rows], np.minimum(end, hi)[rows])
    goes_on = ok & (end > last) & (staff.end == OPEN)
    carry.until = np.where(goes_on, end, carry.until)
    carry.kind = np.where(goes_on, KIND_TYPE[np.minimum(kind, 6)], carry.kind)
    carry.free_from = np.where(ok, end + 2, carry.free_from)


def _collect(rng: np.random.Generator, spells: _Spells, n: int) -> dict[str, np.ndarray]:
    """The month's periods as columns, with hours for partial sickness."""
    timer = rng.integers(1, 7, n).astype(np.float64)
    out = {k: np.concatenate(getattr(spells, k)) for k in ("row", "kind", "fra", "til")}
    out["timer"] = np.where(out["kind"] == 2, timer[out["row"]], np.nan)
    # a running period cut by a weekend leaving date may hold no working day: nobody records it
    working = np.busday_count(as_dates(out["fra"]), as_dates(out["til"] + 1)) > 0
    return {k: v[working] for k, v in out.items()}


def absence_table(staff: Staff, spells: dict[str, np.ndarray], month_index: int) -> pa.Table:
    """The payroll-absence records, sorted by municipality, employment and date."""
    order = np.lexsort((spells["fra"], staff.emp_nr[spells["row"]]))
    s = {k: v[order] for k, v in spells.items()}
    rows = s["row"]
    ids = month_index * 10_000_000 + np.arange(1, len(rows) + 1, dtype=np.int64)
    return pa.table(
        {
            "kommune": pa.array(staff.kommune[rows], pa.int64()),
            "fravaersid": pc.cast(pa.array(ids), pa.string()),
            "cpr": staff.cpr.take(pa.array(rows, pa.int64())),
            "ansaettelsesnr": pc.cast(pa.array(staff.emp_nr[rows]), pa.string()),
            "fravaersaarsag": pa.array(_ABSENCE_TYPES[s["kind"]]),
            "fra_dato": pa.array(s["fra"].astype(np.int32), pa.date32()),
            "til_dato": pa.array(s["til"].astype(np.int32), pa.date32()),
            "timer": pa.array(s["timer"], pa.float64(), from_pandas=True),
        }
    )
