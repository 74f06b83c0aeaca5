"""Finance postings: each month's actuals and the month's share of the budgets.

Salaries come from the payroll (the workforce summary); other accounts follow the residents,
pupils and salaries they serve, with a level per municipality drawn from its traits. Taxes and
grants on hovedkonto 7 are set to cover the budgeted operating spend with a small surplus.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flis import periods
from flis.sources.generator.staff import CENTRE_FUNCTIONS, cost_centre
from flis.sources.generator.world import World

_EPOCH = np.datetime64("1970-01-01", "D")
_YEAR = 365.25


@dataclass(frozen=True)
class _Item:
    """One account line of the budget: an amount a year per unit of a driver."""

    funktion: str
    art: str
    per: float  # DKK a year per driver unit, or share of the function's salaries
    driver: str  # "salary", a resident group or a pupil count (see _drivers)
    dranst: str = "1"


#: School functions: their salaries and "salary" items are split over the schools by pupils.
_SCHOOL_TYPES = {"3.22.01": ("1012", "1014"), "3.22.05": ("1012",), "3.22.08": ("1015", "1016")}

_ITEMS = (
    # folkeskoler: running costs as shares of salaries, scaled per municipality (_school_level)
    _Item("3.22.01", "2.9", 0.13, "salary"),
    _Item("3.22.01", "2.2", 0.015, "salary"),
    _Item("3.22.01", "2.7", 0.08, "salary"),
    _Item("3.22.01", "4.9", 0.17, "salary"),
    _Item("3.22.01", "4.5", 0.12, "salary"),
    _Item("3.22.01", "7.2", -0.015, "salary"),
    _Item("3.22.01", "4.5", 0.05, "salary", dranst="3"),
    _Item("3.22.05", "2.9", 0.08, "salary"),
    _Item("3.22.05", "7.2", -0.40, "salary"),  # parents' payment for after-school care
    _Item("3.22.08", "2.9", 0.06, "salary"),
    _Item("3.22.08", "4.9", 0.15, "salary"),
    _Item("3.22.08", "7.7", -0.10, "salary"),  # pupils from other municipalities
    _Item("3.22.02", "4.9", 2_500, "pupils"),
    _Item("3.22.03", "4.9", 150, "pupils"),
    _Item("3.22.04", "4.9", 1_300, "pupils"),
    _Item("3.22.06", "4.9", 1_600, "rural_pupils"),
    _Item("3.22.07", "7.6", -350, "pupils"),
    _Item("3.22.10", "4.6", 6_800, "age6_16"),
    _Item("3.22.12", "4.6", 1_700, "age6_16"),
    _Item("3.22.15", "4.9", 160, "pop"),
    _Item("3.22.17", "4.8", 300, "pupils"),
    _Item("3.22.18", "4.5", 700, "age0_17"),
    _Item("3.30.44", "4.6", 60, "pop"),
    _Item("3.30.46", "4.9", 220, "pop"),
    _Item("3.32.50", "2.9", 0.40, "salary"),
    _Item("3.32.50", "4.9", 0.30, "salary"),
    _Item("3.38.77", "5.9", 30, "pop"),
    _Item("0.25.10", "4.5", 400, "pop"),
    _Item("0.25.10", "7.1", -150, "pop"),
    _Item("0.25.10", "4.5", 600, "pop", dranst="3"),
    _Item("2.28.20", "4.5", 0.6, "salary"),
    _Item("2.28.20", "2.3", 0.08, "salary"),
    _Item("2.28.20", "2.9", 0.20, "salary"),
    _Item("2.28.20", "4.5", 900, "pop", dranst="3"),
    _Item("4.62.82", "2.9", 0.10, "salary"),
    _Item("4.62.82", "4.8", 4_200, "pop"),  # municipal co-financing of regional health care
    _Item("5.25.14", "2.2", 0.04, "salary"),
    _Item("5.25.14", "2.9", 0.06, "salary"),
    _Item("5.25.14", "4.9", 0.08, "salary"),
    _Item("5.25.14", "7.2", -0.22, "salary"),  # parents' payment for day care
    _Item("5.28.20", "4.7", 3_500, "age0_17"),
    _Item("5.28.20", "4.9", 4_000, "age0_17"),
    _Item("5.28.20", "8.6", -600, "age0_17", dranst="2"),
    _Item("5.28.21", "5.2", 1_500, "age0_17"),
    _Item("5.28.21", "4.9", 2_000, "age0_17"),
    _Item("5.30.26", "2.3", 0.03, "salary"),
    _Item("5.30.26", "2.9", 0.04, "salary"),
    _Item("5.30.26", "4.9", 0.08, "salary"),
    _Item("5.30.27", "2.2", 0.05, "salary"),
    _Item("5.30.27", "2.9", 0.06, "salary"),
    _Item("5.30.27", "4.5", 0.05, "salary"),
    _Item("5.30.27", "7.1", -0.12, "salary"),  # residents' rent in care homes
    _Item("5.30.27", "7.2", -0.04, "salary"),
    _Item("5.30.27", "4.5", 500, "pop", dranst="3"),
    _Item("5.38.50", "4.7", 2_500, "pop"),
    _Item("5.38.50", "5.2", 14_500, "pop_need"),  # transfers to persons
    _Item("5.38.50", "7.7", -600, "pop"),
    _Item("5.38.50", "8.6", -4_800, "pop_need", dranst="2"),
    _Item("6.45.51", "4.9", 1_800, "pop"),
    _Item("6.45.51", "4.0", 300, "pop"),
    _Item("6.45.51", "2.9", 200, "pop"),
    _Item("6.45.51", "5.1", 400, "pop"),  # civil-servant pensions
)

_SURPLUS = 0.035  # hovedkonto 7 income over budgeted operating spend
_SALARY_ART = "1.0"


def month_postings(
    world: World, month: str, residents: pa.Table, institutions: pa.Table, payroll: pa.Table
) -> pa.Table:
    """All municipalities' finance postings of ``month``: actuals, original and corrected budget.

    Args:
        world: the run's world (random streams, municipalities, traits).
        month: ``YYYY-MM``.
        residents: residents at month end (kommune, birth_date, ...).
        institutions: schools (kommune, instnr, institutionstype, pupils, ...).
        payroll: ``Workforce.summary()`` (kommune, funktion, personalekategori, fte, pay).

    Returns:
        The economy contract's ``postering`` columns, sorted by kommune and bilagsnr.
    """
    drivers = _drivers(world, month, residents, institutions)
    accounts = _accounts(world, month, drivers, institutions, payroll)
    actual = _actual_lines(world, month, accounts)
    budget = _budget_lines(world, month, accounts)
    return _finish(month, pa.concat_tables([actual, budget]))


def _drivers(
    world: World, month: str, residents: pa.Table, institutions: pa.Table
) -> dict[str, np.ndarray]:
    """Units per municipality (aligned with world.codes) that amounts are proportional to."""
    last = int((np.datetime64(periods.last_day(month), "D") - _EPOCH).astype(np.int64))
    idx = np.searchsorted(world.codes, residents.column("kommune").to_numpy())
    birth = residents.column("birth_date").cast(pa.int32()).to_numpy()
    age = (last - birth) / _YEAR
    n = len(world.codes)

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(idx[mask], minlength=n).astype(np.float64)

    t = world.traits
    pupils = _school_pupils(world, institutions, ("1012", "1014"))
    pop = count(np.ones(len(age), bool))
    # social spending follows need: higher where the socio-economic level is low
    need = np.exp(-0.15 * t["socio"]) * _level(world, "economy-need", 0.05)
    return {
        "pop": pop,
        "age0_17": count(age < 18),
        "age6_16": count((age >= 6) & (age < 17)),
        "pupils": pupils,
        "rural_pupils": pupils * (1.8 - t["urbanity"]),
        "pop_need": pop * need,
    }


def _school_pupils(world: World, institutions: pa.Table, types: tuple[str, ...]) -> np.ndarray:
    """Pupils per municipality at schools of the given institution types."""
    mask = np.isin(_column(institutions, "institutionstype"), types)
    idx = np.searchsorted(world.codes, institutions.column("kommune").to_numpy()[mask])
    pupils = institutions.column("pupils").to_numpy()[mask].astype(np.float64)
    return np.bincount(idx, pupils, minlength=len(world.codes))


def _column(table: pa.Table, name: str) -> np.ndarray:
    return np.asarray(table.column(name).to_numpy(zero_copy_only=False))


def _level(world: World, name: str, sd: float) -> np.ndarray:
    """A fixed random level per municipality around 1."""
    return np.exp(world.rng(name).normal(0, sd, len(world.codes)))


def _school_level(world: World) -> np.ndarray:
    """Running costs of folkeskoler relative to salaries: higher in small, rural municipalities."""
    t = world.traits
    urban = (t["urbanity"] - t["urbanity"].mean()) / t["urbanity"].std()
    raw = np.exp(-0.1 * t["size"] - 0.08 * urban + 0.05 * t["socio"])
    return np.asarray(np.clip(raw * _level(world, "economy-school", 0.08), 0.7, 1.35))


@dataclass
class _Accounts:
    """Account rows of one month: expected yearly amount and this month's actual, if known."""

    kommune: np.ndarray
    funktion: np.ndarray
    dranst: np.ndarray
    art: np.ndarray
    omk: np.ndarray  # cost centre or instnr as int64; -1 = none
    yearly: np.ndarray  # expected amount a year (budget base)
    actual: np.ndarray  # this month's actual; NaN = draw it from ``yearly``
    lines: np.ndarray  # actual posting lines this month


