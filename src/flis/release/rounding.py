"""Published numbers are rounded to 10 significant digits, and a value is recomputed from its
rounded numerator and denominator, so that the last bits of sums a parallel engine adds up in
another order do not reach the published bytes (reproducible releases).

Rounding cannot remove order noise that straddles a rounding boundary; 10 digits make that rare
(the noise of a double sum is around 1e-15 relative). Exact sums at the source remove it.
"""

from __future__ import annotations

import math

DIGITS = 10


def significant(value: float | None, digits: int = DIGITS) -> float | None:
    """``value`` rounded to ``digits`` significant digits (None and NaN stay None)."""
    if value is None:
        return None
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return None
    return float(f"{number:.{digits}g}")


def ratio(
    scale: float, numerator: float | None, denominator: float | None, *, has_denominator: bool
) -> float | None:
    """``scale × numerator ÷ denominator`` from already rounded parts, rounded again."""
    if numerator is None:
        return None
    if not has_denominator:
        return significant(scale * numerator)
    if not denominator:
        return None
    return significant(scale * numerator / denominator)
