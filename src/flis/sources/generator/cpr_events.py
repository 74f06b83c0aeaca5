"""CPR events of a month (FOD, DOD, TIL, FRA, IND, UDV), collected as columns and tabled."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from flis.sources.generator.cpr_numbers import cpr_text
from flis.sources.generator.days import date32

Events = dict[str, list[np.ndarray]]

_EVENT_ORDER = ("DOD", "FOD", "FRA", "IND", "TIL", "UDV")


def add_events(
    events: Events,
    cpr: np.ndarray,
    kommune: np.ndarray,
    code: str,
    day: np.ndarray,
    other: np.ndarray | None = None,
) -> None:
    """Append events of one code; ``other`` is the other municipality of a move."""
    n = len(cpr)
    events.setdefault("cpr", []).append(cpr)
    events.setdefault("kommune", []).append(kommune.astype(np.int64))
    events.setdefault("code", []).append(np.full(n, _EVENT_ORDER.index(code), np.int64))
    events.setdefault("day", []).append(day.astype(np.int64))
    events.setdefault("other", []).append(other if other is not None else np.full(n, -1))


def events_table(events: Events) -> pa.Table:
    """The month's events sorted by (kommune, cpr, haendelse, dato)."""
    cols = {k: np.concatenate(v) if v else np.zeros(0, np.int64) for k, v in events.items()}
    for name in ("cpr", "kommune", "code", "day", "other"):
        cols.setdefault(name, np.zeros(0, np.int64))
    order = np.lexsort((cols["day"], cols["code"], cols["cpr"], cols["kommune"]))
    cols = {k: v[order] for k, v in cols.items()}
    other = cols["other"].astype(np.int64)
    return pa.table(
        {
            "cpr": cpr_text(cols["cpr"]),
            "kommune": pa.array(cols["kommune"], pa.int64()),
            "haendelse": pa.array(np.array(_EVENT_ORDER)[cols["code"]].astype(str), pa.string()),
            "dato": date32(cols["day"]),
            "anden_kommune": pa.array(other, pa.int64(), mask=other < 0),
        }
    )
