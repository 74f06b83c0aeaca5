"""Realistic faults injected into generated deliveries, with ground truth in ``faults.json``.

A :class:`FaultPlan` decides up front which delivery each fault hits (one delivery per fault,
so two faults never interfere), from the world's ``faults`` random stream. Faults are applied
in three places: to record tables before rendering (row faults, whose line is then known), to
the rendered text (a decimal point), and to the file itself (encoding, truncation, missing,
duplicate, re-delivery). Each applied fault becomes a :class:`Fault` record.

``stage`` says where the platform should notice it: ``receive`` (registry level: missing,
duplicate, re-delivery), ``structure`` (the file is rejected), ``row`` (row-level validation
finding) or ``quality`` (needs cross-record or cross-month data-quality checks).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, replace
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flis import periods
from flis.sources.contract import Contract
from flis.sources.generator.world import World

Stage = Literal["receive", "structure", "row", "quality"]

#: kind → (contract it targets, stage, the rule code ingestion is expected to report)
KINDS: dict[str, tuple[str, Stage, str | None]] = {
    "missing-delivery": ("payroll-absence", "receive", None),
    "duplicate-file": ("central", "receive", "duplicate-delivery"),
    "re-delivery": ("economy", "receive", None),
    "latin-1-file": ("school", "structure", "encoding-not-utf8"),
    "truncated-file": ("payroll-employment", "structure", "file-truncated"),
    "decimal-point": ("economy", "row", "bad-decimal"),
    "unknown-code-staff-category": ("payroll-employment", "row", "unknown-code"),
    "unknown-code-absence-type": ("school", "row", "unknown-code"),
    "date-outside-period": ("payroll-absence", "row", "date-outside-period"),
    "double-enrolment": ("school", "quality", None),
    "grade-level-age": ("school", "quality", None),
    "weekend-absence": ("school", "quality", None),
    "finance-swing": ("economy", "quality", None),
}


@dataclass(frozen=True)
class Fault:
    """One injected fault and where it is."""

    kind: str
    stage: Stage
    contract: str
    municipality: int
    period: str
    file: str | None = None
    line: int | None = None
    column: str | None = None
    value: str | None = None
    expected_rule: str | None = None
    note: str = ""

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class FaultPlan:
    """Which delivery (contract, municipality, month) each fault kind hits."""

    targets: dict[tuple[str, int, str], str] = field(default_factory=dict)

    @classmethod
    def make(cls, world: World) -> FaultPlan:
        if world.faults == "none" or not world.selected:
            return cls()
        rng = world.rng("faults")
        used: set[tuple[int, str]] = set()
        targets: dict[tuple[str, int, str], str] = {}
        for kind, (contract_id, _, _) in KINDS.items():
            slots = [(m, p) for m in world.selected for p in world.months if (m, p) not in used]
            if kind == "finance-swing":  # a swing needs a month before it to swing from
                slots = [(m, p) for m, p in slots if p != world.months[0]]
            if not slots:
                continue
            m, p = slots[int(rng.integers(len(slots)))]
            used.add((m, p))
            targets[(contract_id, m, p)] = kind
        return cls(targets)

    def kind_for(self, contract_id: str, municipality: int, period: str) -> str | None:
        return self.targets.get((contract_id, municipality, period))


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


def _pick(rng: np.random.Generator, table: pa.Table | None) -> int | None:
    if table is None or table.num_rows == 0:
        return None
    return int(rng.integers(table.num_rows))


def apply_row_fault(
    kind: str,
    *,
    world: World,
    contract: Contract,
    municipality: int,
    period: str,
    records: dict[str, pa.Table],
) -> tuple[dict[str, pa.Table], Fault | None]:
    """Change the record tables for a row-level or quality fault; return the fault record."""
    rng = world.rng("fault-rows", municipality, periods.month_index(period))
    records = dict(records)
    _, stage, rule = KINDS[kind]
    base = Fault(
        kind=kind,
        stage=stage,
        contract=contract.id,
        municipality=municipality,
        period=period,
        expected_rule=rule,
    )

    def at(rt: str, row: int, column: str, value: str, note: str) -> Fault:
        line = line_of(contract, records, rt, row)
        return replace(base, line=line, column=column, value=value, note=note)

    if kind == "unknown-code-staff-category":
        row = _pick(rng, records.get("ansaettelse"))
        if row is None:
            return records, None
        records["ansaettelse"] = _set(records["ansaettelse"], "personalekategori", row, "99")
        return records, at(
            "ansaettelse",
            row,
            "personalekategori",
            "99",
            "staff category 99 is not in the code list",
        )
    if kind == "unknown-code-absence-type":
        row = _pick(rng, records.get("fravaer"))
        if row is None:
            return records, None
        records["fravaer"] = _set(records["fravaer"], "fravaerstype", row, "SKOLKE")
        return records, at(
            "fravaer",
            row,
            "fravaerstype",
            "SKOLKE",
            "pupil absence type SKOLKE is not in the code list",
        )
    if kind == "date-outside-period":
        row = _pick(rng, records.get("fravaer"))
        if row is None:
            return records, None
        day = periods.first_day(period) - dt.timedelta(days=3)
        records["fravaer"] = _set(records["fravaer"], "fra_dato", row, day)
        return records, at(
            "fravaer",
            row,
            "fra_dato",
            day.strftime("%d-%m-%Y"),
            "absence starts before the delivery's month",
        )
    if kind == "double-enrolment":
        return _double_enrolment(rng, records, base, contract)
    if kind == "grade-level-age":
        row = _pick(rng, records.get("indskrivning"))
        if row is None:
            return records, None
        old = int(records["indskrivning"].column("klassetrin")[row].as_py())
        new = str((old + 5) % 10)
        records["indskrivning"] = _set(records["indskrivning"], "klassetrin", row, new)
        return records, at(
            "indskrivning",
            row,
            "klassetrin",
            new,
            f"personal grade level {new} does not fit the pupil's age (was {old})",
        )
    if kind == "weekend-absence":
        row = _pick(rng, records.get("fravaer"))
        if row is None:
            return records, None
        first = periods.first_day(period)
        saturday = first + dt.timedelta(days=(5 - first.weekday()) % 7)
        records["fravaer"] = _set(records["fravaer"], "dato", row, saturday)
        return records, at(
            "fravaer", row, "dato", saturday.isoformat(), "pupil absence registered on a Saturday"
        )
    if kind == "finance-swing":
        table = records.get("postering")
        if table is None or table.num_rows == 0:
            return records, None
        actual = pc.equal(table.column("posteringstype"), "R")
        swung = pc.if_else(actual, pc.multiply(table.column("beloeb"), 4.0), table.column("beloeb"))
        records["postering"] = table.set_column(table.column_names.index("beloeb"), "beloeb", swung)
        note = "every actual posting of the month is four times too large"
        return records, replace(base, column="beloeb", note=note)
    raise KeyError(kind)


def _double_enrolment(
    rng: np.random.Generator,
    records: dict[str, pa.Table],
    base: Fault,
    contract: Contract,
) -> tuple[dict[str, pa.Table], Fault | None]:
    enrol, classes = records.get("indskrivning"), records.get("klasse")
    row = _pick(rng, enrol)
    if enrol is None or classes is None or row is None:
        return records, None
    inst = enrol.column("instnr")[row].as_py()
    others = pc.filter(classes, pc.not_equal(classes.column("instnr"), inst))
    if others.num_rows == 0:
        return records, None
    other = int(rng.integers(others.num_rows))
    copy = enrol.slice(row, 1)
    copy = _set(copy, "instnr", 0, others.column("instnr")[other].as_py())
    copy = _set(copy, "klasse_id", 0, others.column("klasse_id")[other].as_py())
    new_id = str(9 * 10**13 + int(rng.integers(10**12)))
    copy = _set(copy, "indskrivning_id", 0, new_id)
    records = dict(records)
    records["indskrivning"] = pa.concat_tables([enrol, copy.cast(enrol.schema)])
    line = line_of(contract, records, "indskrivning", enrol.num_rows)
    value = copy.column("instnr")[0].as_py()
    note = f"pupil also enrolled at another school (enrolment {new_id})"
    return records, replace(base, line=line, column="instnr", value=value, note=note)


def decimal_point(data: bytes, contract: Contract, line: int) -> tuple[bytes, str]:
    """Replace the decimal comma of the amount on ``line`` with a point."""
    lines = data.split(b"\n")
    (rt,) = contract.record_types
    index = rt.field_names.index("beloeb")
    fields = lines[line - 1].split(b";")
    fields[index] = fields[index].replace(b",", b".")
    lines[line - 1] = b";".join(fields)
    return b"\n".join(lines), fields[index].decode()


def truncate(data: bytes) -> bytes:
    """Cut the file in the middle of its second-to-last record, losing the trailer."""
    lines = data.rstrip(b"\n").split(b"\n")
    keep = lines[:-2]
    partial = lines[-2][: max(1, len(lines[-2]) // 2)] if len(lines) >= 2 else b""
    return b"\n".join([*keep, partial])


def latin_1(data: bytes) -> bytes:
    """The file as a Latin-1 system would write it, with at least one non-ASCII letter.

    A file of plain ASCII is the same in both encodings, so the first record gets a Danish
    letter (as a school name in Latin-1 would carry) to make the wrong encoding visible.
    """
    text = data.decode("utf-8")
    if text.isascii():
        first, _, rest = text.partition("\n")
        marker = '"navn":"'
        first = first.replace(marker, marker + "Ø", 1) if marker in first else first + "ø"
        text = first + "\n" + rest
    return text.encode("latin-1", errors="replace")
