"""Cells to protect: values, persons, additive relations and non-linear ties, for ``protect``.

A tie is a set of cells of which any one, with the others published, reveals the rest (a value
and its denominator reveal its numerator). When one cell of a tie is suppressed, all are; the
newly suppressed cells are then protected as if sensitive, until nothing changes.

A *known* cell is a total readers are assumed to know from elsewhere (it is not in the release,
so it cannot be suppressed). When ``protect`` picks one, the cheapest published part of its
relation is suppressed instead and the cells are protected again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flis.release.disclosure import Relation, protect

#: Persons given to cells whose value must stay hidden (forces them to be protected).
FORCED = 1
#: Persons of cells no one needs to protect (totals the adversary is assumed to know).
KNOWN = 10**12


@dataclass
class Cells:
    """One independent component: a figure and period, or a municipality's schools in a month."""

    values: dict[str, float] = field(default_factory=dict)
    persons: dict[str, int] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    ties: list[tuple[str, ...]] = field(default_factory=list)
    known: set[str] = field(default_factory=set)

    def add(self, cell: str, value: float | None, persons: int | None) -> bool:
        """Add a published cell; False (and nothing added) when the value is not published."""
        if value is None or value != value:
            return False
        self.values[cell] = float(value)
        self.persons[cell] = KNOWN if persons is None else int(persons)
        return True

    def add_known(self, cell: str, value: float) -> None:
        """A total readers know from elsewhere: never suppressed."""
        self.add(cell, value, KNOWN)
        self.known.add(cell)

    def relations_cells(self) -> set[str]:
        """Every cell some relation names."""
        return {c for r in self.relations for c in (r.total, *r.parts)}

    def tie(self, *cells: str) -> None:
        present = tuple(c for c in cells if c in self.values)
        if len(present) > 1:
            self.ties.append(present)

    def relate(self, total: str, parts: list[str], coefficients: list[float] | None = None) -> None:
        if total in self.values and parts:
            coefs = tuple(coefficients) if coefficients is not None else None
            self.relations.append(Relation(total, tuple(parts), coefs))


def _close(suppressed: set[str], ties: list[tuple[str, ...]]) -> set[str]:
    out = set(suppressed)
    changed = True
    while changed:
        changed = False
        for group in ties:
            if out.intersection(group) and not out.issuperset(group):
                out.update(group)
                changed = True
    return out


def _cost(cells: Cells, cell: str) -> tuple[bool, int, float, str]:
    persons, value = cells.persons[cell], abs(cells.values[cell])
    return (persons == 0 and value == 0.0, persons, value, cell)


def _instead_of_known(cells: Cells, chosen: set[str]) -> set[str]:
    """For each known total ``protect`` chose, the cheapest published part of its relations."""
    out = set()
    for relation in cells.relations:
        if relation.total in chosen and relation.total in cells.known:
            options = [p for p in relation.parts if p not in chosen and p not in cells.known]
            if options:
                out.add(min(options, key=lambda c: _cost(cells, c)))
    return out


def suppress(cells: Cells, *, threshold: int) -> dict[str, str]:
    """Cell → ``primary`` or ``secondary`` for every published cell to publish as null."""
    if not cells.values:
        return {}
    forced: set[str] = set()
    while True:
        persons = {c: FORCED if c in forced else p for c, p in cells.persons.items()}
        chosen = set(protect(cells.values, persons, cells.relations, threshold=threshold))
        more = (_close(chosen, cells.ties) - chosen) | _instead_of_known(cells, chosen)
        if more <= forced:
            break
        forced |= (chosen - cells.known) | more
    return {
        c: ("primary" if 0 < cells.persons[c] < threshold else "secondary")
        for c in sorted(chosen - cells.known)
    }
