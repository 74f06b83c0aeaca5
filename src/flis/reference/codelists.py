"""Code lists (closed vocabularies) used by the source contracts, loaded once from YAML."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from flis import yamlfile
from flis.errors import NotFoundError, ReferenceDataError, validation_da

Confidence = Literal["high", "medium", "low"]


class Text(BaseModel):
    """A text in Danish and English."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    da: str
    en: str


class CodeValue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    da: str
    en: str
    parent: str | None = None
    confidence: Confidence = "high"
    attrs: dict[str, str | int | float | bool] = {}


class CodeList(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: Text
    source: str
    codes: tuple[CodeValue, ...]

    def code_set(self) -> frozenset[str]:
        return frozenset(c.code for c in self.codes)

    def get(self, code: str) -> CodeValue:
        for value in self.codes:
            if value.code == code:
                return value
        raise NotFoundError(
            f"code '{code}' is not in code list '{self.id}'",
            message_da=f"koden '{code}' findes ikke i kodelisten '{self.id}'",
        )

    def where(self, **attrs: object) -> tuple[str, ...]:
        """Codes whose attributes equal all of ``attrs``."""
        return tuple(
            c.code for c in self.codes if all(c.attrs.get(k) == v for k, v in attrs.items())
        )


@cache
def codelists() -> dict[str, CodeList]:
    """All code lists by id."""
    location = "flis/reference/data/codelists.yaml"
    raw = yamlfile.load(
        resources.files("flis.reference").joinpath("data/codelists.yaml").read_text("utf-8")
    )
    lists: dict[str, CodeList] = {}
    for list_id, body in raw.items():
        try:
            cl = CodeList(id=list_id, **body)
        except ValidationError as exc:
            raise ReferenceDataError(
                str(exc), location=f"{location}: {list_id}", message_da=validation_da(exc)
            ) from None
        codes = [c.code for c in cl.codes]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ReferenceDataError(
                f"duplicate codes {duplicates}",
                location=f"{location}: {list_id}",
                message_da=f"koderne {duplicates} findes to gange",
            )
        lists[list_id] = cl
    return lists


def codelist(list_id: str) -> CodeList:
    try:
        return codelists()[list_id]
    except KeyError:
        known = ", ".join(sorted(codelists()))
        raise NotFoundError(
            f"unknown code list '{list_id}'",
            hint=f"known lists: {known}",
            message_da=f"ukendt kodeliste '{list_id}'",
            hint_da=f"kendte kodelister: {known}",
        ) from None
