"""Dates as int days since 1970-01-01, the storage of Arrow's ``date32``."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

EPOCH = dt.date(1970, 1, 1)
NP_EPOCH = np.datetime64("1970-01-01", "D")
YEAR = 365.25  # days in an average year, for ages and tenures in years


def to_days(day: dt.date) -> int:
    """Days since 1970-01-01 (the date32 storage)."""
    return (day - EPOCH).days


def as_dates(days: np.ndarray | int) -> np.ndarray:
    """NumPy ``datetime64[D]`` values of int days."""
    return NP_EPOCH + np.asarray(days, dtype=np.int64).astype("timedelta64[D]")


def as_days(dates: np.ndarray) -> np.ndarray:
    """Int days of NumPy ``datetime64[D]`` values."""
    return (dates - NP_EPOCH).astype(np.int64)


def date32(days: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    """An Arrow date32 array from int days, with optional null mask."""
    return pa.array(days.astype(np.int32), pa.int32(), mask=null).view(pa.date32())


def age_at(birth: np.ndarray, day: int) -> np.ndarray:
    """Completed years of age on ``day`` (int days) for birth dates in int days."""
    b = birth.astype("datetime64[D]")
    by = b.astype("datetime64[Y]").astype(np.int64) + 1970
    bmd = (b - b.astype("datetime64[Y]")).astype(np.int64)
    d = np.datetime64(day, "D")
    dy = int(d.astype("datetime64[Y]").astype(np.int64)) + 1970
    dmd = int((d - d.astype("datetime64[Y]")).astype(np.int64))
    # day-of-year comparison is off by one around 29 February, which does not matter here
    age: np.ndarray = (dy - by - (dmd < bmd)).astype(np.int64)
    return age


def birth_year(birth: np.ndarray) -> np.ndarray:
    """Calendar year of int-day dates."""
    return birth.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
