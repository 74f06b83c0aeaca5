"""The simulation: the world's moving parts advanced together, one month's tables at a time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from flis import periods
from flis.sources.formats import Records
from flis.sources.generator import central, cpr, economy
from flis.sources.generator.population import Population
from flis.sources.generator.school import SchoolSystem
from flis.sources.generator.staff import Workforce
from flis.sources.generator.world import World


@dataclass
class MonthTables:
    """Every record table of one month, for all municipalities, keyed by contract id."""

    month: str
    by_contract: dict[str, Records] = field(default_factory=dict)


@dataclass
class Simulation:
    """The world's moving parts, advanced together month by month."""

    world: World
    population: Population
    schools: SchoolSystem
    workforce: Workforce | None = None
    population_by_quarter: list[pa.Table] = field(default_factory=list)
    pupils_30sep: pa.Table | None = None

    def month(self, month: str) -> MonthTables:
        """Advance every part through ``month`` and return the month's record tables."""
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
