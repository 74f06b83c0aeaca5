"""Hiring: new employments that fill vacant posts with adult residents, and their terms."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyarrow as pa

from flis.sources.generator.days import YEAR
from flis.sources.generator.employments import FULL_TIME, OPEN, Staff
from flis.sources.generator.month_frame import Frame
from flis.sources.generator.roles import term
from flis.sources.generator.world import World

_NEIGHBOUR_SHARE = 0.15  # employees living in another (nearby) municipality


def count_by_municipality(world: World, kommune: np.ndarray) -> np.ndarray:
    """Employments per municipality, aligned with ``world.codes``."""
    return np.bincount(np.searchsorted(world.codes, kommune), minlength=len(world.codes))


def hire(
    world: World,
    rng: np.random.Generator,
    frame: Frame,
    slots: tuple[np.ndarray, ...],
    need: np.ndarray,
    next_nr: np.ndarray,
    employed: np.ndarray,
) -> Staff:
    """New employments filling ``need`` posts per slot, with people and terms drawn."""
    kommune = np.repeat(slots[0], need)
    role = np.repeat(slots[1], need)
    workplace = np.repeat(slots[2], need)
    n = len(kommune)
    muni = np.searchsorted(world.codes, kommune)
    # employment numbers run on per municipality; hires arrive sorted by municipality
    order_in_muni = np.arange(n) - np.searchsorted(muni, muni)
    emp_nr = kommune * 1_000_000 + next_nr[muni] + order_in_muni + 1
    female = rng.random(n) < term("female")[role]
    home = np.where(
        rng.random(n) < _NEIGHBOUR_SHARE,
        np.clip(muni + rng.choice([-3, -2, -1, 1, 2, 3], n), 0, len(world.codes) - 1),
        muni,
    )
    rows = _pick_people(rng, frame, home, female, employed)
    form, hours, pay = _terms(rng, role)
    return Staff(
        emp_nr=emp_nr,
        kommune=kommune,
        person_id=frame.res_person[rows],
        cpr=frame.res_cpr.take(pa.array(rows)),
        female=frame.res_female[rows],
        birth=frame.res_birth[rows],
        role=role,
        workplace=workplace,
        form=form,
        hours=hours,
        pay_level=pay,
        start=np.full(n, frame.first, np.int64),
        end=np.full(n, OPEN, np.int64),
        frailty=rng.gamma(0.8, 1 / 0.8, n),
        busy_until=np.full(n, frame.first - 1, np.int64),
        busy_type=np.zeros(n, np.int64),
    )


def backdate(rng: np.random.Generator, hires: Staff, first: int) -> Staff:
    """Start dates before ``first`` for the initial workforce: tenures of about nine years."""
    tenure = np.rint(rng.exponential(9 * YEAR, len(hires))).astype(np.int64)
    earliest = hires.birth + int(20 * YEAR)
    start = np.maximum(first - 1 - tenure, np.minimum(earliest, first - 1))
    return replace(hires, start=start.astype(np.int64))


def start_in_month(rng: np.random.Generator, hires: Staff, frame: Frame) -> Staff:
    """Start dates of the month's hires: most on the first day, the rest spread over the month."""
    start = frame.first + np.where(
        rng.random(len(hires)) < 0.6,
        0,
        rng.integers(0, frame.last - frame.first + 1, len(hires)),
    )
    return replace(hires, start=start.astype(np.int64))


def _terms(rng: np.random.Generator, role: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Employment form, weekly hours and pay level per new employment."""
    n = len(role)
    u = rng.random(n)
    hourly = u < term("hourly")[role]
    civil = ~hourly & (u < term("hourly")[role] + term("civil")[role])
    form = np.where(hourly, 3, np.where(civil, 1, 2)).astype(np.int64)
    part = rng.random(n) < term("part_time")[role]
    hours = np.where(part, rng.choice([25.0, 28.0, 30.0, 32.0], n), FULL_TIME)
    hours = np.where(hourly, rng.integers(6, 21, n).astype(np.float64), hours)
    level = term("pay")[role] * rng.normal(1.0, 0.07, n)
    # hourly staff are paid per hour at a little above the salaried hourly rate
    level = np.where(hourly, level / 160.33 * 1.1, level)
    return form, hours, level


def _pick_people(
    rng: np.random.Generator,
    frame: Frame,
    home: np.ndarray,
    female: np.ndarray,
    employed: np.ndarray,
) -> np.ndarray:
    """Resident rows for new employees: adults of the home municipality, not yet employed."""
    age = (frame.first - frame.res_birth) / YEAR
    adult = (age >= 20) & (age < 66)
    free = adult & ~np.isin(frame.res_person, employed)
    rows = np.empty(len(home), np.int64)
    order = np.lexsort((female, home))
    group = home[order] * 2 + female[order]
    edges = np.searchsorted(group, np.arange(2 * len(frame.bounds)))
    for g in np.unique(group):
        take = order[edges[g] : edges[g + 1]]
        lo, hi = frame.bounds[g // 2], frame.bounds[g // 2 + 1]
        sex = frame.res_female[lo:hi] == bool(g % 2)
        rows[take] = lo + _choose(rng, free[lo:hi] & sex, adult[lo:hi], len(take))
    return rows


def _choose(
    rng: np.random.Generator, free: np.ndarray, adult: np.ndarray, count: int
) -> np.ndarray:
    """``count`` distinct free positions, topping up from any adult (a second job) if short."""
    pool = np.flatnonzero(free)
    if len(pool) >= count:
        return rng.choice(pool, count, replace=False)
    extra_pool = np.flatnonzero(adult)
    if len(extra_pool) == 0:
        extra_pool = np.arange(len(adult))
    extra = (
        rng.choice(extra_pool, count - len(pool), replace=True)
        if len(extra_pool)
        else np.zeros(count - len(pool), np.int64)
    )
    return np.concatenate([rng.permutation(pool), extra])
