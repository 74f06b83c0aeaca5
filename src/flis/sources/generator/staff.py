"""The municipal workforce: employments that persist month by month, and their absence.

Headcounts follow the residents and schools the municipality serves (teachers per pupil, day
care per child aged 0–5, elderly care per resident aged 65+/80+, administration per inhabitant).
Each month some employees leave, vacancies are filled from the adult residents, and absence
periods are drawn per employee from category, municipality and a personal, skewed propensity.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flis import periods
from flis.errors import GeneratorError
from flis.reference.codelists import codelist
from flis.sources.generator.world import World

FULL_TIME = 37.0
_EPOCH = np.datetime64("1970-01-01", "D")
_YEAR = 365.25


@dataclass(frozen=True)
class _Role:
    """A kind of post: staff category on an account function, and what its headcount follows."""

    category: str
    funktion: str
    agreement: str
    driver: str  # a school column (_SCHOOL_DRIVERS) or a resident group (_RESIDENT_DRIVERS)
    per: float  # posts per driver unit
    base: float = 0.0  # posts per school regardless of size


@dataclass(frozen=True)
class _Terms:
    """Employment terms of a staff category."""

    pay: float  # full-time monthly pay, DKK
    female: float
    part_time: float
    hourly: float
    civil: float


#: Posts per driver unit. "teach" is teacher FTE (pupils / the municipality's pupils per
#: teacher, plus 1.2 per special class), turned into heads as a few teachers work part time;
#: the other rates are heads per pupil, child, elderly resident or inhabitant, tuned so that
#: about 8.5 % of residents work for their municipality.
_ROLES = (
    _Role("20", "3.22.01", "LC", "teach", 1 / 0.98),
    _Role("21", "3.22.01", "SKL", "pupils", 1 / 320, base=1.0),
    _Role("10", "3.22.01", "HK", "pupils", 1 / 450, base=0.8),
    _Role("70", "3.22.01", "3F", "pupils", 1 / 600, base=0.8),
    _Role("22", "3.22.05", "BUPL", "sfo", 0.027),
    _Role("31", "3.22.05", "FOAP", "sfo", 0.011),
    _Role("20", "3.22.08", "LC", "special", 1 / 3.5),
    _Role("22", "3.22.08", "BUPL", "special", 1 / 6),
    _Role("21", "3.22.08", "SKL", "special", 1 / 90, base=0.8),
    _Role("30", "5.25.14", "BUPL", "age0_5", 0.100),
    _Role("31", "5.25.14", "FOAP", "age0_5", 0.070),
    _Role("32", "5.25.14", "FOAP", "age0_5", 0.028),
    _Role("40", "5.30.26", "FOAS", "age65", 0.040),
    _Role("40", "5.30.27", "FOAS", "age80", 0.230),
    _Role("41", "5.30.27", "DSR", "age80", 0.034),
    _Role("41", "4.62.82", "DSR", "age0_17", 0.0045),
    _Role("42", "5.38.50", "SL", "pop", 0.0085),
    _Role("42", "5.28.20", "SL", "age0_17", 0.0045),
    _Role("50", "5.28.21", "DS", "pop", 0.0034),
    _Role("10", "6.45.51", "HK", "pop", 0.0102),
    _Role("60", "6.45.51", "AC", "pop", 0.0057),
    _Role("70", "2.28.20", "3F", "pop", 0.0046),
    _Role("10", "3.32.50", "HK", "pop", 0.0009),
)

_TERMS = {
    "10": _Terms(34_000, 0.80, 0.20, 0.02, 0.10),
    "20": _Terms(45_000, 0.70, 0.10, 0.03, 0.42),
    "21": _Terms(60_000, 0.55, 0.00, 0.00, 0.70),
    "22": _Terms(37_000, 0.75, 0.30, 0.06, 0.03),
    "30": _Terms(37_000, 0.85, 0.40, 0.05, 0.03),
    "31": _Terms(29_500, 0.80, 0.50, 0.10, 0.01),
    "32": _Terms(31_000, 0.95, 0.10, 0.00, 0.01),
    "40": _Terms(31_500, 0.90, 0.55, 0.06, 0.01),
    "41": _Terms(41_000, 0.95, 0.40, 0.03, 0.03),
    "42": _Terms(37_500, 0.70, 0.35, 0.05, 0.02),
    "50": _Terms(41_500, 0.85, 0.15, 0.01, 0.05),
    "60": _Terms(50_000, 0.60, 0.10, 0.01, 0.15),
    "70": _Terms(33_000, 0.15, 0.10, 0.03, 0.08),
}

#: School columns that drive school posts, and the institution types they count.
_SCHOOL_DRIVERS = {
    "teach": ("1012", "1014"),
    "pupils": ("1012", "1014"),
    "sfo": ("1012",),
    "special": ("1015", "1016"),
}
_RESIDENT_DRIVERS = ("pop", "age0_5", "age0_17", "age65", "age80")

#: Cost-centre block per function (cost centre = kommune * 10000 + block + unit) and the posts
#: per unit, so that e.g. pedagogues and assistants share day-care centres.
_CENTRE_BLOCK = {
    "5.25.14": (2000, 18),
    "5.30.26": (3000, 40),
    "5.30.27": (3500, 45),
    "4.62.82": (4000, 25),
    "5.38.50": (5000, 30),
    "5.28.20": (5500, 20),
    "5.28.21": (6000, 30),
    "6.45.51": (7000, 40),
    "2.28.20": (8000, 25),
    "3.32.50": (9000, 15),
}
_MAX_UNITS = 499
#: Functions whose posts sit at cost centres rather than schools.
CENTRE_FUNCTIONS = frozenset(_CENTRE_BLOCK)

_LEAVE_RATE = 0.0115  # per month; hourly staff move more, civil servants less
_NEIGHBOUR_SHARE = 0.15  # employees living in another (nearby) municipality


def cost_centre(kommune: np.ndarray, funktion: str, unit: np.ndarray | int = 0) -> np.ndarray:
    """Cost-centre numbers of a function's units in each municipality (7 digits)."""
    block = _CENTRE_BLOCK[funktion][0]
    return np.asarray(kommune, dtype=np.int64) * 10_000 + block + np.asarray(unit, np.int64)