def _accounts(
    world: World,
    month: str,
    drivers: dict[str, np.ndarray],
    institutions: pa.Table,
    payroll: pa.Table,
) -> _Accounts:
    """Every account of every municipality with its amounts."""
    salary = _salaries(world, institutions, payroll)
    parts = [salary, _salary_items(world, salary), _driver_items(world, drivers)]
    operating = _operating_budget(world, parts)
    parts.append(_financing(world, operating))
    acc = _Accounts(
        *(np.concatenate([getattr(p, f) for p in parts]) for f in _Accounts.__dataclass_fields__)
    )
    acc.lines = _line_counts(world, month, acc)
    return acc


def _salaries(world: World, institutions: pa.Table, payroll: pa.Table) -> _Accounts:
    """Salary accounts per function and category; school functions split over schools."""
    kommune = payroll.column("kommune").to_numpy()
    funktion = _column(payroll, "funktion")
    pay = payroll.column("pay").to_numpy().astype(np.float64)
    at_school = np.isin(funktion, list(_SCHOOL_TYPES))
    k, f, omk, amount = [kommune[~at_school]], [funktion[~at_school]], [], [pay[~at_school]]
    omk.append(_centre(kommune[~at_school], funktion[~at_school]))
    school = _school_shares(world, institutions)
    for fn in _SCHOOL_TYPES:
        rows = np.flatnonzero(funktion == fn)
        share = school[fn]
        # each staff category's pay of a municipality is split over all its schools
        by_kommune = np.argsort(share["kommune"], kind="stable")
        sorted_kommune = share["kommune"][by_kommune]
        lo = np.searchsorted(sorted_kommune, kommune[rows], "left")
        count = np.searchsorted(sorted_kommune, kommune[rows], "right") - lo
        payroll_row = np.repeat(rows, count)
        school_row = by_kommune[
            np.repeat(lo - np.cumsum(count) + count, count) + np.arange(int(count.sum()))
        ]
        k.append(kommune[payroll_row])
        f.append(np.full(len(payroll_row), fn))
        omk.append(share["instnr"][school_row])
        amount.append(pay[payroll_row] * share["share"][school_row])
    monthly = np.concatenate(amount)
    n = len(monthly)
    return _Accounts(
        np.concatenate(k),
        np.concatenate(f),
        np.full(n, "1"),
        np.full(n, _SALARY_ART),
        np.concatenate(omk),
        monthly * 12,
        monthly,
        np.ones(n, np.int64),
    )


