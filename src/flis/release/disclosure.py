"""Disclosure control: primary and secondary cell suppression, checked by an exact adversary.

A release publishes cells (a value and the number of persons it rests on) and the adversary knows
additive relations between them (a region is the sum of its municipalities, a row total the sum of
its row). ``protect`` chooses the cells to suppress; ``determined`` is the adversary that solves
the linear system; ``intervals`` is the stronger adversary that also uses non-negativity.
Method and limits: docs/disclosure-control.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np

from flis.release.linear import DisclosureError, Matrix, Relation, pinned_columns
from flis.release.protector import Protector

__all__ = ["DisclosureError", "Relation", "Suppression", "determined", "intervals", "protect"]


class Suppression(StrEnum):
    """Why a cell is suppressed (the flag published next to the null value)."""

    PRIMARY = "primary"
    SECONDARY = "secondary"


@dataclass
class _Component:
    """Cells joined by relations, with the relation matrix over them (rows × cells)."""

    cells: list[str]
    matrix: Matrix
    relations: list[Relation]

    def columns(self, names: Iterable[str]) -> list[int]:
        index = {c: i for i, c in enumerate(self.cells)}
        return sorted(index[n] for n in names if n in index)


def components(relations: Sequence[Relation]) -> list[_Component]:
    """Split the relations into connected components of the cell graph, each with its matrix."""
    parent: dict[str, str] = {}

    def find(cell: str) -> str:
        while parent.setdefault(cell, cell) != cell:
            parent[cell] = parent[parent[cell]]
            cell = parent[cell]
        return cell

    all_terms = [r.terms() for r in relations]
    for terms in all_terms:
        first, *rest = terms
        for cell in rest:
            parent[find(cell)] = find(first)
        find(first)
    groups: dict[str, list[int]] = {}
    for i, terms in enumerate(all_terms):
        groups.setdefault(find(next(iter(terms))), []).append(i)
    out = []
    for rows in groups.values():
        cells = sorted({c for i in rows for c in all_terms[i]})
        index = {c: j for j, c in enumerate(cells)}
        matrix = np.zeros((len(rows), len(cells)))
        for r, i in enumerate(rows):
            for cell, coef in all_terms[i].items():
                matrix[r, index[cell]] = coef
        out.append(_Component(cells, matrix, [relations[i] for i in rows]))
    return sorted(out, key=lambda comp: comp.cells[0])


def _is_published(values: Mapping[str, float], cell: str) -> bool:
    value = values.get(cell)
    return value is not None and not math.isnan(value)


def determined(
    published: Mapping[str, float], suppressed: Iterable[str], relations: Sequence[Relation]
) -> set[str]:
    """The adversary: suppressed cells the published cells and the relations pin down exactly.

    Args:
        published: Cell → value as published (cells absent or NaN are unknown to the adversary).
        suppressed: Cells published as null.
        relations: Every additive relation between cells that the adversary knows.

    Returns:
        The suppressed cells whose unit vector lies in the row space of the relation matrix
        restricted to the unknown cells, i.e. whose value follows from the published ones.
    """
    hidden = set(suppressed)
    out: set[str] = set()
    for comp in components(relations):
        targets = [c for c in comp.cells if c in hidden]
        if not targets:
            continue
        unknown = [c for c in comp.cells if c in hidden or not _is_published(published, c)]
        pinned = pinned_columns(comp.matrix[:, comp.columns(unknown)])
        out |= {c for c, p in zip(unknown, pinned, strict=True) if p and c in hidden}
    return out


def primary_cells(
    values: Mapping[str, float], persons: Mapping[str, int], *, threshold: int
) -> set[str]:
    """Published cells resting on 1 to threshold−1 persons (a zero resting on nobody is kept)."""
    return {c for c in values if _is_published(values, c) and 0 < persons.get(c, 0) < threshold}


def protect(
    values: Mapping[str, float],
    persons: Mapping[str, int],
    relations: Sequence[Relation],
    *,
    threshold: int,
    ties: Sequence[tuple[str, ...]] = (),
    fixed: Iterable[str] = (),
    start: Iterable[str] = (),
) -> dict[str, str]:
    """Choose the cells to suppress so that no published cell rests on too few persons.

    Args:
        values: Cell id → value to publish (NaN: not published, unknown to the adversary).
        persons: Cell id → number of distinct persons the value rests on.
        relations: The additive relations between cells that readers of the release know.
        threshold: Fewest persons a published cell may rest on (FLIS_DISCLOSURE_THRESHOLD).
        ties: Groups of cells of which one, with the others published, reveals the rest (a
            value, its numerator and its denominator): suppressed all together or not at all.
        fixed: Cells readers know from elsewhere (never suppressed, never reported).
        start: Cells an earlier search suppressed: the search starts from them, and those no
            criterion needs are published again (faster when only a few relations are new).

    Returns:
        Cell id → ``"primary"`` (fewer than ``threshold`` persons, but not zero) or
        ``"secondary"`` (suppressed so that no suppressed cell can be recovered). Deterministic.

    Raises:
        DisclosureError: The relations reveal a sensitive cell whatever else is suppressed.
    """
    known = set(fixed)
    primary = primary_cells(values, persons, threshold=threshold) - known
    protector = Protector(values, persons, relations, threshold=threshold, ties=ties, fixed=known)
    hidden = protector.run(primary, set(start) - known) - known
    return {
        c: (Suppression.PRIMARY if c in primary else Suppression.SECONDARY).value
        for c in sorted(hidden)
    }


def intervals(
    published: Mapping[str, float],
    suppressed: Iterable[str],
    relations: Sequence[Relation],
    *,
    lower: float | None = 0.0,
) -> dict[str, tuple[float, float]]:
    """The interval attack: each suppressed cell's smallest and largest feasible value.

    Solves two linear programmes per suppressed cell (scipy, a development dependency) over the
    unknown cells with the published values fixed and every unknown at least ``lower`` (0 for
    counts; None for no bound). Unbounded sides are ``±inf``.
    """
    from scipy.optimize import linprog

    hidden = set(suppressed)
    out: dict[str, tuple[float, float]] = {c: (-math.inf, math.inf) for c in hidden}
    for comp in components(relations):
        unknown = [c for c in comp.cells if c in hidden or not _is_published(published, c)]
        if not hidden.intersection(unknown):
            continue
        known = [c for c in comp.cells if c not in unknown]
        a_eq = comp.matrix[:, comp.columns(unknown)]
        b_eq = -comp.matrix[:, comp.columns(known)] @ np.array([published[c] for c in known])
        for j, cell in enumerate(unknown):
            if cell in hidden:
                out[cell] = (
                    _bound(linprog, a_eq, b_eq, j, 1.0, lower),
                    -_bound(linprog, a_eq, b_eq, j, -1.0, lower),
                )
    return out


def _bound(
    linprog: Any, a_eq: Matrix, b_eq: Matrix, j: int, sign: float, lower: float | None
) -> float:
    objective = np.zeros(a_eq.shape[1])
    objective[j] = sign
    result = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(lower, None), method="highs")
    if result.status == 3:
        return -math.inf
    if result.status != 0:
        raise DisclosureError(
            f"the interval attack failed: {result.message}",
            message_da=f"intervalangrebet i diskretioneringskontrollen mislykkedes: "
            f"{result.message}",
        )
    return float(result.fun)
