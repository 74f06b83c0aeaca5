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
import numpy.typing as npt

from flis.errors import FlisError

#: Singular values below this (relative to the largest) count as zero in the rank test.
_RANK_TOL = 1e-9
#: A suppressed cell is determined when its part of the null space is below this norm.
_NULL_TOL = 1e-7

Matrix = npt.NDArray[np.float64]


class DisclosureError(FlisError):
    """The relations make a sensitive cell recoverable whatever else is suppressed."""

    kind = "disclosure-error"


class Suppression(StrEnum):
    """Why a cell is suppressed (the flag published next to the null value)."""

    PRIMARY = "primary"
    SECONDARY = "secondary"


@dataclass(frozen=True)
class Relation:
    """An additive relation the adversary knows: ``Σ coefficients[i]·parts[i] = total``."""

    total: str
    parts: tuple[str, ...]
    coefficients: tuple[float, ...] | None = None  # None = all 1.0

    def __post_init__(self) -> None:
        if self.coefficients is not None and len(self.coefficients) != len(self.parts):
            raise DisclosureError(
                f"relation for '{self.total}' has {len(self.parts)} parts but "
                f"{len(self.coefficients)} coefficients",
                hint="give one coefficient per part, or none for a plain sum",
            )

    def terms(self) -> dict[str, float]:
        """Cell → coefficient of the homogeneous form ``Σ c·part − total = 0``."""
        out = {self.total: -1.0}
        for part, coef in zip(
            self.parts, self.coefficients or (1.0,) * len(self.parts), strict=True
        ):
            out[part] = out.get(part, 0.0) + coef
        return out


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


def _pinned(sub: Matrix) -> npt.NDArray[np.bool_]:
    """Which unknown columns of ``sub`` the system determines (unit vector in the row space)."""
    if sub.shape[0] == 0:
        return np.zeros(sub.shape[1], dtype=bool)
    _, sing, vh = np.linalg.svd(sub, full_matrices=True)
    rank = int((sing > _RANK_TOL * max(1.0, float(sing[0]) if sing.size else 0.0)).sum())
    return np.asarray(np.linalg.norm(vh[rank:], axis=0) < _NULL_TOL)


def _freeing(sub: Matrix, target: int, candidates: Matrix) -> npt.NDArray[np.bool_]:
    """Which candidate columns, added alone to the unknowns, leave the target undetermined.

    The target is determined by ``sub``; with one more column ``a`` a null vector must use it:
    ``sub·d = −a``. That is solvable iff ``a`` is in the column space, and every solution has the
    same ``d[target]`` (null vectors of ``sub`` are zero there), so one pseudo-inverse decides.
    """
    solution = -np.linalg.pinv(sub, rcond=_RANK_TOL) @ candidates
    residual = np.linalg.norm(sub @ solution + candidates, axis=0)
    scale = 1.0 + np.linalg.norm(candidates, axis=0)
    return np.asarray((residual < _NULL_TOL * scale) & (np.abs(solution[target]) > _NULL_TOL))


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
        pinned = _pinned(comp.matrix[:, comp.columns(unknown)])
        out |= {c for c, p in zip(unknown, pinned, strict=True) if p and c in hidden}
    return out