def _school_shares(world: World, institutions: pa.Table) -> dict[str, dict[str, np.ndarray]]:
    """Per school function: each school's share of its municipality's pupils."""
    kommune = institutions.column("kommune").to_numpy()
    itype = _column(institutions, "institutionstype")
    instnr = pc.cast(institutions.column("instnr"), pa.int64()).to_numpy()
    pupils = institutions.column("pupils").to_numpy().astype(np.float64)
    out = {}
    for fn, types in _SCHOOL_TYPES.items():
        mask = np.isin(itype, types)
        idx = np.searchsorted(world.codes, kommune[mask])
        # a school with no pupils still carries a little of the cost (buildings, staff)
        weight = pupils[mask] + 1.0
        total = np.bincount(idx, weight, minlength=len(world.codes))[idx]
        out[fn] = {"kommune": kommune[mask], "instnr": instnr[mask], "share": weight / total}
    return out


def _centre(kommune: np.ndarray, funktion: np.ndarray) -> np.ndarray:
    """The first cost centre of a function that has cost centres, else -1."""
    out = np.full(len(kommune), -1, np.int64)
    for fn in CENTRE_FUNCTIONS:
        mask = funktion == fn
        out[mask] = cost_centre(kommune[mask], fn)
    return out


def _salary_items(world: World, salary: _Accounts) -> _Accounts:
    """Running costs proportional to the salaries of the same function and workplace."""
    grouped = (
        pa.table(
            {
                "kommune": salary.kommune,
                "funktion": salary.funktion,
                "omk": salary.omk,
                "yearly": salary.yearly,
            }
        )
        .group_by(["kommune", "funktion", "omk"])
        .aggregate([("yearly", "sum")])
    )
    kommune = grouped.column("kommune").to_numpy()
    funktion = _column(grouped, "funktion")
    omk = grouped.column("omk").to_numpy()
    yearly = grouped.column("yearly_sum").to_numpy()
    school = _school_level(world)[np.searchsorted(world.codes, kommune)]
    parts = []
    for item in _ITEMS:
        if item.driver != "salary":
            continue
        mask = funktion == item.funktion
        level = school[mask] if item.funktion == "3.22.01" else 1.0
        parts.append(_rows(kommune[mask], item, omk[mask], yearly[mask] * item.per * level))
    return _join(parts)


