"""The school system: institutions, classes, enrolments, leaving-exam grades and pupil absence.

Every pupil is a resident child from :class:`~flis.sources.generator.population.Population`.
Stable per-pupil traits (late school start, private school, segregated offer, ability, absence
propensity) are keyed hashes of the person id, so a child keeps them across months and only the
placement (school, class) is state. Classes are formed at each school start and filled by
joiners during the year; enrolments end when a pupil dies, emigrates or moves away.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from flis.periods import first_day, last_day, school_year_start
from flis.sources.generator import school_records
from flis.sources.generator.classes import (
    ALM,
    SMALL_SCHOOL,
    Columns,
    empty_classes,
    form_classes,
    group_key,
    seat_joiners,
)
from flis.sources.generator.days import to_days
from flis.sources.generator.enrolments import (
    active,
    add_enrolments,
    empty_enrolments,
    event_days,
    lookup_day,
)
from flis.sources.generator.exams import grade_records
from flis.sources.generator.hashing import hash_uniform
from flis.sources.generator.institutions import Institutions, build_institutions, district_table
from flis.sources.generator.placement import Placement
from flis.sources.generator.population import Population
from flis.sources.generator.pupil_absence import absence_records
from flis.sources.generator.pupil_traits import PupilTraits
from flis.sources.generator.school_calendar import school_days
from flis.sources.generator.school_month import SchoolMonth
from flis.sources.generator.world import World

__all__ = ["SchoolSystem", "school_days"]


class SchoolSystem:
    """Municipal schools of all 98 municipalities and their pupils, month by month."""

    def __init__(self, world: World, institutions: Institutions) -> None:
        self.world = world
        self.inst = institutions
        self._traits = PupilTraits(world)
        self._placement = Placement(world, institutions, self._traits)
        self._year = -1
        self._classes: Columns = empty_classes()
        self._enrol: Columns = empty_enrolments()
        self._next_enrolment = 1
        self._small = np.zeros(len(institutions.instnr), bool)
        self._month = ""

    @classmethod
    def initial(cls, world: World, population: Population) -> SchoolSystem:
        """Institutions and the enrolments at the start of ``world.months[0]``.

        Also registers the folkeskole districts with ``population``, so that its residents
        carry a school district.
        """
        system = cls(world, build_institutions(world))
        population.set_school_districts(district_table(world, system.inst))
        month = world.months[0]
        start_year = school_year_start(month)
        system._start_school_year(population, start_year, to_days(dt.date(start_year, 8, 1)))
        return system

    def advance(self, month: str, population: Population) -> dict[str, pa.Table]:
        """Update enrolments for ``month`` and return its school records for all municipalities.

        Args:
            month: The month just advanced in ``population``.
            population: The population at the month's end.

        Returns:
            ``{"institution", "klasse", "indskrivning", "karakter", "fravaer"}`` tables with
            the school contract's field names (without ``rt``), each sorted by the owner
            ``kommune`` first.
        """
        self._month = month
        start_year = school_year_start(month)
        self._enrol = active(self._enrol)
        if start_year != self._year:
            self._start_school_year(population, start_year, to_days(first_day(month)))
        else:
            self._update(population, month)
        if month[5:7] == "07":
            # the school year ends: every enrolment closes and school start opens new ones
            open_ = self._enrol["til"] < 0
            self._enrol["til"][open_] = to_days(last_day(month))
        return self._records(month)

    def institutions_summary(self) -> pa.Table:
        """Per institution: kommune, instnr, institutionstype, pupils, classes, special_classes."""
        return school_records.institutions_summary(
            world=self.world,
            inst=self.inst,
            classes=self._classes,
            enrol=self._enrol,
            month=self._month,
        )

    def _records(self, month: str) -> dict[str, pa.Table]:
        """The month's school tables, each sorted by the owner ``kommune`` first."""
        m = SchoolMonth(
            world=self.world,
            inst=self.inst,
            classes=self._classes,
            enrol=self._enrol,
            traits=self._traits,
            year=self._year,
            month=month,
            days=school_days(month),
        )
        return {
            "institution": school_records.institution_records(m),
            "klasse": school_records.class_records(m),
            "indskrivning": school_records.enrolment_records(m),
            "karakter": grade_records(m),
            "fravaer": absence_records(m),
        }

    def _group(self, inst: np.ndarray, kind: np.ndarray, grade: np.ndarray) -> np.ndarray:
        """Class group keys, with small schools teaching in age-integrated classes."""
        return group_key(inst, kind, grade, self._small)

    def _start_school_year(self, population: Population, start_year: int, day: int) -> None:
        """Form new classes from the year's placements and enrol every pupil from ``day``."""
        want = self._placement.plan(population, start_year)
        ordinary = np.bincount(want["inst"][want["kind"] == ALM], minlength=len(self._small))
        self._small = ordinary < SMALL_SCHOOL
        group = self._group(want["inst"], want["kind"], want["grade"])
        # a fresh order each year, so classes are mixed anew at every school start
        shuffle = hash_uniform(want["pid"], self._traits.salt["order"] + start_year)
        order = np.lexsort((shuffle, group))
        want = {name: v[order] for name, v in want.items()}
        self._classes, slot = form_classes(group[order])
        self._year = start_year
        self._enrol = empty_enrolments()
        # a pupil who moved in after school start is enrolled from the day of moving
        self._add_enrolments(want, slot, np.maximum(day, want["arrived"]))

    def _update(self, population: Population, month: str) -> None:
        """End enrolments of pupils who left or changed placement, and place the newcomers."""
        want = self._placement.plan(population, self._year)
        event_day = event_days(population.month_events)
        start = to_days(first_day(month))
        self._end_changed(want, event_day, start)
        e = self._enrol
        enrolled = np.isin(want["pid"], e["pid"][e["til"] < 0])
        joiners = {name: v[~enrolled] for name, v in want.items()}
        if len(joiners["pid"]) == 0:
            return
        group = self._group(joiners["inst"], joiners["kind"], joiners["grade"])
        self._classes, slot = seat_joiners(self._classes, e["cls"][e["til"] < 0], group)
        self._add_enrolments(joiners, slot, lookup_day(event_day, joiners["cpr"], start))

    def _end_changed(
        self, want: Columns, event_day: tuple[np.ndarray, np.ndarray], start: int
    ) -> None:
        """End open enrolments whose pupil left or got another school or home municipality."""
        e = self._enrol
        pos = np.minimum(np.searchsorted(want["pid"], e["pid"]), max(len(want["pid"]) - 1, 0))
        found = (len(want["pid"]) > 0) & (want["pid"][pos] == e["pid"])
        same = found & (want["inst"][pos] == e["inst"]) & (want["kidx"][pos] == e["home"])
        ending = (e["til"] < 0) & ~same
        e["til"][ending] = lookup_day(event_day, e["cpr"][ending], start)

    def _add_enrolments(self, pupils: Columns, slot: np.ndarray, fra: np.ndarray) -> None:
        """Enrol ``pupils`` in class ``slot`` from day ``fra``, numbering the enrolments on."""
        self._enrol = add_enrolments(
            self._enrol,
            pupils,
            slot=slot,
            inst=self._classes["inst"][slot],
            fra=fra,
            first_id=self._next_enrolment,
        )
        self._next_enrolment += len(slot)
