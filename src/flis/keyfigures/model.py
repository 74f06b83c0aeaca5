"""The key-figure catalogue model: one entry per key figure, declared as data in YAML."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from flis.reference.codelists import Text

Area = Literal["economy", "citizens", "staff", "school"]
Unit = Literal["count", "percent", "dkk", "days", "ratio", "per_1000"]
Level = Literal["monthly", "yearly", "year_to_date", "school_year", "count_date", "rolling_year"]
Role = Literal["owner", "home", "paying", "employer", "reporting"]
Aggregation = Literal["ratio_of_sums", "mean_of_values"]
Direction = Literal["higher_is_better", "lower_is_better", "neutral"]
Status = Literal[
    "ok", "missing_delivery", "rejected_delivery", "denominator_zero", "incomplete_month"
]
#: How a measure's monthly amounts become one amount for a multi-month period: ``sum`` for flows,
#: ``mean`` of the months for stocks, or the stock at the ``first``/``last`` month of the period.
Window = Literal["sum", "mean", "first", "last"]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MeasureRef(_Frozen):
    """A base measure narrowed by named filters, e.g. sick days of teachers on 3.22.01."""

    measure: str
    filters: tuple[str, ...] = ()
    window: Window | None = None  # None: the measure's own default (flows sum, stocks mean)


class KeyFigure(_Frozen):
    """One key figure: what it means, how it is computed, and how groups aggregate it."""

    id: str
    title: Text
    description: Text
    area: Area
    main_area: str
    unit: Unit
    level: Level
    count_date: str | None = None  # "MM-DD" for level count_date, e.g. "09-05"
    numerator: MeasureRef
    denominator: MeasureRef | None = None
    scale: float = 1.0  # value = scale × numerator ÷ denominator (100 for percent, 1000 per 1,000)
    role: Role
    aggregation: Aggregation
    direction: Direction
    caveats: tuple[Text, ...] = ()