@dataclass(frozen=True)
class _Staff:
    """Column arrays of employments, one row per employment (sorted by ``emp_nr``)."""

    emp_nr: np.ndarray  # kommune * 1_000_000 + running number: sorts by municipality first
    kommune: np.ndarray
    person_id: np.ndarray
    cpr: pa.Array
    female: np.ndarray
    birth: np.ndarray  # days since epoch
    role: np.ndarray
    workplace: np.ndarray  # instnr or cost centre as int64
    form: np.ndarray  # employment form 1/2/3
    hours: np.ndarray
    pay_level: np.ndarray  # full-time monthly pay (hourly: pay per hour)
    start: np.ndarray  # days since epoch
    end: np.ndarray  # days since epoch; _OPEN when ongoing
    frailty: np.ndarray  # personal sickness propensity, mean 1, skewed
    busy_until: np.ndarray  # last day of an absence period running into the next month
    busy_type: np.ndarray

    def take(self, idx: np.ndarray) -> _Staff:
        """The employments at ``idx`` (indices or boolean mask)."""
        idx = np.flatnonzero(idx) if idx.dtype == bool else idx
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        out = {k: (v.take(pa.array(idx)) if k == "cpr" else v[idx]) for k, v in values.items()}
        return _Staff(**out)

    def concat(self, other: _Staff) -> _Staff:
        """Both sets of employments, re-sorted by employment number."""
        out: dict[str, object] = {}
        for f in fields(self):
            a, b = getattr(self, f.name), getattr(other, f.name)
            out[f.name] = pa.concat_arrays([a, b]) if f.name == "cpr" else np.concatenate([a, b])
        joined = _Staff(**out)  # type: ignore[arg-type]
        return joined.take(np.argsort(joined.emp_nr, kind="stable"))

    def __len__(self) -> int:
        return len(self.emp_nr)


_OPEN = np.iinfo(np.int32).max


@dataclass(frozen=True)
class _Frame:
    """Per-month inputs in array form: residents and schools of all municipalities."""

    month: str
    index: int  # month index (periods.month_index)
    first: int  # first day, days since epoch
    last: int
    res_kommune: np.ndarray
    res_person: np.ndarray
    res_birth: np.ndarray
    res_female: np.ndarray
    res_cpr: pa.Array
    bounds: np.ndarray  # residents of municipality i are rows bounds[i]:bounds[i+1]
    drivers: dict[str, np.ndarray]  # resident drivers per municipality (aligned with codes)
    schools: pa.Table


