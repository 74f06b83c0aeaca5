"""The account plan of a month: every account of every municipality with its yearly amount.

Salaries come from the payroll; running costs follow salaries or drivers; taxes and grants on
hovedkonto 7 cover the budgeted operating spend with a small surplus.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from flis import periods
from flis.sources.generator.accounts import (
    SALARY_ART,
    Accounts,
    account_rows,
    column,
    item_rows,
    join_accounts,
)
from flis.sources.generator.budget_items import ITEMS, SURPLUS
from flis.sources.generator.finance_drivers import municipal_level, school_level
from flis.sources.generator.salary_accounts import first_centre, salaries
from flis.sources.generator.world import World


def accounts(
    world: World,
    month: str,
    drivers: dict[str, np.ndarray],
    institutions: pa.Table,
    payroll: pa.Table,
) -> Accounts:
    """Every account of every municipality with its amounts."""
    salary = salaries(world, institutions, payroll)
    parts = [salary, _salary_items(world, salary), _driver_items(world, drivers)]
    operating = _operating_budget(world, parts)
    parts.append(_financing(world, operating))
    acc = join_accounts(parts)
    acc.lines = _line_counts(world, month, acc)
    return acc


def _salary_items(world: World, salary: Accounts) -> Accounts:
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
    funktion = column(grouped, "funktion")
    omk = grouped.column("omk").to_numpy()
    yearly = grouped.column("yearly_sum").to_numpy()
    school = school_level(world)[np.searchsorted(world.codes, kommune)]
    parts = []
    for item in ITEMS:
        if item.driver != "salary":
            continue
        mask = funktion == item.funktion
        level = school[mask] if item.funktion == "3.22.01" else 1.0
        parts.append(item_rows(kommune[mask], item, omk[mask], yearly[mask] * item.per * level))
    return join_accounts(parts)


def _driver_items(world: World, drivers: dict[str, np.ndarray]) -> Accounts:
    """Accounts proportional to residents or pupils of the municipality."""
    parts = []
    for i, item in enumerate(ITEMS):
        if item.driver == "salary":
            continue
        level = municipal_level(world, f"economy-item-{i}", 0.1)
        yearly = item.per * drivers[item.driver] * level
        omk = first_centre(world.codes, np.full(len(world.codes), item.funktion))
        parts.append(item_rows(world.codes, item, omk, yearly))
    return join_accounts(parts)


def _operating_budget(world: World, parts: list[Accounts]) -> np.ndarray:
    """Expected net operating spend a year per municipality (hovedkonti 0 and 2–6)."""
    acc = join_accounts(parts)
    operating = (acc.dranst != "3") & ~np.char.startswith(acc.funktion.astype(str), "7.")
    idx = np.searchsorted(world.codes, acc.kommune[operating])
    return np.bincount(idx, acc.yearly[operating], minlength=len(world.codes))


def _financing(world: World, operating: np.ndarray) -> Accounts:
    """Taxes and grants/equalisation (income, negative) covering operating spend plus a surplus."""
    t = world.traits
    income = operating * (1 + SURPLUS) * municipal_level(world, "economy-surplus", 0.01)
    tax_share = np.clip(0.78 + 0.08 * t["socio"], 0.6, 0.95)
    none = np.full(len(world.codes), -1, np.int64)
    tax = account_rows(
        world.codes, funktion="7.68.90", dranst="7", art="7.6", omk=none, yearly=-income * tax_share
    )
    grant = account_rows(
        world.codes,
        funktion="7.62.86",
        dranst="7",
        art="7.6",
        omk=none,
        yearly=-income * (1 - tax_share),
    )
    return join_accounts([tax, grant])


def _line_counts(world: World, month: str, acc: Accounts) -> np.ndarray:
    """Posting lines per account this month: 3–20, more in large municipalities."""
    rng = world.rng("economy-lines", periods.month_index(month))
    size = world.traits["size"][np.searchsorted(world.codes, acc.kommune)]
    base = 3 + np.clip(np.rint(4 + 4 * size), 0, 12)
    lines = base + rng.integers(0, 5, len(acc.kommune))
    lines = np.where(acc.omk >= 0, np.maximum(3, lines // 3), lines)  # workplaces post less
    lines = np.where(acc.art == SALARY_ART, 1, lines)  # one payroll line per category
    lines = np.where(np.char.startswith(acc.funktion.astype(str), "7."), 1, lines)
    return lines.astype(np.int64)
