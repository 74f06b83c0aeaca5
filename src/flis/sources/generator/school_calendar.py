"""The school calendar: school days of a month outside Danish school and public holidays."""

from __future__ import annotations

import datetime as dt

from flis.periods import first_day, last_day


def school_days(month: str) -> list[dt.date]:
    """Weekdays of ``month`` outside the school holidays (≈200 school days a year)."""
    start, end = first_day(month), last_day(month)
    off = _holidays(start.year)
    days = [start + dt.timedelta(n) for n in range((end - start).days + 1)]
    return [d for d in days if d.weekday() < 5 and d not in off]


def _holidays(year: int) -> set[dt.date]:
    """Danish school holidays and public holidays of a calendar year."""
    easter = _easter(year)
    off = {easter + dt.timedelta(n) for n in (*range(-6, 2), 39, 40, 50)}
    if year < 2024:
        off.add(easter + dt.timedelta(26))  # Store Bededag, abolished from 2024
    off.add(dt.date(year, 6, 5))
    august = dt.date(year, 8, 1)
    first_monday = august + dt.timedelta((7 - august.weekday()) % 7)
    # summer holiday from late June until the second Monday of August
    off |= _span(dt.date(year, 6, 27), first_monday + dt.timedelta(6))
    for week in (7, 42):
        off |= _span(dt.date.fromisocalendar(year, week, 1), dt.date.fromisocalendar(year, week, 5))
    off |= _span(dt.date(year, 12, 21), dt.date(year, 12, 31))
    off |= _span(dt.date(year, 1, 1), dt.date(year, 1, 2))
    return off


def _span(first: dt.date, last: dt.date) -> set[dt.date]:
    return {first + dt.timedelta(n) for n in range((last - first).days + 1)}


def _easter(year: int) -> dt.date:
    """Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return dt.date(year, month, day + 1)
