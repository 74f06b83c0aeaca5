"""Property tests of the aggregation rules in flis.keyfigures.aggregate."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from flis.keyfigures.aggregate import Member, aggregate

_amount = st.floats(min_value=0, max_value=1e6, allow_nan=False)
_positive = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False)


@st.composite
def members(draw: st.DrawFn, min_size: int = 1) -> list[Member]:
    pairs = draw(st.lists(st.tuples(_amount, _positive), min_size=min_size, max_size=20))
    return [Member(n, d, n / d) for n, d in pairs]


@given(members())
def test_ratio_of_sums_is_the_denominator_weighted_mean_of_ratios(group: list[Member]) -> None:
    result = aggregate("ratio_of_sums", group)
    total = sum(m.denominator or 0 for m in group)
    weighted = sum((m.value or 0) * (m.denominator or 0) for m in group) / total
    assert result.value is not None
    assert math.isclose(result.value, weighted, rel_tol=1e-9, abs_tol=1e-9)
    assert result.members == len(group)


@given(members(min_size=1).map(lambda g: g[:1]), st.sampled_from([1.0, 100.0, 1000.0]))
def test_a_group_of_one_equals_its_member(group: list[Member], scale: float) -> None:
    (only,) = group
    for rule in ("ratio_of_sums", "mean_of_values"):
        result = aggregate(
            rule, [Member(only.numerator, only.denominator, scale * (only.value or 0))], scale=scale
        )
        assert result.value is not None
        assert math.isclose(result.value, scale * (only.value or 0), rel_tol=1e-9, abs_tol=1e-9)
        assert result.members == 1


@given(members())
def test_mean_of_values_ignores_weights(group: list[Member]) -> None:
    result = aggregate("mean_of_values", group)
    expected = sum(m.value or 0 for m in group) / len(group)
    assert result.value is not None
    assert math.isclose(result.value, expected, rel_tol=1e-9, abs_tol=1e-9)


@given(members(), st.integers(min_value=0, max_value=5))
def test_members_without_a_value_do_not_count(group: list[Member], gaps: int) -> None:
    with_gaps = group + [Member(None, None, None)] * gaps
    assert aggregate("ratio_of_sums", with_gaps) == aggregate("ratio_of_sums", group)
