"""Citizenship: code list, shares of foreign citizens per municipality and age, and the draw."""

from __future__ import annotations

import numpy as np

from flis.reference import codelist
from flis.sources.generator.world import World

CITIZEN_CODES = np.array([c.code for c in codelist("citizenship").codes])
_CITIZEN_GROUP = np.array([c.attrs["group"] for c in codelist("citizenship").codes])
#: Relative frequency of each foreign citizenship within its group (EU / other).
# fmt: off
_CITIZEN_WEIGHT = {"SE": 2, "NO": 2, "DE": 3, "PL": 4, "RO": 3, "LT": 1.5,
                   "UA": 3, "SY": 3, "TR": 2.5, "IQ": 1.5, "IN": 1.5, "XX": 6}
# fmt: on


def foreign_share(world: World) -> np.ndarray:
    """Share of foreign citizens per municipality: ≈11 % nationally, more in cities."""
    urb, socio = world.traits["urbanity"], world.traits["socio"]
    raw = np.exp(1.3 * (urb - urb.mean()) - 0.25 * socio)
    share = raw * 0.11 / np.average(raw, weights=world.population_target)
    clipped: np.ndarray = np.clip(share, 0.03, 0.35)
    return clipped


def draw_citizenship(rng: np.random.Generator, foreign: np.ndarray, eu: float) -> np.ndarray:
    """Citizenship index: DK unless foreign, then an EU or other country by weight."""
    n = len(foreign)
    codes = CITIZEN_CODES
    out = np.zeros(n, np.int8)
    is_foreign = rng.random(n) < foreign
    group_eu = rng.random(n) < eu
    for group, pick in (("EU", group_eu), ("OTH", ~group_eu)):
        idx = np.flatnonzero(np.equal(_CITIZEN_GROUP, group))
        w = np.array([_CITIZEN_WEIGHT[str(c)] for c in codes[idx]], dtype=np.float64)
        chosen = idx[rng.choice(len(idx), size=n, p=w / w.sum())]
        take = is_foreign & pick
        out[take] = chosen[take]
    return out


def foreign_age_factor(age: np.ndarray) -> np.ndarray:
    """Foreign share by age relative to the municipality's: highest for ages 17–44."""
    return np.where(age < 17, 0.7, np.where(age < 45, 1.45, np.where(age < 65, 0.9, 0.35)))
