"""Age structure: Denmark's age pyramid by municipality, and the ages of immigrants."""

from __future__ import annotations

import numpy as np

from flis.sources.generator.world import World

MAX_AGE = 105

# fmt: off
#: Relative cohort size by age (knots), shaped so that 0–5 ≈ 6 %, 6–16 ≈ 12 %, 65+ ≈ 20 %.
_AGE_KNOTS = (0, 5, 6, 16, 17, 20, 25, 30, 40, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 100, 105)
_AGE_WEIGHTS = (1.00, 1.00, 1.08, 1.12, 1.15, 1.25, 1.35, 1.30, 1.25, 1.38, 1.35, 1.28, 1.22,
                1.16, 1.0, 0.68, 0.42, 0.21, 0.065, 0.01, 0.0)
#: Immigrants are mostly young adults.
_IMMIGRANT_WEIGHTS = (0.5, 0.5, 0.45, 0.4, 0.6, 2.2, 3.0, 2.6, 1.2, 0.6, 0.4, 0.3, 0.2, 0.15,
                      0.1, 0.05, 0.02, 0.01, 0.0, 0.0, 0.0)
# fmt: on


def _age_profile(weights: tuple[float, ...]) -> np.ndarray:
    ages = np.arange(MAX_AGE + 1)
    p: np.ndarray = np.interp(ages, _AGE_KNOTS, weights)
    share: np.ndarray = p / p.sum()
    return share


def initial_ages(rng: np.random.Generator, world: World, kommune_idx: np.ndarray) -> np.ndarray:
    """Ages drawn from Denmark's pyramid, with more young adults and fewer old in cities."""
    base = _age_profile(_AGE_WEIGHTS)
    ages = np.arange(MAX_AGE + 1)
    out = np.empty(len(kommune_idx), np.int64)
    bounds = np.concatenate([[0], np.cumsum(world.population_target)])
    for k, urb in enumerate(world.traits["urbanity"]):
        tilt = np.where((ages >= 20) & (ages < 35), 1 + 1.2 * (urb - 0.5), 1.0)
        tilt = tilt * np.where(ages >= 65, 1 - 0.5 * (urb - 0.5), 1.0)
        p = base * tilt
        out[bounds[k] : bounds[k + 1]] = rng.choice(
            ages, size=bounds[k + 1] - bounds[k], p=p / p.sum()
        )
    return out


def immigrant_ages(rng: np.random.Generator, n: int) -> np.ndarray:
    """Ages of ``n`` immigrants, mostly young adults."""
    ages: np.ndarray = rng.choice(MAX_AGE + 1, size=n, p=_age_profile(_IMMIGRANT_WEIGHTS))
    return ages
