"""Citizen key figures on a tiny hand-built world; expected values worked out in comments."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from flis import periods
from tests.keyfigures.world_factory import World, built_world

MUNI = 101
YEAR = periods.parse_month_range("2024-08:2025-07")


def _citizen_world(w: World) -> None:
    """101, Aug 2024–Jul 2025: 100 residents every month aged 3 (10), 10 (20), 40 (50),
    70 (15) and 85 (5); events over the year: 3 births, 2 deaths, 5 moved in, 1 immigrated,
    2 moved out, 1 emigrated."""
    for month in YEAR:
        for age, count in ((3, 10), (10, 20), (40, 50), (70, 15), (85, 5)):
            w.residents(MUNI, month, age=age, count=count)
    w.event(MUNI, "2024-10", "FOD", 2)
    w.event(MUNI, "2025-03", "FOD", 1)
    w.event(MUNI, "2024-12", "DOD", 2)
    w.event(MUNI, "2025-01", "TIL", 5)
    w.event(MUNI, "2025-01", "IND", 1)
    w.event(MUNI, "2025-05", "FRA", 2)
    w.event(MUNI, "2025-06", "UDV", 1)


CASES = [
    ("borger.folketal", "2024-10", 100.0),  # 10 + 20 + 50 + 15 + 5
    ("borger.andel_0_5", "2024-10", 10.0),  # 10 ÷ 100
    ("borger.andel_6_16", "2024-10", 20.0),  # 20 ÷ 100
    ("borger.andel_17_64", "2024-10", 50.0),  # 50 ÷ 100
    ("borger.andel_65_plus", "2024-10", 20.0),  # (15 + 5) ÷ 100
    ("borger.andel_80_plus", "2024-10", 5.0),  # 5 ÷ 100
    ("borger.foedte_pr_1000", "2025-07", 30.0),  # 3 births ÷ 100 × 1,000
    ("borger.doede_pr_1000", "2025-07", 20.0),  # 2 deaths ÷ 100 × 1,000
    # (5 + 1) in − (2 + 1) out = 3 ÷ 100 × 1,000 = 30
    ("borger.nettotilflytning_pr_1000", "2025-07", 30.0),
]


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    w = built_world(_citizen_world, [c[0] for c in CASES])
    yield w
    w.conn.close()


@pytest.mark.parametrize(("kf", "period", "expected"), CASES)
def test_citizen_keyfigures(world: World, kf: str, period: str, expected: float) -> None:
    w = world
    assert w.row(kf, MUNI, period)["status"] == "ok"
    assert w.value(kf, MUNI, period) == pytest.approx(expected)
