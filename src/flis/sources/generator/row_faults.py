"""Row faults: changes to a delivery's record tables before rendering, so their line is known."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flis import periods
from flis.sources.contract import Contract
from flis.sources.generator.faults import KINDS, Fault
from flis.sources.generator.world import World

Records = dict[str, pa.Table]
Result = tuple[Records, Fault | None]


def apply_row_fault(
    kind: str,
    *,
    world: World,
    contract: Contract,
    municipality: int,
    period: str,
    records: Records,
) -> Result:
    """Change the record tables for a row-level or quality fault; return the fault record."""
    rng = world.rng("fault-rows", municipality, periods.month_index(period))
    _, stage, rule = KINDS[kind]
    base = Fault(
        kind=kind,
        stage=stage,
        contract=contract.id,
        municipality=municipality,
        period=period,
        expected_rule=rule,
    )
    if kind not in _FAULTS:
        raise KeyError(kind)
    return _FAULTS[kind](_Target(rng, dict(records), base, contract, period))


@dataclass(frozen=True)
class _Target:
    """The delivery a row fault lands in: its records (changed in place) and the fault template."""

    rng: np.random.Generator
    records: Records
    base: Fault
    contract: Contract
    period: str

    def pick(self, record_type: str) -> int | None:
        """A random row of ``record_type``, None when there are none."""
        table = self.records.get(record_type)
        if table is None or table.num_rows == 0:
            return None
        return int(self.rng.integers(table.num_rows))

    def set_cell(
        self, record_type: str, row: int, column: str, value: object, shown: str, note: str
    ) -> Result:
        """Write ``value`` into one cell and describe the fault at its line."""
        self.records[record_type] = _set(self.records[record_type], column, row, value)
        line = line_of(self.contract, self.records, record_type, row)
        fault = replace(self.base, line=line, column=column, value=shown, note=note)
        return self.records, fault


_RowFault = Callable[[_Target], Result]


def _unknown_code(record_type: str, column: str, code: str, note: str) -> _RowFault:
    """A fault that writes a code missing from the code list into one random row."""

    def apply(t: _Target) -> Result:
        row = t.pick(record_type)
        if row is None:
            return t.records, None
        return t.set_cell(record_type, row, column, code, code, note)

    return apply


def _date_outside_period(t: _Target) -> Result:
    row = t.pick("fravaer")
    if row is None:
        return t.records, None
    day = periods.first_day(t.period) - dt.timedelta(days=3)
    note = "absence starts before the delivery's month"
    return t.set_cell("fravaer", row, "fra_dato", day, day.strftime("%d-%m-%Y"), note)


def _grade_level_age(t: _Target) -> Result:
    row = t.pick("indskrivning")
    if row is None:
        return t.records, None
    old = int(t.records["indskrivning"].column("klassetrin")[row].as_py())
    new = str((old + 5) % 10)
    note = f"personal grade level {new} does not fit the pupil's age (was {old})"
    return t.set_cell("indskrivning", row, "klassetrin", new, new, note)


def _weekend_absence(t: _Target) -> Result:
    row = t.pick("fravaer")
    if row is None:
        return t.records, None
    first = periods.first_day(t.period)
    saturday = first + dt.timedelta(days=(5 - first.weekday()) % 7)
    note = "pupil absence registered on a Saturday"
    return t.set_cell("fravaer", row, "dato", saturday, saturday.isoformat(), note)


def _finance_swing(t: _Target) -> Result:
    table = t.records.get("postering")
    if table is None or table.num_rows == 0:
        return t.records, None
    actual = pc.equal(table.column("posteringstype"), "R")
    swung = pc.if_else(actual, pc.multiply(table.column("beloeb"), 4.0), table.column("beloeb"))
    t.records["postering"] = table.set_column(table.column_names.index("beloeb"), "beloeb", swung)
    note = "every actual posting of the month is four times too large"
    return t.records, replace(t.base, column="beloeb", note=note)


def _double_enrolment(t: _Target) -> Result:
    records = t.records
    enrol, classes = records.get("indskrivning"), records.get("klasse")
    row = t.pick("indskrivning")
    if enrol is None or classes is None or row is None:
        return records, None
    inst = enrol.column("instnr")[row].as_py()
    others = pc.filter(classes, pc.not_equal(classes.column("instnr"), inst))
    if others.num_rows == 0:
        return records, None
    other = int(t.rng.integers(others.num_rows))
    copy = enrol.slice(row, 1)
    copy = _set(copy, "instnr", 0, others.column("instnr")[other].as_py())
    copy = _set(copy, "klasse_id", 0, others.column("klasse_id")[other].as_py())
    new_id = str(9 * 10**13 + int(t.rng.integers(10**12)))
    copy = _set(copy, "indskrivning_id", 0, new_id)
    records["indskrivning"] = pa.concat_tables([enrol, copy.cast(enrol.schema)])
    line = line_of(t.contract, records, "indskrivning", enrol.num_rows)
    value = copy.column("instnr")[0].as_py()
    note = f"pupil also enrolled at another school (enrolment {new_id})"
    return records, replace(t.base, line=line, column="instnr", value=value, note=note)


_FAULTS: dict[str, _RowFault] = {
    "unknown-code-staff-category": _unknown_code(
        "ansaettelse", "personalekategori", "99", "staff category 99 is not in the code list"
    ),
    "unknown-code-absence-type": _unknown_code(
        "fravaer", "fravaerstype", "SKOLKE", "pupil absence type SKOLKE is not in the code list"
    ),
    "date-outside-period": _date_outside_period,
    "double-enrolment": _double_enrolment,
    "grade-level-age": _grade_level_age,
    "weekend-absence": _weekend_absence,
    "finance-swing": _finance_swing,
}


def line_of(contract: Contract, records: dict[str, pa.Table], record_type: str, row: int) -> int:
    """1-based line number of ``row`` of ``record_type`` in the rendered file."""
    line = 1 if (contract.header or contract.header_record) else 0
    for rt in contract.record_types:
        if rt.code == record_type:
            return line + row + 1
        table = records.get(rt.code)
        line += table.num_rows if table is not None else 0
    raise KeyError(record_type)


def _set(table: pa.Table, column: str, row: int, value: object) -> pa.Table:
    col = table.column(column).combine_chunks()
    mask = np.zeros(table.num_rows, dtype=bool)
    mask[row] = True
    new = pc.if_else(pa.array(mask), pa.scalar(value, col.type), col)
    return table.set_column(table.column_names.index(column), column, new)
