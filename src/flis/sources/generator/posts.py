"""Posts: how many posts of each role every school and cost centre has this month.

A slot is a (kommune, role, workplace) with a number of posts; school posts follow pupils,
cost-centre posts follow the residents the function serves, spread over fixed units.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flis.sources.generator.cost_centres import CENTRE_BLOCK, cost_centre
from flis.sources.generator.employments import Staff
from flis.sources.generator.hashing import unsalted_uniform
from flis.sources.generator.month_frame import Frame
from flis.sources.generator.roles import RESIDENT_DRIVERS, ROLES, SCHOOL_DRIVERS
from flis.sources.generator.world import World

_MAX_UNITS = 499


def _staffing_factor(world: World) -> np.ndarray:
    """Per-municipality staffing level: rural municipalities run more posts per inhabitant."""
    rng = world.rng("staff-level")
    urban = world.traits["urbanity"]
    return np.asarray(
        np.exp(-0.12 * (urban - urban.mean()) / urban.std() + rng.normal(0, 0.05, len(urban)))
    )


def _pupils_per_teacher(world: World) -> np.ndarray:
    """Pupils per full-time teacher: 10.5–12.8, lower in small and rural municipalities."""
    rng = world.rng("staff-teacher-ratio")
    t = world.traits
    ratio = 11.6 + 0.45 * t["size"] + 0.3 * (t["urbanity"] - 0.5) + rng.normal(0, 0.3, 98)
    return np.clip(ratio, 10.5, 12.8)


def cost_units(world: World, frame: Frame) -> dict[str, np.ndarray]:
    """Cost centres per municipality and function, fixed for the run, with size weights."""
    rng = world.rng("staff-units")
    factor = _staffing_factor(world)
    kommune, funktion, unit, weight = [], [], [], []
    for f, (_, size) in CENTRE_BLOCK.items():
        posts = sum(r.per * frame.drivers[r.driver] for r in ROLES if r.funktion == f) * factor
        count = np.clip(np.ceil(posts / size), 1, _MAX_UNITS).astype(np.int64)
        kommune.append(np.repeat(world.codes, count))
        funktion.append(np.full(int(count.sum()), f))
        unit.append(np.concatenate([np.arange(c) for c in count]))
        weight.append(0.6 + 0.8 * rng.random(int(count.sum())))
    return {
        "kommune": np.concatenate(kommune),
        "funktion": np.concatenate(funktion),
        "unit": np.concatenate(unit),
        "weight": np.concatenate(weight),
    }


def slot_key(workplace: np.ndarray, role: np.ndarray) -> np.ndarray:
    """One integer per (workplace, role) slot."""
    return np.asarray(workplace.astype(np.int64) * 64 + role)


def slots_of_month(
    world: World, frame: Frame, units: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Posts per workplace and role this month: (kommune, role, workplace, posts)."""
    parts = [_school_slots(world, frame), _centre_slots(world, frame, units)]
    kommune, role, workplace, posts = (np.concatenate([p[i] for p in parts]) for i in range(4))
    # hires are numbered in slot order, which must run by municipality
    keep = np.flatnonzero(posts > 0)
    keep = keep[np.argsort(kommune[keep], kind="stable")]
    return kommune[keep], role[keep], workplace[keep], posts[keep]


def _school_slots(world: World, frame: Frame) -> tuple[np.ndarray, ...]:
    """Posts at each school: teachers per pupil, leaders, SFO, special-school staff."""
    s = frame.schools
    kommune = s.column("kommune").to_numpy()
    instnr = np.asarray(pc.cast(s.column("instnr"), pa.int64()).to_numpy())
    itype = np.asarray(s.column("institutionstype").to_numpy(zero_copy_only=False))
    pupils = s.column("pupils").to_numpy().astype(np.float64)
    special_classes = s.column("special_classes").to_numpy().astype(np.float64)
    ratio = _pupils_per_teacher(world)[np.searchsorted(world.codes, kommune)]
    out: list[tuple[np.ndarray, ...]] = []
    for i, r in enumerate(ROLES):
        if r.driver not in SCHOOL_DRIVERS:
            continue
        mask = np.isin(itype, SCHOOL_DRIVERS[r.driver]) & (pupils > 0)
        driver = pupils / ratio + 1.2 * special_classes if r.driver == "teach" else pupils
        want = r.base + r.per * driver
        posts = np.floor(want + unsalted_uniform(slot_key(instnr, np.full(len(instnr), i))))
        out.append(
            (kommune[mask], np.full(int(mask.sum()), i), instnr[mask], posts[mask].astype(np.int64))
        )
    return tuple(np.concatenate([o[j] for o in out]) for j in range(4))


def _centre_slots(
    world: World, frame: Frame, units: dict[str, np.ndarray]
) -> tuple[np.ndarray, ...]:
    """Posts per cost centre: the municipality's posts of a role spread by unit weights."""
    factor = _staffing_factor(world)
    out: list[tuple[np.ndarray, ...]] = []
    for i, r in enumerate(ROLES):
        if r.driver not in RESIDENT_DRIVERS:
            continue
        mine = units["funktion"] == r.funktion
        kommune, unit, weight = units["kommune"][mine], units["unit"][mine], units["weight"][mine]
        idx = np.searchsorted(world.codes, kommune)
        total = (r.per * frame.drivers[r.driver] * factor)[idx]
        share = weight / np.bincount(idx, weight, minlength=len(world.codes))[idx]
        workplace = cost_centre(kommune, r.funktion, unit)
        posts = np.floor(
            total * share + unsalted_uniform(slot_key(workplace, np.full(len(idx), i)))
        )
        out.append((kommune, np.full(len(idx), i), workplace, posts.astype(np.int64)))
    return tuple(np.concatenate([o[j] for o in out]) for j in range(4))


def vacancies(slots: tuple[np.ndarray, ...], staying: Staff) -> np.ndarray:
    """Posts per slot not covered by staff who stay."""
    have_keys, have = np.unique(slot_key(staying.workplace, staying.role), return_counts=True)
    covered = _lookup(have_keys, have, slot_key(slots[2], slots[1]))
    return np.asarray(np.maximum(slots[3] - covered, 0))


def _lookup(keys: np.ndarray, values: np.ndarray, query: np.ndarray) -> np.ndarray:
    """The value of each query key among sorted unique ``keys``, 0 where it is absent."""
    if len(keys) == 0:
        return np.zeros(len(query), values.dtype)
    pos = np.clip(np.searchsorted(keys, query), 0, len(keys) - 1)
    return np.asarray(np.where(keys[pos] == query, values[pos], 0))


def surplus(
    rng: np.random.Generator, staff: Staff, staying: np.ndarray, slots: tuple[np.ndarray, ...]
) -> np.ndarray:
    """Staying employees beyond their slot's posts (a random choice within each slot)."""
    keys = slot_key(staff.workplace, staff.role)
    order = np.lexsort((rng.random(len(keys)), keys))
    order = order[staying[order]]
    sorted_keys = keys[order]
    rank = np.arange(len(order)) - np.searchsorted(sorted_keys, sorted_keys)
    slot_keys = slot_key(slots[2], slots[1])
    by_key = np.argsort(slot_keys)
    posts = _lookup(slot_keys[by_key], slots[3][by_key], sorted_keys)
    out = np.zeros(len(keys), bool)
    out[order] = rank >= posts
    return out
