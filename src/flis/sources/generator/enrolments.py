"""Enrolments: one row per pupil placement in a class, open (``til`` < 0) or ended on a day.

Columns id, pid, cpr, inst, cls, grade, home, fra, til (int64; days since 1970-01-01) and socio,
kept sorted by person id.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flis.sources.generator.classes import Columns


def add_enrolments(
    enrol: Columns,
    pupils: Columns,
    *,
    slot: np.ndarray,
    inst: np.ndarray,
    fra: np.ndarray,
    first_id: int,
) -> Columns:
    """``enrol`` with open enrolments of ``pupils`` in class ``slot`` from day ``fra`` added."""
    n = len(slot)
    added = {
        "id": np.arange(first_id, first_id + n, dtype=np.int64),
        "pid": pupils["pid"],
        "cpr": pupils["cpr"],
        "inst": inst,
        "cls": slot,
        "grade": pupils["grade"],
        "home": pupils["kidx"],
        "socio": pupils["socio"],
        "fra": fra.astype(np.int64),
        "til": np.full(n, -1, np.int64),
    }
    merged = {name: np.concatenate([enrol[name], added[name]]) for name in added}
    order = np.argsort(merged["pid"], kind="stable")
    return {name: v[order] for name, v in merged.items()}


def empty_enrolments() -> Columns:
    """No enrolments, with the column types of real ones."""
    ints = ("id", "pid", "cpr", "inst", "cls", "grade", "home", "fra", "til")
    cols: Columns = {name: np.zeros(0, np.int64) for name in ints}
    cols["socio"] = np.zeros(0)
    return cols


def active(e: Columns) -> Columns:
    """Drop enrolments that ended in an earlier month."""
    keep = e["til"] < 0
    return {name: v[keep] for name, v in e.items()}


def event_days(events: pa.Table) -> tuple[np.ndarray, np.ndarray]:
    """(cpr, day) of the month's events, sorted by cpr, for looking up leave and join dates."""
    cpr = pc.cast(events.column("cpr"), pa.int64()).to_numpy()
    day = events.column("dato").to_numpy().astype("datetime64[D]").astype(np.int64)
    order = np.lexsort((day, cpr))
    return cpr[order], day[order]


def lookup_day(
    event_day: tuple[np.ndarray, np.ndarray], cpr: np.ndarray, default: int
) -> np.ndarray:
    """The day of each cpr's first event this month, ``default`` for those without one."""
    keys, days = event_day
    if len(keys) == 0:
        return np.full(len(cpr), default, np.int64)
    pos = np.minimum(np.searchsorted(keys, cpr), len(keys) - 1)
    return np.where(keys[pos] == cpr, days[pos], default)
