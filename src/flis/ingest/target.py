"""What a delivery claims to be, from its file name: contract, municipality and month."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flis.periods import first_day, last_day
from flis.sources.contract import Contract


@dataclass(frozen=True)
class Target:
    """The slice a delivery fills: one contract × municipality × month."""

    contract: Contract
    municipality: int
    period: str
    seq: int

    @property
    def first_day(self) -> dt.date:
        return first_day(self.period)

    @property
    def last_day(self) -> dt.date:
        return last_day(self.period)
