"""The national resident register, simulated month by month.

The state is one set of NumPy columns per living resident. Each month people die, emigrate and
move between municipalities, and newborns and immigrants join as new persons, so that person ids
and CPR numbers persist across months and the month's events explain the change in residents.
Dates are held as int32 days since 1970-01-01, the storage of Arrow's ``date32``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from flis.errors import GeneratorError
from flis.periods import first_day, last_day, month_index
from flis.sources.generator.age_structure import initial_ages
from flis.sources.generator.citizenship import CITIZEN_CODES, foreign_age_factor, foreign_share
from flis.sources.generator.civil_status import CIVIL_CODES, update_marital
from flis.sources.generator.cpr_events import Events, add_events, events_table
from flis.sources.generator.cpr_numbers import SerialBook, cpr_text
from flis.sources.generator.days import EPOCH, age_at, date32, to_days
from flis.sources.generator.life_events import destinations, draw_exits, move_matrix
from flis.sources.generator.newcomers import Newcomers, State, new_people
from flis.sources.generator.school_districts import SchoolDistricts
from flis.sources.generator.world import World

__all__ = ["Population", "age_at", "to_days"]


class Population:
    """All residents of Denmark at a status date, advanced one month at a time."""

    def __init__(self, world: World, state: State, serials: SerialBook, status_day: int) -> None:
        self.world = world
        self._state = state
        self._status_day = status_day
        next_pid = int(state["person_id"].max(initial=-1)) + 1
        self._newcomers = Newcomers(world, serials, next_pid)
        self._districts = SchoolDistricts(world)
        self._cache: pa.Table | None = None
        self._move_cum = [np.cumsum(move_matrix(world, y), axis=1) for y in (True, False)]
        self.month_events: pa.Table = events_table({})

    @classmethod
    def initial(cls, world: World) -> Population:
        """The population at the first day of ``world.months[0]``.

        Args:
            world: The run's world; residents per municipality follow ``population_target``.
        """
        rng = world.rng("population.initial")
        day0 = to_days(first_day(world.months[0]))
        kommune_idx = np.repeat(np.arange(98), world.population_target)
        age = initial_ages(rng, world, kommune_idx)
        birth = day0 - np.floor((age + rng.random(len(age))) * 365.2425).astype(np.int64) - 1
        serials = SerialBook()
        state = new_people(
            rng,
            serials,
            kommune_idx,
            birth,
            age,
            start_pid=0,
            foreign=foreign_share(world)[kommune_idx] * foreign_age_factor(age),
        )
        moved = rng.random(len(age)) < np.where(age >= 18, 0.6, 0.3)
        earliest = np.maximum(birth, day0 - 25 * 365)
        moved_day = earliest + np.floor(rng.random(len(age)) * (day0 - earliest)).astype(np.int64)
        state["moved_in"] = np.where(moved, moved_day, -1)
        return cls(world, state, serials, day0)

    @property
    def status_day(self) -> int:
        """The status date (int days): first day of the first month, then each month's end."""
        return self._status_day

    def set_school_districts(self, districts: pa.Table) -> None:
        """Register district schools: columns kommune, instnr and catchment share per kommune.

        A resident's hidden address falls in one catchment of their municipality, so the district
        follows the person and changes when they move.
        """
        self._districts.register(districts)
        self._cache = None

    def residents(self) -> pa.Table:
        """Current residents (CPR status 01) at the status date, sorted by (kommune, cpr).

        Returns:
            Columns person_id (int64, stable), cpr (10-digit string), kommune (int64),
            birth_date (date32), sex ("M"/"K"), civil_status, citizenship (code lists),
            moved_in (date32, null if born there or long ago) and school_district (instnr of
            the district folkeskole for children aged 5–16, else null).
        """
        if self._cache is None:
            self._cache = self._residents_table()
        return self._cache

    def advance(self, month: str) -> pa.Table:
        """Simulate ``month``'s events and move the state to the month's last day.

        Args:
            month: ``YYYY-MM``, the first world month or the month after the last advanced.

        Returns:
            The month's events: cpr, kommune (reporting municipality), haendelse (FOD, DOD,
            TIL, FRA, IND, UDV), dato (date32) and anden_kommune (int64, the other
            municipality of a move, else null), sorted by (kommune, cpr, haendelse, dato).

        Raises:
            GeneratorError: ``month`` does not follow the population's status date.
        """
        start, end = to_days(first_day(month)), to_days(last_day(month))
        if start not in (self._status_day, self._status_day + 1):
            status = dt.date.fromordinal(EPOCH.toordinal() + self._status_day)
            raise GeneratorError(
                f"cannot advance the population to {month}: its state is at {status}",
                hint="advance month by month from the world's first month",
                message_da=f"kan ikke føre befolkningen frem til {month}: den står ved {status}",
                hint_da="før den frem én måned ad gangen fra verdens første måned",
            )
        rng = self.world.rng("population.events", month_index(month))
        events: Events = {}
        self._exits_and_moves(rng, start, end, events)
        self._admit(self._newcomers.births(rng, self._state, start, end), "FOD", events)
        self._admit(self._newcomers.immigrants(rng, self._state, start, end), "IND", events)
        self._status_day = end
        self._cache = None
        self.month_events = events_table(events)
        return self.month_events

    def _exits_and_moves(
        self, rng: np.random.Generator, start: int, end: int, events: Events
    ) -> None:
        """Deaths, emigrations and moves between municipalities among the month's residents."""
        s, codes = self._state, self.world.codes
        age = age_at(s["birth"], start)
        female = s["sex"] == 1
        dies, leaves, moves = draw_exits(rng, age, female, foreign=s["citizen"] > 0)
        when = start + rng.integers(0, end - start + 1, len(age))
        dest = destinations(rng, self._move_cum, s["kommune_idx"][moves], age[moves])
        home = codes[s["kommune_idx"]]
        add_events(events, s["cpr"][dies], home[dies], "DOD", when[dies])
        add_events(events, s["cpr"][leaves], home[leaves], "UDV", when[leaves])
        add_events(events, s["cpr"][moves], home[moves], "FRA", when[moves], other=codes[dest])
        add_events(events, s["cpr"][moves], codes[dest], "TIL", when[moves], other=home[moves])
        update_marital(rng, s["civil"], age, female)
        s["moved_in"][moves] = when[moves]
        s["address"][moves] = rng.random(int(moves.sum()))
        s["kommune_idx"][moves] = dest
        keep = ~(dies | leaves)
        self._state = {k: v[keep] for k, v in s.items()}

    def _admit(self, people: State, code: str, events: Events) -> None:
        """Add newborns or immigrants to the state, with their FOD/IND events."""
        kommune = self.world.codes[people["kommune_idx"]]
        add_events(events, people["cpr"], kommune, code, people.pop("event_day"))
        self._state = {k: np.concatenate([v, people[k]]) for k, v in self._state.items()}

    def _residents_table(self) -> pa.Table:
        """The state as the residents table, sorted by (kommune, cpr)."""
        s = self._state
        kommune = self.world.codes[s["kommune_idx"]]
        order = np.lexsort((s["cpr"], kommune))
        s = {k: v[order] for k, v in s.items()}
        return pa.table(
            {
                "person_id": pa.array(s["person_id"], pa.int64()),
                "cpr": cpr_text(s["cpr"]),
                "kommune": pa.array(kommune[order], pa.int64()),
                "birth_date": date32(s["birth"]),
                "sex": pa.array(np.where(s["sex"] == 1, "K", "M")),
                "civil_status": pa.array(CIVIL_CODES[s["civil"]]),
                "citizenship": pa.array(CITIZEN_CODES[s["citizen"]]),
                "moved_in": date32(s["moved_in"], s["moved_in"] < 0),
                "school_district": self._districts.of(s, self._status_day),
            }
        )
