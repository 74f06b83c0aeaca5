"""Base measures and their sources, declared as data in ``catalogue/measures.yaml``.

A *source* is a SELECT over the warehouse giving one row per unit (a pupil, a class, an
employment, a posting) per month, with a ``month`` column, the columns each municipality role
reads, and named *filters* (SQL predicates over its columns). A *measure* is an aggregate over a
source's rows. A key figure's numerator and denominator each name a measure and some filters.

Two macros keep the SQL tied to reference data instead of hand-copied codes:
``{codes:LIST:ATTR}`` becomes the quoted codes of code list LIST whose attribute ATTR is true,
e.g. ``('1015', '1016')`` for ``{codes:institution_type:segregated}``; ``{as_of:COL}`` becomes
the count day for the month in column COL: the key figure's count date in that month's year,
otherwise the last day of the month.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from flis.errors import ConfigError
from flis.keyfigures.model import Role, Window
from flis.reference import codelist
from flis.reference.codelists import Text

Kind = Literal["flow", "stock"]

_CODES = re.compile(r"\{codes:([a-z_]+):([a-z_]+)\}")
_AS_OF = re.compile(r"\{as_of:([a-z_.]+)\}")


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Filter(_Frozen):
    """A named predicate over a source's columns."""

    description: Text
    where: str


class Source(_Frozen):
    """One row per unit per month, with the columns measures and filters read."""

    id: str
    title: Text
    sql: str
    contracts: tuple[str, ...]
    roles: dict[Role, str]
    persons: str | None = None  # aggregate counting the persons (or units) rows rest on
    lags: tuple[int, ...] = ()  # further months read, relative to the row's month (e.g. -12)
    materialize: bool = False  # a build computes the rows once and shares them between figures
    filters: dict[str, Filter] = {}


class Measure(_Frozen):
    """An aggregate over a source's rows, e.g. ``COUNT(DISTINCT person_key)`` of enrolments."""

    id: str
    title: Text
    source: str
    expression: str
    kind: Kind = "flow"

    @property
    def default_window(self) -> Window:
        return "sum" if self.kind == "flow" else "mean"


def expand(sql: str, *, count_date: str | None, location: str) -> str:
    """Resolve the ``{codes:...}`` and ``{as_of:...}`` macros in a source's SQL or a filter."""

    def codes(m: re.Match[str]) -> str:
        found = codelist(m.group(1)).where(**{m.group(2): True})
        if not found:
            raise ConfigError(
                f"no code in '{m.group(1)}' has {m.group(2)}",
                location=location,
                message_da=f"ingen kode i '{m.group(1)}' har {m.group(2)}",
            )
        return "(" + ", ".join(f"'{c}'" for c in found) + ")"

    def as_of(m: re.Match[str]) -> str:
        col = m.group(1)
        if count_date:
            return f"CAST(SUBSTRING({col}, 1, 4) || '-{count_date}' AS DATE)"
        return f"LAST_DAY(CAST({col} || '-01' AS DATE))"

    return _AS_OF.sub(as_of, _CODES.sub(codes, sql))
