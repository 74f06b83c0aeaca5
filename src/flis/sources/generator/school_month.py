"""The school month: what one month's school records are drawn from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flis.sources.generator.classes import Columns
from flis.sources.generator.institutions import Institutions
from flis.sources.generator.pupil_traits import PupilTraits
from flis.sources.generator.world import World


@dataclass(frozen=True)
class SchoolMonth:
    """Register, classes and enrolments at a month's end, with the month's school days."""

    world: World
    inst: Institutions
    classes: Columns
    enrol: Columns
    traits: PupilTraits
    year: int  # school year (its first calendar year)
    month: str
    days: list[dt.date]