def _driver_items(world: World, drivers: dict[str, np.ndarray]) -> _Accounts:
    """Accounts proportional to residents or pupils of the municipality."""
    parts = []
    for i, item in enumerate(_ITEMS):
        if item.driver == "salary":
            continue
        level = _level(world, f"economy-item-{i}", 0.1)
        yearly = item.per * drivers[item.driver] * level
        omk = _centre(world.codes, np.full(len(world.codes), item.funktion))
        parts.append(_rows(world.codes, item, omk, yearly))
    return _join(parts)


def _rows(kommune: np.ndarray, item: _Item, omk: np.ndarray, yearly: np.ndarray) -> _Accounts:
    n = len(kommune)
    return _Accounts(
        kommune,
        np.full(n, item.funktion),
        np.full(n, item.dranst),
        np.full(n, item.art),
        omk,
        yearly,
        np.full(n, np.nan),
        np.ones(n, np.int64),
    )


def _join(parts: list[_Accounts]) -> _Accounts:
    return _Accounts(
        *(np.concatenate([getattr(p, f) for p in parts]) for f in _Accounts.__dataclass_fields__)
    )


def _operating_budget(world: World, parts: list[_Accounts]) -> np.ndarray:
    """Expected net operating spend a year per municipality (hovedkonti 0 and 2–6)."""
    acc = _join(parts)
    operating = (acc.dranst != "3") & ~np.char.startswith(acc.funktion.astype(str), "7.")
    idx = np.searchsorted(world.codes, acc.kommune[operating])
    return np.bincount(idx, acc.yearly[operating], minlength=len(world.codes))


