"""Pupil absence: one record per pupil and absent school day, drawn as spells of a few days."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from flis.periods import month_index
from flis.sources.generator.classes import SEGREGATED_KINDS, Columns
from flis.sources.generator.cpr_numbers import cpr_text
from flis.sources.generator.days import date32, to_days
from flis.sources.generator.institutions import instnr_text
from flis.sources.generator.pupil_traits import PupilTraits
from flis.sources.generator.school_month import SchoolMonth

ABSENCE_RATE = 0.064


_ABSENCE_TYPES = np.array(["SYG", "FRI", "ULO"])


#: Absence by month relative to the year: more illness in winter, less just after holidays.
_ABSENCE_SEASON = {1: 1.15, 2: 1.2, 3: 1.05, 6: 0.9, 8: 0.8, 9: 0.9, 12: 1.1}


def absence_records(m: SchoolMonth) -> pa.Table:
    """One record per pupil per absent school day while enrolled."""
    world, inst, e, month, days = m.world, m.inst, m.enrol, m.month, m.days
    if not days or len(e["pid"]) == 0:
        return _empty_absence()
    day = np.array([to_days(d) for d in days])
    rng = world.rng("school.absence", month_index(month))
    rate = _absence_rate(month, e, classes=m.classes, traits=m.traits)
    kind = _absence_spells(rng, rate, e["socio"], len(day))
    until = np.where(e["til"] < 0, day[-1] + 1, e["til"])
    enrolled = (day[None, :] >= e["fra"][:, None]) & (day[None, :] < until[:, None])
    row, col = np.nonzero((kind >= 0) & enrolled)
    owner = inst.kommune_idx[e["inst"][row]]
    order = np.lexsort((col, e["cpr"][row], owner))
    row, col = row[order], col[order]
    return pa.table(
        {
            "kommune": pa.array(world.codes[owner[order]], pa.int64()),
            "cpr": cpr_text(e["cpr"][row]),
            "instnr": instnr_text(inst.instnr[e["inst"][row]]),
            "dato": date32(day[col]),
            "fravaerstype": pa.array(_ABSENCE_TYPES[kind[row, col]], pa.string()),
        }
    )


def _absence_rate(month: str, e: Columns, *, classes: Columns, traits: PupilTraits) -> np.ndarray:
    """Daily absence probability: municipality level × pupil propensity × season."""
    season = _ABSENCE_SEASON.get(int(month[5:7]), 1.0)
    propensity = np.exp(0.75 * traits.normal(e["pid"], "absence") - 0.28)
    segregated = np.isin(classes["kind"][e["cls"]], SEGREGATED_KINDS)
    level = ABSENCE_RATE * np.exp(-0.12 * e["socio"]) * (0.85 + 0.035 * e["grade"])
    rate: np.ndarray = level * propensity * season * np.where(segregated, 1.5, 1.0)
    capped: np.ndarray = np.minimum(rate, 0.7)
    return capped


def _absence_spells(
    rng: np.random.Generator, rate: np.ndarray, socio: np.ndarray, n_days: int
) -> np.ndarray:
    """Absence type index per pupil and school day (-1 = present), drawn as spells.

    Absence comes in spells of a few days (mean 2), each of one type: illness mostly,
    authorised leave more where socio is high, unauthorised more where it is low and among
    pupils who are often away.
    """
    mean_spell = 2.0
    starts = rng.random((len(rate), n_days), dtype=np.float32) < (rate / mean_spell)[:, None]
    length = rng.geometric(1 / mean_spell, size=starts.shape).astype(np.int16)
    unauthorised = np.clip(0.08 - 0.03 * socio + 0.12 * (rate > 0.1), 0.02, 0.4)[:, None]
    leave = np.clip(0.18 + 0.03 * socio, 0.05, 0.4)[:, None]
    u = rng.random(starts.shape, dtype=np.float32)
    kind = np.where(u < unauthorised, 2, np.where(u < unauthorised + leave, 1, 0))
    # running maximum of (spell end, type): a day is absent while the latest spell lasts
    col = np.arange(n_days, dtype=np.int32)
    code = np.where(starts, (col + length) * 4 + kind, -1).astype(np.int32)
    current = np.maximum.accumulate(code, axis=1)
    absent = current // 4 > col
    result: np.ndarray = np.where(absent & (current >= 0), current % 4, -1)
    return result


def _empty_absence() -> pa.Table:
    return pa.table(
        {
            "kommune": pa.array([], pa.int64()),
            "cpr": pa.array([], pa.string()),
            "instnr": pa.array([], pa.string()),
            "dato": pa.array([], pa.date32()),
            "fravaerstype": pa.array([], pa.string()),
        }
    )
