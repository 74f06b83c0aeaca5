"""Disclosure control on hand-checkable tables: what is suppressed, and the adversary's view."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from flis.release.disclosure import (
    DisclosureError,
    Relation,
    determined,
    intervals,
    primary_cells,
    protect,
)

Table = tuple[dict[str, float], dict[str, int], list[Relation]]


def make_table(grid: list[list[int]]) -> Table:
    """A count table ``a<row><col>`` with row totals ``R<row>``, column totals ``C<col>``, ``G``."""
    values: dict[str, float] = {}
    rels: list[Relation] = []
    for i, row in enumerate(grid, 1):
        for j, count in enumerate(row, 1):
            values[f"a{i}{j}"] = count
        rels.append(Relation(f"R{i}", tuple(f"a{i}{j}" for j in range(1, len(row) + 1))))
    for j in range(1, len(grid[0]) + 1):
        rels.append(Relation(f"C{j}", tuple(f"a{i}{j}" for i in range(1, len(grid) + 1))))
    rels.append(Relation("G", tuple(f"R{i}" for i in range(1, len(grid) + 1))))
    rels.append(Relation("G", tuple(f"C{j}" for j in range(1, len(grid[0]) + 1))))
    for rel in rels[:-1]:
        values[rel.total] = sum(values[p] for p in rel.parts)
    return values, {c: int(v) for c, v in values.items()}, rels


def published(values: Mapping[str, float], suppressed: Mapping[str, str]) -> dict[str, float]:
    return {c: v for c, v in values.items() if c not in suppressed}


def test_two_by_three_table_gets_a_rectangle_and_the_adversary_learns_nothing() -> None:
    values, persons, rels = make_table([[3, 10, 7], [8, 12, 9]])
    flags = protect(values, persons, rels, threshold=5)
    assert flags == {"a11": "primary", "a13": "secondary", "a21": "secondary", "a23": "secondary"}
    assert determined(published(values, flags), flags, rels) == set()
    bounds = intervals(published(values, flags), flags, rels)
    assert bounds["a11"] == (0.0, 10.0)  # the adversary cannot tell 3 from 5 or 10
    assert all(hi > lo for lo, hi in bounds.values())


def test_the_adversary_recovers_a_cell_when_a_secondary_suppression_is_dropped() -> None:
    values, persons, rels = make_table([[3, 10, 7], [8, 12, 9]])
    flags = protect(values, persons, rels, threshold=5)
    for cell in [c for c, why in flags.items() if why == "secondary"]:
        weaker = {c: w for c, w in flags.items() if c != cell}
        assert "a11" in determined(published(values, weaker), weaker, rels)


def test_primary_rule_keeps_true_zeros_and_cells_at_the_threshold() -> None:
    values = {"zero": 0.0, "one": 1.0, "four": 4.0, "five": 5.0, "unpublished": float("nan")}
    persons = {"zero": 0, "one": 1, "four": 4, "five": 5, "unpublished": 2}
    assert primary_cells(values, persons, threshold=5) == {"one", "four"}
    assert protect(values, persons, [], threshold=5) == {"four": "primary", "one": "primary"}


def test_two_small_cells_of_one_row_are_not_left_as_each_others_only_cover() -> None:
    # 1 + 2 published as a total minus 20 would tell the reader both are below 5.
    values, persons, rels = make_table([[1, 2, 20], [9, 8, 30]])
    flags = protect(values, persons, rels, threshold=5)
    assert {c for c, w in flags.items() if w == "primary"} == {"a11", "a12"}
    bounds = intervals(published(values, flags), flags, rels)
    assert bounds["a11"][1] >= 5 and bounds["a12"][1] >= 5
    assert determined(published(values, flags), flags, rels) == set()


def _hierarchy(small: dict[str, int]) -> Table:
    """Nine municipalities in three regions and three overlapping DST-like groups, one nation."""
    members = [f"m{i}" for i in range(1, 10)]
    persons = {m: small.get(m, 10 * int(m[1:])) for m in members}
    regions = {"r1": members[0:3], "r2": members[3:6], "r3": members[6:9]}
    groups = {"d1": members[0::3], "d2": members[1::3], "d3": members[2::3]}
    rels = [Relation(k, tuple(v)) for k, v in {**regions, **groups}.items()]
    rels += [Relation("nation", tuple(members)), Relation("nation", tuple(regions))]
    for rel in rels:
        persons[rel.total] = sum(persons[p] for p in rel.parts)
    return {c: float(p) for c, p in persons.items()}, persons, rels


def test_hierarchy_with_two_groupings_protects_a_small_member_in_both() -> None:
    values, persons, rels = _hierarchy({"m5": 2})
    flags = protect(values, persons, rels, threshold=5)
    assert flags["m5"] == "primary"
    assert determined(published(values, flags), flags, rels) == set()
    # m5 is in region r2 and group d2: each needs a second suppressed member.
    hidden = set(flags)
    assert len(hidden & {"m4", "m6"}) >= 1 and len(hidden & {"m2", "m8"}) >= 1
    lo, hi = intervals(published(values, flags), flags, rels)["m5"]
    assert lo < 2 < hi and hi >= 5


def test_one_suppressed_member_per_group_is_recoverable_and_caught() -> None:
    values, _persons, rels = _hierarchy({"m5": 2})
    naive = {"m5": "primary", "m4": "secondary"}  # enough for r2, not for d2
    assert determined(published(values, naive), naive, rels) == {"m4", "m5"}


def test_weighted_relations_such_as_means_are_protected_too() -> None:
    values = {"a": 2.0, "b": 6.0, "c": 10.0, "mean": 6.0}
    persons = {"a": 3, "b": 40, "c": 50, "mean": 93}
    rels = [Relation("mean", ("a", "b", "c"), (1 / 3, 1 / 3, 1 / 3))]
    flags = protect(values, persons, rels, threshold=5)
    assert flags == {"a": "primary", "b": "secondary"}
    assert determined(published(values, flags), flags, rels) == set()


def test_output_is_deterministic_whatever_the_input_order() -> None:
    values, persons, rels = _hierarchy({"m5": 2, "m9": 1})
    first = protect(values, persons, rels, threshold=5)
    again = protect(
        dict(reversed(values.items())), dict(reversed(persons.items())), rels[::-1], threshold=5
    )
    assert list(first.items()) == list(again.items())


def test_a_relation_that_reveals_its_part_whatever_is_suppressed_is_refused() -> None:
    values = {"t": 3.0, "u": 3.0, "x": 0.0}
    persons = {"t": 3, "u": 3, "x": 0}
    # t = u and t = u + x pin x = 0 whatever else is hidden; x is no secret, but x is forced here.
    rels = [Relation("t", ("u",)), Relation("t", ("u", "x"))]
    with pytest.raises(DisclosureError, match="recovered"):
        protect(values, {**persons, "x": 1}, rels, threshold=5)


def test_relation_with_wrong_number_of_coefficients_is_refused() -> None:
    with pytest.raises(DisclosureError, match="coefficients"):
        Relation("t", ("a", "b"), (1.0,))
