"""Cost centres: the numbered units where posts outside the schools sit."""

from __future__ import annotations

import numpy as np

#: Cost-centre block per function (cost centre = kommune * 10000 + block + unit) and the posts
#: per unit, so that e.g. pedagogues and assistants share day-care centres.
CENTRE_BLOCK = {
    "5.25.14": (2000, 18),
    "5.30.26": (3000, 40),
    "5.30.27": (3500, 45),
    "4.62.82": (4000, 25),
    "5.38.50": (5000, 30),
    "5.28.20": (5500, 20),
    "5.28.21": (6000, 30),
    "6.45.51": (7000, 40),
    "2.28.20": (8000, 25),
    "3.32.50": (9000, 15),
}


#: Functions whose posts sit at cost centres rather than schools.
CENTRE_FUNCTIONS = frozenset(CENTRE_BLOCK)


def cost_centre(kommune: np.ndarray, funktion: str, unit: np.ndarray | int = 0) -> np.ndarray:
    """Cost-centre numbers of a function's units in each municipality (7 digits)."""
    block = CENTRE_BLOCK[funktion][0]
    return np.asarray(kommune, dtype=np.int64) * 10_000 + block + np.asarray(unit, np.int64)