class _Protector:
    """Secondary suppression inside one component (greedy, deterministic)."""

    def __init__(
        self,
        comp: _Component,
        values: Mapping[str, float],
        persons: Mapping[str, int],
        threshold: int,
    ):
        self.comp = comp
        self.values = values
        self.persons = persons
        self.threshold = threshold
        self.position = {c: i for i, c in enumerate(comp.cells)}
        self.always_unknown = {c for c in comp.cells if not _is_published(values, c)}
        self.rows = [(r.total, list(r.parts)) for r in comp.relations]

    def cost(self, cell: str) -> tuple[bool, int, float, str]:
        """Cheapest first: few persons, small values; a true zero resting on nobody protects
        nothing against a non-negativity attack, so it comes last."""
        persons = self.persons.get(cell, 0)
        value = abs(self.values.get(cell, 0.0))
        return (persons == 0 and value == 0.0, persons, value, cell)

    def pinned(self, suppressed: set[str]) -> list[str]:
        unknown = sorted(suppressed | self.always_unknown, key=self.position.__getitem__)
        flags = _pinned(self.comp.matrix[:, [self.position[c] for c in unknown]])
        return sorted(c for c, p in zip(unknown, flags, strict=True) if p and c in suppressed)

    def next_cell(self, suppressed: set[str], target: str) -> str:
        """The cheapest cell that frees ``target`` alone, else a step towards it."""
        unknown = sorted(suppressed | self.always_unknown, key=self.position.__getitem__)
        candidates = sorted(
            (c for c in self.comp.cells if c not in suppressed and c not in self.always_unknown),
            key=self.cost,
        )
        if not candidates:
            raise DisclosureError(
                f"cell '{target}' can be recovered from the relations even with every other "
                "cell of its table suppressed",
                hint="check the relations: a total that equals one of its parts reveals it",
            )
        matrix = self.comp.matrix
        sub = matrix[:, [self.position[c] for c in unknown]]
        cand = matrix[:, [self.position[c] for c in candidates]]
        freeing = _freeing(sub, unknown.index(target), cand)
        if freeing.any():
            return candidates[int(np.argmax(freeing))]
        return self._step(suppressed | self.always_unknown, target, candidates)

    def _step(self, unknown: set[str], target: str, candidates: list[str]) -> str:
        """No single cell frees the target: open the relation that pins it most tightly."""
        allowed = set(candidates)
        rows = [(total, parts) for total, parts in self.rows if target == total or target in parts]

        def tightness(row: tuple[str, list[str]]) -> tuple[int, int]:
            cells = [row[0], *row[1]]
            return (sum(c in unknown for c in cells), len(cells))

        for total, parts in sorted(rows, key=tightness):
            cells = [total, *parts]
            options = sorted((c for c in cells if c in allowed), key=self.cost)
            if options:
                return options[0]
        return candidates[0]

    def thin(self, suppressed: set[str], primary: set[str]) -> str | None:
        """A part to add where a published total leaves a primary cell in too thin a group.

        The adversary subtracts the published parts from a published total and learns the sum of
        the suppressed parts; with non-negative cells that sum bounds each of them, so the
        suppressed parts of a relation must together rest on at least ``threshold`` persons.
        """
        unknown = suppressed | self.always_unknown
        for total, parts in self.rows:
            hidden = [p for p in parts if p in unknown]
            if total in unknown or not primary.intersection(hidden):
                continue
            if sum(self.persons.get(p, 0) for p in hidden) >= self.threshold:
                continue
            options = [p for p in parts if p not in unknown and self.persons.get(p, 0) > 0]
            return min(options, key=self.cost) if options else total
        return None

    def leaks(self, suppressed: set[str], primary: set[str]) -> bool:
        return bool(self.pinned(suppressed)) or self.thin(suppressed, primary) is not None

    def run(self, primary: set[str]) -> set[str]:
        suppressed = set(primary)
        while True:
            if pinned := self.pinned(suppressed):
                suppressed.add(self.next_cell(suppressed, pinned[0]))
            elif thin := self.thin(suppressed, primary):
                suppressed.add(thin)
            else:
                break
        for cell in sorted(suppressed - primary, key=self.cost, reverse=True):
            if not self.leaks(suppressed - {cell}, primary):
                suppressed.discard(cell)
        return suppressed - primary


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
) -> dict[str, str]:
    """Choose the cells to suppress so that no published cell rests on too few persons.

    Args:
        values: Cell id → value to publish (NaN: not published, unknown to the adversary).
        persons: Cell id → number of distinct persons the value rests on.
        relations: The additive relations between cells that readers of the release know.
        threshold: Fewest persons a published cell may rest on (FLIS_DISCLOSURE_THRESHOLD).

    Returns:
        Cell id → ``"primary"`` (fewer than ``threshold`` persons, but not zero) or
        ``"secondary"`` (suppressed so that no suppressed cell can be recovered). Deterministic.

    Raises:
        DisclosureError: The relations reveal a sensitive cell whatever else is suppressed.
    """
    primary = primary_cells(values, persons, threshold=threshold)
    out: dict[str, str] = dict.fromkeys(sorted(primary), Suppression.PRIMARY.value)
    for comp in components(relations):
        inside = primary.intersection(comp.cells)
        if inside:
            for cell in sorted(_Protector(comp, values, persons, threshold).run(inside)):
                out[cell] = Suppression.SECONDARY.value
    return dict(sorted(out.items()))


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
        raise DisclosureError(f"the interval attack failed: {result.message}")
    return float(result.fun)
