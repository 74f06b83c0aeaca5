"""A small national world (about 60,000 residents, all 98 municipalities) run for a year."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pytest

from flis import periods
from flis.sources.generator import economy
from flis.sources.generator.staff import Workforce
from flis.sources.generator.world import World
from tests.sources.generator_org.factories import make_institutions, make_residents, make_world

MONTHS = periods.parse_month_range("2024-01:2024-12")


@dataclass
class Year:
    """A year of the organisation generators' output on fixed inputs."""

    world: World
    residents: pa.Table
    institutions: pa.Table
    payroll: dict[str, dict[str, pa.Table]]  # month → {"ansaettelse", "fravaer"}
    summaries: dict[str, pa.Table]
    postings: dict[str, pa.Table]


@pytest.fixture(scope="session")
def small_world() -> tuple[World, pa.Table, pa.Table]:
    world = make_world(scale=0.01, months=tuple(MONTHS))
    residents = make_residents(world)
    return world, residents, make_institutions(world, residents)


@pytest.fixture(scope="session")
def year(small_world: tuple[World, pa.Table, pa.Table]) -> Year:
    world, residents, institutions = small_world
    workforce = Workforce.initial(world, residents, institutions, MONTHS[0])
    out = Year(world, residents, institutions, {}, {}, {})
    for month in MONTHS:
        out.payroll[month] = workforce.advance(month, residents, institutions)
        out.summaries[month] = workforce.summary()
        out.postings[month] = economy.month_postings(
            world, month, residents, institutions, out.summaries[month]
        )
    return out
