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
import pyarrow.compute as pc

from flis.errors import GeneratorError
from flis.periods import first_day, last_day, month_index
from flis.reference import codelist, municipalities
from flis.sources.generator.world import World

State = dict[str, np.ndarray]

_EPOCH = dt.date(1970, 1, 1)
_CPR_EPOCH = -25567  # 1900-01-01: the serial counters are indexed by days since then
_CPR_DAYS = 160 * 366
_MAX_AGE = 105

# fmt: off
#: Relative cohort size by age (knots), shaped so that 0–5 ≈ 6 %, 6–16 ≈ 12 %, 65+ ≈ 20 %.
_AGE_KNOTS = (0, 5, 6, 16, 17, 20, 25, 30, 40, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 100, 105)
_AGE_WEIGHTS = (1.00, 1.00, 1.08, 1.12, 1.15, 1.25, 1.35, 1.30, 1.25, 1.38, 1.35, 1.28, 1.22,
                1.16, 1.0, 0.68, 0.42, 0.21, 0.065, 0.01, 0.0)
#: Immigrants are mostly young adults.
_IMMIGRANT_WEIGHTS = (0.5, 0.5, 0.45, 0.4, 0.6, 2.2, 3.0, 2.6, 1.2, 0.6, 0.4, 0.3, 0.2, 0.15,
                      0.1, 0.05, 0.02, 0.01, 0.0, 0.0, 0.0)
# fmt: on

#: Civil status codes and their shares by age band (upper bounds) — U, G, F, E, P, O, L.
CIVIL_CODES = np.array(["U", "G", "F", "E", "P", "O", "L"])
_CIVIL_BANDS = np.array([18, 25, 35, 50, 65, 80, 200])
_CIVIL_SHARES = np.array(
    [
        [1.00, 0.00, 0.00, 0.00, 0.000, 0.000, 0.000],
        [0.95, 0.05, 0.00, 0.00, 0.000, 0.000, 0.000],
        [0.62, 0.34, 0.04, 0.00, 0.000, 0.000, 0.000],
        [0.33, 0.53, 0.13, 0.005, 0.004, 0.001, 0.000],
        [0.17, 0.58, 0.20, 0.04, 0.006, 0.003, 0.001],
        [0.08, 0.60, 0.17, 0.14, 0.005, 0.003, 0.002],
        [0.05, 0.38, 0.10, 0.465, 0.001, 0.001, 0.003],
    ]
)

CITIZEN_CODES = np.array([c.code for c in codelist("citizenship").codes])
_CITIZEN_GROUP = np.array([c.attrs["group"] for c in codelist("citizenship").codes])
#: Relative frequency of each foreign citizenship within its group (EU / other).
# fmt: off
_CITIZEN_WEIGHT = {"SE": 2, "NO": 2, "DE": 3, "PL": 4, "RO": 3, "LT": 1.5,
                   "UA": 3, "SY": 3, "TR": 2.5, "IQ": 1.5, "IN": 1.5, "XX": 6}
# fmt: on

BIRTHS_PER_YEAR = 0.0105
MOVES_PER_YEAR = 0.04
EMIGRATION_PER_YEAR = 0.0095
IMMIGRATION_PER_YEAR = 0.0105
_EVENT_ORDER = ("DOD", "FOD", "FRA", "IND", "TIL", "UDV")


def to_days(day: dt.date) -> int:
    """Days since 1970-01-01 (the date32 storage)."""
    return (day - _EPOCH).days


