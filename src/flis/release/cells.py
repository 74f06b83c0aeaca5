"""Cells to protect: values, persons, additive relations and non-linear ties, for ``protect``.

A tie is a set of cells of which any one, with the others published, reveals the rest (a value
and its denominator reveal its numerator). When one cell of a tie is suppressed, all are, and
each of them must stay undetermined.

A *known* cell is a total readers are assumed to know from elsewhere (it is not in the release,
so it cannot be suppressed): ``protect`` never picks it and suppresses parts around it instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flis.release.disclosure import Relation, protect
from flis.release.protector import pinned

#: Persons of cells no one needs to protect (totals the adversary is assumed to know).
KNOWN = 10**12


@dataclass
class Cells:
    """Published cells with the persons they rest on, their relations, ties and known totals."""

    values: dict[str, float] = field(default_factory=dict)
    persons: dict[str, int] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    #: Relations protected by suppressing their total whenever a part is suppressed (a total
    #: that sits in no other relation, such as a similar-municipality group): cheap and exact.
    covered: list[Relation] = field(default_factory=list)
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

    def relate(
        self,
        total: str,
        parts: list[str],
        coefficients: list[float] | None = None,
        *,
        covered: bool = False,
    ) -> None:
        if total in self.values and parts:
            coefs = tuple(coefficients) if coefficients is not None else None
            (self.covered if covered else self.relations).append(
                Relation(total, tuple(parts), coefs)
            )

    def all_relations(self) -> list[Relation]:
        """Every relation a reader knows, protected or covered."""
        return self.relations + self.covered


def suppress(cells: Cells, *, threshold: int) -> dict[str, str]:
    """Cell → ``primary`` or ``secondary`` for every published cell to publish as null.

    The covered relations are left out of the search; afterwards the total of each one with a
    suppressed part is suppressed too (with its ties), so its relation has two unknowns. That
    total can still follow from the others when the sum of its suppressed parts does (two
    members hidden together in a region and a similar group); such relations are then protected
    in the search like the others, until no suppressed cell is determined.
    """
    if not cells.values:
        return {}
    searched = list(cells.relations)
    rest = list(cells.covered)
    flags: dict[str, str] = {}
    while True:
        # each pass starts from the last one's pattern: only what the promoted relations
        # expose is searched again, and prune publishes again what is no longer needed
        flags = _cover(cells, _protect(cells, searched, threshold, start=flags), rest, threshold)
        leaked = set(pinned(cells.values, flags, searched + rest))
        promote = [r for r in rest if r.total in leaked]
        if not promote:
            return flags
        searched += promote
        rest = [r for r in rest if r.total not in leaked]


def _protect(
    cells: Cells, relations: list[Relation], threshold: int, *, start: Iterable[str] = ()
) -> dict[str, str]:
    return protect(
        cells.values,
        cells.persons,
        relations,
        threshold=threshold,
        ties=cells.ties,
        fixed=cells.known,
        start=start,
    )


def _cover(
    cells: Cells, flags: dict[str, str], covered: list[Relation], threshold: int
) -> dict[str, str]:
    """Suppress the total (and its ties) of every covered relation with a suppressed part."""
    tied: dict[str, set[str]] = {}
    for group in cells.ties:
        for cell in group:
            tied.setdefault(cell, set()).update(group)
    out = dict(flags)
    for relation in covered:
        if relation.total not in out and any(p in out for p in relation.parts):
            for cell in sorted(tied.get(relation.total, {relation.total})):
                persons = cells.persons[cell]
                out.setdefault(cell, "primary" if 0 < persons < threshold else "secondary")
    return dict(sorted(out.items()))
