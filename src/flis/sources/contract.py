"""The contract model: what one source extract looks like, declared as data.

A contract is parsed from ``contracts/<id>.yaml`` into these strict, frozen models. The
generator writes files by it, ingestion validates files against it, and ``docs/sources.md`` is
rendered from it.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from flis.reference.codelists import Text

FieldType = Literal["string", "integer", "decimal", "date", "code", "cpr", "account", "month"]
Format = Literal["delimited", "fixed-width", "jsonl"]
Role = Literal["delivering", "home", "paying", "owner", "employer", "other"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldSpec(_Strict):
    """One field of a record: its type, rules and meaning."""

    name: str
    type: FieldType
    description: Text
    required: bool = True
    codelist: str | None = None
    min: float | None = None
    max: float | None = None
    pattern: str | None = None
    width: int | None = None
    date_format: str | None = None
    in_period: bool = False
    not_future: bool = False
    role: Role | None = None
    references: str | None = None  # "<record type>.<field>" in the same file

    @model_validator(mode="after")
    def _consistent(self) -> FieldSpec:
        if self.type == "code" and not self.codelist:
            raise ValueError(f"field '{self.name}' has type code but no codelist")
        if self.type != "code" and self.codelist:
            raise ValueError(f"field '{self.name}' names a codelist but is not of type code")
        return self


class Check(_Strict):
    """A cross-field rule within one record."""

    rule: Literal["not-before"]
    field: str
    other: str
    description: Text


class RecordType(_Strict):
    """One kind of record in an extract (a fixed-width record type or a JSON ``rt``)."""

    code: str
    name: str
    description: Text
    fields: tuple[FieldSpec, ...]
    primary_key: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()

    @model_validator(mode="after")
    def _keys_exist(self) -> RecordType:
        names = [f.name for f in self.fields]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"record type '{self.code}' repeats fields {dupes}")
        for key in self.primary_key:
            if key not in names:
                raise ValueError(f"primary key field '{key}' is not a field of '{self.code}'")
        for check in self.checks:
            for name in (check.field, check.other):
                if name not in names:
                    raise ValueError(f"check names unknown field '{name}' in '{self.code}'")
        return self

    def field(self, name: str) -> FieldSpec:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @cached_property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @cached_property
    def record_length(self) -> int:
        """Length in characters of a fixed-width record (0 for other formats)."""
        return sum(f.width or 0 for f in self.fields)

    @cached_property
    def offsets(self) -> dict[str, tuple[int, int]]:
        """Fixed-width (start, end) character offsets per field, 0-based, end exclusive."""
        out: dict[str, tuple[int, int]] = {}
        pos = 0
        for f in self.fields:
            out[f.name] = (pos, pos + (f.width or 0))
            pos += f.width or 0
        return out


class Trailer(_Strict):
    """The control record that ends every extract, so a cut-short file is detected."""

    marker: str
    description: Text
    count_field: str
    sum_field: str | None = None
    sum_of: str | None = None  # "<record type>.<field>" summed into sum_field
    fields: tuple[FieldSpec, ...]


class Contract(_Strict):
    """What one source extract delivers, per municipality per month."""

    id: str
    version: int
    source: str
    system: Text
    title: Text
    description: Text
    file_pattern: str
    format: Format
    encoding: Literal["utf-8"] = "utf-8"
    delimiter: str | None = None
    decimal_separator: str | None = None
    header: bool = False
    record_type_field: str | None = None
    period: Text
    municipality_field: str
    record_types: tuple[RecordType, ...]
    trailer: Trailer
    header_record: RecordType | None = None  # fixed-width start record

    @model_validator(mode="after")
    def _format_rules(self) -> Contract:
        if self.format == "delimited" and (not self.delimiter or len(self.record_types) != 1):
            raise ValueError("a delimited extract needs a delimiter and one record type")
        if self.format == "fixed-width":
            for rt in (*self.record_types, *(x for x in [self.header_record] if x)):
                missing = [f.name for f in rt.fields if not f.width]
                if missing:
                    raise ValueError(f"fixed-width record '{rt.code}' lacks widths for {missing}")
        if self.format in ("fixed-width", "jsonl") and not self.record_type_field:
            raise ValueError(f"a {self.format} extract needs record_type_field")
        for placeholder in ("{municipality}", "{period}", "{seq}"):
            if placeholder not in self.file_pattern:
                raise ValueError(f"file_pattern lacks {placeholder}")
        return self

    def record_type(self, code: str) -> RecordType:
        for rt in self.record_types:
            if rt.code == code:
                return rt
        raise KeyError(code)

    @cached_property
    def file_regex(self) -> re.Pattern[str]:
        """Regex matching file names, with groups municipality, period and seq."""
        pattern = re.escape(self.file_pattern)
        pattern = pattern.replace(re.escape("{municipality}"), r"(?P<municipality>\d{4})")
        pattern = pattern.replace(re.escape("{period}"), r"(?P<period>\d{6})")
        pattern = pattern.replace(re.escape("{seq}"), r"(?P<seq>\d{2})")
        return re.compile(f"^{pattern}$")

    def file_name(self, *, municipality: int, period: str, seq: int = 1) -> str:
        return self.file_pattern.format(
            municipality=f"{municipality:04d}", period=period.replace("-", ""), seq=f"{seq:02d}"
        )

    def roles(self) -> list[tuple[str, str, str]]:
        """(record type, field, role) for every field that carries a municipality role."""
        return [(rt.code, f.name, f.role) for rt in self.record_types for f in rt.fields if f.role]
