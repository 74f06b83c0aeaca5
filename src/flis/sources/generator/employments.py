"""Employments: the column arrays of the workforce, and their payroll-employment records."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flis.sources.generator.roles import ROLE_AGREEMENT, ROLE_CATEGORY, ROLE_FUNKTION

FULL_TIME = 37.0  # weekly hours
OPEN = np.iinfo(np.int32).max  # end day of an ongoing employment


@dataclass(frozen=True)
class Staff:
    """Column arrays of employments, one row per employment (sorted by ``emp_nr``)."""

    emp_nr: np.ndarray  # kommune * 1_000_000 + running number: sorts by municipality first
    kommune: np.ndarray
    person_id: np.ndarray
    cpr: pa.Array
    female: np.ndarray
    birth: np.ndarray  # days since epoch
    role: np.ndarray
    workplace: np.ndarray  # instnr or cost centre as int64
    form: np.ndarray  # employment form 1/2/3
    hours: np.ndarray
    pay_level: np.ndarray  # full-time monthly pay (hourly: pay per hour)
    start: np.ndarray  # days since epoch
    end: np.ndarray  # days since epoch; OPEN when ongoing
    frailty: np.ndarray  # personal sickness propensity, mean 1, skewed
    busy_until: np.ndarray  # last day of an absence period running into the next month
    busy_type: np.ndarray

    def take(self, idx: np.ndarray) -> Staff:
        """The employments at ``idx`` (indices or boolean mask)."""
        idx = np.flatnonzero(idx) if idx.dtype == bool else idx
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        out = {k: (v.take(pa.array(idx)) if k == "cpr" else v[idx]) for k, v in values.items()}
        return Staff(**out)

    def concat(self, other: Staff) -> Staff:
        """Both sets of employments, re-sorted by employment number."""
        out: dict[str, object] = {}
        for f in fields(self):
            a, b = getattr(self, f.name), getattr(other, f.name)
            out[f.name] = pa.concat_arrays([a, b]) if f.name == "cpr" else np.concatenate([a, b])
        joined = Staff(**out)  # type: ignore[arg-type]
        return joined.take(np.argsort(joined.emp_nr, kind="stable"))

    def __len__(self) -> int:
        return len(self.emp_nr)


def monthly_pay(staff: Staff) -> np.ndarray:
    """Monthly pay: pro rata for salaried staff, hours times rate for hourly staff."""
    salaried = staff.pay_level * staff.hours / FULL_TIME
    hourly = staff.pay_level * staff.hours * 4.33
    return np.asarray(np.round(np.where(staff.form == 3, hourly, salaried), 2))


def employment_table(staff: Staff) -> pa.Table:
    """The payroll-employment records (all municipalities, sorted by employment number)."""
    instnr = pc.cast(pa.array(staff.workplace), pa.string())
    return pa.table(
        {
            "kommune": pa.array(staff.kommune, pa.int64()),
            "cpr": staff.cpr,
            "ansaettelsesnr": pc.cast(pa.array(staff.emp_nr), pa.string()),
            "arbejdssted": pc.utf8_lpad(instnr, width=6, padding="0"),
            "funktion": pa.array(ROLE_FUNKTION[staff.role]),
            "personalekategori": pa.array(ROLE_CATEGORY[staff.role]),
            "overenskomst": pa.array(ROLE_AGREEMENT[staff.role]),
            "ansaettelsesform": pc.cast(pa.array(staff.form), pa.string()),
            "ugentlige_timer": pa.array(staff.hours, pa.float64()),
            "maanedsloen": pa.array(monthly_pay(staff), pa.float64()),
            "startdato": pa.array(staff.start.astype(np.int32), pa.date32()),
            "slutdato": pa.array(staff.end.astype(np.int32), pa.date32(), mask=staff.end == OPEN),
        }
    )
