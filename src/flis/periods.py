"""Months (periods) as the platform counts them: ``YYYY-MM`` strings and ranges of them."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from flis.errors import UsageError

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_month(text: str) -> str:
    """Validate ``YYYY-MM`` and return it unchanged."""
    if not _MONTH.match(text):
        raise UsageError(
            f"'{text}' is not a month",
            hint="write months as YYYY-MM, for example 2024-08",
            message_da=f"'{text}' er ikke en måned",
            hint_da="skriv måneder som ÅÅÅÅ-MM, fx 2024-08",
        )
    return text


def month_index(month: str) -> int:
    """Months since year 0, so that differences are month counts."""
    year, mon = int(month[:4]), int(month[5:7])
    return year * 12 + mon - 1


def month_from_index(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def parse_month_range(text: str) -> list[str]:
    """``2024-08:2025-07`` (inclusive) or a single ``2024-08``, as a list of months."""
    start, _, end = text.partition(":")
    first = month_index(parse_month(start.strip()))
    last = month_index(parse_month(end.strip())) if end else first
    if last < first:
        raise UsageError(
            f"month range '{text}' ends before it starts",
            hint="write FIRST:LAST",
            message_da=f"måneds-intervallet '{text}' slutter før det begynder",
            hint_da="skriv FØRSTE:SIDSTE",
        )
    return [month_from_index(i) for i in range(first, last + 1)]


def add_months(month: str, count: int) -> str:
    return month_from_index(month_index(month) + count)


def first_day(month: str) -> dt.date:
    return dt.date(int(month[:4]), int(month[5:7]), 1)


def last_day(month: str) -> dt.date:
    year, mon = int(month[:4]), int(month[5:7])
    return dt.date(year, mon, calendar.monthrange(year, mon)[1])


def days_in_month(month: str) -> int:
    return last_day(month).day


def compact(month: str) -> str:
    """``2024-08`` → ``202408`` as file names use it."""
    return month.replace("-", "")


def school_year_start(month: str) -> int:
    """Calendar year in which the school year containing ``month`` began (August start)."""
    year, mon = int(month[:4]), int(month[5:7])
    return year if mon >= 8 else year - 1
