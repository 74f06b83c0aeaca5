"""Posting lines: actual (R) postings of a month and the finished, numbered postering table."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flis import periods
from flis.sources.generator.accounts import SALARY_ART, Accounts
from flis.sources.generator.days import NP_EPOCH
from flis.sources.generator.world import World


def actual_lines(world: World, month: str, acc: Accounts) -> pa.Table:
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
    day = np.where(acc.art[row] == SALARY_ART, payday, day)
    return lines_table(acc, row, beloeb, day, "R")


def lines_table(
    acc: Accounts, row: np.ndarray, beloeb: np.ndarray, day: np.ndarray, kind: str
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
            "bogfoeringsdato": pa.array((day - NP_EPOCH).astype(np.int32), pa.date32()),
            "kontostreng": kontostreng,
            "omkostningssted": pc.if_else(
                pa.array(omk < 0), pa.scalar(None, pa.string()), omk_text
            ),
            "beloeb": pa.array(beloeb, pa.float64()),
            "posteringstype": pa.array(np.full(len(row), kind)),
        }
    )


def finish(month: str, table: pa.Table) -> pa.Table:
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
