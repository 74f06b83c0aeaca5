"""CPR numbers: unique DDMMYYSSSS serials per birth date and sex, and their 10-digit text."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flis.sources.generator.days import birth_year

_CPR_EPOCH = -25567  # 1900-01-01: the serial counters are indexed by days since then


_CPR_DAYS = 160 * 366


class SerialBook:
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


def cpr_text(cpr: np.ndarray) -> pa.Array:
    """10-digit CPR strings from int64 DDMMYYSSSS."""
    return pc.utf8_lpad(pa.array(cpr, pa.int64()).cast(pa.string()), width=10, padding="0")
