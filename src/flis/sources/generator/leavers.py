"""Leavers: employees who quit, retire, die, emigrate or whose post is cut this month."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from flis.sources.generator.days import YEAR
from flis.sources.generator.employments import OPEN, Staff
from flis.sources.generator.month_frame import Frame
from flis.sources.generator.posts import slot_key, surplus

_LEAVE_RATE = 0.0115  # per month; hourly staff move more, civil servants less


def mark_leavers(
    rng: np.random.Generator, staff: Staff, frame: Frame, slots: tuple[np.ndarray, ...]
) -> Staff:
    """Mark this month's leavers with an end date in the month."""
    n = len(staff)
    age = (frame.first - staff.birth) / YEAR
    rate = np.where(staff.form == 3, 3.5, np.where(staff.form == 1, 0.45, 1.0)) * _LEAVE_RATE
    rate = np.where(age >= 66, 0.08, rate)
    gone = rng.random(n) < rate
    gone |= age >= 69.9
    gone |= ~np.isin(staff.person_id, frame.res_person)  # died or emigrated
    gone |= ~np.isin(slot_key(staff.workplace, staff.role), slot_key(slots[2], slots[1]))
    # posts cut at a workplace go by faster turnover of the surplus, not by lay-offs
    gone |= surplus(rng, staff, ~gone, slots) & (rng.random(n) < 0.3)
    span = frame.last - frame.first + 1
    day = np.where(rng.random(n) < 0.6, span - 1, rng.integers(0, span, n))
    end = np.maximum(frame.first + day, staff.start)
    return replace(staff, end=np.where(gone, end, OPEN).astype(np.int64))
