"""The month frame: one month's residents and schools in array form, with resident drivers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flis import periods
from flis.sources.generator.days import NP_EPOCH, YEAR
from flis.sources.generator.world import World


@dataclass(frozen=True)
class Frame:
    """Per-month inputs in array form: residents and schools of all municipalities."""

    month: str
    index: int  # month index (periods.month_index)
    first: int  # first day, days since epoch
    last: int
    res_kommune: np.ndarray
    res_person: np.ndarray
    res_birth: np.ndarray
    res_female: np.ndarray
    res_cpr: pa.Array
    bounds: np.ndarray  # residents of municipality i are rows bounds[i]:bounds[i+1]
    drivers: dict[str, np.ndarray]  # resident drivers per municipality (aligned with codes)
    schools: pa.Table


def month_frame(world: World, month: str, residents: pa.Table, institutions: pa.Table) -> Frame:
    """Arrays of one month's inputs, with per-municipality resident drivers."""
    first = int((np.datetime64(periods.first_day(month), "D") - NP_EPOCH).astype(np.int64))
    last = int((np.datetime64(periods.last_day(month), "D") - NP_EPOCH).astype(np.int64))
    kommune = residents.column("kommune").to_numpy()
    birth = residents.column("birth_date").cast(pa.int32()).to_numpy().astype(np.int64)
    idx = np.searchsorted(world.codes, kommune)
    age = (last - birth) / YEAR
    groups = {
        "pop": np.ones(len(age), bool),
        "age0_5": age < 6,
        "age0_17": age < 18,
        "age65": age >= 65,
        "age80": age >= 80,
    }
    drivers = {
        k: np.bincount(idx[m], minlength=len(world.codes)).astype(np.float64)
        for k, m in groups.items()
    }
    return Frame(
        month=month,
        index=periods.month_index(month),
        first=first,
        last=last,
        res_kommune=idx,
        res_person=residents.column("person_id").to_numpy(),
        res_birth=birth,
        res_female=pc.equal(residents.column("sex"), "K").to_numpy(zero_copy_only=False),
        res_cpr=residents.column("cpr").combine_chunks(),
        bounds=np.searchsorted(idx, np.arange(len(world.codes) + 1)),
        drivers=drivers,
        schools=institutions,
    )