def _financing(world: World, operating: np.ndarray) -> _Accounts:
    """Taxes and grants/equalisation (income, negative) covering operating spend plus a surplus."""
    t = world.traits
    income = operating * (1 + _SURPLUS) * _level(world, "economy-surplus", 0.01)
    tax_share = np.clip(0.78 + 0.08 * t["socio"], 0.6, 0.95)
    n = len(world.codes)
    none = np.full(n, -1, np.int64)
    tax = _Accounts(
        world.codes,
        np.full(n, "7.68.90"),
        np.full(n, "7"),
        np.full(n, "7.6"),
        none,
        -income * tax_share,
        np.full(n, np.nan),
        np.ones(n, np.int64),
    )
    grant = _Accounts(
        world.codes,
        np.full(n, "7.62.86"),
        np.full(n, "7"),
        np.full(n, "7.6"),
        none,
        -income * (1 - tax_share),
        np.full(n, np.nan),
        np.ones(n, np.int64),
    )
    return _join([tax, grant])


def _line_counts(world: World, month: str, acc: _Accounts) -> np.ndarray:
    """Posting lines per account this month: 3–20, more in large municipalities."""
    rng = world.rng("economy-lines", periods.month_index(month))
    size = world.traits["size"][np.searchsorted(world.codes, acc.kommune)]
    base = 3 + np.clip(np.rint(4 + 4 * size), 0, 12)
    lines = base + rng.integers(0, 5, len(acc.kommune))
    lines = np.where(acc.omk >= 0, np.maximum(3, lines // 3), lines)  # workplaces post less
    lines = np.where(acc.art == _SALARY_ART, 1, lines)  # one payroll line per category
    lines = np.where(np.char.startswith(acc.funktion.astype(str), "7."), 1, lines)
    return lines.astype(np.int64)


def _actual_lines(world: World, month: str, acc: _Accounts) -> pa.Table:
    """Actual (R) posting lines: the month's amount of each account split over its lines."""
    index = periods.month_index(month)
    rng = world.rng("economy-actual", index)
    n = len(acc.kommune)
    season = 1 + 0.05 * np.cos(2 * np.pi * (index % 12) / 12)  # averages 1 over a year
    drawn = acc.yearly / 12 * season * rng.normal(1.0, 0.06, n)
    capital = acc.dranst == "3"
    active = rng.random(n) < 0.45  # capital spending comes in some months only
    drawn = np.where(capital, np.where(active, acc.yearly / 12 / 0.45, 0.0), drawn)
    financing = np.char.startswith(acc.funktion.astype(str), "7.")
    drawn = np.where(financing, acc.yearly / 12, drawn)  # taxes are paid in equal instalments
    amount = np.where(np.isnan(acc.actual), drawn, acc.actual)
    lines = np.where(amount == 0, 0, acc.lines)
    row = np.repeat(np.arange(n), lines)
    weight = rng.gamma(2.0, 1.0, len(row))
    total = np.bincount(row, weight, minlength=n)
    beloeb = np.round(amount[row] * weight / total[row], 2)
    first = np.datetime64(periods.first_day(month), "D")
    last = np.datetime64(periods.last_day(month), "D")
    day = np.busday_offset(
        first + rng.integers(0, (last - first).astype(int) + 1, len(row)), 0, roll="backward"
    )
    day = np.where(day < first, np.busday_offset(first, 0, roll="forward"), day)
    payday = np.busday_offset(last, 0, roll="backward")
    day = np.where(acc.art[row] == _SALARY_ART, payday, day)
    return _lines_table(acc, row, beloeb, day, "R")


def _budget_lines(world: World, month: str, acc: _Accounts) -> pa.Table:
    """The month's twelfth of the original (B) and corrected (K) budget, one line per account."""
    year = int(month[:4])
    key = pa.table(
        {
            "kommune": acc.kommune,
            "funktion": acc.funktion,
            "dranst": acc.dranst,
            "art": acc.art,
            "omk": acc.omk,
            "yearly": acc.yearly,
        }
    )
    grouped = (
        key.group_by(["kommune", "funktion", "dranst", "art", "omk"])
        .aggregate([("yearly", "sum")])
        .sort_by(
            [
                ("kommune", "ascending"),
                ("funktion", "ascending"),
                ("dranst", "ascending"),
                ("art", "ascending"),
                ("omk", "ascending"),
            ]
        )
    )
    g = _Accounts(
        grouped.column("kommune").to_numpy(),
        _column(grouped, "funktion"),
        _column(grouped, "dranst"),
        _column(grouped, "art"),
        grouped.column("omk").to_numpy(),
        grouped.column("yearly_sum").to_numpy(),
        np.full(grouped.num_rows, np.nan),
        np.ones(grouped.num_rows, np.int64),
    )
    # fixed per account and year, so B stays put and a correction, once made, stays
    code = _account_code(g)
    salt = [int(s) for s in world.rng("economy-budget", year).integers(0, 1 << 62, 4)]
    original = g.yearly / 12 * (1 + 0.1 * (_unit(code, salt[0]) - 0.5))
    corrected_from = 4 + np.floor(_unit(code, salt[1]) * 9)  # April–December
    corrects = (_unit(code, salt[2]) < 0.2) & (int(month[5:7]) >= corrected_from)
    corrected = original * np.where(corrects, 1 + 0.16 * (_unit(code, salt[3]) - 0.5), 1.0)
    row = np.arange(grouped.num_rows)
    day = np.full(len(row), np.datetime64(periods.first_day(month), "D"))
    b = _lines_table(g, row, np.round(original, 2), day, "B")
    k = _lines_table(g, row, np.round(corrected, 2), day, "K")
    return pa.concat_tables([b, k])


def _account_code(acc: _Accounts) -> np.ndarray:
    """An integer identifying each account (municipality, account string, cost centre)."""
    digits = np.char.replace(acc.funktion.astype(str), ".", "")
    funk = digits.astype(np.int64)
    art = np.char.replace(acc.art.astype(str), ".", "").astype(np.int64)
    code = ((acc.kommune * 100_000 + funk) * 10 + acc.dranst.astype(np.int64)) * 100 + art
    return np.asarray(code * 100_000_000 + np.maximum(acc.omk, 0) % 100_000_000)


def _unit(key: np.ndarray, salt: int) -> np.ndarray:
    """A fixed pseudo-random number in [0, 1) per key and salt (splitmix64)."""
    x = key.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(salt)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def _lines_table(
    acc: _Accounts, row: np.ndarray, beloeb: np.ndarray, day: np.ndarray, kind: str
) -> pa.Table:
    """Posting lines for account rows ``row`` (bilagsnr is set later)."""
    kontostreng = pc.binary_join_element_wise(
        pa.array(acc.funktion[row].astype(str)),
        pa.array(acc.dranst[row].astype(str)),
        pa.array(acc.art[row].astype(str)),
        ".",
    )
    omk = acc.omk[row]
    omk_text = pc.utf8_lpad(pc.cast(pa.array(omk), pa.string()), width=6, padding="0")
    return pa.table(
        {
            "kommune": pa.array(acc.kommune[row], pa.int64()),
            "bogfoeringsdato": pa.array((day - _EPOCH).astype(np.int32), pa.date32()),
            "kontostreng": kontostreng,
            "omkostningssted": pc.if_else(
                pa.array(omk < 0), pa.scalar(None, pa.string()), omk_text
            ),
            "beloeb": pa.array(beloeb, pa.float64()),
            "posteringstype": pa.array(np.full(len(row), kind)),
        }
    )


def _finish(month: str, table: pa.Table) -> pa.Table:
    """Sort by municipality, number the lines per municipality and order the columns."""
    table = table.sort_by(
        [
            ("kommune", "ascending"),
            ("posteringstype", "descending"),
            ("bogfoeringsdato", "ascending"),
            ("kontostreng", "ascending"),
            ("omkostningssted", "ascending"),
        ]
    )
    kommune = table.column("kommune").to_numpy()
    seq = np.arange(len(kommune)) - np.searchsorted(kommune, kommune) + 1
    text = pc.utf8_lpad(pc.cast(pa.array(seq), pa.string()), width=6, padding="0")
    bilagsnr = pc.binary_join_element_wise(periods.compact(month), text, "-")
    table = table.append_column("bilagsnr", bilagsnr)
    return table.select(
        [
            "kommune",
            "bilagsnr",
            "bogfoeringsdato",
            "kontostreng",
            "omkostningssted",
            "beloeb",
            "posteringstype",
        ]
    )
