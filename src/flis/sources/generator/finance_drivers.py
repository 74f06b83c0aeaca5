"""Finance drivers: what account amounts follow per municipality, and its fixed levels."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from flis import periods
from flis.sources.generator.accounts import column
from flis.sources.generator.days import NP_EPOCH, YEAR
from flis.sources.generator.world import World


def drivers(
    world: World, month: str, residents: pa.Table, institutions: pa.Table
) -> dict[str, np.ndarray]:
    """Units per municipality (aligned with world.codes) that amounts are proportional to."""
    last = int((np.datetime64(periods.last_day(month), "D") - NP_EPOCH).astype(np.int64))
    idx = np.searchsorted(world.codes, residents.column("kommune").to_numpy())
    birth = residents.column("birth_date").cast(pa.int32()).to_numpy()
    age = (last - birth) / YEAR
    n = len(world.codes)

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(idx[mask], minlength=n).astype(np.float64)

    t = world.traits
    pupils = _school_pupils(world, institutions, ("1012", "1014"))
    pop = count(np.ones(len(age), bool))
    # social spending follows need: higher where the socio-economic level is low
    need = np.exp(-0.15 * t["socio"]) * municipal_level(world, "economy-need", 0.05)
    return {
        "pop": pop,
        "age0_17": count(age < 18),
        "age6_16": count((age >= 6) & (age < 17)),
        "pupils": pupils,
        "rural_pupils": pupils * (1.8 - t["urbanity"]),
        "pop_need": pop * need,
    }


def _school_pupils(world: World, institutions: pa.Table, types: tuple[str, ...]) -> np.ndarray:
    """Pupils per municipality at schools of the given institution types."""
    mask = np.isin(column(institutions, "institutionstype"), types)
    idx = np.searchsorted(world.codes, institutions.column("kommune").to_numpy()[mask])
    pupils = institutions.column("pupils").to_numpy()[mask].astype(np.float64)
    return np.bincount(idx, pupils, minlength=len(world.codes))


def municipal_level(world: World, name: str, sd: float) -> np.ndarray:
    """A fixed random level per municipality around 1."""
    return np.exp(world.rng(name).normal(0, sd, len(world.codes)))


def school_level(world: World) -> np.ndarray:
    """Running costs of folkeskoler relative to salaries: higher in small, rural municipalities."""
    t = world.traits
    urban = (t["urbanity"] - t["urbanity"].mean()) / t["urbanity"].std()
    raw = np.exp(-0.1 * t["size"] - 0.08 * urban + 0.05 * t["socio"])
    return np.asarray(np.clip(raw * municipal_level(world, "economy-school", 0.08), 0.7, 1.35))
