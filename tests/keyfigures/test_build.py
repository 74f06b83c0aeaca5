"""The build: a row per municipality and period, statuses for gaps, incremental rebuilds."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from flis.keyfigures.aggregate import Member, aggregate
from flis.keyfigures.catalogue import keyfigure
from flis.reference import municipalities
from tests.keyfigures.world_factory import World, make_world

__all__ = ["make_world"]

MUNI, OTHER = 101, 147
OCT, NOV = "2024-10", "2024-11"
POP = "borger.folketal"
SHARE = "borger.andel_0_5"


def _two_months(w: World) -> None:
    """CPR for 101 and 147 in October and November: 101 has 8 + 2 aged 3, 147 has 3 + 1."""
    for month in (OCT, NOV):
        w.residents(MUNI, month, age=40, count=8)
        w.residents(MUNI, month, age=3, count=2)
        w.residents(OTHER, month, age=40, count=3)
        w.residents(OTHER, month, age=3, count=1)


def test_a_row_for_every_municipality_and_period(make_world: Callable[[], World]) -> None:
    w = make_world()
    _two_months(w)
    w.build(keyfigures=[POP])
    rows = w.conn.execute(
        "SELECT period, status, count(*) FROM keyfigures.value WHERE keyfigure = ? "
        "GROUP BY ALL ORDER BY ALL",
        [POP],
    ).fetchall()
    # 98 municipalities × 2 months: 2 delivered each month, 96 missing
    assert rows == [
        (OCT, "missing_delivery", 96),
        (OCT, "ok", 2),
        (NOV, "missing_delivery", 96),
        (NOV, "ok", 2),
    ]
    missing = w.row(POP, 461, OCT)
    assert (missing["value"], missing["numerator"]) == (None, None)


def test_rejected_delivery_is_a_gap_not_a_number(make_world: Callable[[], World]) -> None:
    w = make_world()
    _two_months(w)
    w.deliver("cpr", 461, OCT, status="rejected")
    w.build(keyfigures=[POP])
    row = w.row(POP, 461, OCT)
    assert (row["status"], row["value"]) == ("rejected_delivery", None)


def test_denominator_zero(make_world: Callable[[], World]) -> None:
    w = make_world()
    w.deliver("cpr", MUNI, OCT)  # accepted but empty: no residents
    w.build(keyfigures=[SHARE])
    row = w.row(SHARE, MUNI, OCT)
    assert (row["status"], row["value"], row["denominator"]) == ("denominator_zero", None, 0)


def test_a_count_with_an_empty_delivery_is_zero(make_world: Callable[[], World]) -> None:
    w = make_world()
    w.deliver("cpr", MUNI, OCT)
    w.build(keyfigures=[POP])
    assert (w.row(POP, MUNI, OCT)["status"], w.value(POP, MUNI, OCT)) == ("ok", 0.0)


def test_missing_second_contract(make_world: Callable[[], World]) -> None:
    w = make_world()
    w.employee(MUNI, OCT)  # employment delivered, absence not
    w.build(keyfigures=["personale.sygefravaersprocent"])
    assert w.row("personale.sygefravaersprocent", MUNI, OCT)["status"] == "missing_delivery"


def test_values_persons_and_group_values(make_world: Callable[[], World]) -> None:
    w = make_world()
    _two_months(w)
    w.build(keyfigures=[SHARE])
    row = w.row(SHARE, MUNI, OCT)
    # 101: 2 of 10 aged 0–5 → 20 %, resting on 10 residents
    assert (row["value"], row["numerator"], row["denominator"], row["persons"]) == (
        20.0,
        2.0,
        10.0,
        10,
    )
    groups = dict(
        w.conn.execute(
            "SELECT group_id, (value, members) FROM keyfigures.group_value "
            "WHERE keyfigure = ? AND period = ?",
            [SHARE, OCT],
        ).fetchall()
    )
    # ratio of sums over the two members (101 and 147, both Region Hovedstaden, DST group 1):
    # (2 + 1) ÷ (10 + 4) = 21.43 %, not the mean of 20 % and 25 %
    assert groups["nation"] == pytest.approx((100 * 3 / 14, 2))
    assert groups["region:1084"] == pytest.approx((100 * 3 / 14, 2))
    assert groups["dst:1"] == pytest.approx((100 * 3 / 14, 2))
    # a region without deliveries has a row with no value and 0 members
    assert groups["region:1081"] == (None, 0)
    # the SQL agrees with the Python rule in flis.keyfigures.aggregate
    python = aggregate(
        "ratio_of_sums",
        [Member(2.0, 10.0, 20.0), Member(1.0, 4.0, 25.0)],
        scale=keyfigure(SHARE).scale,
    )
    assert groups["nation"][0] == pytest.approx(python.value)
    assert len(groups) == 1 + 5 + len({m.dst_group_code for m in municipalities()})


def test_rebuild_is_identical_and_writes_nothing(make_world: Callable[[], World]) -> None:
    w = make_world()
    _two_months(w)
    first = w.build(keyfigures=[POP, SHARE])
    before = w.conn.execute("SELECT * FROM keyfigures.value ORDER BY ALL").fetchall()
    again = w.build(keyfigures=[POP, SHARE])
    assert (first.values_written, again.values_written) == (4 * 98, 0)
    assert again.values_unchanged == 4 * 98
    full = w.build(keyfigures=[POP, SHARE], only_changed=False)
    assert full.values_written == 4 * 98
    assert w.conn.execute("SELECT * FROM keyfigures.value ORDER BY ALL").fetchall() == before


def test_redelivery_recomputes_only_its_slice(make_world: Callable[[], World]) -> None:
    w = make_world()
    _two_months(w)
    w.build(keyfigures=[POP, SHARE])
    old_inputs = w.row(POP, MUNI, NOV)["inputs"]
    # 147 re-delivers October with one more resident
    w.deliver("cpr", OTHER, OCT)
    w.residents(OTHER, OCT, age=40, count=5)
    report = w.build(keyfigures=[POP, SHARE])
    # only (147, October) of each of the two key figures is rewritten
    assert report.values_written == 2
    assert w.value(POP, OTHER, OCT) == 5.0  # the new delivery's rows only
    assert w.row(POP, MUNI, NOV)["inputs"] == old_inputs
    nation = w.conn.execute(
        "SELECT value, members FROM keyfigures.group_value "
        "WHERE keyfigure = ? AND group_id = 'nation' AND period = ?",
        [POP, OCT],
    ).fetchone()
    assert nation == (10.0 + 5.0, 2)  # a count: the group value is the sum


def test_mean_of_values_rule(
    make_world: Callable[[], World], monkeypatch: pytest.MonkeyPatch
) -> None:
    from flis.keyfigures import catalogue as cat_module

    kf = keyfigure(SHARE).model_copy(update={"aggregation": "mean_of_values"})
    figures = dict(cat_module.keyfigures())
    figures[SHARE] = kf
    original = cat_module.catalogue()
    patched = cat_module.Catalogue(original.sources, original.measures, figures)
    monkeypatch.setattr(cat_module, "catalogue", lambda: patched)
    monkeypatch.setattr("flis.keyfigures.build.catalogue", lambda: patched)
    w = make_world()
    _two_months(w)
    w.build(keyfigures=[SHARE])
    nation = w.conn.execute(
        "SELECT value, numerator, members FROM keyfigures.group_value "
        "WHERE keyfigure = ? AND group_id = 'nation' AND period = ?",
        [SHARE, OCT],
    ).fetchone()
    # mean of 20 % (101) and 25 % (147) = 22.5 %, two members
    assert nation == (pytest.approx(22.5), None, 2)
