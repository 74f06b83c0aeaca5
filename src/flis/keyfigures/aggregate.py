"""Aggregating municipality values into group, region and national values."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from flis.keyfigures.model import Aggregation


@dataclass(frozen=True)
class Member:
    """One municipality's contribution: its value with numerator and denominator."""

    numerator: float | None
    denominator: float | None
    value: float | None


@dataclass(frozen=True)
class Aggregate:
    value: float | None
    numerator: float | None
    denominator: float | None
    members: int  # municipalities that contributed


def aggregate(rule: Aggregation, members: Sequence[Member], *, scale: float = 1.0) -> Aggregate:
    """Group value by the key figure's declared rule; only members with a value contribute.

    ``ratio_of_sums``: scale × Σ numerators ÷ Σ denominators (noegletal.dk's way).
    ``mean_of_values``: the unweighted mean of the members' values (FLIS's and Kolada's way).
    """
    ok = [m for m in members if m.value is not None and not math.isnan(m.value)]
    if not ok:
        return Aggregate(None, None, None, 0)
    if rule == "mean_of_values":
        return Aggregate(sum(m.value or 0.0 for m in ok) / len(ok), None, None, len(ok))
    num = sum(m.numerator or 0.0 for m in ok)
    if all(m.denominator is None for m in ok):  # a count: the group value is the sum
        return Aggregate(scale * num, num, None, len(ok))
    den = sum(m.denominator or 0.0 for m in ok)
    value = scale * num / den if den else None
    return Aggregate(value, num, den, len(ok))
