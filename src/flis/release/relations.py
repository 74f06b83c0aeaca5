"""Additive relations between key figures, declared in ``keyfigures/catalogue/relations.yaml``.

A relation says that one published cell of a municipality (a numerator, a denominator or a
value of a key figure in a period) is the sum of others: pupil absence by type adds up to all
pupil absence, the age bands to the population, twelve monthly sick days to the rolling year.
Readers know these identities, so disclosure control protects them like group sums.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from flis import yamlfile
from flis.errors import ConfigError, validation_da
from flis.keyfigures.catalogue import FOLDER, catalogue
from flis.periods import add_months
from flis.reference.codelists import Text

RELATIONS_FILE = FOLDER / "relations.yaml"
Part = Literal["value", "numerator", "denominator"]
#: (key figure, period, part) of a total, and (key figure, period, part, coefficient) of its terms.
Instance = tuple[tuple[str, str, Part], list[tuple[str, str, Part, float]]]
_REF = re.compile(r"^(value|numerator|denominator)\(([a-z0-9_.]+)\)$")


@dataclass(frozen=True)
class CellRef:
    """One cell of a municipality's benchmark row: a part of a key figure."""

    part: Part
    keyfigure: str

    def __str__(self) -> str:
        return f"{self.part}({self.keyfigure})"


@dataclass(frozen=True)
class Term:
    """A part of a relation: a cell ``months_back`` months before the total's, times ``coef``."""

    cell: CellRef
    months_back: int
    coef: float


class KeyFigureRelation(BaseModel):
    """One declared identity: ``total = Σ parts`` (over ``months``) or ``equal`` cells."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: Text
    total: str | None = None
    parts: tuple[str, ...] = ()
    equal: tuple[str, ...] = ()
    months: int = Field(default=1, ge=1, le=120)
    mean: bool = False

    @model_validator(mode="after")
    def _one_form(self) -> KeyFigureRelation:
        if bool(self.equal) == (self.total is not None or bool(self.parts)):
            raise ValueError("give either `total` with `parts`, or `equal`")
        if self.equal and (len(self.equal) < 2 or self.months != 1 or self.mean):
            raise ValueError("`equal` needs at least two cells and no `months` or `mean`")
        if self.total is not None and not self.parts:
            raise ValueError("`total` needs at least one part")
        return self

    def refs(self) -> list[str]:
        """Every cell reference as written."""
        return [*self.equal, *([self.total] if self.total else []), *self.parts]

    def expand(self) -> list[tuple[CellRef, list[Term]]]:
        """The identities as (total, terms): ``equal`` gives one per cell after the first."""
        if self.equal:
            first, *rest = (parse_ref(r) for r in self.equal)
            return [(first, [Term(other, 0, 1.0)]) for other in rest]
        assert self.total is not None
        coef = 1.0 / self.months if self.mean else 1.0
        terms = [Term(parse_ref(p), back, coef) for p in self.parts for back in range(self.months)]
        return [(parse_ref(self.total), terms)]

    def instance(self, total: CellRef, terms: list[Term], period: str) -> Instance:
        """(key figure, period, part) of the total and of each term for ``period``."""
        parts = [
            (t.cell.keyfigure, add_months(period, -t.months_back), t.cell.part, t.coef)
            for t in terms
        ]
        return (total.keyfigure, period, total.part), parts


def parse_ref(text: str) -> CellRef:
    """``numerator(skole.elevfravaer)`` → ``CellRef``; ValueError when malformed."""
    match = _REF.match(text)
    if match is None:
        raise ValueError(f"'{text}' is not part(key figure), e.g. numerator(skole.elevfravaer)")
    part: Part = match.group(1)  # type: ignore[assignment]
    return CellRef(part, match.group(2))


def _check_ref(text: str, location: str) -> None:
    try:
        ref = parse_ref(text)
    except ValueError as exc:
        raise ConfigError(
            str(exc),
            location=location,
            message_da=f"'{text}' har ikke formen del(nøgletal), fx numerator(skole.elevfravaer)",
        ) from None
    kf = catalogue().keyfigures.get(ref.keyfigure)
    if kf is None:
        raise ConfigError(
            f"unknown key figure '{ref.keyfigure}'",
            location=location,
            hint="`flis keyfigures` lists the ids",
            message_da=f"ukendt nøgletal '{ref.keyfigure}'",
            hint_da="`flis keyfigures` viser id'erne",
        )
    if ref.part == "denominator" and kf.denominator is None:
        raise ConfigError(
            f"key figure '{ref.keyfigure}' has no denominator",
            location=location,
            hint="use numerator(...) or value(...) for a count",
            message_da=f"nøgletallet '{ref.keyfigure}' har ingen nævner",
            hint_da="brug numerator(...) eller value(...) for et antal",
        )


def load_relations(path: Path = RELATIONS_FILE) -> tuple[KeyFigureRelation, ...]:
    """Read and check the relations file: unknown key figures and duplicate ids fail loudly."""
    try:
        raw: Any = yamlfile.load(path.read_text("utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(
            f"not valid YAML: {exc}", location=path.name, message_da=f"ikke gyldig YAML: {exc}"
        ) from None
    out: list[KeyFigureRelation] = []
    seen: set[str] = set()
    for i, body in enumerate(raw.get("relations") or []):
        key = body.get("id", f"#{i}") if isinstance(body, dict) else f"#{i}"
        location = f"{path.name}: {key}"
        if not isinstance(body, dict):
            raise ConfigError(
                "expected a mapping",
                location=location,
                message_da="forventede en mapping (felt: værdi)",
            )
        if key in seen:
            raise ConfigError(
                f"duplicate relation id '{key}'",
                location=location,
                message_da=f"relations-id'et '{key}' findes to gange",
            )
        try:
            relation = KeyFigureRelation(**body)
        except ValidationError as exc:
            raise ConfigError(str(exc), location=location, message_da=validation_da(exc)) from None
        for ref in relation.refs():
            _check_ref(ref, location)
        seen.add(key)
        out.append(relation)
    return tuple(out)


@cache
def relations() -> tuple[KeyFigureRelation, ...]:
    """The package's relations, loaded once."""
    return load_relations()
