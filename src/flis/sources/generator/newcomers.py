"""Newcomers to the register: newborns and immigrants, with fresh person ids and CPR numbers."""

from __future__ import annotations

import numpy as np

from flis.sources.generator.age_structure import immigrant_ages
from flis.sources.generator.citizenship import draw_citizenship, foreign_share
from flis.sources.generator.civil_status import draw_civil_status
from flis.sources.generator.cpr_numbers import SerialBook
from flis.sources.generator.days import age_at
from flis.sources.generator.world import World

State = dict[str, np.ndarray]

BIRTHS_PER_YEAR = 0.0105
IMMIGRATION_PER_YEAR = 0.0105


class Newcomers:
    """Draws each month's newborns and immigrants; person ids run on from ``next_pid``."""

    def __init__(self, world: World, serials: SerialBook, next_pid: int) -> None:
        self.world = world
        self._serials = serials
        self._next_pid = next_pid
        self._foreign = foreign_share(world)

    def births(self, rng: np.random.Generator, state: State, start: int, end: int) -> State:
        """Newborns, spread over municipalities by their number of women aged 20–44."""
        kidx = state["kommune_idx"]
        age = age_at(state["birth"], start)
        female = state["sex"] == 1
        mothers = np.bincount(kidx[female & (age >= 20) & (age < 45)], minlength=98)
        expected = BIRTHS_PER_YEAR / 12 * len(kidx) * mothers / max(1, mothers.sum())
        count = rng.poisson(expected)
        where = np.repeat(np.arange(98), count)
        day = start + rng.integers(0, end - start + 1, len(where))
        zero = np.zeros(len(where), np.int64)
        people = self._people(
            rng, where, day, zero, foreign=self._foreign[where] * 0.5, male_share=0.513
        )
        people["moved_in"] = np.full(len(where), -1, np.int64)
        people["event_day"] = day
        return people

    def immigrants(self, rng: np.random.Generator, state: State, start: int, end: int) -> State:
        """Immigrants, mostly young adults, more of them to cities."""
        total = rng.poisson(IMMIGRATION_PER_YEAR / 12 * len(state["kommune_idx"]))
        urb, socio = self.world.traits["urbanity"], self.world.traits["socio"]
        weight = self.world.population_target * (0.4 + urb) * np.exp(-0.15 * socio)
        where = np.repeat(np.arange(98), rng.multinomial(total, weight / weight.sum()))
        age = immigrant_ages(rng, len(where))
        day = start + rng.integers(0, end - start + 1, len(where))
        birth = day - np.floor((age + rng.random(len(where))) * 365.2425).astype(np.int64) - 1
        people = self._people(rng, where, birth, age, foreign=np.full(len(where), 0.7))
        people["moved_in"] = day
        people["event_day"] = day
        return people

    def _people(
        self,
        rng: np.random.Generator,
        kommune_idx: np.ndarray,
        birth: np.ndarray,
        age: np.ndarray,
        *,
        foreign: np.ndarray,
        male_share: float | None = None,
    ) -> State:
        """New persons numbered on from the last person id handed out."""
        people = new_people(
            rng,
            self._serials,
            kommune_idx,
            birth,
            age,
            start_pid=self._next_pid,
            foreign=foreign,
            male_share=male_share,
        )
        self._next_pid += len(kommune_idx)
        return people


def new_people(
    rng: np.random.Generator,
    serials: SerialBook,
    kommune_idx: np.ndarray,
    birth: np.ndarray,
    age: np.ndarray,
    *,
    start_pid: int,
    foreign: np.ndarray,
    male_share: float | None = None,
) -> State:
    """State columns for new persons (moved_in left to the caller)."""
    n = len(kommune_idx)
    p_female = (
        np.full(n, 1 - male_share)
        if male_share is not None
        else np.clip(0.49 + np.maximum(age - 70, 0) * 0.006, 0.49, 0.72)
    )
    sex = (rng.random(n) < p_female).astype(np.int8)
    return {
        "person_id": np.arange(start_pid, start_pid + n, dtype=np.int64),
        "cpr": serials.assign(birth, (sex == 0).astype(np.int64)),
        "kommune_idx": kommune_idx.astype(np.int64),
        "birth": birth.astype(np.int64),
        "sex": sex,
        "civil": draw_civil_status(rng, age),
        "citizen": draw_citizenship(rng, np.clip(foreign, 0, 0.95), eu=0.45),
        "address": rng.random(n),
    }
