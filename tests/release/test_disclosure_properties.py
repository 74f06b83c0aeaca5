"""Properties of disclosure control on random tables, and its speed on a national benchmark."""

from __future__ import annotations

import random
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from flis.reference.municipalities import municipalities
from flis.release.disclosure import Relation, determined, intervals, protect
from tests.release.test_disclosure import Table, make_table, published

grids = st.integers(2, 4).flatmap(
    lambda cols: st.lists(
        st.lists(st.one_of(st.integers(0, 6), st.integers(5, 60)), min_size=cols, max_size=cols),
        min_size=2,
        max_size=4,
    )
)


@settings(max_examples=40, deadline=None)
@given(grid=grids, threshold=st.integers(3, 6))
def test_random_tables_are_protected_against_both_adversaries(
    grid: list[list[int]], threshold: int
) -> None:
    values, persons, rels = make_table(grid)
    flags = protect(values, persons, rels, threshold=threshold)
    small = {c for c, p in persons.items() if 0 < p < threshold}
    assert {c for c, why in flags.items() if why == "primary"} == small
    assert determined(published(values, flags), flags, rels) == set()
    assert protect(values, persons, rels, threshold=threshold) == flags
    bounds = intervals(published(values, flags), flags, rels)
    assert all(hi - lo > 0 for c, (lo, hi) in bounds.items() if values[c] > 0)


def national(components: int, seed: int = 1) -> Table:
    """Key-figure cells for 98 municipalities, 5 regions, 5 DST groups and the nation."""
    rng = random.Random(seed)
    values: dict[str, float] = {}
    persons: dict[str, int] = {}
    rels: list[Relation] = []
    for k in range(components):
        groups: dict[str, list[str]] = {}
        for m in municipalities():
            cell = f"{k}|m:{m.code}"
            persons[cell] = rng.randint(1, 4) if rng.random() < 0.03 else rng.randint(5, 900)
            values[cell] = float(persons[cell])
            for g in (f"region:{m.region_code}", f"dst:{m.dst_group_code}", "nation"):
                groups.setdefault(f"{k}|g:{g}", []).append(cell)
        for total, parts in groups.items():
            persons[total] = sum(persons[p] for p in parts)
            values[total] = float(persons[total])
            rels.append(Relation(total, tuple(parts)))
    return values, persons, rels


def test_a_national_benchmark_release_is_protected_within_seconds() -> None:
    values, persons, rels = national(480)
    start = time.perf_counter()
    flags = protect(values, persons, rels, threshold=5)
    elapsed = time.perf_counter() - start
    assert determined(published(values, flags), flags, rels) == set()
    assert sum(why == "primary" for why in flags.values()) > 480
    assert elapsed < 5, f"protect took {elapsed:.2f}s for 480 components"


def rolling(series: list[list[int]], window: int) -> Table:
    """Monthly counts ``x<i>.<t>`` of municipalities with the nation's ``N.<t>``, and rolling
    sums over ``window`` months ``R<i>.<t>`` and ``RN.<t>`` (a rolling-year figure in small)."""
    values: dict[str, float] = {}
    rels: list[Relation] = []
    months = range(len(series[0]))
    for i, counts in enumerate(series):
        for t in months:
            values[f"x{i}.{t}"] = counts[t]
    for t in months:
        rels.append(Relation(f"N.{t}", tuple(f"x{i}.{t}" for i in range(len(series)))))
        if t >= window - 1:
            for i in range(len(series)):
                rels.append(Relation(f"R{i}.{t}", tuple(f"x{i}.{t - k}" for k in range(window))))
            rels.append(Relation(f"RN.{t}", tuple(f"R{i}.{t}" for i in range(len(series)))))
    for rel in rels:
        values[rel.total] = sum(values[p] for p in rel.parts)
    return values, {c: int(v) for c, v in values.items()}, rels


# no zeros: a zero published next to a small count is the non-negativity limit tested below
series = st.integers(3, 6).flatmap(
    lambda months: st.lists(
        st.lists(
            st.one_of(st.integers(1, 6), st.integers(5, 60)), min_size=months, max_size=months
        ),
        min_size=2,
        max_size=4,
    )
)


@settings(max_examples=40, deadline=None)
@given(data=series, window=st.integers(2, 3), threshold=st.integers(3, 6))
def test_random_monthly_series_with_rolling_sums_are_protected(
    data: list[list[int]], window: int, threshold: int
) -> None:
    values, persons, rels = rolling(data, window)
    flags = protect(values, persons, rels, threshold=threshold)
    small = {c for c, p in persons.items() if 0 < p < threshold}
    assert {c for c, why in flags.items() if why == "primary"} == small
    assert determined(published(values, flags), flags, rels) == set()
    assert protect(values, persons, rels[::-1], threshold=threshold) == flags
    bounds = intervals(published(values, flags), flags, rels)
    assert all(hi - lo > 0 for c, (lo, hi) in bounds.items() if c in small)


def test_protecting_each_month_alone_leaks_through_the_rolling_sum() -> None:
    values, persons, rels = rolling([[10, 2, 10, 10], [40, 50, 45, 60], [30, 35, 33, 31]], 2)
    monthly = [r for r in rels if r.total.startswith("N.")]
    old = protect(values, persons, monthly, threshold=5)  # each month's table on its own
    assert old["x0.1"] == "primary"
    # R0.1 − x0.0 = x0.1: last year's rolling sum minus a published month gives the secret back
    assert "x0.1" in determined(published(values, old), old, rels)
    flags = protect(values, persons, rels, threshold=5)
    assert determined(published(values, flags), flags, rels) == set()


def test_known_limit_zeros_around_a_small_count_pin_it_by_non_negativity() -> None:
    # Every other municipality has nobody in any month: the rank adversary learns nothing, but
    # zeros cannot go lower, so the interval adversary reads the small counts off the totals.
    # Documented in docs/disclosure-control.md (Limits); this test keeps the statement true.
    # Which series shows it depends on the pattern the search picks, so a few are tried.
    zeros = [0] * 6
    exposed: list[str] = []
    for small in ([4, 2, 4, 2, 5, 1], [6, 1, 0, 6, 1, 1], [2, 5, 2, 0, 5, 4], [4, 2, 0, 1, 0, 6]):
        values, persons, rels = rolling([zeros, zeros, zeros, small], 3)
        flags = protect(values, persons, rels, threshold=3)
        assert determined(published(values, flags), flags, rels) == set()
        bounds = intervals(published(values, flags), flags, rels)
        exposed += [c for c, (lo, hi) in bounds.items() if lo == hi and 0 < persons[c] < 3]
    assert any(c.startswith("x3.") for c in exposed)
