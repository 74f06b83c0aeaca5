"""Civil status: code list, shares by age band, and marriages, divorces and widowhood."""

from __future__ import annotations

import numpy as np

from flis.sources.generator.life_events import mortality

#: Civil status codes and their shares by age band (upper bounds) — U, G, F, E, P, O, L.
CIVIL_CODES = np.array(["U", "G", "F", "E", "P", "O", "L"])
_CIVIL_BANDS = np.array([18, 25, 35, 50, 65, 80, 200])
_CIVIL_SHARES = np.array(
    [
        [1.00, 0.00, 0.00, 0.00, 0.000, 0.000, 0.000],
        [0.95, 0.05, 0.00, 0.00, 0.000, 0.000, 0.000],
        [0.62, 0.34, 0.04, 0.00, 0.000, 0.000, 0.000],
        [0.33, 0.53, 0.13, 0.005, 0.004, 0.001, 0.000],
        [0.17, 0.58, 0.20, 0.04, 0.006, 0.003, 0.001],
        [0.08, 0.60, 0.17, 0.14, 0.005, 0.003, 0.002],
        [0.05, 0.38, 0.10, 0.465, 0.001, 0.001, 0.003],
    ]
)


def draw_civil_status(rng: np.random.Generator, age: np.ndarray) -> np.ndarray:
    """Civil status index per person, by the shares of their age band."""
    band = np.searchsorted(_CIVIL_BANDS, age, side="right")
    cum = np.cumsum(_CIVIL_SHARES, axis=1)[band]
    u = rng.random(len(age))[:, None] * cum[:, -1:]
    status: np.ndarray = (cum < u).sum(axis=1).astype(np.int8)
    return status


def update_marital(
    rng: np.random.Generator, civil: np.ndarray, age: np.ndarray, female: np.ndarray
) -> None:
    """Marriages, divorces and widowhood at plausible monthly rates, in place in ``civil``."""
    u = rng.random(len(age))
    marry = (civil == 0) & (age >= 25) & (age < 60) & (u < 0.045 / 12)
    divorce = (civil == 1) & (age >= 28) & (age < 75) & (u < 0.012 / 12)
    widow = (civil == 1) & (age >= 60) & (u < mortality(age, ~female) * 0.7 / 12)
    civil[marry] = 1
    civil[divorce] = 2
    civil[widow] = 3
