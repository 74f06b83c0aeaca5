"""Secondary suppression over one linear system of every published cell of a dataset.

The relations of a release connect nearly everything (a municipality's numerator is in the
nation's sum, in its own absence-by-type sum and in the rolling year of the next months), so the
system is never split by relations alone. What the adversary can solve depends only on the
*unknown* cells, though: published cells move to the right-hand side. The protector therefore
works on components of unknown cells (two unknowns are joined when one relation names both),
which stay small because few cells are suppressed, and checks each with an exact rank test.

Adding an unknown never makes another unknown determined (a null vector stays one with a zero in
the new column), so a component that passed the test is only looked at again when a new unknown
joins it. Method: docs/disclosure-control.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from flis.release.linear import (
    NULL_TOL,
    Decomposition,
    DisclosureError,
    Matrix,
    Relation,
    pinned_columns,
    without,
)

Cost = tuple[bool, int, float, str]


class System:
    """The relations as sparse rows, with the rows each cell appears in."""

    def __init__(self, relations: Sequence[Relation]):
        self.rows = [r.terms() for r in relations]
        self.rows_of: dict[str, list[int]] = {}
        for i, terms in enumerate(self.rows):
            for cell in terms:
                self.rows_of.setdefault(cell, []).append(i)

    def component(self, seed: str, unknown: set[str]) -> tuple[list[str], list[int]]:
        """The unknown cells joined to ``seed`` through relations, and the rows naming them."""
        cells, rows, todo = {seed}, set(), [seed]
        while todo:
            for i in self.rows_of.get(todo.pop(), ()):
                if i in rows:
                    continue
                rows.add(i)
                for cell in self.rows[i]:
                    if cell in unknown and cell not in cells:
                        cells.add(cell)
                        todo.append(cell)
        return sorted(cells), sorted(rows)

    def matrix(self, rows: list[int], cells: list[str]) -> Matrix:
        out = np.zeros((len(rows), len(cells)))
        index = {c: j for j, c in enumerate(cells)}
        for r, i in enumerate(rows):
            for cell, coef in self.rows[i].items():
                if cell in index:
                    out[r, index[cell]] = coef
        return out

    def pinned(self, seeds: Iterable[str], unknown: set[str], hidden: set[str]) -> list[str]:
        """Hidden cells of the components of ``seeds`` that the published cells determine."""
        out: list[str] = []
        seen: set[str] = set()
        for seed in sorted(seeds):
            if seed in seen or seed not in unknown:
                continue
            cells, rows = self.component(seed, unknown)
            seen.update(cells)
            flags = pinned_columns(self.matrix(rows, cells))
            out += [c for c, p in zip(cells, flags, strict=True) if p and c in hidden]
        return sorted(out)


class Protector:
    """Chooses secondary suppressions for a whole dataset (greedy, deterministic)."""

    def __init__(
        self,
        values: Mapping[str, float],
        persons: Mapping[str, int],
        relations: Sequence[Relation],
        *,
        threshold: int,
        ties: Sequence[tuple[str, ...]] = (),
        fixed: Iterable[str] = (),
    ):
        self.values = values
        self.persons = persons
        self.threshold = threshold
        # a canonical order, so that the result does not depend on the order relations come in
        self.relations = sorted(relations, key=lambda r: (r.total, r.parts, r.coefficients or ()))
        self.system = System(self.relations)
        self.fixed = set(fixed)
        self.unpublished = {
            c for c in self.system.rows_of if c not in values or values[c] != values[c]
        }
        self.tied: dict[str, set[str]] = {}
        for group in ties:
            for cell in group:
                self.tied.setdefault(cell, set()).update(group)

    def cost(self, cell: str) -> Cost:
        """Cheapest first: few persons, small values; a true zero resting on nobody protects
        nothing against a non-negativity attack, so it comes last."""
        persons = self.persons.get(cell, 0)
        value = abs(self.values.get(cell, 0.0))
        return (persons == 0 and value == 0.0, persons, value, cell)

    def closure(self, cells: Iterable[str]) -> set[str]:
        """``cells`` with every cell tied to them, transitively."""
        out, todo = set(cells), list(cells)
        while todo:
            for other in self.tied.get(todo.pop(), ()):
                if other not in out:
                    out.add(other)
                    todo.append(other)
        return out

    def candidates(self, rows: Iterable[int], unknown: set[str]) -> list[str]:
        """Published cells of ``rows`` that may be suppressed, cheapest first."""
        cells = {c for i in rows for c in self.system.rows[i]}
        return sorted((c for c in cells if c not in unknown and c not in self.fixed), key=self.cost)

    def cover(
        self,
        pinned: list[str],
        cells: list[str],
        rows: list[int],
        system: Decomposition,
        unknown: set[str],
    ) -> list[str]:
        """Cells that free the determined ``pinned`` of one component, from one decomposition.

        Target by target, the cheapest cell that frees it alone, unless a cell already chosen
        frees it too; for each target no single cell frees, a step towards it. New rows
        the chosen cells bring along can pin a target again: the caller checks again, and
        :meth:`prune` publishes again what the batch did not need.
        """
        options = self.candidates(rows, unknown)
        if not options:
            raise DisclosureError(
                f"cell '{pinned[0]}' can be recovered from the relations even with every other "
                "cell of its table suppressed",
                hint="check the relations: a total that equals one of its parts reveals it",
                message_da=f"cellen '{pinned[0]}' kan beregnes ud fra relationerne, selv når "
                "alle andre celler i dens tabel er undertrykt",
                hint_da="kontrollér relationerne: en total, der er lig med en af sine dele, "
                "afslører den",
            )
        index = {c: j for j, c in enumerate(cells)}
        free = system.freeing([index[t] for t in pinned], self.system.matrix(rows, options))
        chosen: list[str] = []
        freed = np.zeros(len(pinned), dtype=bool)
        for k in range(len(pinned)):
            if freed[k] or not free[k].any():
                continue
            j = int(np.argmax(free[k]))  # options are cheapest first
            chosen.append(options[j])
            freed |= free[:, j]
        allowed = set(options)
        for i in np.flatnonzero(~freed):
            step = self._step(pinned[int(i)], unknown, allowed)
            if step not in chosen:
                chosen.append(step)
        return chosen

    def _step(self, target: str, unknown: set[str], allowed: set[str]) -> str:
        """No single cell frees the target: open the relation that pins it most tightly."""
        rows = [self.system.rows[i] for i in self.system.rows_of[target]]
        for terms in sorted(rows, key=lambda t: (sum(c in unknown for c in t), len(t))):
            options = sorted((c for c in terms if c in allowed), key=self.cost)
            if options:
                return options[0]
        return min(allowed, key=self.cost)

    def thin_rows(self, primary: set[str], near: set[str] | None = None) -> list[int]:
        """The relations criterion 2 looks at: those of primary cells (``near``: of these)."""
        cells = primary if near is None else primary & near
        return sorted({i for c in cells for i in self.system.rows_of.get(c, ())})

    def thin(self, unknown: set[str], primary: set[str], rows: list[int]) -> tuple[str | None, int]:
        """A part to add where a published total leaves primary cells in too thin a group.

        Subtracting the published parts from a published total gives the sum of the suppressed
        parts; with non-negative counts that sum bounds each of them, so the suppressed parts of
        a plain sum must together rest on at least ``threshold`` persons. Returns the cell and
        the position in ``rows`` of its relation (the rows before it are fine and stay fine as
        more cells are suppressed), or None and ``len(rows)``.
        """
        for k, i in enumerate(rows):
            relation = self.relations[i]
            if relation.total in unknown or any(c <= 0 for c in relation.coefficients or ()):
                continue
            parts = [p for p in relation.parts if p in unknown]
            if not primary.intersection(parts):
                continue
            if sum(self.persons.get(p, 0) for p in parts) >= self.threshold:
                continue
            options = [
                p
                for p in relation.parts
                if p not in unknown and p not in self.fixed and self.persons.get(p, 0) > 0
            ]
            if options:
                return min(options, key=self.cost), k
            if relation.total not in self.fixed:
                return relation.total, k
        return None, len(rows)

    def secure(self, hidden: set[str], primary: set[str]) -> set[str]:
        """Add suppressions until no hidden cell is determined and no group is thin.

        Components are checked from a work list: one only changes when a new unknown joins it.
        """
        hidden = self.closure(hidden)
        unknown = hidden | self.unpublished
        todo = sorted(hidden)
        rows = self.thin_rows(primary)
        while True:
            while todo:
                seed = todo.pop()
                cells, comp_rows = self.system.component(seed, unknown)
                system = Decomposition(self.system.matrix(comp_rows, cells))
                flags = system.pinned()
                pinned = [c for c, p in zip(cells, flags, strict=True) if p and c in hidden]
                if pinned:
                    chosen = self.cover(pinned, cells, comp_rows, system, unknown)
                    added = self.closure(chosen) - hidden
                    hidden |= added
                    unknown |= added
                    todo.append(seed)
                else:
                    done = set(cells)
                    todo = [c for c in todo if c not in done]
            thin, k = self.thin(unknown, primary, rows)
            rows = rows[k:]
            if thin is None:
                return hidden
            todo = sorted(self.closure([thin]) - hidden)
            hidden |= set(todo)
            unknown |= set(todo)

    def prune(self, hidden: set[str], primary: set[str]) -> set[str]:
        """Publish again each secondary cell (with its ties) that no criterion needs.

        Cells are tried most expensive first. Each component of unknowns is decomposed once;
        publishing a unit only constrains its null space (:func:`without`), so a try costs a
        projection instead of an SVD. Only relations naming the unit can turn thin.
        """
        unknown = hidden | self.unpublished
        spaces = _NullSpaces(self.system, set(unknown))
        for cell in sorted(hidden - primary, key=self.cost, reverse=True):
            if cell not in hidden:
                continue
            unit = self.closure([cell])
            if unit & primary:
                continue
            trial = spaces.publish(unit)
            rows = sorted({i for c in unit for i in self.system.rows_of.get(c, ())})
            if spaces.pins(trial, hidden - unit):
                continue
            if self.thin(unknown - unit, primary, rows)[0] is not None:
                continue
            spaces.commit(trial)
            hidden -= unit
            unknown -= unit
        return hidden

    def run(self, primary: set[str], start: Iterable[str] = ()) -> set[str]:
        """Every cell to suppress: ``primary``, their ties and the secondary cells (the search
        starts from ``primary`` and ``start``).

        The pruned pattern is checked once more with a fresh decomposition of every component
        (the updates of :meth:`prune` are exact only up to rounding); should that find a cell
        determined, :meth:`secure` suppresses more.
        """
        hidden = self.prune(self.secure(set(primary) | set(start), primary), primary)
        if self.system.pinned(hidden, hidden | self.unpublished, hidden):
            hidden = self.secure(hidden, primary)
        return hidden


class _NullSpaces:
    """The null space of each component of unknown cells, decomposed when first needed."""

    def __init__(self, system: System, unknown: set[str]):
        self.system = system
        self.unknown = unknown  # as before pruning: components only split while it publishes
        self.component_of: dict[str, int] = {}
        self.index: list[dict[str, int]] = []
        self.null: list[Matrix] = []

    def _component(self, cell: str) -> int:
        if cell not in self.component_of:
            cells, rows = self.system.component(cell, self.unknown)
            for c in cells:
                self.component_of[c] = len(self.null)
            self.index.append({c: j for j, c in enumerate(cells)})
            self.null.append(Decomposition(self.system.matrix(rows, cells)).null)
        return self.component_of[cell]

    def publish(self, unit: Iterable[str]) -> dict[int, Matrix]:
        """The null spaces of the components of ``unit`` with its cells published."""
        columns: dict[int, list[int]] = {}
        for cell in sorted(unit):
            k = self._component(cell)
            columns.setdefault(k, []).append(self.index[k][cell])
        return {k: without(self.null[k], cols) for k, cols in sorted(columns.items())}

    def pins(self, trial: Mapping[int, Matrix], hidden: set[str]) -> bool:
        """Whether any of ``hidden`` is determined in the ``trial`` null spaces."""
        for k, null in trial.items():
            norms = np.linalg.norm(null, axis=1)
            if any(norms[j] < NULL_TOL for c, j in self.index[k].items() if c in hidden):
                return True
        return False

    def commit(self, trial: Mapping[int, Matrix]) -> None:
        for k, null in trial.items():
            self.null[k] = null


def pinned(
    values: Mapping[str, float], hidden: Iterable[str], relations: Sequence[Relation]
) -> list[str]:
    """The hidden cells the relations determine (the adversary, on components of unknowns)."""
    system = System(relations)
    suppressed = set(hidden)
    unknown = suppressed | {c for c in system.rows_of if c not in values or values[c] != values[c]}
    return system.pinned(suppressed, unknown, suppressed)
