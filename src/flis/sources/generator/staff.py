"""The municipal workforce: employments that persist month by month, and their absence.

Headcounts follow the residents and schools the municipality serves (teachers per pupil, day
care per child aged 0–5, elderly care per resident aged 65+/80+, administration per inhabitant).
Each month some employees leave, vacancies are filled from the adult residents, and absence
periods are drawn per employee from category, municipality and a personal, skewed propensity.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from flis import periods
from flis.errors import GeneratorError
from flis.sources.generator.absence_chances import calibrate, initial_busy
from flis.sources.generator.employments import FULL_TIME, OPEN, Staff, employment_table, monthly_pay
from flis.sources.generator.hiring import backdate, count_by_municipality, hire, start_in_month
from flis.sources.generator.leavers import mark_leavers
from flis.sources.generator.month_frame import month_frame
from flis.sources.generator.posts import cost_units, slots_of_month, vacancies
from flis.sources.generator.roles import ROLE_CATEGORY, ROLE_FUNKTION
from flis.sources.generator.staff_absence import absence_table, month_spells
from flis.sources.generator.world import World


class Workforce:
    """All municipalities' employments, advanced one month at a time."""

    def __init__(
        self,
        world: World,
        staff: Staff,
        units: dict[str, np.ndarray],
        next_nr: np.ndarray,
        sick_scale: float,
    ) -> None:
        self.world = world
        self._staff = staff
        self._units = units
        self._next_nr = next_nr
        self._sick_scale = sick_scale
        self._last_month = ""
        self._month_staff = staff

    @classmethod
    def initial(
        cls, world: World, residents: pa.Table, institutions: pa.Table, month: str
    ) -> Workforce:
        """The workforce employed at the start of ``month``, before its hires and leavers.

        Args:
            world: the run's world (random streams, municipalities, traits).
            residents: residents at the end of ``month`` (person_id, cpr, kommune, birth_date,
                sex), sorted by kommune and cpr.
            institutions: schools (kommune, instnr, institutionstype, pupils, classes,
                special_classes).
            month: the first month to simulate; ``advance`` must be called with it next.

        Returns:
            A workforce whose posts match the residents and schools it serves.
        """
        frame = month_frame(world, month, residents, institutions)
        units = cost_units(world, frame)
        slots = slots_of_month(world, frame, units)
        rng = world.rng("staff-initial", frame.index)
        hires = hire(
            world,
            rng,
            frame,
            slots,
            slots[3],
            np.zeros(len(world.codes), np.int64),
            employed=np.zeros(0, np.int64),
        )
        staff = backdate(rng, hires, frame.first)
        sick_scale = calibrate(world, staff)
        staff = initial_busy(world, rng, staff, frame.first, sick_scale)
        next_nr = count_by_municipality(world, staff.kommune)
        workforce = cls(world, staff, units, next_nr, sick_scale)
        workforce._last_month = periods.add_months(month, -1)
        return workforce

    def advance(
        self, month: str, residents: pa.Table, institutions: pa.Table
    ) -> dict[str, pa.Table]:
        """Move the workforce through ``month``: leavers, hires and absence.

        Args:
            month: the month after the previous one (the initial month the first time).
            residents: residents at the end of ``month``, as for :meth:`initial`.
            institutions: schools this month, as for :meth:`initial`.

        Returns:
            ``{"ansaettelse": ..., "fravaer": ...}``: the payroll contracts' records of all
            municipalities, sorted by kommune and then ansaettelsesnr resp. fravaersid.

        Raises:
            GeneratorError: if ``month`` does not follow the previous month.
        """
        if self._last_month and month != periods.add_months(self._last_month, 1):
            raise GeneratorError(
                f"workforce advanced to {month} after {self._last_month}",
                hint="advance the workforce one month at a time",
                message_da=f"medarbejderstaben blev ført frem til {month} efter {self._last_month}",
                hint_da="før medarbejderstaben frem én måned ad gangen",
            )
        frame = month_frame(self.world, month, residents, institutions)
        rng = self.world.rng("staff-month", frame.index)
        slots = slots_of_month(self.world, frame, self._units)
        staff = mark_leavers(rng, self._staff, frame, slots)
        staying = staff.end == OPEN
        need = vacancies(slots, staff.take(staying))
        hires = hire(self.world, rng, frame, slots, need, self._next_nr, employed=staff.person_id)
        self._next_nr = self._next_nr + count_by_municipality(self.world, hires.kommune)
        staff = staff.concat(start_in_month(rng, hires, frame))
        staff, spells = month_spells(self.world, frame, staff, self._sick_scale)
        self._month_staff = staff
        self._staff = staff.take(staff.end == OPEN)
        self._last_month = month
        return {
            "ansaettelse": employment_table(staff),
            "fravaer": absence_table(staff, spells, frame.index),
        }

    def summary(self) -> pa.Table:
        """FTE and pay of the last month's employments (leavers and hires included).

        Returns:
            One row per kommune, funktion and personalekategori with ``fte`` (weekly hours / 37)
            and ``pay`` (sum of monthly pay, DKK), sorted by those keys.
        """
        staff = self._month_staff
        table = pa.table(
            {
                "kommune": staff.kommune,
                "funktion": pa.array(ROLE_FUNKTION[staff.role]),
                "personalekategori": pa.array(ROLE_CATEGORY[staff.role]),
                "fte": staff.hours / FULL_TIME,
                "pay": monthly_pay(staff),
            }
        )
        out = table.group_by(["kommune", "funktion", "personalekategori"]).aggregate(
            [("fte", "sum"), ("pay", "sum")]
        )
        out = out.rename_columns(["kommune", "funktion", "personalekategori", "fte", "pay"])
        return out.sort_by(
            [
                ("kommune", "ascending"),
                ("funktion", "ascending"),
                ("personalekategori", "ascending"),
            ]
        )
