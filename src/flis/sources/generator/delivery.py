"""Deliveries: one municipality's file of one contract and month, with any planned fault."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flis import periods
from flis.sources.contract import Contract
from flis.sources.formats import Records, render_extract
from flis.sources.generator import faults
from flis.sources.generator.file_faults import decimal_point, latin_1, truncate
from flis.sources.generator.layout import WrittenFile, write_file
from flis.sources.generator.row_faults import apply_row_fault
from flis.sources.generator.world import World


def _slice(table: pa.Table, municipality: int) -> pa.Table:
    """Rows of one municipality from a table sorted by ``kommune``."""
    kommune = table.column("kommune").to_numpy()
    lo = int(np.searchsorted(kommune, municipality, side="left"))
    hi = int(np.searchsorted(kommune, municipality, side="right"))
    return table.slice(lo, hi - lo)


#: Faults planted in the records before rendering.
_ROW_FAULTS = (
    "double-enrolment",
    "grade-level-age",
    "weekend-absence",
    "finance-swing",
    "unknown-code-staff-category",
    "unknown-code-absence-type",
    "date-outside-period",
)


class DeliveryWriter:
    """Renders one municipality's delivery of one contract, applying any planned fault."""

    def __init__(self, world: World, out: Path, plan: faults.FaultPlan) -> None:
        self.world, self.out, self.plan = world, out, plan

    def write(
        self, contract: Contract, municipality: int, month: str, all_records: Records
    ) -> tuple[list[WrittenFile], list[faults.Fault]]:
        """The files of one delivery and the faults planted in them."""
        records = {code: _slice(t, municipality) for code, t in all_records.items()}
        kind = self.plan.kind_for(contract.id, municipality, month)
        if kind == "missing-delivery":
            return [], [self._fault(kind, contract, municipality, month, None)]
        found: list[faults.Fault] = []
        if kind in _ROW_FAULTS:
            records, fault = apply_row_fault(
                kind,
                world=self.world,
                contract=contract,
                municipality=municipality,
                period=month,
                records=records,
            )
            found += [fault] if fault else []
        count = sum(t.num_rows for t in records.values())
        data = self._render(contract, municipality, month, records)
        if kind == "re-delivery":
            first = self._first_delivery(contract, municipality, month, records)
            return self._re_delivery(contract, municipality, month, (first, data), count)
        if kind == "decimal-point" and count:
            data, fault = self._decimal_point(contract, municipality, month, data, count)
            found.append(fault)
        elif kind == "latin-1-file":
            data = latin_1(data)
        elif kind == "truncated-file":
            data = truncate(data)
        written = [self._file(contract, municipality, month, 1, data, count)]
        rel = written[0].path
        if kind == "duplicate-file":
            written.append(self._file(contract, municipality, month, 2, data, count))
            note = f"byte-identical copy of {rel}"
            found.append(
                self._fault(kind, contract, municipality, month, written[1].path, note=note)
            )
        elif kind in ("latin-1-file", "truncated-file"):
            found.append(self._fault(kind, contract, municipality, month, rel))
        found = [f if f.file else replace(f, file=rel) for f in found]
        return written, found

    def _decimal_point(
        self, contract: Contract, municipality: int, month: str, data: bytes, count: int
    ) -> tuple[bytes, faults.Fault]:
        """One amount on a random data line written with a decimal point."""
        line = 1 + int(self.world.rng("fault-rows", municipality).integers(count)) + 1
        data, value = decimal_point(data, contract, line)
        fault = self._fault(
            "decimal-point",
            contract,
            municipality,
            month,
            None,
            line=line,
            column="beloeb",
            value=value,
        )
        return data, fault

    def _re_delivery(
        self,
        contract: Contract,
        municipality: int,
        month: str,
        deliveries: tuple[bytes, bytes],
        count: int,
    ) -> tuple[list[WrittenFile], list[faults.Fault]]:
        """A wrong first delivery and its correction, delivered as sequence 2."""
        files = [
            self._file(contract, municipality, month, seq, data, count)
            for seq, data in enumerate(deliveries, start=1)
        ]
        note = f"corrected by {files[1].path}"
        return files, [
            self._fault("re-delivery", contract, municipality, month, files[0].path, note=note)
        ]

    def _file(
        self, contract: Contract, municipality: int, month: str, seq: int, data: bytes, count: int
    ) -> WrittenFile:
        """Write one file of the delivery as sequence ``seq``."""
        return write_file(
            self.out,
            contract,
            municipality=municipality,
            period=month,
            seq=seq,
            data=data,
            records=count,
        )

    def _render(self, contract: Contract, municipality: int, month: str, records: Records) -> bytes:
        """The delivery file's bytes, created the day after the month."""
        return render_extract(
            contract,
            municipality=municipality,
            period=month,
            records=records,
            created=self._created(month),
        )

    def _first_delivery(
        self, contract: Contract, municipality: int, month: str, records: Records
    ) -> bytes:
        """A first delivery with every actual amount of one account doubled by mistake."""
        table = records["postering"]
        if table.num_rows == 0:
            return self._render(contract, municipality, month, records)
        account = table.column("kontostreng")[0].as_py()
        wrong = pc.and_(
            pc.equal(table.column("kontostreng"), account),
            pc.equal(table.column("posteringstype"), "R"),
        )
        doubled = pc.if_else(
            wrong, pc.multiply(table.column("beloeb"), 2.0), table.column("beloeb")
        )
        table = table.set_column(table.column_names.index("beloeb"), "beloeb", doubled)
        return self._render(contract, municipality, month, {"postering": table})

    @staticmethod
    def _created(month: str) -> dt.date:
        return periods.first_day(periods.add_months(month, 1))

    @staticmethod
    def _fault(
        kind: str,
        contract: Contract,
        municipality: int,
        month: str,
        file: str | None,
        *,
        line: int | None = None,
        column: str | None = None,
        value: str | None = None,
        note: str = "",
    ) -> faults.Fault:
        _, stage, rule = faults.KINDS[kind]
        return faults.Fault(
            kind=kind,
            stage=stage,
            contract=contract.id,
            municipality=municipality,
            period=month,
            file=file,
            expected_rule=rule,
            line=line,
            column=column,
            value=value,
            note=note,
        )
