"""Staff key figures on a tiny hand-built world; expected values worked out in comments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from flis import periods
from tests.keyfigures.world_factory import World, built_world, make_world

__all__ = ["make_world"]

MUNI = 101
YEAR = periods.parse_month_range("2024-08:2025-07")


def _staff_world(w: World) -> None:
    """101, Aug 2024–Jul 2025, payroll delivered every month.

    E1 teacher (20) 37 h; E2 care worker (40) 18.5 h (0.5 FTE); E3 day-care pedagogue (30)
    37 h, leaves 15 July 2025 (15 of 31 active days in July); E4 administration (10) 37 h.
    Sickness: E1 own illness 6 days Oct + 4 days Feb; E2 own illness 10 days Nov; E3 partial
    day 7.4 h Oct (= 1 day); E4 work injury 2 days Mar and child's illness 3 days (not sickness).
    """
    w.deliver_all("payroll-employment", [MUNI], YEAR)
    w.deliver_all("payroll-absence", [MUNI], YEAR)
    people = [w.person() for _ in range(4)]
    for month in YEAR:
        w.employee(MUNI, month, category="20", employment_id="1", person=people[0])
        w.employee(MUNI, month, category="40", hours=18.5, employment_id="2", person=people[1])
        end = dt.date(2025, 7, 15)
        w.employee(MUNI, month, category="30", employment_id="3", person=people[2], end=end)
        w.employee(MUNI, month, category="10", employment_id="4", person=people[3])
    w.staff_absence(MUNI, "2024-10", "1", "EGEN_SYGDOM", days=6)
    w.staff_absence(MUNI, "2025-02", "1", "EGEN_SYGDOM", days=4)
    w.staff_absence(MUNI, "2024-11", "2", "EGEN_SYGDOM", days=10)
    w.staff_absence(MUNI, "2024-10", "3", "DELVIS_SYGDOM", hours=7.4)
    w.staff_absence(MUNI, "2025-03", "4", "ARBEJDSSKADE", days=2)
    w.staff_absence(MUNI, "2025-03", "4", "BARNS_SYGDOM", days=3)


# mean FTE over the 12 months: E1 12, E2 6, E3 11 + 15/31, E4 12 → (41 + 15/31) ÷ 12
MEAN_FTE = (41 + 15 / 31) / 12

CASES = [
    # October: 1 + 0.5 + 1 + 1 = 3.5 full-time employees
    ("personale.fuldtidsansatte", "2024-10", 3.5),
    ("personale.fuldtidsansatte_laerere", "2024-10", 1.0),  # E1
    ("personale.fuldtidsansatte_dagtilbud", "2024-10", 1.0),  # E3
    ("personale.fuldtidsansatte_sosu", "2024-10", 0.5),  # E2 at 18.5 h
    # July: E3 active 15 of 31 days → 15/31
    ("personale.fuldtidsansatte_dagtilbud", "2025-07", 15 / 31),
    # sick day-works: 6 + 4 (E1) + 10 × 0.5 (E2) + 1 (E3) + 2 (E4) = 18 over mean FTE
    ("personale.sygedage_pr_fuldtidsansat", "2025-07", 18 / MEAN_FTE),
    ("personale.sygedage_pr_fuldtidsansat_laerere", "2025-07", 10.0),  # 10 ÷ 1
    ("personale.sygedage_pr_fuldtidsansat_sosu", "2025-07", 10.0),  # 5 ÷ 0.5
    # E3: 1 day over mean FTE (11 + 15/31) ÷ 12
    ("personale.sygedage_pr_fuldtidsansat_dagtilbud", "2025-07", 12 / (11 + 15 / 31)),
    ("personale.sygedage_pr_fuldtidsansat_administration", "2025-07", 2.0),  # 2 ÷ 1
    # October: day-works 6 (E1) + 1 (E3) over full-time days 31 × 3.5 = 108.5 → 6.4516 %
    ("personale.sygefravaersprocent", "2024-10", 100 * 7 / 108.5),
    # 1 leaver (E3) over 4 employed persons on average → 25 %
    ("personale.personaleomsaetning", "2025-07", 25.0),
]


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    w = built_world(_staff_world, [c[0] for c in CASES])
    yield w
    w.conn.close()


@pytest.mark.parametrize(("kf", "period", "expected"), CASES)
def test_staff_keyfigures(world: World, kf: str, period: str, expected: float) -> None:
    w = world
    assert w.row(kf, MUNI, period)["status"] == "ok"
    assert w.value(kf, MUNI, period) == pytest.approx(expected)


def test_rolling_year_before_twelve_months_is_incomplete(make_world: Callable[[], World]) -> None:
    w = make_world()
    _staff_world(w)
    w.build(keyfigures=["personale.sygedage_pr_fuldtidsansat"])
    # June 2025 needs July 2024, which was never delivered
    row = w.row("personale.sygedage_pr_fuldtidsansat", MUNI, "2025-06")
    assert (row["status"], row["value"]) == ("incomplete_month", None)