class Workforce:
    """All municipalities' employments, advanced one month at a time."""

    def __init__(
        self,
        world: World,
        staff: _Staff,
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
        frame = _frame(world, month, residents, institutions)
        units = _units(world, frame)
        slots = _slots(world, frame, units)
        rng = world.rng("staff-initial", frame.index)
        hires = _hire(
            world,
            rng,
            frame,
            slots,
            slots[3],
            np.zeros(len(world.codes), np.int64),
            employed=np.zeros(0, np.int64),
        )
        tenure = np.rint(rng.exponential(9 * _YEAR, len(hires))).astype(np.int64)
        earliest = hires.birth + int(20 * _YEAR)
        start = np.maximum(frame.first - 1 - tenure, np.minimum(earliest, frame.first - 1))
        staff = replace(hires, start=start.astype(np.int64))
        sick_scale = _calibrate(world, staff)
        staff = _initial_busy(world, rng, staff, frame.first, sick_scale)
        next_nr = _count_by_municipality(world, staff.kommune)
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
            )
        frame = _frame(self.world, month, residents, institutions)
        rng = self.world.rng("staff-month", frame.index)
        slots = _slots(self.world, frame, self._units)
        staff = self._leave(rng, frame, slots)
        staying = staff.end == _OPEN
        need = _vacancies(slots, staff.take(staying))
        hires = _hire(self.world, rng, frame, slots, need, self._next_nr, employed=staff.person_id)
        self._next_nr = self._next_nr + _count_by_municipality(self.world, hires.kommune)
        start = frame.first + np.where(
            rng.random(len(hires)) < 0.6,
            0,
            rng.integers(0, frame.last - frame.first + 1, len(hires)),
        )
        staff = staff.concat(replace(hires, start=start.astype(np.int64)))
        staff, spells = _month_spells(self.world, frame, staff, self._sick_scale)
        self._month_staff = staff
        self._staff = staff.take(staff.end == _OPEN)
        self._last_month = month
        return {
            "ansaettelse": _employment_table(staff),
            "fravaer": _absence_table(staff, spells, frame.index),
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
                "funktion": pa.array(_ROLE_FUNKTION[staff.role]),
                "personalekategori": pa.array(_ROLE_CATEGORY[staff.role]),
                "fte": staff.hours / FULL_TIME,
                "pay": _monthly_pay(staff),
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

    def _leave(
        self, rng: np.random.Generator, frame: _Frame, slots: tuple[np.ndarray, ...]
    ) -> _Staff:
        """Mark this month's leavers with an end date in the month."""
        staff = self._staff
        n = len(staff)
        age = (frame.first - staff.birth) / _YEAR
        rate = np.where(staff.form == 3, 3.5, np.where(staff.form == 1, 0.45, 1.0)) * _LEAVE_RATE
        rate = np.where(age >= 66, 0.08, rate)
        gone = rng.random(n) < rate
        gone |= age >= 69.9
        gone |= ~np.isin(staff.person_id, frame.res_person)  # died or emigrated
        gone |= ~np.isin(_slot_key(staff.workplace, staff.role), _slot_key(slots[2], slots[1]))
        # posts cut at a workplace go by faster turnover of the surplus, not by lay-offs
        gone |= _surplus(rng, staff, ~gone, slots) & (rng.random(n) < 0.3)
        span = frame.last - frame.first + 1
        day = np.where(rng.random(n) < 0.6, span - 1, rng.integers(0, span, n))
        end = np.maximum(frame.first + day, staff.start)
        return replace(staff, end=np.where(gone, end, _OPEN).astype(np.int64))


_ROLE_CATEGORY = np.array([r.category for r in _ROLES])
_ROLE_FUNKTION = np.array([r.funktion for r in _ROLES])
_ROLE_AGREEMENT = np.array([r.agreement for r in _ROLES])


def _term(name: str) -> np.ndarray:
    """A terms attribute per role, as an array indexed by role."""
    return np.array([getattr(_TERMS[r.category], name) for r in _ROLES], dtype=np.float64)


def _frame(world: World, month: str, residents: pa.Table, institutions: pa.Table) -> _Frame:
    """Arrays of one month's inputs, with per-municipality resident drivers."""
    first = int((np.datetime64(periods.first_day(month), "D") - _EPOCH).astype(np.int64))
    last = int((np.datetime64(periods.last_day(month), "D") - _EPOCH).astype(np.int64))
    kommune = residents.column("kommune").to_numpy()
    birth = residents.column("birth_date").cast(pa.int32()).to_numpy().astype(np.int64)
    idx = np.searchsorted(world.codes, kommune)
    age = (last - birth) / _YEAR
    groups = {
        "pop": np.ones(len(age), bool),
        "age0_5": age < 6,
        "age0_17": age < 18,
        "age65": age >= 65,
        "age80": age >= 80,
    }
    drivers = {
        k: np.bincount(idx[m], minlength=len(world.codes)).astype(np.float64)
        for k, m in groups.items()
    }
    return _Frame(
        month=month,
        index=periods.month_index(month),
        first=first,
        last=last,
        res_kommune=idx,
        res_person=residents.column("person_id").to_numpy(),
        res_birth=birth,
        res_female=pc.equal(residents.column("sex"), "K").to_numpy(zero_copy_only=False),
        res_cpr=residents.column("cpr").combine_chunks(),
        bounds=np.searchsorted(idx, np.arange(len(world.codes) + 1)),
        drivers=drivers,
        schools=institutions,
    )


def _staffing_factor(world: World) -> np.ndarray:
    """Per-municipality staffing level: rural municipalities run more posts per inhabitant."""
    rng = world.rng("staff-level")
    urban = world.traits["urbanity"]
    return np.asarray(
        np.exp(-0.12 * (urban - urban.mean()) / urban.std() + rng.normal(0, 0.05, len(urban)))
    )


def _pupils_per_teacher(world: World) -> np.ndarray:
    """Pupils per full-time teacher: 10.5–12.8, lower in small and rural municipalities."""
    rng = world.rng("staff-teacher-ratio")
    t = world.traits
    ratio = 11.6 + 0.45 * t["size"] + 0.3 * (t["urbanity"] - 0.5) + rng.normal(0, 0.3, 98)
    return np.clip(ratio, 10.5, 12.8)


def _units(world: World, frame: _Frame) -> dict[str, np.ndarray]:
    """Cost centres per municipality and function, fixed for the run, with size weights."""
    rng = world.rng("staff-units")
    factor = _staffing_factor(world)
    kommune, funktion, unit, weight = [], [], [], []
    for f, (_, size) in _CENTRE_BLOCK.items():
        posts = sum(r.per * frame.drivers[r.driver] for r in _ROLES if r.funktion == f) * factor
        count = np.clip(np.ceil(posts / size), 1, _MAX_UNITS).astype(np.int64)
        kommune.append(np.repeat(world.codes, count))
        funktion.append(np.full(int(count.sum()), f))
        unit.append(np.concatenate([np.arange(c) for c in count]))
        weight.append(0.6 + 0.8 * rng.random(int(count.sum())))
    return {
        "kommune": np.concatenate(kommune),
        "funktion": np.concatenate(funktion),
        "unit": np.concatenate(unit),
        "weight": np.concatenate(weight),
    }


def _hash_unit(key: np.ndarray) -> np.ndarray:
    """A fixed pseudo-random number in [0, 1) per key (splitmix64), for stable rounding."""
    x = key.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def _slot_key(workplace: np.ndarray, role: np.ndarray) -> np.ndarray:
    return np.asarray(workplace.astype(np.int64) * 64 + role)


def _slots(
    world: World, frame: _Frame, units: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Posts per workplace and role this month: (kommune, role, workplace, posts)."""
    parts = [_school_slots(world, frame), _centre_slots(world, frame, units)]
    kommune, role, workplace, posts = (np.concatenate([p[i] for p in parts]) for i in range(4))
    # hires are numbered in slot order, which must run by municipality
    keep = np.flatnonzero(posts > 0)
    keep = keep[np.argsort(kommune[keep], kind="stable")]
    return kommune[keep], role[keep], workplace[keep], posts[keep]


def _school_slots(world: World, frame: _Frame) -> tuple[np.ndarray, ...]:
    """Posts at each school: teachers per pupil, leaders, SFO, special-school staff."""
    s = frame.schools
    kommune = s.column("kommune").to_numpy()
    instnr = np.asarray(pc.cast(s.column("instnr"), pa.int64()).to_numpy())
    itype = np.asarray(s.column("institutionstype").to_numpy(zero_copy_only=False))
    pupils = s.column("pupils").to_numpy().astype(np.float64)
    special_classes = s.column("special_classes").to_numpy().astype(np.float64)
    ratio = _pupils_per_teacher(world)[np.searchsorted(world.codes, kommune)]
    out: list[tuple[np.ndarray, ...]] = []
    for i, r in enumerate(_ROLES):
        if r.driver not in _SCHOOL_DRIVERS:
            continue
        mask = np.isin(itype, _SCHOOL_DRIVERS[r.driver]) & (pupils > 0)
        driver = pupils / ratio + 1.2 * special_classes if r.driver == "teach" else pupils
        want = r.base + r.per * driver
        posts = np.floor(want + _hash_unit(_slot_key(instnr, np.full(len(instnr), i))))
        out.append(
            (kommune[mask], np.full(int(mask.sum()), i), instnr[mask], posts[mask].astype(np.int64))
        )
    return tuple(np.concatenate([o[j] for o in out]) for j in range(4))


def _centre_slots(
    world: World, frame: _Frame, units: dict[str, np.ndarray]
) -> tuple[np.ndarray, ...]:
    """Posts per cost centre: the municipality's posts of a role spread by unit weights."""
    factor = _staffing_factor(world)
    out: list[tuple[np.ndarray, ...]] = []
    for i, r in enumerate(_ROLES):
        if r.driver not in _RESIDENT_DRIVERS:
            continue
        mine = units["funktion"] == r.funktion
        kommune, unit, weight = units["kommune"][mine], units["unit"][mine], units["weight"][mine]
        idx = np.searchsorted(world.codes, kommune)
        total = (r.per * frame.drivers[r.driver] * factor)[idx]
        share = weight / np.bincount(idx, weight, minlength=len(world.codes))[idx]
        workplace = cost_centre(kommune, r.funktion, unit)
        posts = np.floor(total * share + _hash_unit(_slot_key(workplace, np.full(len(idx), i))))
        out.append((kommune, np.full(len(idx), i), workplace, posts.astype(np.int64)))
    return tuple(np.concatenate([o[j] for o in out]) for j in range(4))


def _vacancies(slots: tuple[np.ndarray, ...], staying: _Staff) -> np.ndarray:
    """Posts per slot not covered by staff who stay."""
    have_keys, have = np.unique(_slot_key(staying.workplace, staying.role), return_counts=True)
    covered = _lookup(have_keys, have, _slot_key(slots[2], slots[1]))
    return np.asarray(np.maximum(slots[3] - covered, 0))


def _lookup(keys: np.ndarray, values: np.ndarray, query: np.ndarray) -> np.ndarray:
    """The value of each query key among sorted unique ``keys``, 0 where it is absent."""
    if len(keys) == 0:
        return np.zeros(len(query), values.dtype)
    pos = np.clip(np.searchsorted(keys, query), 0, len(keys) - 1)
    return np.asarray(np.where(keys[pos] == query, values[pos], 0))


def _surplus(
    rng: np.random.Generator, staff: _Staff, staying: np.ndarray, slots: tuple[np.ndarray, ...]
) -> np.ndarray:
    """Staying employees beyond their slot's posts (a random choice within each slot)."""
    keys = _slot_key(staff.workplace, staff.role)
    order = np.lexsort((rng.random(len(keys)), keys))
    order = order[staying[order]]
    sorted_keys = keys[order]
    rank = np.arange(len(order)) - np.searchsorted(sorted_keys, sorted_keys)
    slot_keys = _slot_key(slots[2], slots[1])
    by_key = np.argsort(slot_keys)
    posts = _lookup(slot_keys[by_key], slots[3][by_key], sorted_keys)
    out = np.zeros(len(keys), bool)
    out[order] = rank >= posts
    return out


def _count_by_municipality(world: World, kommune: np.ndarray) -> np.ndarray:
    return np.bincount(np.searchsorted(world.codes, kommune), minlength=len(world.codes))


def _hire(
    world: World,
    rng: np.random.Generator,
    frame: _Frame,
    slots: tuple[np.ndarray, ...],
    need: np.ndarray,
    next_nr: np.ndarray,
    employed: np.ndarray,
) -> _Staff:
    """New employments filling ``need`` posts per slot, with people and terms drawn."""
    kommune = np.repeat(slots[0], need)
    role = np.repeat(slots[1], need)
    workplace = np.repeat(slots[2], need)
    n = len(kommune)
    muni = np.searchsorted(world.codes, kommune)
    # employment numbers run on per municipality; hires arrive sorted by municipality
    order_in_muni = np.arange(n) - np.searchsorted(muni, muni)
    emp_nr = kommune * 1_000_000 + next_nr[muni] + order_in_muni + 1
    female = rng.random(n) < _term("female")[role]
    home = np.where(
        rng.random(n) < _NEIGHBOUR_SHARE,
        np.clip(muni + rng.choice([-3, -2, -1, 1, 2, 3], n), 0, len(world.codes) - 1),
        muni,
    )
    rows = _pick_people(rng, frame, home, female, employed)
    form, hours, pay = _terms(rng, role)
    return _Staff(
        emp_nr=emp_nr,
        kommune=kommune,
        person_id=frame.res_person[rows],
        cpr=frame.res_cpr.take(pa.array(rows)),
        female=frame.res_female[rows],
        birth=frame.res_birth[rows],
        role=role,
        workplace=workplace,
        form=form,
        hours=hours,
        pay_level=pay,
        start=np.full(n, frame.first, np.int64),
        end=np.full(n, _OPEN, np.int64),
        frailty=rng.gamma(0.8, 1 / 0.8, n),
        busy_until=np.full(n, frame.first - 1, np.int64),
        busy_type=np.zeros(n, np.int64),
    )


def _terms(rng: np.random.Generator, role: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Employment form, weekly hours and pay level per new employment."""
    n = len(role)
    u = rng.random(n)
    hourly = u < _term("hourly")[role]
    civil = ~hourly & (u < _term("hourly")[role] + _term("civil")[role])
    form = np.where(hourly, 3, np.where(civil, 1, 2)).astype(np.int64)
    part = rng.random(n) < _term("part_time")[role]
    hours = np.where(part, rng.choice([25.0, 28.0, 30.0, 32.0], n), FULL_TIME)
    hours = np.where(hourly, rng.integers(6, 21, n).astype(np.float64), hours)
    level = _term("pay")[role] * rng.normal(1.0, 0.07, n)
    # hourly staff are paid per hour at a little above the salaried hourly rate
    level = np.where(hourly, level / 160.33 * 1.1, level)
    return form, hours, level


def _monthly_pay(staff: _Staff) -> np.ndarray:
    """Monthly pay: pro rata for salaried staff, hours times rate for hourly staff."""
    salaried = staff.pay_level * staff.hours / FULL_TIME
    hourly = staff.pay_level * staff.hours * 4.33
    return np.asarray(np.round(np.where(staff.form == 3, hourly, salaried), 2))


def _pick_people(
    rng: np.random.Generator,
    frame: _Frame,
    home: np.ndarray,
    female: np.ndarray,
    employed: np.ndarray,
) -> np.ndarray:
    """Resident rows for new employees: adults of the home municipality, not yet employed."""
    age = (frame.first - frame.res_birth) / _YEAR
    adult = (age >= 20) & (age < 66)
    free = adult & ~np.isin(frame.res_person, employed)
    rows = np.empty(len(home), np.int64)
    order = np.lexsort((female, home))
    group = home[order] * 2 + female[order]
    edges = np.searchsorted(group, np.arange(2 * len(frame.bounds)))
    for g in np.unique(group):
        take = order[edges[g] : edges[g + 1]]
        lo, hi = frame.bounds[g // 2], frame.bounds[g // 2 + 1]
        sex = frame.res_female[lo:hi] == bool(g % 2)
        rows[take] = lo + _choose(rng, free[lo:hi] & sex, adult[lo:hi], len(take))
    return rows


def _choose(
    rng: np.random.Generator, free: np.ndarray, adult: np.ndarray, count: int
) -> np.ndarray:
    """``count`` distinct free positions, topping up from any adult (a second job) if short."""
    pool = np.flatnonzero(free)
    if len(pool) >= count:
        return rng.choice(pool, count, replace=False)
    extra_pool = np.flatnonzero(adult)
    if len(extra_pool) == 0:
        extra_pool = np.arange(len(adult))
    extra = (
        rng.choice(extra_pool, count - len(pool), replace=True)
        if len(extra_pool)
        else np.zeros(count - len(pool), np.int64)
    )
    return np.concatenate([rng.permutation(pool), extra])


def _employment_table(staff: _Staff) -> pa.Table:
    """The payroll-employment records (all municipalities, sorted by employment number)."""
    instnr = pc.cast(pa.array(staff.workplace), pa.string())
    return pa.table(
        {
            "kommune": pa.array(staff.kommune, pa.int64()),
            "cpr": staff.cpr,
            "ansaettelsesnr": pc.cast(pa.array(staff.emp_nr), pa.string()),
            "arbejdssted": pc.utf8_lpad(instnr, width=6, padding="0"),
            "funktion": pa.array(_ROLE_FUNKTION[staff.role]),
            "personalekategori": pa.array(_ROLE_CATEGORY[staff.role]),
            "overenskomst": pa.array(_ROLE_AGREEMENT[staff.role]),
            "ansaettelsesform": pc.cast(pa.array(staff.form), pa.string()),
            "ugentlige_timer": pa.array(staff.hours, pa.float64()),
            "maanedsloen": pa.array(_monthly_pay(staff), pa.float64()),
            "startdato": pa.array(staff.start.astype(np.int32), pa.date32()),
            "slutdato": pa.array(staff.end.astype(np.int32), pa.date32(), mask=staff.end == _OPEN),
        }
    )


# Absence. Each employee gets two half-month slots per month; in each, at most one new absence
# period starts (after any running one), so periods of one employment never overlap.
_ABSENCE_TYPES = np.array(
    ["EGEN_SYGDOM", "ARBEJDSSKADE", "DELVIS_SYGDOM", "BARNS_SYGDOM", "BARSEL_ADOPTION", "ANDET"]
)
_SHORT, _LONG, _INJURY, _PARTIAL, _CHILD, _LEAVE, _OTHER = range(7)
_KIND_TYPE = np.array([0, 0, 1, 2, 3, 4, 5])
#: Chance per half month of each sickness kind for an employee with 12 sick days a year
#: (3.5-day short spells, 67-day long spells, 14.8-day injuries, partial days of 3.5 hours),
#: raised 11 % for days lost to running periods, parental leave and leavers (measured).
_SICK_CHANCE = np.array([0.0774, 0.00286, 0.00169, 0.0266]) * 1.11
_LONG_DAYS, _LEAVE_DAYS_F, _LEAVE_DAYS_M = 67.0, 215.0, 30.0


def _sick_level(world: World) -> np.ndarray:
    """Sickness level per municipality, 0.8–1.2: higher where the socio-economic level is low."""
    rng = world.rng("staff-sick-level")
    socio = world.traits["socio"]
    return np.clip(np.exp(-0.1 * socio + rng.normal(0, 0.06, len(socio))), 0.8, 1.2)


def _category_days(staff: _Staff) -> np.ndarray:
    """The staff category's national sick days (code-list attribute) per employment."""
    days = np.array(
        [float(codelist("staff_category").get(c).attrs["sick_days"]) for c in _ROLE_CATEGORY]
    )
    return np.asarray(days[staff.role])


def _calibrate(world: World, staff: _Staff) -> float:
    """Scale that makes sick days per full-time employee 12 nationally for this staff mix."""
    level = _sick_level(world)[np.searchsorted(world.codes, staff.kommune)]
    relative = _category_days(staff) / 12 * level
    return float(1 / np.average(relative, weights=staff.hours))


def _sick_rate(world: World, staff: _Staff, sick_scale: float) -> np.ndarray:
    """Each employee's sickness multiplier relative to 12 days a year."""
    level = _sick_level(world)[np.searchsorted(world.codes, staff.kommune)]
    return np.asarray(_category_days(staff) / 12 * level * sick_scale * staff.frailty)


def _initial_busy(
    world: World, rng: np.random.Generator, staff: _Staff, first: int, sick_scale: float
) -> _Staff:
    """Long sickness and parental leave already running when the simulation starts."""
    n = len(staff)
    age = (first - staff.birth) / _YEAR
    p_long = 24 * _SICK_CHANCE[1] * _sick_rate(world, staff, sick_scale) * _LONG_DAYS * 1.4 / 365
    p_leave = (
        _leave_chance(staff.female, age)
        * 24
        * 1.4
        / 365
        * np.where(staff.female, _LEAVE_DAYS_F, _LEAVE_DAYS_M)
    )
    u = rng.random(n)
    kind = np.where(u < p_long, _LONG, np.where(u < p_long + p_leave, _LEAVE, -1))
    left = np.ceil(rng.random(n) * _length(rng, np.maximum(kind, 0), staff.female))
    until = np.busday_offset(_day(first), np.maximum(left, 1).astype(np.int64) - 1, roll="forward")
    busy = kind >= 0
    return replace(
        staff,
        busy_until=np.where(busy, _days(until), first - 1),
        busy_type=np.where(busy, _KIND_TYPE[np.maximum(kind, 0)], 0),
    )


def _leave_chance(female: np.ndarray, age: np.ndarray) -> np.ndarray:
    """Chance per half month of starting parental leave."""
    return np.where(female, 0.0035 * ((age >= 26) & (age < 42)), 0.002 * ((age >= 26) & (age < 46)))


def _kind_chances(world: World, staff: _Staff, first: int, sick_scale: float) -> np.ndarray:
    """Cumulative chance per half month of each absence kind, one row per employee."""
    age = (first - staff.birth) / _YEAR
    sick = _SICK_CHANCE[None, :] * _sick_rate(world, staff, sick_scale)[:, None]
    child = 0.03 * ((age >= 25) & (age < 50))
    other = np.full(len(staff), 0.008)
    chances = np.column_stack([sick, child, _leave_chance(staff.female, age), other])
    total = chances.sum(axis=1, keepdims=True)
    chances = chances / np.maximum(total / 0.95, 1.0)
    return np.cumsum(chances, axis=1)


def _length(rng: np.random.Generator, kind: np.ndarray, female: np.ndarray) -> np.ndarray:
    """Working days of a new period of each kind."""
    n = len(kind)
    short = 1 + rng.poisson(2.5, n)
    long = np.minimum(10 + rng.lognormal(3.8, 0.7, n), 250)
    injury = np.where(rng.random(n) < 0.7, 1 + rng.poisson(3, n), 15 + rng.poisson(25, n))
    child = 1 + (rng.random(n) < 0.4)
    leave = np.where(female, 150 + rng.integers(0, 131, n), 10 + rng.integers(0, 41, n))
    other = 1 + rng.integers(0, 5, n)
    table = np.column_stack([short, long, injury, np.ones(n), child, leave, other])
    return np.asarray(np.rint(table[np.arange(n), kind]).astype(np.int64))


def _day(days: np.ndarray | int) -> np.ndarray:
    return _EPOCH + np.asarray(days, dtype=np.int64).astype("timedelta64[D]")


def _days(dates: np.ndarray) -> np.ndarray:
    return (dates - _EPOCH).astype(np.int64)


@dataclass
class _Spells:
    """Absence periods of one month as columns; ``row`` points into the month's staff."""

    row: list[np.ndarray]
    kind: list[np.ndarray]
    fra: list[np.ndarray]
    til: list[np.ndarray]

    def add(self, row: np.ndarray, kind: np.ndarray, fra: np.ndarray, til: np.ndarray) -> None:
        self.row.append(row)
        self.kind.append(kind)
        self.fra.append(fra)
        self.til.append(til)


def _month_spells(
    world: World, frame: _Frame, staff: _Staff, sick_scale: float
) -> tuple[_Staff, dict[str, np.ndarray]]:
    """Absence periods of the month, and the staff with periods running into next month."""
    rng = world.rng("staff-absence", frame.index)
    n, first, last = len(staff), frame.first, frame.last
    lo = np.maximum(first, staff.start)
    hi = np.minimum(last, staff.end)
    spells = _Spells([], [], [], [])
    running = staff.busy_until >= first
    rows = np.flatnonzero(running)
    spells.add(rows, staff.busy_type[rows], lo[rows], np.minimum(staff.busy_until, hi)[rows])
    carry_until = np.where(running & (staff.busy_until > last), staff.busy_until, -1)
    carry_kind = np.where(carry_until >= 0, staff.busy_type, 0)
    free_from = np.where(running, staff.busy_until + 2, lo)
    cum = _kind_chances(world, staff, first, sick_scale)
    for lo_day, hi_day in ((0, 14), (14, last - first + 1)):
        kind = (rng.random(n)[:, None] > cum).sum(axis=1)
        drawn = first + rng.integers(lo_day, hi_day, n)
        start = _days(np.busday_offset(_day(np.maximum(drawn, free_from)), 0, roll="forward"))
        length = _length(rng, np.minimum(kind, 6), staff.female)
        end = _days(np.busday_offset(_day(start), length - 1, roll="forward"))
        ok = (kind < 7) & (start <= hi) & (carry_until < 0)
        rows = np.flatnonzero(ok)
        spells.add(rows, _KIND_TYPE[kind[rows]], start[rows], np.minimum(end, hi)[rows])
        goes_on = ok & (end > last) & (staff.end == _OPEN)
        carry_until = np.where(goes_on, end, carry_until)
        carry_kind = np.where(goes_on, _KIND_TYPE[np.minimum(kind, 6)], carry_kind)
        free_from = np.where(ok, end + 2, free_from)
    staff = replace(
        staff, busy_until=np.where(carry_until >= 0, carry_until, last), busy_type=carry_kind
    )
    timer = rng.integers(1, 7, n).astype(np.float64)
    out = {k: np.concatenate(getattr(spells, k)) for k in ("row", "kind", "fra", "til")}
    out["timer"] = np.where(out["kind"] == 2, timer[out["row"]], np.nan)
    # a running period cut by a weekend leaving date may hold no working day: nobody records it
    working = np.busday_count(_day(out["fra"]), _day(out["til"] + 1)) > 0
    return staff, {k: v[working] for k, v in out.items()}


def _absence_table(staff: _Staff, spells: dict[str, np.ndarray], month_index: int) -> pa.Table:
    """The payroll-absence records, sorted by municipality, employment and date."""
    order = np.lexsort((spells["fra"], staff.emp_nr[spells["row"]]))
    s = {k: v[order] for k, v in spells.items()}
    rows = s["row"]
    ids = month_index * 10_000_000 + np.arange(1, len(rows) + 1, dtype=np.int64)
    return pa.table(
        {
            "kommune": pa.array(staff.kommune[rows], pa.int64()),
            "fravaersid": pc.cast(pa.array(ids), pa.string()),
            "cpr": staff.cpr.take(pa.array(rows, pa.int64())),
            "ansaettelsesnr": pc.cast(pa.array(staff.emp_nr[rows]), pa.string()),
            "fravaersaarsag": pa.array(_ABSENCE_TYPES[s["kind"]]),
            "fra_dato": pa.array(s["fra"].astype(np.int32), pa.date32()),
            "til_dato": pa.array(s["til"].astype(np.int32), pa.date32()),
            "timer": pa.array(s["timer"], pa.float64(), from_pandas=True),
        }
    )


def _known_codes() -> None:
    """Fail early if a role uses a code that is not in the code lists."""
    for r in _ROLES:
        codelist("staff_category").get(r.category)
        codelist("funktion").get(r.funktion)
        codelist("collective_agreement").get(r.agreement)


_known_codes()
