"""``/api/v1/keyfigures``: search the catalogue (Danish and English) and read one definition."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from flis.api.schemas import KeyFigureDetailOut, KeyFigureOut
from flis.keyfigures.catalogue import keyfigure, keyfigures
from flis.keyfigures.compiler import compile_sql
from flis.keyfigures.model import KeyFigure

router = APIRouter(prefix="/keyfigures", tags=["keyfigures"])


def _haystack(kf: KeyFigure) -> str:
    parts = [kf.id, kf.title.da, kf.title.en, kf.description.da, kf.description.en]
    for ref in (kf.numerator, kf.denominator):
        if ref is not None:
            parts += [ref.measure, *ref.filters]
    parts += [t for c in kf.caveats for t in (c.da, c.en)]
    return " ".join(parts).casefold()


def matches(kf: KeyFigure, query: str) -> bool:
    """Every word of ``query`` occurs in the title, description or definition (any language)."""
    text = _haystack(kf)
    return all(word in text for word in query.casefold().split())


def _summary(kf: KeyFigure) -> KeyFigureOut:
    return KeyFigureOut.model_validate(
        kf.model_dump(include={"id", "title", "area", "unit", "level"})
    )


@router.get("", response_model=list[KeyFigureOut])
def search(
    q: Annotated[str | None, Query(max_length=200, description="Words, Danish or English.")] = None,
    area: Annotated[str | None, Query(description="economy, citizens, staff or school")] = None,
) -> list[KeyFigureOut]:
    return [
        _summary(kf)
        for kf in keyfigures().values()
        if (area is None or kf.area == area) and (not q or matches(kf, q))
    ]


@router.get("/{keyfigure_id}", response_model=KeyFigureDetailOut)
def detail(keyfigure_id: str) -> KeyFigureDetailOut:
    kf = keyfigure(keyfigure_id)
    data = kf.model_dump(exclude={"role", "count_date"})
    return KeyFigureDetailOut.model_validate({**data, "sql": compile_sql(kf)})