def date32(days: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    """An Arrow date32 array from int days, with optional null mask."""
    return pa.array(days.astype(np.int32), pa.int32(), mask=null).view(pa.date32())


def age_at(birth: np.ndarray, day: int) -> np.ndarray:
    """Completed years of age on ``day`` (int days) for birth dates in int days."""
    b = birth.astype("datetime64[D]")
    by = b.astype("datetime64[Y]").astype(np.int64) + 1970
    bmd = (b - b.astype("datetime64[Y]")).astype(np.int64)
    d = np.datetime64(day, "D")
    dy = int(d.astype("datetime64[Y]").astype(np.int64)) + 1970
    dmd = int((d - d.astype("datetime64[Y]")).astype(np.int64))
    # day-of-year comparison is off by one around 29 February, which does not matter here
    age: np.ndarray = (dy - by - (dmd < bmd)).astype(np.int64)
    return age


def birth_year(birth: np.ndarray) -> np.ndarray:
    """Calendar year of int-day dates."""
    return birth.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def _age_profile(weights: tuple[float, ...]) -> np.ndarray:
    ages = np.arange(_MAX_AGE + 1)
    p: np.ndarray = np.interp(ages, _AGE_KNOTS, weights)
    share: np.ndarray = p / p.sum()
    return share


def _mortality(age: np.ndarray, female: np.ndarray) -> np.ndarray:
    """Annual death probability (Gompertz, plus infant mortality), ≈10 per 1,000 overall."""
    q = 2.5e-5 * np.exp(0.095 * age) + np.where(age == 0, 0.003, 0.0)
    return np.minimum(0.6, q * np.where(female, 0.83, 1.2))


def _civil_status(rng: np.random.Generator, age: np.ndarray) -> np.ndarray:
    band = np.searchsorted(_CIVIL_BANDS, age, side="right")
    cum = np.cumsum(_CIVIL_SHARES, axis=1)[band]
    u = rng.random(len(age))[:, None] * cum[:, -1:]
    status: np.ndarray = (cum < u).sum(axis=1).astype(np.int8)
    return status


def _foreign_share(world: World) -> np.ndarray:
    """Share of foreign citizens per municipality: ≈11 % nationally, more in cities."""
    urb, socio = world.traits["urbanity"], world.traits["socio"]
    raw = np.exp(1.3 * (urb - urb.mean()) - 0.25 * socio)
    share = raw * 0.11 / np.average(raw, weights=world.population_target)
    clipped: np.ndarray = np.clip(share, 0.03, 0.35)
    return clipped


def _draw_citizenship(rng: np.random.Generator, foreign: np.ndarray, eu: float) -> np.ndarray:
    """Citizenship index: DK unless foreign, then an EU or other country by weight."""
    n = len(foreign)
    codes = CITIZEN_CODES
    out = np.zeros(n, np.int8)
    is_foreign = rng.random(n) < foreign
    group_eu = rng.random(n) < eu
    for group, pick in (("EU", group_eu), ("OTH", ~group_eu)):
        idx = np.flatnonzero(np.equal(_CITIZEN_GROUP, group))
        w = np.array([_CITIZEN_WEIGHT[str(c)] for c in codes[idx]], dtype=np.float64)
        chosen = idx[rng.choice(len(idx), size=n, p=w / w.sum())]
        take = is_foreign & pick
        out[take] = chosen[take]
    return out


def _foreign_age_factor(age: np.ndarray) -> np.ndarray:
    return np.where(age < 17, 0.7, np.where(age < 45, 1.45, np.where(age < 65, 0.9, 0.35)))


class _SerialBook:
    """Hands out unique CPR serials per (birth date, sex), with plausible century digits."""

    # century digits allowed by birth year band (CPR rule), padded with -1
    _BANDS = np.array([1937, 2000, 2037])
    _DIGITS = np.array(
        [[0, 1, 2, 3, -1, -1], [0, 1, 2, 3, 4, 9], [4, 5, 6, 7, 8, 9], [5, 6, 7, 8, -1, -1]]
    )

    def __init__(self) -> None:
        self.used = np.zeros(_CPR_DAYS * 2, np.int64)

    def assign(self, birth: np.ndarray, male: np.ndarray) -> np.ndarray:
        """CPR numbers as int64 DDMMYYSSSS for new persons."""
        key = (birth - _CPR_EPOCH).astype(np.int64) * 2 + male
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        first = np.searchsorted(sorted_key, sorted_key, side="left")
        rank = np.empty_like(key)
        rank[order] = np.arange(len(key)) - first
        k = self.used[key] + rank
        self.used += np.bincount(key, minlength=len(self.used))
        band = np.searchsorted(self._BANDS, birth_year(birth), side="right")
        digits = self._DIGITS[band]
        n_digits = (digits >= 0).sum(axis=1)
        century = digits[np.arange(len(k)), k % n_digits]
        j = k // n_digits
        middle = ((j % 100) * 37 + birth) % 100  # a permutation, so serials look unordered
        last = 2 * (j // 100) + male
        d = birth.astype("datetime64[D]")
        year = birth_year(birth)
        month = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
        day = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
        ddmmyy = day * 10000 + month * 100 + year % 100
        result: np.ndarray = ddmmyy * 10000 + century * 1000 + middle * 10 + last
        return result


class Population:
    """All residents of Denmark at a status date, advanced one month at a time."""

    def __init__(self, world: World, state: State, serials: _SerialBook, status_day: int) -> None:
        self.world = world
        self._state = state
        self._serials = serials
        self._status_day = status_day
        self._next_pid = int(state["person_id"].max(initial=-1)) + 1
        self._district_key: np.ndarray | None = None
        self._district_instnr: np.ndarray = np.array([], dtype=object)
        self._cache: pa.Table | None = None
        self._foreign = _foreign_share(world)
        self._move_cum = [np.cumsum(_move_matrix(world, y), axis=1) for y in (True, False)]
        self.month_events: pa.Table = _events_table({})

    @classmethod
    def initial(cls, world: World) -> Population:
        """The population at the first day of ``world.months[0]``.

        Args:
            world: The run's world; residents per municipality follow ``population_target``.
        """
        rng = world.rng("population.initial")
        day0 = to_days(first_day(world.months[0]))
        kommune_idx = np.repeat(np.arange(98), world.population_target)
        age = _initial_ages(rng, world, kommune_idx)
        birth = day0 - np.floor((age + rng.random(len(age))) * 365.2425).astype(np.int64) - 1
        serials = _SerialBook()
        state = _new_people(
            rng,
            world,
            serials,
            kommune_idx,
            birth,
            age,
            start_pid=0,
            foreign=_foreign_share(world)[kommune_idx] * _foreign_age_factor(age),
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
        kommune = districts.column("kommune").to_numpy()
        share = districts.column("catchment").to_numpy()
        order = np.lexsort((np.arange(len(kommune)), kommune))
        kidx = np.searchsorted(self.world.codes, kommune[order])
        upper = np.zeros(len(order))
        for k in np.unique(kidx):
            rows = kidx == k
            cum = np.cumsum(share[order][rows])
            upper[rows] = cum / cum[-1]
        self._district_key = kidx + np.minimum(upper, 0.999999)
        self._district_instnr = np.asarray(districts.column("instnr").to_pylist(), dtype=object)[
            order
        ]
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
            raise GeneratorError(
                f"cannot advance the population to {month}: its state is at "
                f"{dt.date.fromordinal(_EPOCH.toordinal() + self._status_day)}",
                hint="advance month by month from the world's first month",
            )
        rng = self.world.rng("population.events", month_index(month))
        events: dict[str, list[np.ndarray]] = {}
        self._exits_and_moves(rng, start, end, events)
        self._admit(self._births(rng, start, end), "FOD", events)
        self._admit(self._immigrants(rng, start, end), "IND", events)
        self._status_day = end
        self._cache = None
        self.month_events = _events_table(events)
        return self.month_events

    def _exits_and_moves(
        self, rng: np.random.Generator, start: int, end: int, events: dict[str, list[np.ndarray]]
    ) -> None:
        """Deaths, emigrations and moves between municipalities among the month's residents."""
        s, codes = self._state, self.world.codes
        age = age_at(s["birth"], start)
        female = s["sex"] == 1
        dies, leaves, moves = self._draw_exits(rng, age, female)
        when = start + rng.integers(0, end - start + 1, len(age))
        dest = self._destinations(rng, s["kommune_idx"][moves], age[moves])
        home = codes[s["kommune_idx"]]
        _add_events(events, s["cpr"][dies], home[dies], "DOD", when[dies])
        _add_events(events, s["cpr"][leaves], home[leaves], "UDV", when[leaves])
        _add_events(events, s["cpr"][moves], home[moves], "FRA", when[moves], other=codes[dest])
        _add_events(events, s["cpr"][moves], codes[dest], "TIL", when[moves], other=home[moves])
        self._update_marital(rng, age, female)
        s["moved_in"][moves] = when[moves]
        s["address"][moves] = rng.random(int(moves.sum()))
        s["kommune_idx"][moves] = dest
        keep = ~(dies | leaves)
        self._state = {k: v[keep] for k, v in s.items()}

    def _admit(self, people: State, code: str, events: dict[str, list[np.ndarray]]) -> None:
        """Add newborns or immigrants to the state, with their FOD/IND events."""
        kommune = self.world.codes[people["kommune_idx"]]
        _add_events(events, people["cpr"], kommune, code, people.pop("event_day"))
        self._state = {k: np.concatenate([v, people[k]]) for k, v in self._state.items()}

    def _draw_exits(
        self, rng: np.random.Generator, age: np.ndarray, female: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Mutually exclusive death, emigration and move flags (one event per person a month)."""
        p_die = _mortality(age, female) / 12
        foreign = self._state["citizen"] > 0
        # emigrants are mostly young adults and foreign citizens going home
        leave = np.where((age >= 20) & (age < 40), 2.5, 0.6) * np.where(foreign, 5.0, 1.0)
        p_leave = leave / leave.mean() * EMIGRATION_PER_YEAR / 12
        move = np.where((age >= 18) & (age < 30), 3.2, np.where(age < 18, 0.8, 1.0))
        move = move * np.where(age >= 65, 0.35, 1.0)
        p_move = move / move.mean() * MOVES_PER_YEAR / 12
        u = rng.random(len(age))
        dies = u < p_die
        leaves = (u >= p_die) & (u < p_die + p_leave)
        moves = (u >= p_die + p_leave) & (u < p_die + p_leave + p_move)
        return dies, leaves, moves

    def _destinations(
        self, rng: np.random.Generator, origin: np.ndarray, age: np.ndarray
    ) -> np.ndarray:
        """Destination municipality index per mover: mostly nearby, young adults to cities."""
        young = (age >= 18) & (age < 30)
        dest = np.empty(len(origin), np.int64)
        u = rng.random(len(origin))
        for flag, cum_table in ((young, self._move_cum[0]), (~young, self._move_cum[1])):
            cum = cum_table[origin[flag]]
            dest[flag] = np.minimum((cum < u[flag, None]).sum(axis=1), 97)
        return dest

    def _update_marital(
        self, rng: np.random.Generator, age: np.ndarray, female: np.ndarray
    ) -> None:
        """Marriages, divorces and widowhood at plausible monthly rates."""
        civil = self._state["civil"]
        u = rng.random(len(age))
        marry = (civil == 0) & (age >= 25) & (age < 60) & (u < 0.045 / 12)
        divorce = (civil == 1) & (age >= 28) & (age < 75) & (u < 0.012 / 12)
        widow = (civil == 1) & (age >= 60) & (u < _mortality(age, ~female) * 0.7 / 12)
        civil[marry] = 1
        civil[divorce] = 2
        civil[widow] = 3

    def _births(self, rng: np.random.Generator, start: int, end: int) -> State:
        """Newborns, spread over municipalities by their number of women aged 20–44."""
        kidx = self._state["kommune_idx"]
        age = age_at(self._state["birth"], start)
        female = self._state["sex"] == 1
        mothers = np.bincount(kidx[female & (age >= 20) & (age < 45)], minlength=98)
        expected = BIRTHS_PER_YEAR / 12 * len(kidx) * mothers / max(1, mothers.sum())
        count = rng.poisson(expected)
        where = np.repeat(np.arange(98), count)
        day = start + rng.integers(0, end - start + 1, len(where))
        zero = np.zeros(len(where), np.int64)
        people = _new_people(
            rng,
            self.world,
            self._serials,
            where,
            day,
            zero,
            start_pid=self._next_pid,
            foreign=self._foreign[where] * 0.5,
            male_share=0.513,
        )
        people["moved_in"] = np.full(len(where), -1, np.int64)
        people["event_day"] = day
        self._next_pid += len(where)
        return people

    def _immigrants(self, rng: np.random.Generator, start: int, end: int) -> State:
        """Immigrants, mostly young adults, more of them to cities."""
        total = rng.poisson(IMMIGRATION_PER_YEAR / 12 * len(self._state["kommune_idx"]))
        urb, socio = self.world.traits["urbanity"], self.world.traits["socio"]
        weight = self.world.population_target * (0.4 + urb) * np.exp(-0.15 * socio)
        where = np.repeat(np.arange(98), rng.multinomial(total, weight / weight.sum()))
        age = rng.choice(_MAX_AGE + 1, size=len(where), p=_age_profile(_IMMIGRANT_WEIGHTS))
        day = start + rng.integers(0, end - start + 1, len(where))
        birth = day - np.floor((age + rng.random(len(where))) * 365.2425).astype(np.int64) - 1
        people = _new_people(
            rng,
            self.world,
            self._serials,
            where,
            birth,
            age,
            start_pid=self._next_pid,
            foreign=np.full(len(where), 0.7),
        )
        people["moved_in"] = day
        people["event_day"] = day
        self._next_pid += len(where)
        return people

    def _residents_table(self) -> pa.Table:
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
                "school_district": self._districts(s),
            }
        )

    def _districts(self, s: State) -> pa.Array:
        """District school instnr for children aged 5–16 at the status date."""
        n = len(s["person_id"])
        if self._district_key is None:
            return pa.nulls(n, pa.string())
        age = age_at(s["birth"], self._status_day)
        child = (age >= 5) & (age <= 16)
        key = s["kommune_idx"] + s["address"]
        pos = np.searchsorted(self._district_key, key, side="left")
        pos = np.minimum(pos, len(self._district_key) - 1)
        # a municipality without a registered school leaves its children without a district
        valid = child & (np.floor(self._district_key[pos]) == s["kommune_idx"])
        return pa.array(self._district_instnr[pos], pa.string(), mask=~valid)


def cpr_text(cpr: np.ndarray) -> pa.Array:
    """10-digit CPR strings from int64 DDMMYYSSSS."""
    return pc.utf8_lpad(pa.array(cpr, pa.int64()).cast(pa.string()), width=10, padding="0")


def _initial_ages(rng: np.random.Generator, world: World, kommune_idx: np.ndarray) -> np.ndarray:
    """Ages drawn from Denmark's pyramid, with more young adults and fewer old in cities."""
    base = _age_profile(_AGE_WEIGHTS)
    ages = np.arange(_MAX_AGE + 1)
    out = np.empty(len(kommune_idx), np.int64)
    bounds = np.concatenate([[0], np.cumsum(world.population_target)])
    for k, urb in enumerate(world.traits["urbanity"]):
        tilt = np.where((ages >= 20) & (ages < 35), 1 + 1.2 * (urb - 0.5), 1.0)
        tilt = tilt * np.where(ages >= 65, 1 - 0.5 * (urb - 0.5), 1.0)
        p = base * tilt
        out[bounds[k] : bounds[k + 1]] = rng.choice(
            ages, size=bounds[k + 1] - bounds[k], p=p / p.sum()
        )
    return out


def _new_people(
    rng: np.random.Generator,
    world: World,
    serials: _SerialBook,
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
        "civil": _civil_status(rng, age),
        "citizen": _draw_citizenship(rng, np.clip(foreign, 0, 0.95), eu=0.45),
        "address": rng.random(n),
    }


def _move_matrix(world: World, young: bool) -> np.ndarray:
    """Row-normalised destination probabilities between municipalities (98 × 98)."""
    codes = world.codes.astype(np.float64)
    region = np.array([m.region_code for m in municipalities()])
    pop = world.population_target.astype(np.float64)
    urb = world.traits["urbanity"]
    # codes are numbered roughly geographically, so code distance stands in for distance
    near = np.exp(-np.abs(codes[:, None] - codes[None, :]) / 35)
    same_region = np.where(region[:, None] == region[None, :], 3.0, 1.0)
    pull = (0.2 + urb) ** 2 if young else 1.3 - 0.5 * urb
    w = pop[None, :] * near * same_region * pull[None, :]
    np.fill_diagonal(w, 0)
    table: np.ndarray = w / w.sum(axis=1, keepdims=True)
    return table


def _add_events(
    events: dict[str, list[np.ndarray]],
    cpr: np.ndarray,
    kommune: np.ndarray,
    code: str,
    day: np.ndarray,
    other: np.ndarray | None = None,
) -> None:
    n = len(cpr)
    events.setdefault("cpr", []).append(cpr)
    events.setdefault("kommune", []).append(kommune.astype(np.int64))
    events.setdefault("code", []).append(np.full(n, _EVENT_ORDER.index(code), np.int64))
    events.setdefault("day", []).append(day.astype(np.int64))
    events.setdefault("other", []).append(other if other is not None else np.full(n, -1))


def _events_table(events: dict[str, list[np.ndarray]]) -> pa.Table:
    """The month's events sorted by (kommune, cpr, haendelse, dato)."""
    cols = {k: np.concatenate(v) if v else np.zeros(0, np.int64) for k, v in events.items()}
    for name in ("cpr", "kommune", "code", "day", "other"):
        cols.setdefault(name, np.zeros(0, np.int64))
    order = np.lexsort((cols["day"], cols["code"], cols["cpr"], cols["kommune"]))
    cols = {k: v[order] for k, v in cols.items()}
    other = cols["other"].astype(np.int64)
    return pa.table(
        {
            "cpr": cpr_text(cols["cpr"]),
            "kommune": pa.array(cols["kommune"], pa.int64()),
            "haendelse": pa.array(np.array(_EVENT_ORDER)[cols["code"]].astype(str), pa.string()),
            "dato": date32(cols["day"]),
            "anden_kommune": pa.array(other, pa.int64(), mask=other < 0),
        }
    )
