"""Value status (preliminary, revised, final) and the change log against the previous release.

A value is *preliminary* when first published, *revised* once its published value differs from
the previous release's (and stays revised), and *final* in every release built after its period
was closed. Benchmark rows carry one value each; a school row's status covers all its numbers.
The change log counts, per key figure, published values added (null before, or not there),
changed and removed (published before, null or gone now).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from flis.release.datasets.institutions import PERSONS
from flis.release.manifest import KeyFigureChange


@dataclass(frozen=True)
class Keyed:
    """A dataset whose rows carry a status: the columns naming a row, its value columns, and
    whether its changes go into the key-figure change log."""

    keys: tuple[str, ...]
    values: tuple[str, ...]
    period: str
    logged: bool


#: The files whose values carry a status.
KEYED = {
    "benchmark/values.parquet": Keyed(
        ("keyfigure", "period", "municipality_code"), ("value",), "period", True
    ),
    "benchmark/groups.parquet": Keyed(
        ("keyfigure", "period", "group_id"), ("value",), "period", True
    ),
    "institutions/schools.parquet": Keyed(
        ("month", "institution_number"), tuple(PERSONS), "month", False
    ),
}
Key = tuple[Any, ...]


@dataclass
class ChangeLog:
    """The changes of one release; ``rows`` is the changes dataset."""

    counts: dict[str, list[int]] = field(default_factory=dict)  # keyfigure → added/changed/removed
    rows: list[dict[str, Any]] = field(default_factory=list)

    def record(self, kind: str, unit: str, key: Key, old: Any, new: Any) -> None:
        slot = {"added": 0, "changed": 1, "removed": 2}[kind]
        self.counts.setdefault(str(key[0]), [0, 0, 0])[slot] += 1
        self.rows.append(
            {
                "keyfigure": key[0],
                "period": key[1],
                "unit": unit,
                "unit_id": str(key[2]),
                "change": kind,
                "old_value": old,
                "new_value": new,
            }
        )

    def summary(self) -> list[KeyFigureChange]:
        return [
            KeyFigureChange(keyfigure=k, added=a, changed=c, removed=r)
            for k, (a, c, r) in sorted(self.counts.items())
        ]

    def table(self) -> pa.Table:
        rows = sorted(
            self.rows, key=lambda r: (r["keyfigure"], r["period"], r["unit"], r["unit_id"])
        )
        types = {
            "keyfigure": pa.string(),
            "period": pa.string(),
            "unit": pa.string(),
            "unit_id": pa.string(),
            "change": pa.string(),
            "old_value": pa.float64(),
            "new_value": pa.float64(),
        }
        return pa.table({n: pa.array([r[n] for r in rows], t) for n, t in types.items()})


def _rows(table: pa.Table, columns: tuple[str, ...]) -> list[tuple[Any, ...]]:
    return list(zip(*(table.column(c).to_pylist() for c in columns), strict=True))


def _previous(folder: Path | None, name: str, spec: Keyed) -> dict[Key, tuple[Key, str]]:
    """Row key → (its values, its status) in the previous release."""
    if folder is None or not (folder / name).exists():
        return {}
    table = pq.read_table(folder / name)
    if "value_status" not in table.column_names:
        return {}
    keys, values = _rows(table, spec.keys), _rows(table, spec.values)
    statuses = table.column("value_status").to_pylist()
    return {k: (v, s) for k, v, s in zip(keys, values, statuses, strict=True)}


def _log(log: ChangeLog, unit: str, key: Key, old: Any, new: Any) -> None:
    if old != new:
        kind = "added" if old is None else "removed" if new is None else "changed"
        log.record(kind, unit, key, old, new)


def apply_status(
    table: pa.Table,
    *,
    name: str,
    previous: Path | None,
    closed: set[str],
    log: ChangeLog,
) -> pa.Table:
    """``table`` with a ``value_status`` column; benchmark changes against ``previous`` go into
    ``log``."""
    spec = KEYED[name]
    unit = "municipality" if "municipality_code" in spec.keys else "group"
    before = _previous(previous, name, spec)
    period_at = spec.keys.index(spec.period)
    statuses = []
    for key, values in zip(_rows(table, spec.keys), _rows(table, spec.values), strict=True):
        old = before.pop(key, None)
        status = "preliminary" if old is None else old[1]
        if old is not None and old[0] != values:
            status = "revised"
        if spec.logged:
            _log(log, unit, key, None if old is None else old[0][0], values[0])
        statuses.append("final" if key[period_at] in closed else status)
    if spec.logged:
        for key, (old_values, _) in sorted(before.items(), key=lambda kv: str(kv[0])):
            _log(log, unit, key, old_values[0], None)
    return table.append_column("value_status", pa.array(statuses, pa.string()))


def count_statuses(tables: list[pa.Table]) -> dict[str, int]:
    out = {"preliminary": 0, "revised": 0, "final": 0}
    for table in tables:
        for status in table.column("value_status").to_pylist():
            out[status] += 1
    return out
