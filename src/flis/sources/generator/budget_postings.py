"""Budget postings: the month's twelfth of the original (B) and corrected (K) budget."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from flis import periods
from flis.sources.generator.accounts import Accounts, column
from flis.sources.generator.hashing import keyed_uniform
from flis.sources.generator.postings import lines_table
from flis.sources.generator.world import World

_KEYS = ["kommune", "funktion", "dranst", "art", "omk"]


def budget_lines(world: World, month: str, acc: Accounts) -> pa.Table:
    """The month's twelfth of the original (B) and corrected (K) budget, one line per account."""
    g = _by_account(acc)
    # fixed per account and year, so B stays put and a correction, once made, stays
    code = _account_code(g)
    salt = [int(s) for s in world.rng("economy-budget", int(month[:4])).integers(0, 1 << 62, 4)]
    original = g.yearly / 12 * (1 + 0.1 * (keyed_uniform(code, salt[0]) - 0.5))
    corrected_from = 4 + np.floor(keyed_uniform(code, salt[1]) * 9)  # April–December
    corrects = (keyed_uniform(code, salt[2]) < 0.2) & (int(month[5:7]) >= corrected_from)
    corrected = original * np.where(corrects, 1 + 0.16 * (keyed_uniform(code, salt[3]) - 0.5), 1.0)
    row = np.arange(len(g.kommune))
    day = np.full(len(row), np.datetime64(periods.first_day(month), "D"))
    b = lines_table(g, row, np.round(original, 2), day, "B")
    k = lines_table(g, row, np.round(corrected, 2), day, "K")
    return pa.concat_tables([b, k])


def _by_account(acc: Accounts) -> Accounts:
    """One row per account with the yearly amounts summed, sorted by the account keys."""
    table = pa.table({name: getattr(acc, name) for name in [*_KEYS, "yearly"]})
    grouped = (
        table.group_by(_KEYS)
        .aggregate([("yearly", "sum")])
        .sort_by([(name, "ascending") for name in _KEYS])
    )
    n = grouped.num_rows
    return Accounts(
        grouped.column("kommune").to_numpy(),
        column(grouped, "funktion"),
        column(grouped, "dranst"),
        column(grouped, "art"),
        grouped.column("omk").to_numpy(),
        grouped.column("yearly_sum").to_numpy(),
        np.full(n, np.nan),
        np.ones(n, np.int64),
    )


def _account_code(acc: Accounts) -> np.ndarray:
    """An integer identifying each account (municipality, account string, cost centre)."""
    digits = np.char.replace(acc.funktion.astype(str), ".", "")
    funk = digits.astype(np.int64)
    art = np.char.replace(acc.art.astype(str), ".", "").astype(np.int64)
    code = ((acc.kommune * 100_000 + funk) * 10 + acc.dranst.astype(np.int64)) * 100 + art
    return np.asarray(code * 100_000_000 + np.maximum(acc.omk, 0) % 100_000_000)
