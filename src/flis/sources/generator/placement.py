"""Pupil placement: which school and class kind each resident child is taught in this year.

Children in free and private schools are left out; the rest go to their district school, another
school by free choice, a neighbour municipality's school, a segregated offer or a reception
class, decided by stable per-pupil traits.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flis.sources.generator.classes import (
    ALM,
    DAY_SCHOOL,
    RECEPTION,
    S202,
    S203,
    SPECIAL_SCHOOL,
    TENTH,
    Columns,
)
from flis.sources.generator.institutions import Institutions, pick_school
from flis.sources.generator.population import Population
from flis.sources.generator.pupil_traits import PupilTraits
from flis.sources.generator.world import World

PRIVATE_SHARE = 0.17


SEGREGATED_SHARE = 0.05


OUT_OF_MUNICIPALITY = 0.04


class Placement:
    """Places a year's pupils in schools of the institution register."""

    def __init__(self, world: World, inst: Institutions, traits: PupilTraits) -> None:
        self.world = world
        self.inst = inst
        self._u = traits.uniform

    def plan(self, population: Population, start_year: int) -> Columns:
        """Where each eligible child should be taught this school year (private pupils left out)."""
        c = _children(population, start_year)
        pid, k = c["pid"], c["kidx"]
        socio = self.world.traits["socio"][k]
        late = self._u(pid, "late") < 0.035
        grade = start_year - 6 - c["byear"] - late
        private = self._u(pid, "private") < _private_share(self.world)[k]
        tenth = (grade == 10) & (self._u(pid, "tenth") < 0.25)
        keep = ((grade >= 0) & (grade <= 9) | tenth) & ~private
        c = {name: v[keep] for name, v in c.items()}
        grade, pid, k, socio = grade[keep], pid[keep], k[keep], socio[keep]
        seg_share = _segregated_share(self.world)[k] * (0.7 + 0.06 * grade)
        segregated = (grade <= 9) & (self._u(pid, "segregated") < seg_share)
        c["district"] = self._district_index(c["district"])
        inst, kind = self._ordinary_school(c, k, grade)
        inst, kind = self._segregated_offer(c, k, grade, segregated, inst, kind)
        reception = (
            ~segregated
            & (grade >= 1)
            & (grade <= 9)
            & c["recent"]
            & (self._u(pid, "reception") < 0.3)
        )
        # reception classes gather at the municipality's largest school
        largest = self.inst.folk_start[k]
        inst, kind = np.where(reception, largest, inst), np.where(reception, RECEPTION, kind)
        return {
            "pid": pid,
            "cpr": c["cpr"],
            "kidx": k,
            "grade": grade,
            "inst": inst,
            "kind": kind,
            "socio": socio,
            "arrived": c["arrived"],
        }

    def _district_index(self, instnr: np.ndarray) -> np.ndarray:
        """Institution index of a district instnr (-1 when the child has no district)."""
        pos = np.minimum(np.searchsorted(self.inst.instnr, instnr), len(self.inst.instnr) - 1)
        result: np.ndarray = np.where(self.inst.instnr[pos] == instnr, pos, -1)
        return result

    def _ordinary_school(
        self, c: Columns, k: np.ndarray, grade: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """District school, another own school by free choice, or a neighbour's school."""
        inst = self.inst
        choice, other = self._u(c["pid"], "choice"), self._u(c["pid"], "school")
        own_any = inst.folk_start[k] + np.floor(other * inst.folk_count[k]).astype(np.int64)
        school = np.where(c["district"] >= 0, c["district"], own_any)
        school = np.where((choice >= OUT_OF_MUNICIPALITY) & (choice < 0.12), own_any, school)
        p = inst.partner[k]
        away = inst.folk_start[p] + np.floor(other * inst.folk_count[p]).astype(np.int64)
        school = np.where(choice < OUT_OF_MUNICIPALITY, away, school)
        school = np.where(grade == 10, inst.youth[k], school)
        kind = np.where(grade == 10, TENTH, ALM)
        return school, kind

    def _segregated_offer(
        self,
        c: Columns,
        k: np.ndarray,
        grade: np.ndarray,
        segregated: np.ndarray,
        inst: np.ndarray,
        kind: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Special class at a centre school, a special school or a day-treatment school."""
        u = self._u(c["pid"], "kind")
        pick = self._u(c["pid"], "special")
        offers = (
            (u < 0.32, self._centre(c["pid"], k), S202),
            ((u >= 0.32) & (u < 0.45), self._centre(c["pid"], k), S203),
            ((u >= 0.45) & (u < 0.80), pick_school(self.inst.special[k], pick), SPECIAL_SCHOOL),
            (u >= 0.80, pick_school(self.inst.day_treatment[k], pick), DAY_SCHOOL),
        )
        for flag, where, code in offers:
            take = segregated & flag
            inst = np.where(take, where, inst)
            kind = np.where(take, code, kind)
        return inst, kind

    def _centre(self, pid: np.ndarray, k: np.ndarray) -> np.ndarray:
        u = self._u(pid, "centre")
        centre: np.ndarray = self.inst.folk_start[k] + np.floor(u * self.inst.centres[k])
        return centre.astype(np.int64)


def _private_share(world: World) -> np.ndarray:
    """Share of children in free and private schools (≈17 %, more where socio is high)."""
    raw = np.exp(0.15 * world.traits["socio"])
    share = PRIVATE_SHARE * raw / np.average(raw, weights=world.population_target)
    clipped: np.ndarray = np.clip(share, 0.08, 0.3)
    return clipped


def _segregated_share(world: World) -> np.ndarray:
    """Share of pupils in segregated offers: ≈5 %, 3–8 % following the socio trait."""
    raw = np.exp(-0.22 * world.traits["socio"])
    share = SEGREGATED_SHARE * raw / np.average(raw, weights=world.population_target)
    clipped: np.ndarray = np.clip(share, 0.028, 0.085)
    return clipped


def _children(population: Population, start_year: int) -> Columns:
    """Resident children who may be pupils in the school year, as NumPy columns by person id."""
    res = population.residents()
    birth = res.column("birth_date").to_numpy().astype("datetime64[D]")
    byear = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    rows = np.flatnonzero((byear >= start_year - 17) & (byear <= start_year - 6))
    res = res.take(pa.array(rows))
    district = res.column("school_district").fill_null("-1")
    moved = res.column("moved_in").to_numpy(zero_copy_only=False).astype("datetime64[D]")
    # arrival within a year before school start, fixed for the school year so placements hold
    recent = (~np.isnat(moved)) & (moved >= np.datetime64(f"{start_year - 1}-08-01"))
    foreign = pc.not_equal(res.column("citizenship"), "DK").to_numpy(zero_copy_only=False)
    cols = {
        "pid": res.column("person_id").to_numpy(),
        "cpr": pc.cast(res.column("cpr"), pa.int64()).to_numpy(),
        "kidx": np.searchsorted(population.world.codes, res.column("kommune").to_numpy()),
        "byear": byear[rows],
        "district": pc.cast(district, pa.int64()).to_numpy(),
        "recent": recent & foreign,
        "arrived": np.where(np.isnat(moved), -1, moved.astype(np.int64)),
    }
    order = np.argsort(cols["pid"])
    return {name: v[order] for name, v in cols.items()}
