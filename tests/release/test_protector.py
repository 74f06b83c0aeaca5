"""The protector's shortcuts give the answers of the slow exact method they replace.

Secondary suppression frees every determined cell of a component from one decomposition, and
prune tries each secondary cell by projecting it out of the component's null space instead of
decomposing again. These tests hold the shortcuts against a fresh SVD per question, on random
tables where many small cells share one component (the case that made releases slow).
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flis.release.disclosure import Relation, determined, protect
from flis.release.linear import Decomposition, freeing, pinned_columns, without
from flis.release.protector import Protector
from tests.release.test_disclosure import Table, published


def hierarchy(counts: list[list[int]]) -> Table:
    """Municipalities ``m<g>.<i>`` in groups with totals ``g<g>``, a nation ``N`` over the
    groups and over every municipality, and each municipality's year ``y<g>.<i>`` with its
    ``c<g>.<i>`` (an other-relation: the same cell in two tables)."""
    values: dict[str, float] = {}
    rels: list[Relation] = []
    everyone: list[str] = []
    for g, members in enumerate(counts):
        cells = [f"m{g}.{i}" for i in range(len(members))]
        for cell, count in zip(cells, members, strict=True):
            values[cell] = float(count)
            values[f"c{cell[1:]}"] = float(count + 7)
            rels.append(Relation(f"y{cell[1:]}", (cell, f"c{cell[1:]}")))
        rels.append(Relation(f"g{g}", tuple(cells)))
        everyone += cells
    rels.append(Relation("N", tuple(f"g{g}" for g in range(len(counts)))))
    rels.append(Relation("N", tuple(everyone)))
    for rel in rels[:-1]:
        values[rel.total] = sum(values[p] for p in rel.parts)
    return values, {c: int(v) for c, v in values.items()}, rels


groups = st.lists(
    st.lists(st.one_of(st.integers(0, 4), st.integers(5, 80)), min_size=2, max_size=6),
    min_size=2,
    max_size=5,
)


@settings(max_examples=40, deadline=None)
@given(counts=groups, threshold=st.integers(3, 5), seed=st.integers(0, 10**6))
def test_many_small_cells_of_one_component_are_all_protected_the_same_whatever_the_order(
    counts: list[list[int]], threshold: int, seed: int
) -> None:
    values, persons, rels = hierarchy(counts)
    flags = protect(values, persons, rels, threshold=threshold)
    small = {c for c, p in persons.items() if 0 < p < threshold}
    assert {c for c, why in flags.items() if why == "primary"} == small
    assert determined(published(values, flags), flags, rels) == set()
    shuffled = list(rels)
    random.Random(seed).shuffle(shuffled)
    assert protect(values, persons, shuffled, threshold=threshold) == flags


def _prune_by_svd(protector: Protector, hidden: set[str], primary: set[str]) -> set[str]:
    """The reference: each secondary cell tried with a fresh adversary over every relation."""
    hidden = set(hidden)
    for cell in sorted(hidden - primary, key=protector.cost, reverse=True):
        if cell not in hidden:
            continue
        unit = protector.closure([cell])
        if unit & primary:
            continue
        trial = hidden - unit
        unknown = trial | protector.unpublished
        thin = protector.thin(unknown, primary, protector.thin_rows(primary))[0]
        shown = {c: v for c, v in protector.values.items() if c not in trial}
        if thin is None and not determined(shown, trial, protector.relations):
            hidden = trial
    return hidden


@settings(max_examples=30, deadline=None)
@given(counts=groups, threshold=st.integers(3, 5))
def test_prune_by_null_space_updates_keeps_what_a_fresh_svd_per_cell_keeps(
    counts: list[list[int]], threshold: int
) -> None:
    values, persons, rels = hierarchy(counts)
    primary = {c for c, p in persons.items() if 0 < p < threshold}
    protector = Protector(values, persons, rels, threshold=threshold)
    secured = protector.secure(set(primary), primary)
    assert protector.prune(set(secured), primary) == _prune_by_svd(protector, secured, primary)


def test_a_pattern_the_pruning_left_open_is_closed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    values, persons, rels = hierarchy([[2, 30, 40, 50], [60, 70, 3, 80], [90, 15, 25, 35]])
    primary = {c for c, p in persons.items() if 0 < p < 5}

    def too_eager(self: Protector, hidden: set[str], primary: set[str]) -> set[str]:
        return set(primary)  # publishes every secondary cell, as a rounding slip might

    monkeypatch.setattr(Protector, "prune", too_eager)
    assert determined(published(values, dict.fromkeys(primary, "")), primary, rels)
    flags = protect(values, persons, rels, threshold=5)
    assert set(flags) > primary
    assert determined(published(values, flags), flags, rels) == set()


def _random_system(seed: int, rows: int, cols: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    sub = rng.choice([-1.0, 0.0, 0.0, 0.0, 1.0], size=(rows, cols))
    sub[:, 3] = 0.0
    sub[0, 3] = 1.0  # row 0 pins column 3 when the rest of row 0 is pinned
    return sub


@pytest.mark.parametrize(("seed", "rows", "cols"), [(1, 12, 15), (2, 20, 14), (3, 9, 30)])
def test_one_decomposition_answers_for_every_target_as_one_per_target_did(
    seed: int, rows: int, cols: int
) -> None:
    sub = _random_system(seed, rows, cols)
    candidates = _random_system(seed + 100, rows, 25)
    candidates[:, :5] = sub[:, :5] + sub[:, 5:10]  # in the column space: these can free
    system = Decomposition(sub)
    targets = [int(j) for j in np.flatnonzero(system.pinned())]
    batch = system.freeing(targets, candidates)
    for k, target in enumerate(targets):
        assert (batch[k] == freeing(sub, target, candidates)).all()


def _grid(rows: int, cols: int) -> np.ndarray:
    """Row and column sums of an unknown ``rows`` × ``cols`` table (cell ``r·cols + c``)."""
    out = np.zeros((rows + cols, rows * cols))
    for r in range(rows):
        for c in range(cols):
            out[r, r * cols + c] = out[rows + c, r * cols + c] = 1.0
    return out


@pytest.mark.parametrize(
    ("rows", "cols", "published_columns"),
    [(3, 4, [1, 2, 3]), (3, 4, [1, 2, 3, 4]), (4, 5, [0, 1, 2, 3, 9]), (3, 3, [0, 1])],
)
def test_publishing_columns_gives_the_null_space_of_the_smaller_system(
    rows: int, cols: int, published_columns: list[int]
) -> None:
    sub = _grid(rows, cols)
    assert not pinned_columns(sub).any()
    kept = [j for j in range(rows * cols) if j not in published_columns]
    updated = without(Decomposition(sub).null, published_columns)
    expected = pinned_columns(sub[:, kept])
    assert (np.linalg.norm(updated[kept], axis=1) < 1e-7).tolist() == expected.tolist()
    assert np.allclose(updated[published_columns], 0.0)
    assert expected.any() and not expected.all()  # the case has both kinds of column


@settings(max_examples=20, deadline=None)
@given(counts=groups, threshold=st.integers(3, 5), seed=st.integers(0, 10**6))
def test_a_search_started_from_other_cells_still_protects_and_publishes_what_is_not_needed(
    counts: list[list[int]], threshold: int, seed: int
) -> None:
    values, persons, rels = hierarchy(counts)
    start = sorted(random.Random(seed).sample(sorted(values), len(values) // 2))
    flags = protect(values, persons, rels, threshold=threshold, start=start)
    small = {c for c, p in persons.items() if 0 < p < threshold}
    assert {c for c, why in flags.items() if why == "primary"} == small
    assert determined(published(values, flags), flags, rels) == set()
    assert protect(values, persons, rels, threshold=threshold, start=start[::-1]) == flags
    every = protect(values, persons, rels, threshold=threshold, start=values)
    assert determined(published(values, every), every, rels) == set()
    assert len(every) < len(values)  # prune published again what no criterion needs
