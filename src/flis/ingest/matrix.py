"""The completeness matrix: which municipality × contract × month is present, late, rejected
or missing."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any, Literal

import duckdb

from flis.periods import add_months, month_from_index, month_index
from flis.reference import municipalities
from flis.sources.catalogue import contracts

CellStatus = Literal["present", "late", "rejected", "missing"]
#: A month's deliveries are due on this day of the following month (our choice).
DUE_DAY = 10


def due_date(month: str) -> dt.datetime:
    """When a month's delivery is due: ``DUE_DAY`` of the next month, 00:00."""
    nxt = add_months(month, 1)
    return dt.datetime(int(nxt[:4]), int(nxt[5:7]), DUE_DAY)


@dataclass(frozen=True)
class Cell:
    """One municipality × contract × month."""

    municipality_code: int
    contract: str
    month: str
    status: CellStatus
    delivery_id: int | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_SUMMARY = """
SELECT contract, municipality_code, month,
       max(delivery_id) FILTER (WHERE status IN ('accepted', 'accepted-with-quarantine')),
       min(received_at) FILTER (WHERE status <> 'rejected'),
       count(*) FILTER (WHERE status = 'rejected')
FROM ingest.delivery WHERE contract IS NOT NULL
GROUP BY contract, municipality_code, month
"""


def month_span(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Every month from the first to the last one delivered."""
    row = conn.execute(
        "SELECT min(month), max(month) FROM ingest.delivery WHERE month IS NOT NULL"
    ).fetchall()[0]
    if not row or row[0] is None:
        return []
    first, last = month_index(row[0]), month_index(row[1])
    return [month_from_index(i) for i in range(first, last + 1)]


def matrix(conn: duckdb.DuckDBPyConnection, *, months: list[str] | None = None) -> list[Cell]:
    """Every cell of the matrix over all 98 municipalities, all contracts and ``months``."""
    months = months or month_span(conn)
    seen = {(r[0], r[1], r[2]): r[3:] for r in conn.execute(_SUMMARY).fetchall()}
    cells = []
    for contract_id in contracts():
        for m in municipalities():
            for month in months:
                live, first_ok, rejected = seen.get((contract_id, m.code, month), (None, None, 0))
                cells.append(
                    Cell(m.code, contract_id, month, _status(month, live, first_ok, rejected), live)
                )
    return cells


def _status(
    month: str, live: int | None, first_ok: dt.datetime | None, rejected: int
) -> CellStatus:
    if live is not None:
        return "late" if first_ok is not None and first_ok > due_date(month) else "present"
    return "rejected" if rejected else "missing"
