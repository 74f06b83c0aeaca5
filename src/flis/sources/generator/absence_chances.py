"""Absence chances of employees: kinds of absence, how likely each starts, and how long it lasts.

Sickness follows the staff category's national sick days, the municipality's level and a
personal propensity; the scale is calibrated so sick days per full-time employee are 12.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from flis.reference.codelists import codelist
from flis.sources.generator.days import YEAR, as_dates, as_days
from flis.sources.generator.employments import Staff
from flis.sources.generator.roles import ROLE_CATEGORY
from flis.sources.generator.world import World

_SHORT, _LONG, _INJURY, _PARTIAL, _CHILD, _LEAVE, _OTHER = range(7)


KIND_TYPE = np.array([0, 0, 1, 2, 3, 4, 5])


#: Chance per half month of each sickness kind for an employee with 12 sick days a year
#: (3.5-day short spells, 67-day long spells, 14.8-day injuries, partial days of 3.5 hours),
#: raised 11 % for days lost to running periods, parental leave and leavers (measured).
_SICK_CHANCE = np.array([0.0774, 0.00286, 0.00169, 0.0266]) * 1.11


_LONG_DAYS, _LEAVE_DAYS_F, _LEAVE_DAYS_M = 67.0, 215.0, 30.0


def _sick_level(world: World) -> np.ndarray:
    """Sickness level per municipality, 0.8–1.2: higher where the socio-economic level is low."""
    rng = world.rng("staff-sick-level")
    socio = world.traits["socio"]
    return np.clip(np.exp(-0.1 * socio + rng.normal(0, 0.06, len(socio))), 0.8, 1.2)


def _category_days(staff: Staff) -> np.ndarray:
    """The staff category's national sick days (code-list attribute) per employment."""
    days = np.array(
        [float(codelist("staff_category").get(c).attrs["sick_days"]) for c in ROLE_CATEGORY]
    )
    return np.asarray(days[staff.role])


def calibrate(world: World, staff: Staff) -> float:
    """Scale that makes sick days per full-time employee 12 nationally for this staff mix."""
    level = _sick_level(world)[np.searchsorted(world.codes, staff.kommune)]
    relative = _category_days(staff) / 12 * level
    return float(1 / np.average(relative, weights=staff.hours))


def _sick_rate(world: World, staff: Staff, sick_scale: float) -> np.ndarray:
    """Each employee's sickness multiplier relative to 12 days a year."""
    level = _sick_level(world)[np.searchsorted(world.codes, staff.kommune)]
    return np.asarray(_category_days(staff) / 12 * level * sick_scale * staff.frailty)


def initial_busy(
    world: World, rng: np.random.Generator, staff: Staff, first: int, sick_scale: float
) -> Staff:
    """Long sickness and parental leave already running when the simulation starts."""
    n = len(staff)
    age = (first - staff.birth) / YEAR
    p_long = 24 * _SICK_CHANCE[1] * _sick_rate(world, staff, sick_scale) * _LONG_DAYS * 1.4 / 365
    p_leave = (
        _leave_chance(staff.female, age)
        * 24
        * 1.4
        / 365
        * np.where(staff.female, _LEAVE_DAYS_F, _LEAVE_DAYS_M)
    )
    u = rng.random(n)
    kind = np.where(u < p_long, _LONG, np.where(u < p_long + p_leave, _LEAVE, -1))
    left = np.ceil(rng.random(n) * spell_length(rng, np.maximum(kind, 0), staff.female))
    until = np.busday_offset(
        as_dates(first), np.maximum(left, 1).astype(np.int64) - 1, roll="forward"
    )
    busy = kind >= 0
    return replace(
        staff,
        busy_until=np.where(busy, as_days(until), first - 1),
        busy_type=np.where(busy, KIND_TYPE[np.maximum(kind, 0)], 0),
    )


def _leave_chance(female: np.ndarray, age: np.ndarray) -> np.ndarray:
    """Chance per half month of starting parental leave."""
    return np.where(female, 0.0035 * ((age >= 26) & (age < 42)), 0.002 * ((age >= 26) & (age < 46)))


def kind_chances(world: World, staff: Staff, first: int, sick_scale: float) -> np.ndarray:
    """Cumulative chance per half month of each absence kind, one row per employee."""
    age = (first - staff.birth) / YEAR
    sick = _SICK_CHANCE[None, :] * _sick_rate(world, staff, sick_scale)[:, None]
    child = 0.03 * ((age >= 25) & (age < 50))
    other = np.full(len(staff), 0.008)
    chances = np.column_stack([sick, child, _leave_chance(staff.female, age), other])
    total = chances.sum(axis=1, keepdims=True)
    chances = chances / np.maximum(total / 0.95, 1.0)
    return np.cumsum(chances, axis=1)


def spell_length(rng: np.random.Generator, kind: np.ndarray, female: np.ndarray) -> np.ndarray:
    """Working days of a new period of each kind."""
    n = len(kind)
    short = 1 + rng.poisson(2.5, n)
    long = np.minimum(10 + rng.lognormal(3.8, 0.7, n), 250)
    injury = np.where(rng.random(n) < 0.7, 1 + rng.poisson(3, n), 15 + rng.poisson(25, n))
    child = 1 + (rng.random(n) < 0.4)
    leave = np.where(female, 150 + rng.integers(0, 131, n), 10 + rng.integers(0, 41, n))
    other = 1 + rng.integers(0, 5, n)
    table = np.column_stack([short, long, injury, np.ones(n), child, leave, other])
    return np.asarray(np.rint(table[np.arange(n), kind]).astype(np.int64))
