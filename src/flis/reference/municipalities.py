"""The 98 Danish municipalities and 5 regions, loaded once from package data."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict

from flis.errors import NotFoundError, ReferenceDataError


class Municipality(BaseModel):
    """One municipality (kommune) with the attributes benchmarking needs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: int
    code4: str
    name: str
    region_code: int
    region_name: str
    dst_group_code: int
    dst_group: str
    population: int


class Region(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: int
    name: str
    municipality_codes: tuple[int, ...]


@cache
def municipalities() -> tuple[Municipality, ...]:
    """All 98 municipalities ordered by code."""
    text = resources.files("flis.reference").joinpath("data/municipalities.csv").read_text("utf-8")
    rows = [
        Municipality(
            code=int(r["municipality_code"]),
            code4=r["municipality_code_4"],
            name=r["name"],
            region_code=int(r["region_code"]),
            region_name=r["region_name"],
            dst_group_code=int(r["dst_municipality_group_code"]),
            dst_group=r["dst_municipality_group"],
            population=int(r["population_approx"]),
        )
        for r in csv.DictReader(text.splitlines())
    ]
    if len(rows) != 98 or len({m.code for m in rows}) != 98:
        raise ReferenceDataError(
            f"expected 98 unique municipalities, found {len(rows)}",
            location="flis/reference/data/municipalities.csv",
            message_da=f"forventede 98 forskellige kommuner, fandt {len(rows)}",
        )
    return tuple(sorted(rows, key=lambda m: m.code))


@cache
def _by_code() -> dict[int, Municipality]:
    return {m.code: m for m in municipalities()}


def municipality(code: int | str) -> Municipality:
    """Look a municipality up by its 3-digit code (``461``) or 4-digit form (``0461``)."""
    try:
        return _by_code()[int(code)]
    except (KeyError, ValueError):
        raise NotFoundError(
            f"unknown municipality code '{code}'",
            hint="use one of the 98 municipality codes, e.g. 101 (København) or 461 (Odense)",
            message_da=f"ukendt kommunekode '{code}'",
            hint_da="brug en af de 98 kommunekoder, fx 101 (København) eller 461 (Odense)",
        ) from None


def is_municipality(code: int) -> bool:
    return code in _by_code()


@cache
def regions() -> tuple[Region, ...]:
    """The 5 regions with their member municipalities."""
    members: dict[tuple[int, str], list[int]] = {}
    for m in municipalities():
        members.setdefault((m.region_code, m.region_name), []).append(m.code)
    return tuple(
        Region(code=code, name=name, municipality_codes=tuple(codes))
        for (code, name), codes in sorted(members.items())
    )
