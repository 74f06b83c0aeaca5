"""The school system: institutions, classes, enrolments, leaving-exam grades and pupil absence.

Every pupil is a resident child from :class:`~flis.sources.generator.population.Population`.
Stable per-pupil traits (late school start, private school, segregated offer, ability, absence
propensity) are keyed hashes of the person id, so a child keeps them across months and only the
placement (school, class) is state. Classes are formed at each school start and filled by
joiners during the year; enrolments end when a pupil dies, emigrates or moves away.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flis.periods import first_day, last_day, month_index, school_year_start
from flis.reference import codelist, municipalities
from flis.sources.generator.population import Population, cpr_text, date32, to_days
from flis.sources.generator.world import World

Columns = dict[str, np.ndarray]

FOLKESKOLE, YOUTH, SPECIAL, DAY_TREATMENT = "1012", "1014", "1015", "1016"

#: Class kinds: (class type code, label prefix). The kind decides class size and grade bands.
_KINDS = (
    ("ALM", ""),
    ("AGI", ""),
    ("S202", "S"),
    ("S203", "C"),
    ("S203", "K"),
    ("S203", "D"),
    ("ALM", ""),
    ("MOD", "M"),
)
ALM, AGI, S202, S203, SPECIAL_SCHOOL, DAY_SCHOOL, TENTH, RECEPTION = range(8)
_ORDINARY_KINDS = (ALM, AGI, TENTH)
_BAND_LOW = np.array([0, 4, 7])  # lowest grade of the special-offer bands 0–3, 4–6, 7–9

MAX_CLASS = 28
START_CLASS = 26  # largest ordinary class at school start, leaving room for joiners
SMALL_SCHOOL = 180  # ordinary pupils below which a school teaches in age-integrated classes
SCHOOLS_AT_FULL_SCALE = 1060
PRIVATE_SHARE = 0.17
SEGREGATED_SHARE = 0.05
OUT_OF_MUNICIPALITY = 0.04
ABSENCE_RATE = 0.064

_GRADE_CODES = np.array(["-3", "00", "02", "4", "7", "10", "12"])
#: Standard-normal cut points giving shares 1/4/9/16/26/27/17 % (mean grade ≈ 7.35).
_GRADE_CUTS = np.array([-2.326, -1.645, -1.080, -0.524, 0.151, 0.954])
_HUMANISTIC = np.array(["EN_SKR", "TY_MDT", "HI_MDT", "SA_MDT", "KR_MDT"])
_SCIENCE = np.array(["BI_SKR", "GE_SKR", "FK_SKR", "MA_MDT"])
_ABSENCE_TYPES = np.array(["SYG", "FRI", "ULO"])
#: Absence by month relative to the year: more illness in winter, less just after holidays.
_ABSENCE_SEASON = {1: 1.15, 2: 1.2, 3: 1.05, 6: 0.9, 8: 0.8, 9: 0.9, 12: 1.1}
# fmt: off
_NAME_STEMS = (
    "Nørre", "Søndre", "Vester", "Øster", "Bakke", "Skov", "Strand", "Enghave", "Kirke", "Linde",
    "Hede", "Mølle", "Ådals", "Rosen", "Sølyst", "Toftegård", "Bøge", "Holme", "Lystrup",
    "Egebjerg", "Grøn", "Bavne", "Fjord", "Ege",
)
#: Stable per-pupil traits, each drawn from its own salted hash of the person id.
_TRAITS = (
    "late", "private", "segregated", "kind", "choice", "tenth", "ability", "absence", "order",
    "reception", "centre", "special", "school", "draw",
)
# fmt: on


@dataclass
class _Institutions:
    """Static institution register, ordered by (kommune, instnr)."""

    kommune_idx: np.ndarray
    instnr: np.ndarray  # int, 6 digits
    type: np.ndarray  # STIL type code strings
    name: np.ndarray
    catchment: np.ndarray  # share of the municipality's district area (folkeskoler only)
    folk_start: np.ndarray  # per kommune: first folkeskole index
    folk_count: np.ndarray
    centres: np.ndarray  # per kommune: folkeskoler hosting special and reception classes
    youth: np.ndarray  # per kommune: youth school index
    special: np.ndarray  # per kommune: (first, count) of the special schools it uses
    day_treatment: np.ndarray
    partner: np.ndarray  # per kommune: the neighbour whose schools take out-of-area pupils


class SchoolSystem:
    """Municipal schools of all 98 municipalities and their pupils, month by month."""

    def __init__(self, world: World, institutions: _Institutions) -> None:
        self.world = world
        self.inst = institutions
        salts = world.rng("school.salts").integers(0, 2**62, size=len(_TRAITS))
        self._salt = {name: int(salt) for name, salt in zip(_TRAITS, salts, strict=True)}
        self._year = -1
        self._classes: Columns = _empty_classes()
        self._enrol: Columns = _empty_enrolments()
        self._next_enrolment = 1
        self._small = np.zeros(len(institutions.instnr), bool)
        self._month = ""

    @classmethod
    def initial(cls, world: World, population: Population) -> SchoolSystem:
        """Institutions and the enrolments at the start of ``world.months[0]``.

        Also registers the folkeskole districts with ``population``, so that its residents
        carry a school district.
        """
        system = cls(world, _build_institutions(world))
        population.set_school_districts(system._district_table())
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
        self._enrol = _active(self._enrol)
        if start_year != self._year:
            self._start_school_year(population, start_year, to_days(first_day(month)))
        else:
            self._update(population, month)
        if month[5:7] == "07":
            # the school year ends: every enrolment closes and school start opens new ones
            open_ = self._enrol["til"] < 0
            self._enrol["til"][open_] = to_days(last_day(month))
        days = school_days(month)
        return {
            "institution": self._institution_records(len(days)),
            "klasse": self._class_records(),
            "indskrivning": self._enrolment_records(),
            "karakter": self._grade_records(month, days),
            "fravaer": self._absence_records(month, days),
        }

    def institutions_summary(self) -> pa.Table:
        """Per institution: kommune, instnr, institutionstype, pupils, classes, special_classes."""
        e = self._enrol
        end = to_days(last_day(self._month)) if self._month else 0
        current = (e["til"] < 0) | (e["til"] >= end)
        n_inst = len(self.inst.instnr)
        pupils = np.bincount(e["inst"][current], minlength=n_inst)
        used = np.unique(e["cls"][current])
        cls_inst = self._classes["inst"][used]
        special = np.isin(self._classes["kind"][used], (S202, S203, SPECIAL_SCHOOL, DAY_SCHOOL))
        return pa.table(
            {
                "kommune": pa.array(self.world.codes[self.inst.kommune_idx], pa.int64()),
                "instnr": _instnr_text(self.inst.instnr),
                "institutionstype": pa.array(self.inst.type, pa.string()),
                "pupils": pa.array(pupils, pa.int64()),
                "classes": pa.array(np.bincount(cls_inst, minlength=n_inst), pa.int64()),
                "special_classes": pa.array(
                    np.bincount(cls_inst[special], minlength=n_inst), pa.int64()
                ),
            }
        )

    def _district_table(self) -> pa.Table:
        folk = self.inst.type == FOLKESKOLE
        return pa.table(
            {
                "kommune": pa.array(self.world.codes[self.inst.kommune_idx[folk]], pa.int64()),
                "instnr": _instnr_text(self.inst.instnr[folk]),
                "catchment": pa.array(self.inst.catchment[folk]),
            }
        )

    def _u(self, pid: np.ndarray, name: str) -> np.ndarray:
        return hash_uniform(pid, self._salt[name])

    def _placements(self, population: Population, start_year: int) -> Columns:
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
            ((u >= 0.45) & (u < 0.80), _pick(self.inst.special[k], pick), SPECIAL_SCHOOL),
            (u >= 0.80, _pick(self.inst.day_treatment[k], pick), DAY_SCHOOL),
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

    def _group(self, inst: np.ndarray, kind: np.ndarray, grade: np.ndarray) -> np.ndarray:
        """Class group key: classes are formed and filled within one group."""
        kind = np.where((kind == ALM) & self._small[inst], AGI, kind)
        band = np.select(
            [np.isin(kind, (ALM, TENTH)), kind == AGI, kind == RECEPTION],
            [grade, grade // 2, 0],
            np.searchsorted(_BAND_LOW, grade, side="right") - 1,
        )
        key: np.ndarray = (inst * 10 + kind) * 100 + band
        return key

    def _start_school_year(self, population: Population, start_year: int, day: int) -> None:
        """Form new classes from the year's placements and enrol every pupil from ``day``."""
        want = self._placements(population, start_year)
        ordinary = np.bincount(want["inst"][want["kind"] == ALM], minlength=len(self._small))
        self._small = ordinary < SMALL_SCHOOL
        group = self._group(want["inst"], want["kind"], want["grade"])
        # a fresh order each year, so classes are mixed anew at every school start
        shuffle = hash_uniform(want["pid"], self._salt["order"] + start_year)
        order = np.lexsort((shuffle, group))
        want = {name: v[order] for name, v in want.items()}
        group = group[order]
        keys, first, count = np.unique(group, return_index=True, return_counts=True)
        n_classes = _classes_needed(keys, count)
        self._classes = _new_classes(keys, n_classes, np.zeros(len(keys), np.int64))
        class_start = np.concatenate([[0], np.cumsum(n_classes)[:-1]])
        rank = np.arange(len(group)) - np.repeat(first, count)
        slot = np.repeat(class_start, count) + rank % np.repeat(n_classes, count)
        self._year = start_year
        self._enrol = _empty_enrolments()
        # a pupil who moved in after school start is enrolled from the day of moving
        self._add_enrolments(want, slot, np.maximum(day, want["arrived"]))

    def _update(self, population: Population, month: str) -> None:
        """End enrolments of pupils who left or changed placement, and place the newcomers."""
        want = self._placements(population, self._year)
        e = self._enrol
        pos = np.minimum(np.searchsorted(want["pid"], e["pid"]), max(len(want["pid"]) - 1, 0))
        found = (len(want["pid"]) > 0) & (want["pid"][pos] == e["pid"])
        same = found & (want["inst"][pos] == e["inst"]) & (want["kidx"][pos] == e["home"])
        event_day = _event_days(population.month_events)
        start = to_days(first_day(month))
        ending = (e["til"] < 0) & ~same
        e["til"][ending] = _lookup(event_day, e["cpr"][ending], start)
        enrolled = np.isin(want["pid"], e["pid"][e["til"] < 0])
        joiners = {name: v[~enrolled] for name, v in want.items()}
        if len(joiners["pid"]) == 0:
            return
        group = self._group(joiners["inst"], joiners["kind"], joiners["grade"])
        slot = self._join(group)
        self._add_enrolments(joiners, slot, _lookup(event_day, joiners["cpr"], start))

    def _join(self, group: np.ndarray) -> np.ndarray:
        """Class slot per joiner: the group's smallest classes in turn, new classes if needed."""
        cls = self._classes
        size = np.bincount(self._enrol["cls"][self._enrol["til"] < 0], minlength=len(cls["key"]))
        by_size = np.lexsort((size, cls["key"]))
        keys = cls["key"][by_size]
        lo, hi = np.searchsorted(keys, group, "left"), np.searchsorted(keys, group, "right")
        order = np.argsort(group, kind="stable")
        g_sorted = group[order]
        rank = np.empty(len(group), np.int64)
        rank[order] = np.arange(len(group)) - np.searchsorted(g_sorted, g_sorted, "left")
        n = hi - lo
        slot = np.full(len(group), -1, np.int64)
        if len(keys):
            pick = np.minimum(lo + rank % np.maximum(n, 1), len(keys) - 1)
            slot = np.where(n > 0, by_size[pick], -1)
        # seats a joiner takes beyond the class ceiling go to new classes in the same group
        seat = np.where(slot >= 0, size[np.maximum(slot, 0)], 0) + rank // np.maximum(n, 1)
        ordinary = np.isin((group // 100) % 10, _ORDINARY_KINDS)
        overflow = (slot < 0) | (ordinary & (seat >= MAX_CLASS))
        if overflow.any():
            slot[overflow] = self._open_classes(group[overflow], keys)
        return slot

    def _open_classes(self, group: np.ndarray, keys: np.ndarray) -> np.ndarray:
        """New classes for joiners who found no seat; returns their class slots."""
        new_keys, count = np.unique(group, return_counts=True)
        inverse = np.searchsorted(new_keys, group)
        order = np.argsort(group, kind="stable")
        rank = np.empty(len(group), np.int64)
        rank[order] = np.arange(len(group)) - np.repeat(np.cumsum(count) - count, count)
        n_new = _classes_needed(new_keys, count)
        existing = np.searchsorted(keys, new_keys, "right") - np.searchsorted(keys, new_keys)
        added = _new_classes(new_keys, n_new, existing)
        base = len(self._classes["key"])
        self._classes = {k: np.concatenate([self._classes[k], added[k]]) for k in self._classes}
        start = base + np.cumsum(n_new) - n_new
        slot: np.ndarray = start[inverse] + rank % n_new[inverse]
        return slot

    def _add_enrolments(self, pupils: Columns, slot: np.ndarray, fra: np.ndarray) -> None:
        n = len(slot)
        inst = self._classes["inst"][slot]
        added = {
            "id": np.arange(self._next_enrolment, self._next_enrolment + n, dtype=np.int64),
            "pid": pupils["pid"],
            "cpr": pupils["cpr"],
            "inst": inst,
            "cls": slot,
            "grade": pupils["grade"],
            "home": pupils["kidx"],
            "socio": pupils["socio"],
            "fra": fra.astype(np.int64),
            "til": np.full(n, -1, np.int64),
        }
        self._next_enrolment += n
        merged = {name: np.concatenate([self._enrol[name], added[name]]) for name in added}
        order = np.argsort(merged["pid"], kind="stable")
        self._enrol = {name: v[order] for name, v in merged.items()}

    def _institution_records(self, n_days: int) -> pa.Table:
        inst = self.inst
        return pa.table(
            {
                "kommune": pa.array(self.world.codes[inst.kommune_idx], pa.int64()),
                "instnr": _instnr_text(inst.instnr),
                "navn": pa.array(inst.name, pa.string()),
                "institutionstype": pa.array(inst.type, pa.string()),
                "skoledage": pa.array(np.full(len(inst.instnr), n_days), pa.int64()),
            }
        )

    def _class_records(self) -> pa.Table:
        cls = self._classes
        kommune = self.world.codes[self.inst.kommune_idx[cls["inst"]]]
        class_id = _class_ids(self.inst.instnr[cls["inst"]], cls["label"])
        order = np.lexsort((class_id, kommune))
        kind = cls["kind"][order]
        return pa.table(
            {
                "kommune": pa.array(kommune[order], pa.int64()),
                "klasse_id": pa.array(class_id[order], pa.string()),
                "instnr": _instnr_text(self.inst.instnr[cls["inst"][order]]),
                "klassetrin": pa.array(cls["grade"][order].astype(str), pa.string()),
                "klassetype": pa.array(np.array([t for t, _ in _KINDS])[kind], pa.string()),
                "skoleaar": pa.array(np.full(len(order), self._year), pa.int64()),
            }
        )

    def _enrolment_records(self) -> pa.Table:
        e = self._enrol
        owner = self.inst.kommune_idx[e["inst"]]
        class_id = _class_ids(self.inst.instnr[e["inst"]], self._classes["label"][e["cls"]])
        order = np.lexsort((e["cpr"], class_id, self.inst.instnr[e["inst"]], owner))
        e = {name: v[order] for name, v in e.items()}
        owner, class_id = owner[order], class_id[order]
        codes = self.world.codes
        payer = np.where(owner != e["home"], codes[e["home"]], -1)
        return pa.table(
            {
                "kommune": pa.array(codes[owner], pa.int64()),
                "indskrivning_id": pa.array(e["id"]).cast(pa.string()),
                "cpr": cpr_text(e["cpr"]),
                "instnr": _instnr_text(self.inst.instnr[e["inst"]]),
                "klasse_id": pa.array(class_id, pa.string()),
                "klassetrin": pa.array(e["grade"].astype(str), pa.string()),
                "hjemkommune": pa.array(codes[e["home"]], pa.int64()),
                "betalerkommune": pa.array(payer, pa.int64(), mask=payer < 0),
                "fra_dato": date32(e["fra"]),
                "til_dato": date32(e["til"], e["til"] < 0),
            }
        )

    def _grade_records(self, month: str, days: list[dt.date]) -> pa.Table:
        """June: leaving-exam grades of 9th graders in folkeskole classes."""
        e = self._enrol
        kind = self._classes["kind"][e["cls"]]
        sitting = (e["grade"] == 9) & (e["til"] < 0) & np.isin(kind, (ALM, AGI, S202, S203))
        if month[5:7] != "06" or not days or not sitting.any():
            return _empty_grades()
        rows = np.flatnonzero(sitting)
        special = np.isin(kind[rows], (S202, S203))
        rng = self.world.rng("school.exams", month_index(month))
        subjects, exam_type, taken = _exam_plan(
            rng, e["cls"][rows], e["pid"][rows], special=special, salt=self._salt["draw"]
        )
        ability = hash_normal(e["pid"][rows], self._salt["ability"])
        # pupil level from ability and the municipality's socio trait, plus exam-day noise
        level = 0.1 * e["socio"][rows] + 0.74 * ability - 0.8 * special
        latent = level[:, None] + 0.67 * rng.standard_normal(subjects.shape)
        grade = _special_codes(rng, _GRADE_CODES[np.searchsorted(_GRADE_CUTS, latent)], exam_type)
        pupil, col = np.nonzero(taken)
        exam_day = np.array([to_days(d) for d in days])
        src = rows[pupil]
        owner = self.inst.kommune_idx[e["inst"][src]]
        order = np.lexsort((subjects[pupil, col], e["cpr"][src], owner))
        pupil, col, src = pupil[order], col[order], src[order]
        return pa.table(
            {
                "kommune": pa.array(self.world.codes[owner[order]], pa.int64()),
                "cpr": cpr_text(e["cpr"][src]),
                "instnr": _instnr_text(self.inst.instnr[e["inst"][src]]),
                "fag": pa.array(subjects[pupil, col], pa.string()),
                "proevetype": pa.array(exam_type[pupil, col], pa.string()),
                "karakter": pa.array(grade[pupil, col], pa.string()),
                "dato": date32(exam_day[np.minimum(col * 2, len(exam_day) - 1)]),
            }
        )

    def _absence_records(self, month: str, days: list[dt.date]) -> pa.Table:
        """One record per pupil per absent school day while enrolled."""
        e = self._enrol
        if not days or len(e["pid"]) == 0:
            return _empty_absence()
        day = np.array([to_days(d) for d in days])
        rng = self.world.rng("school.absence", month_index(month))
        kind = _absence_spells(rng, self._absence_rate(month, e), e["socio"], len(day))
        until = np.where(e["til"] < 0, day[-1] + 1, e["til"])
        enrolled = (day[None, :] >= e["fra"][:, None]) & (day[None, :] < until[:, None])
        row, col = np.nonzero((kind >= 0) & enrolled)
        owner = self.inst.kommune_idx[e["inst"][row]]
        order = np.lexsort((col, e["cpr"][row], owner))
        row, col = row[order], col[order]
        return pa.table(
            {
                "kommune": pa.array(self.world.codes[owner[order]], pa.int64()),
                "cpr": cpr_text(e["cpr"][row]),
                "instnr": _instnr_text(self.inst.instnr[e["inst"][row]]),
                "dato": date32(day[col]),
                "fravaerstype": pa.array(_ABSENCE_TYPES[kind[row, col]], pa.string()),
            }
        )

    def _absence_rate(self, month: str, e: Columns) -> np.ndarray:
        """Daily absence probability: municipality level × pupil propensity × season."""
        season = _ABSENCE_SEASON.get(int(month[5:7]), 1.0)
        propensity = np.exp(0.75 * hash_normal(e["pid"], self._salt["absence"]) - 0.28)
        segregated = np.isin(
            self._classes["kind"][e["cls"]], (S202, S203, SPECIAL_SCHOOL, DAY_SCHOOL)
        )
        level = ABSENCE_RATE * np.exp(-0.12 * e["socio"]) * (0.85 + 0.035 * e["grade"])
        rate: np.ndarray = level * propensity * season * np.where(segregated, 1.5, 1.0)
        capped: np.ndarray = np.minimum(rate, 0.7)
        return capped


def _absence_spells(
    rng: np.random.Generator, rate: np.ndarray, socio: np.ndarray, n_days: int
) -> np.ndarray:
    """Absence type index per pupil and school day (-1 = present), drawn as spells.

    Absence comes in spells of a few days (mean 2), each of one type: illness mostly,
    authorised leave more where socio is high, unauthorised more where it is low and among
    pupils who are often away.
    """
    mean_spell = 2.0
    starts = rng.random((len(rate), n_days), dtype=np.float32) < (rate / mean_spell)[:, None]
    length = rng.geometric(1 / mean_spell, size=starts.shape).astype(np.int16)
    unauthorised = np.clip(0.08 - 0.03 * socio + 0.12 * (rate > 0.1), 0.02, 0.4)[:, None]
    leave = np.clip(0.18 + 0.03 * socio, 0.05, 0.4)[:, None]
    u = rng.random(starts.shape, dtype=np.float32)
    kind = np.where(u < unauthorised, 2, np.where(u < unauthorised + leave, 1, 0))
    # running maximum of (spell end, type): a day is absent while the latest spell lasts
    col = np.arange(n_days, dtype=np.int32)
    code = np.where(starts, (col + length) * 4 + kind, -1).astype(np.int32)
    current = np.maximum.accumulate(code, axis=1)
    absent = current // 4 > col
    result: np.ndarray = np.where(absent & (current >= 0), current % 4, -1)
    return result


def hash_uniform(ids: np.ndarray, salt: int) -> np.ndarray:
    """A stable uniform in [0, 1) per id (splitmix64), so traits persist without state."""
    x = ids.astype(np.uint64) + np.uint64(salt)
    x = x * np.uint64(0x9E3779B97F4A7C15)
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    result: np.ndarray = (x >> np.uint64(11)).astype(np.float64) / float(2**53)
    return result


def hash_normal(ids: np.ndarray, salt: int) -> np.ndarray:
    """A stable standard-normal draw per id (Box–Muller on two hash uniforms)."""
    u1 = np.maximum(hash_uniform(ids, salt), 1e-12)
    u2 = hash_uniform(ids, salt ^ 0x5DEECE66D)
    result: np.ndarray = np.sqrt(-2 * np.log(u1)) * np.cos(2 * np.pi * u2)
    return result


def school_days(month: str) -> list[dt.date]:
    """Weekdays of ``month`` outside the school holidays (≈200 school days a year)."""
    start, end = first_day(month), last_day(month)
    off = _holidays(start.year)
    days = [start + dt.timedelta(n) for n in range((end - start).days + 1)]
    return [d for d in days if d.weekday() < 5 and d not in off]


def _holidays(year: int) -> set[dt.date]:
    """Danish school holidays and public holidays of a calendar year."""
    easter = _easter(year)
    off = {easter + dt.timedelta(n) for n in (*range(-6, 2), 39, 40, 50)}
    if year < 2024:
        off.add(easter + dt.timedelta(26))  # Store Bededag, abolished from 2024
    off.add(dt.date(year, 6, 5))
    august = dt.date(year, 8, 1)
    first_monday = august + dt.timedelta((7 - august.weekday()) % 7)
    # summer holiday from late June until the second Monday of August
    off |= _span(dt.date(year, 6, 27), first_monday + dt.timedelta(6))
    for week in (7, 42):
        off |= _span(dt.date.fromisocalendar(year, week, 1), dt.date.fromisocalendar(year, week, 5))
    off |= _span(dt.date(year, 12, 21), dt.date(year, 12, 31))
    off |= _span(dt.date(year, 1, 1), dt.date(year, 1, 2))
    return off


def _span(first: dt.date, last: dt.date) -> set[dt.date]:
    return {first + dt.timedelta(n) for n in range((last - first).days + 1)}


def _easter(year: int) -> dt.date:
    """Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return dt.date(year, month, day + 1)


def _build_institutions(world: World) -> _Institutions:
    """Folkeskoler (fewer, larger in cities), youth, special and day-treatment schools."""
    rng = world.rng("school.institutions")
    pop = np.array([m.population for m in municipalities()], dtype=np.float64)
    urb = world.traits["urbanity"]
    need = pop * 0.12 / (250 + 500 * urb)
    n_folk = np.maximum(1, np.rint(need * SCHOOLS_AT_FULL_SCALE / need.sum() * world.scale))
    n_special = np.where(pop >= 40_000, np.maximum(1, np.rint(pop / 150_000)), 0)
    n_day = np.where(pop >= 55_000, np.maximum(1, np.rint(pop / 250_000)), 0)
    counts = np.stack([n_folk, np.ones(98), n_special, n_day], axis=1).astype(np.int64)
    types = np.array([FOLKESKOLE, YOUTH, SPECIAL, DAY_TREATMENT])
    kidx = np.repeat(np.repeat(np.arange(98), 4), counts.ravel())
    type_idx = np.tile(np.arange(4), 98).repeat(counts.ravel())
    seq = np.arange(len(kidx)) - np.repeat(np.cumsum(counts.sum(1)) - counts.sum(1), counts.sum(1))
    instnr = world.codes[kidx] * 1000 + seq + 1
    # catchments sorted largest first, so the first folkeskoler are the centre schools
    catchment = np.zeros(len(kidx))
    folk_start = np.cumsum(counts.sum(1)) - counts.sum(1)
    for k in range(98):
        share = np.sort(rng.dirichlet(np.full(n_folk[k].astype(int), 3.0)))[::-1]
        catchment[folk_start[k] : folk_start[k] + len(share)] = share
    return _Institutions(
        kommune_idx=kidx,
        instnr=instnr,
        type=types[type_idx],
        name=_names(world, kidx, type_idx, seq),
        catchment=catchment,
        folk_start=folk_start,
        folk_count=counts[:, 0],
        centres=np.ceil(counts[:, 0] / 10).astype(np.int64),
        youth=folk_start + counts[:, 0],
        special=_providers(world, counts[:, 2], folk_start + counts[:, 0] + 1),
        day_treatment=_providers(world, counts[:, 3], folk_start + counts[:, :3].sum(1)),
        partner=_partners(world, np.ones(98, np.int64)),
    )


def _names(world: World, kidx: np.ndarray, type_idx: np.ndarray, seq: np.ndarray) -> np.ndarray:
    names = np.array([m.name for m in municipalities()], dtype=object)
    stems = np.array(_NAME_STEMS, dtype=object)
    town = names[kidx]
    stem = stems[(seq + kidx * 7) % len(stems)]
    return np.select(
        [type_idx == 0, type_idx == 1, type_idx == 2],
        [stem + "skolen", town + " Ungdomsskole", town + " Specialskole"],
        "Dagbehandlingsskolen " + town,
    )


def _partners(world: World, has: np.ndarray) -> np.ndarray:
    """Nearest other municipality with ``has`` > 0, preferring the same region."""
    codes = world.codes.astype(np.float64)
    region = np.array([m.region_code for m in municipalities()])
    dist = np.abs(codes[:, None] - codes[None, :]) + np.where(
        region[:, None] == region[None, :], 0, 1000
    )
    dist = np.where(has[None, :] > 0, dist, np.inf)
    np.fill_diagonal(dist, np.inf)
    result: np.ndarray = dist.argmin(axis=1)
    return result


def _providers(world: World, count: np.ndarray, first: np.ndarray) -> np.ndarray:
    """(first index, count) of the schools a municipality uses: its own, else a neighbour's."""
    provider = np.where(count > 0, np.arange(98), _partners(world, count))
    return np.stack([first[provider], count[provider]], axis=1)


def _pick(provider: np.ndarray, u: np.ndarray) -> np.ndarray:
    result: np.ndarray = provider[:, 0] + np.floor(u * provider[:, 1]).astype(np.int64)
    return result


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


def _classes_needed(keys: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Classes per group: ≈22 in ordinary classes (never over 26 at start), ≈8 in special."""
    ordinary = np.isin((keys // 100) % 10, _ORDINARY_KINDS)
    regular = np.ceil(count / START_CLASS)
    other = np.where((keys // 100) % 10 == RECEPTION, np.ceil(count / 12), np.ceil(count / 8))
    return np.maximum(1, np.where(ordinary, regular, other)).astype(np.int64)


def _new_classes(keys: np.ndarray, n: np.ndarray, offset: np.ndarray) -> Columns:
    """Class rows for ``n`` classes per group key, lettered from ``offset`` on."""
    key = np.repeat(keys, n)
    letter = np.arange(len(key)) - np.repeat(np.cumsum(n) - n, n) + np.repeat(offset, n)
    inst, kind, band = key // 1000, (key // 100) % 10, key % 100
    grade = np.select(
        [np.isin(kind, (ALM, TENTH)), kind == AGI, kind == RECEPTION],
        [band, band * 2, 1],
        _BAND_LOW[np.minimum(band, 2)],
    )
    prefix = np.array([p for _, p in _KINDS], dtype=object)[kind]
    stem = np.where(
        kind == AGI,
        grade.astype(str).astype(object) + "-" + (grade + 1).astype(str).astype(object),
        np.where(
            np.isin(kind, (ALM, TENTH)),
            grade.astype(str).astype(object),
            prefix + (band + 1).astype(str).astype(object),
        ),
    )
    return {
        "key": key,
        "inst": inst,
        "kind": kind,
        "grade": grade,
        "label": stem + _letters(letter),
    }


def _letters(index: np.ndarray) -> np.ndarray:
    """A, B, … Z, then AA, AB …"""
    alphabet = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), dtype=object)
    single = alphabet[index % 26]
    result: np.ndarray = np.where(
        index < 26, single, alphabet[np.maximum(index // 26 - 1, 0) % 26] + single
    )
    return result


def _class_ids(instnr: np.ndarray, label: np.ndarray) -> np.ndarray:
    joined = instnr.astype(str).astype(object) + "-" + label
    result: np.ndarray = joined.astype(str)
    return result


def _instnr_text(instnr: np.ndarray) -> pa.Array:
    return pa.array(instnr.astype(str), pa.string())


def _empty_classes() -> Columns:
    return {
        "key": np.zeros(0, np.int64),
        "inst": np.zeros(0, np.int64),
        "kind": np.zeros(0, np.int64),
        "grade": np.zeros(0, np.int64),
        "label": np.zeros(0, dtype=object),
    }


def _empty_enrolments() -> Columns:
    ints = ("id", "pid", "cpr", "inst", "cls", "grade", "home", "fra", "til")
    cols: Columns = {name: np.zeros(0, np.int64) for name in ints}
    cols["socio"] = np.zeros(0)
    return cols


def _active(e: Columns) -> Columns:
    """Drop enrolments that ended in an earlier month."""
    keep = e["til"] < 0
    return {name: v[keep] for name, v in e.items()}


def _event_days(events: pa.Table) -> tuple[np.ndarray, np.ndarray]:
    """(cpr, day) of the month's events, sorted by cpr, for looking up leave and join dates."""
    cpr = pc.cast(events.column("cpr"), pa.int64()).to_numpy()
    day = events.column("dato").to_numpy().astype("datetime64[D]").astype(np.int64)
    order = np.lexsort((day, cpr))
    return cpr[order], day[order]


def _lookup(event_day: tuple[np.ndarray, np.ndarray], cpr: np.ndarray, default: int) -> np.ndarray:
    keys, days = event_day
    if len(keys) == 0:
        return np.full(len(cpr), default, np.int64)
    pos = np.minimum(np.searchsorted(keys, cpr), len(keys) - 1)
    return np.where(keys[pos] == cpr, days[pos], default)


def _exam_plan(
    rng: np.random.Generator, cls: np.ndarray, pid: np.ndarray, *, special: np.ndarray, salt: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Subjects (pupils × 10), exam types and which exams each pupil sits."""
    compulsory = np.array(codelist("exam_subject").where(compulsory=True))
    n = len(cls)
    # the two drawn subjects are drawn per class, like the ministry's draw per school
    hum = _HUMANISTIC[(hash_uniform(cls, salt) * len(_HUMANISTIC)).astype(np.int64)]
    sci = _SCIENCE[(hash_uniform(cls, salt + 1) * len(_SCIENCE)).astype(np.int64)]
    subjects = np.concatenate([np.tile(compulsory, (n, 1)), hum[:, None], sci[:, None]], axis=1)
    exam_type = np.where(np.arange(subjects.shape[1]) < len(compulsory), "B", "U")
    exam_type = np.tile(exam_type, (n, 1))
    skips_all = special & (hash_uniform(pid, salt + 2) < 0.4)
    partial = special[:, None] & (rng.random(subjects.shape) < 0.3)
    taken = ~skips_all[:, None] & ~partial
    return subjects, exam_type, taken


def _special_codes(
    rng: np.random.Generator, grade: np.ndarray, exam_type: np.ndarray
) -> np.ndarray:
    """A few exempted (FR, whole pupil), ill (SY) and absent (IM) compulsory exams."""
    out = grade.astype(object)
    u = rng.random(grade.shape)
    compulsory = exam_type == "B"
    out[compulsory & (u < 0.006)] = "SY"
    out[compulsory & (u >= 0.006) & (u < 0.010)] = "IM"
    exempt = rng.random(len(grade)) < 0.012
    out[exempt[:, None] & compulsory] = "FR"
    return out


def _empty_grades() -> pa.Table:
    return pa.table(
        {
            "kommune": pa.array([], pa.int64()),
            "cpr": pa.array([], pa.string()),
            "instnr": pa.array([], pa.string()),
            "fag": pa.array([], pa.string()),
            "proevetype": pa.array([], pa.string()),
            "karakter": pa.array([], pa.string()),
            "dato": pa.array([], pa.date32()),
        }
    )


def _empty_absence() -> pa.Table:
    return pa.table(
        {
            "kommune": pa.array([], pa.int64()),
            "cpr": pa.array([], pa.string()),
            "instnr": pa.array([], pa.string()),
            "dato": pa.array([], pa.date32()),
            "fravaerstype": pa.array([], pa.string()),
        }
    )
