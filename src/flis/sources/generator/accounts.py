"""Accounts: one row per account of a month, with its yearly amount and posting lines."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from flis.sources.generator.budget_items import Item

SALARY_ART = "1.0"


@dataclass
class Accounts:
    """Account rows of one month: expected yearly amount and this month's actual, if known."""

    kommune: np.ndarray
    funktion: np.ndarray
    dranst: np.ndarray
    art: np.ndarray
    omk: np.ndarray  # cost centre or instnr as int64; -1 = none
    yearly: np.ndarray  # expected amount a year (budget base)
    actual: np.ndarray  # this month's actual; NaN = draw it from ``yearly``
    lines: np.ndarray  # actual posting lines this month


def account_rows(
    kommune: np.ndarray,
    *,
    funktion: str,
    dranst: str,
    art: str,
    omk: np.ndarray,
    yearly: np.ndarray,
) -> Accounts:
    """Rows of one account line per municipality or workplace, with amounts drawn later."""
    n = len(kommune)
    return Accounts(
        kommune,
        np.full(n, funktion),
        np.full(n, dranst),
        np.full(n, art),
        omk,
        yearly,
        np.full(n, np.nan),
        np.ones(n, np.int64),
    )


def item_rows(kommune: np.ndarray, item: Item, omk: np.ndarray, yearly: np.ndarray) -> Accounts:
    """Rows of one budget item."""
    return account_rows(
        kommune, funktion=item.funktion, dranst=item.dranst, art=item.art, omk=omk, yearly=yearly
    )


def join_accounts(parts: list[Accounts]) -> Accounts:
    """All rows of ``parts``, in order."""
    return Accounts(
        *(np.concatenate([getattr(p, f) for p in parts]) for f in Accounts.__dataclass_fields__)
    )


def column(table: pa.Table, name: str) -> np.ndarray:
    """A table column as a NumPy array (strings as objects)."""
    return np.asarray(table.column(name).to_numpy(zero_copy_only=False))
