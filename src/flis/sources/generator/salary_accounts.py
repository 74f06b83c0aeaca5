"""Salary accounts: the payroll's pay per function and category, school pay split over schools."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flis.sources.generator.accounts import SALARY_ART, Accounts, column
from flis.sources.generator.budget_items import SCHOOL_TYPES
from flis.sources.generator.cost_centres import CENTRE_FUNCTIONS, cost_centre
from flis.sources.generator.world import World


def salaries(world: World, institutions: pa.Table, payroll: pa.Table) -> Accounts:
    """Salary accounts per function and category; school functions split over schools."""
    kommune = payroll.column("kommune").to_numpy()
    funktion = column(payroll, "funktion")
    pay = payroll.column("pay").to_numpy().astype(np.float64)
    at_school = np.isin(funktion, list(SCHOOL_TYPES))
    k, f, omk, amount = [kommune[~at_school]], [funktion[~at_school]], [], [pay[~at_school]]
    omk.append(first_centre(kommune[~at_school], funktion[~at_school]))
    school = _school_shares(world, institutions)
    for fn in SCHOOL_TYPES:
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
    return Accounts(
        np.concatenate(k),
        np.concatenate(f),
        np.full(n, "1"),
        np.full(n, SALARY_ART),
        np.concatenate(omk),
        monthly * 12,
        monthly,
        np.ones(n, np.int64),
    )


def _school_shares(world: World, institutions: pa.Table) -> dict[str, dict[str, np.ndarray]]:
    """Per school function: each school's share of its municipality's pupils."""
    kommune = institutions.column("kommune").to_numpy()
    itype = column(institutions, "institutionstype")
    instnr = pc.cast(institutions.column("instnr"), pa.int64()).to_numpy()
    pupils = institutions.column("pupils").to_numpy().astype(np.float64)
    out = {}
    for fn, types in SCHOOL_TYPES.items():
        mask = np.isin(itype, types)
        idx = np.searchsorted(world.codes, kommune[mask])
        # a school with no pupils still carries a little of the cost (buildings, staff)
        weight = pupils[mask] + 1.0
        total = np.bincount(idx, weight, minlength=len(world.codes))[idx]
        out[fn] = {"kommune": kommune[mask], "instnr": instnr[mask], "share": weight / total}
    return out


def first_centre(kommune: np.ndarray, funktion: np.ndarray) -> np.ndarray:
    """The first cost centre of a function that has cost centres, else -1."""
    out = np.full(len(kommune), -1, np.int64)
    for fn in CENTRE_FUNCTIONS:
        mask = funktion == fn
        out[mask] = cost_centre(kommune[mask], fn)
    return out
