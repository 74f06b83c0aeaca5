"""Runs the generator: simulates the world month by month and writes every delivery file."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flis import __version__, periods
from flis.errors import GeneratorError
from flis.reference.municipalities import is_municipality
from flis.sources.catalogue import contracts
from flis.sources.contract import Contract
from flis.sources.formats import render_extract
from flis.sources.generator import central, cpr, economy, faults
from flis.sources.generator.layout import WrittenFile, write_file
from flis.sources.generator.population import Population
from flis.sources.generator.school import SchoolSystem
from flis.sources.generator.staff import Workforce
from flis.sources.generator.world import World

Records = dict[str, pa.Table]
Progress = Callable[[str, str], None]


@dataclass
class MonthTables:
    """Every record table of one month, for all municipalities, keyed by contract id."""

    month: str
    by_contract: dict[str, Records] = field(default_factory=dict)


@dataclass
class _Simulation:
    """The world's moving parts, advanced together month by month."""

    world: World
    population: Population
    schools: SchoolSystem
    workforce: Workforce | None = None
    population_by_quarter: list[pa.Table] = field(default_factory=list)
    pupils_30sep: pa.Table | None = None

    def month(self, month: str) -> MonthTables:
        self._count_population_if_quarter_starts(month)
        events = self.population.advance(month)
        school_records = self.schools.advance(month, self.population)
        residents = self.population.residents()
        institutions = self.schools.institutions_summary()
        if month[5:7] == "09" or self.pupils_30sep is None:
            self._count_pupils(month, institutions)
        if self.workforce is None:
            self.workforce = Workforce.initial(self.world, residents, institutions, month)
        payroll = self.workforce.advance(month, residents, institutions)
        postings = economy.month_postings(
            self.world, month, residents, institutions, self.workforce.summary()
        )
        statistics = central.month_statistics(
            self.world, month, pa.concat_tables(self.population_by_quarter), self._pupils()
        )
        return MonthTables(
            month,
            {
                "cpr": cpr.month_records(self.population, events),
                "school": school_records,
                "payroll-employment": {"ansaettelse": payroll["ansaettelse"]},
                "payroll-absence": {"fravaer": payroll["fravaer"]},
                "economy": {"postering": postings},
                "central": {"statistik": statistics},
            },
        )

    def _count_population_if_quarter_starts(self, month: str) -> None:
        quarter_start = periods.add_months(month, -((int(month[5:7]) - 1) % 3))
        if self.population_by_quarter and quarter_start != month:
            return
        counts = pc.value_counts(self.population.residents().column("kommune"))
        kommune = counts.field("values")
        self.population_by_quarter.append(
            pa.table(
                {
                    "kommune": pc.cast(kommune, pa.int64()),
                    "referencedato": pa.array([periods.first_day(quarter_start)] * len(counts)),
                    "population": pc.cast(counts.field("counts"), pa.int64()),
                }
            )
        )

    def _count_pupils(self, month: str, institutions: pa.Table) -> None:
        year = int(month[:4]) if int(month[5:7]) >= 9 else int(month[:4]) - 1
        self.pupils_30sep = pa.table(
            {
                "kommune": institutions.column("kommune"),
                "instnr": institutions.column("instnr"),
                "referencedato": pa.array([dt.date(year, 9, 30)] * institutions.num_rows),
                "pupils": institutions.column("pupils"),
            }
        )

    def _pupils(self) -> pa.Table:
        assert self.pupils_30sep is not None
        return self.pupils_30sep


def _slice(table: pa.Table, municipality: int) -> pa.Table:
    """Rows of one municipality from a table sorted by ``kommune``."""
    kommune = table.column("kommune").to_numpy()
    lo = int(np.searchsorted(kommune, municipality, side="left"))
    hi = int(np.searchsorted(kommune, municipality, side="right"))
    return table.slice(lo, hi - lo)


