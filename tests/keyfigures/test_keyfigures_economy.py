"""Economy key figures (and school spending) on tiny hand-built worlds; values in comments."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from flis import periods
from tests.keyfigures.world_factory import World, built_world, make_world

__all__ = ["make_world"]

MUNI = 101
YEAR = periods.parse_month_range("2024-08:2025-07")


def _economy_world(w: World) -> None:
    """101, Aug 2024–Jul 2025, economy, CPR and school delivered every month.

    100 residents a month, 10 of them aged 10. A folkeskole with 8 pupils every month but July.
    Actuals a month: 3.22.01 10,000; 3.22.08 2,000; 5.30.27 5,000; 6.45.51 1,000 (operating);
    0.25.10 99,999 on dranst 3 (capital, left out); 7.68.90 −20,000 on dranst 7 (left out).
    Corrected budget a month: 3.22.01 20,000.
    """
    for month in YEAR:
        w.residents(MUNI, month, age=40, count=90)
        w.residents(MUNI, month, age=10, count=10)
        w.deliver("school", MUNI, month)
        if not month.endswith("-07"):
            w.school(MUNI, month, "100001")
            w.klass(MUNI, month, "100001", "100001-1A", pupils=8)
        for funktion, amount in (
            ("3.22.01", 10_000),
            ("3.22.08", 2_000),
            ("5.30.27", 5_000),
            ("6.45.51", 1_000),
        ):
            w.posting(MUNI, month, funktion, amount)
        w.posting(MUNI, month, "0.25.10", 99_999, dranst="3")
        w.posting(MUNI, month, "7.68.90", -20_000, dranst="7")
        w.posting(MUNI, month, "3.22.01", 20_000, kind="K")


MEAN_PUPILS = 8 * 11 / 12  # no pupils in July

CASES = [
    # operating hk 0–6: (10,000 + 2,000 + 5,000 + 1,000) × 12 = 216,000 ÷ 100 inhabitants
    ("oekonomi.driftsudgift_pr_indbygger", "2025-07", 2_160.0),
    ("oekonomi.driftsudgift_pr_indbygger_hk0", "2025-07", 0.0),  # only capital on hk 0
    ("oekonomi.driftsudgift_pr_indbygger_hk1", "2025-07", 0.0),  # nothing on hk 1
    ("oekonomi.driftsudgift_pr_indbygger_hk2", "2025-07", 0.0),  # nothing on hk 2
    ("oekonomi.driftsudgift_pr_indbygger_hk3", "2025-07", 1_440.0),  # 12,000 × 12 ÷ 100
    ("oekonomi.driftsudgift_pr_indbygger_hk4", "2025-07", 0.0),  # nothing on hk 4
    ("oekonomi.driftsudgift_pr_indbygger_hk5", "2025-07", 600.0),  # 5,000 × 12 ÷ 100
    ("oekonomi.driftsudgift_pr_indbygger_hk6", "2025-07", 120.0),  # 1,000 × 12 ÷ 100
    # Jan–Mar 2025: actual 18,000 × 3 = 54,000 over corrected budget 20,000 × 3 → 90 %
    ("oekonomi.budgetforbrug", "2025-03", 90.0),
    # folkeskole functions 12,000 × 12 = 144,000 over mean pupils 8 × 11 ÷ 12 = 7.33
    ("skole.udgift_pr_elev", "2025-07", 144_000 / MEAN_PUPILS),
    ("skole.udgift_pr_6_16_aarig", "2025-07", 14_400.0),  # 144,000 ÷ 10
    ("skole.specialudgift_pr_elev", "2025-07", 24_000 / MEAN_PUPILS),  # 3.22.08 2,000 × 12
]


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    w = built_world(_economy_world, [c[0] for c in CASES])
    yield w
    w.conn.close()


@pytest.mark.parametrize(("kf", "period", "expected"), CASES)
def test_economy_keyfigures(world: World, kf: str, period: str, expected: float) -> None:
    w = world
    assert w.row(kf, MUNI, period)["status"] == "ok"
    assert w.value(kf, MUNI, period) == pytest.approx(expected)


def test_structural_operating_balance(make_world: Callable[[], World]) -> None:
    w = make_world()
    for month in periods.parse_month_range("2025-01:2025-12"):
        w.residents(MUNI, month, age=40, count=100 if month == "2025-01" else 120)
        w.posting(MUNI, month, "7.68.90", -30_000, kind="B", dranst="7")
        w.posting(MUNI, month, "3.22.01", 20_000, kind="B")
        w.posting(MUNI, month, "5.30.27", -1_000, kind="B", dranst="2")
        w.posting(MUNI, month, "0.25.10", 5_000, kind="B", dranst="3")  # capital: left out
        w.posting(MUNI, month, "3.22.01", 99_000, kind="R")  # actuals: left out
    kf = "oekonomi.strukturel_driftsbalance_pr_indbygger"
    w.build(keyfigures=[kf])
    # income 30,000 − (20,000 − 1,000) = 11,000 a month × 12 = 132,000 over the 100
    # inhabitants of January (1 January), not the 120 later → 1,320
    assert w.value(kf, MUNI, "2025-12") == pytest.approx(1_320.0)