class _Writer:
    """Renders one municipality's delivery of one contract, applying any planned fault."""

    def __init__(self, world: World, out: Path, plan: faults.FaultPlan) -> None:
        self.world, self.out, self.plan = world, out, plan

    def write(
        self, contract: Contract, municipality: int, month: str, all_records: Records
    ) -> tuple[list[WrittenFile], list[faults.Fault]]:
        records = {code: _slice(t, municipality) for code, t in all_records.items()}
        kind = self.plan.kind_for(contract.id, municipality, month)
        found: list[faults.Fault] = []
        if kind in (
            "double-enrolment",
            "grade-level-age",
            "weekend-absence",
            "finance-swing",
            "unknown-code-staff-category",
            "unknown-code-absence-type",
            "date-outside-period",
        ):
            records, fault = faults.apply_row_fault(
                kind,
                world=self.world,
                contract=contract,
                municipality=municipality,
                period=month,
                records=records,
            )
            found += [fault] if fault else []
        if kind == "missing-delivery":
            return [], [self._fault(kind, contract, municipality, month, None)]
        count = sum(t.num_rows for t in records.values())
        data = render_extract(
            contract,
            municipality=municipality,
            period=month,
            records=records,
            created=self._created(month),
        )
        rel = None
        if kind == "decimal-point" and count:
            line = 1 + int(self.world.rng("fault-rows", municipality).integers(count)) + 1
            data, value = faults.decimal_point(data, contract, line)
            found.append(
                self._fault(
                    kind,
                    contract,
                    municipality,
                    month,
                    None,
                    line=line,
                    column="beloeb",
                    value=value,
                )
            )
        elif kind == "latin-1-file":
            data = faults.latin_1(data)
        elif kind == "truncated-file":
            data = faults.truncate(data)
        elif kind == "re-delivery":
            first = self._first_delivery(contract, municipality, month, records)
            files = [
                write_file(
                    self.out,
                    contract,
                    municipality=municipality,
                    period=month,
                    seq=1,
                    data=first,
                    records=count,
                )
            ]
            files.append(
                write_file(
                    self.out,
                    contract,
                    municipality=municipality,
                    period=month,
                    seq=2,
                    data=data,
                    records=count,
                )
            )
            return files, [
                self._fault(
                    kind,
                    contract,
                    municipality,
                    month,
                    files[0].path,
                    note=f"corrected by {files[1].path}",
                )
            ]
        written = [
            write_file(
                self.out,
                contract,
                municipality=municipality,
                period=month,
                seq=1,
                data=data,
                records=count,
            )
        ]
        rel = written[0].path
        if kind == "duplicate-file":
            written.append(
                write_file(
                    self.out,
                    contract,
                    municipality=municipality,
                    period=month,
                    seq=2,
                    data=data,
                    records=count,
                )
            )
            found.append(
                self._fault(
                    kind,
                    contract,
                    municipality,
                    month,
                    written[1].path,
                    note=f"byte-identical copy of {rel}",
                )
            )
        elif kind in ("latin-1-file", "truncated-file"):
            found.append(self._fault(kind, contract, municipality, month, rel))
        found = [f if f.file else replace(f, file=rel) for f in found]
        return written, found

    def _first_delivery(
        self, contract: Contract, municipality: int, month: str, records: Records
    ) -> bytes:
        """A first delivery with every actual amount of one account doubled by mistake."""
        table = records["postering"]
        if table.num_rows == 0:
            return render_extract(
                contract,
                municipality=municipality,
                period=month,
                records=records,
                created=self._created(month),
            )
        account = table.column("kontostreng")[0].as_py()
        wrong = pc.and_(
            pc.equal(table.column("kontostreng"), account),
            pc.equal(table.column("posteringstype"), "R"),
        )
        doubled = pc.if_else(
            wrong, pc.multiply(table.column("beloeb"), 2.0), table.column("beloeb")
        )
        table = table.set_column(table.column_names.index("beloeb"), "beloeb", doubled)
        return render_extract(
            contract,
            municipality=municipality,
            period=month,
            records={"postering": table},
            created=self._created(month),
        )

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


def generate(
    *,
    out: Path,
    scale: float,
    months: list[str],
    seed: int,
    municipalities: list[int] | None = None,
    fault_mode: str = "realistic",
    progress: Progress | None = None,
) -> dict[str, object]:
    """Generate a synthetic world of deliveries under ``out``; return the manifest."""
    world = _world(
        scale=scale, months=months, seed=seed, municipalities=municipalities, fault_mode=fault_mode
    )
    out.mkdir(parents=True, exist_ok=True)
    writer = _Writer(world, out, faults.FaultPlan.make(world))
    population = Population.initial(world)
    sim = _Simulation(world, population, SchoolSystem.initial(world, population))
    files: list[WrittenFile] = []
    injected: list[faults.Fault] = []
    report = progress or (lambda month, step: None)
    with ThreadPoolExecutor(max_workers=2) as pool:
        for month in world.months:
            report(month, "simulate")
            tables = sim.month(month)
            report(month, "write")
            jobs = [
                pool.submit(writer.write, contracts()[cid], m, month, records)
                for cid, records in tables.by_contract.items()
                for m in world.selected
            ]
            for job in jobs:
                written, found = job.result()
                files += written
                injected += found
    return _finish(out, world, files, injected)


def _world(
    *, scale: float, months: list[str], seed: int, municipalities: list[int] | None, fault_mode: str
) -> World:
    if not 0 < scale <= 2:
        raise GeneratorError(f"scale {scale} is outside (0, 2]", hint="1.0 is all of Denmark")
    if fault_mode not in ("realistic", "none"):
        raise GeneratorError(f"unknown fault mode '{fault_mode}'", hint="use realistic or none")
    if not months:
        raise GeneratorError("no months to generate", hint="pass --months 2024-08:2025-07")
    unknown = [m for m in municipalities or [] if not is_municipality(m)]
    if unknown:
        raise GeneratorError(
            f"unknown municipality codes {unknown}",
            hint="use 3-digit municipality codes such as 101 or 461",
        )
    selected = sorted(set(municipalities)) if municipalities else None
    return World(
        seed=seed,
        scale=scale,
        months=tuple(months),
        faults=fault_mode,
        selected=tuple(selected) if selected else tuple(World.all_codes()),
    )


def _finish(
    out: Path, world: World, files: list[WrittenFile], injected: list[faults.Fault]
) -> dict[str, object]:
    files.sort(key=lambda f: f.path)
    injected.sort(key=lambda f: (f.period, f.municipality, f.contract, f.kind))
    manifest: dict[str, object] = {
        "generator": {"name": "flis generate", "version": __version__},
        "arguments": {
            "scale": world.scale,
            "months": list(world.months),
            "seed": world.seed,
            "municipalities": list(world.selected),
            "faults": world.faults,
        },
        "municipalities": list(world.selected),
        "sources": sorted({c.source for c in contracts().values()}),
        "contracts": {c.id: c.version for c in contracts().values()},
        "files": [f.to_dict() for f in files],
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    (out / "faults.json").write_text(
        json.dumps({"faults": [f.to_dict() for f in injected]}, indent=1, ensure_ascii=False) + "\n"
    )
    return manifest


def summary(manifest: dict[str, object]) -> dict[str, object]:
    """Files, records and bytes per contract: what ``flis generate --json`` prints."""
    per: dict[str, dict[str, int]] = {}
    files = manifest["files"]
    assert isinstance(files, list)
    for f in files:
        row = per.setdefault(f["contract"], {"files": 0, "records": 0, "bytes": 0})
        row["files"] += 1
        row["records"] += f["records"]
        row["bytes"] += f["bytes"]
    return {"arguments": manifest["arguments"], "files": len(files), "per_contract": per}
