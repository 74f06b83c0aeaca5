"""Column dictionary of a dataset file: Danish and English titles, description and unit."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

#: Titles for columns every release dataset shares, used when a Parquet field carries none.
COMMON: dict[str, tuple[str, str, str]] = {
    "municipality_code": ("Kommunekode", "Municipality code", "3-digit municipality code."),
    "municipality_name": ("Kommune", "Municipality", "Name of the municipality."),
    "region_code": ("Regionskode", "Region code", "Code of the region."),
    "dst_group_code": ("Kommunegruppe", "DST municipality group", "Statistics Denmark group."),
    "group_id": (
        "Gruppe",
        "Group",
        "Comparison group id (nation, region:<code>, dst:<n>, similar:<area>:<code>).",
    ),
    "kind": ("Gruppetype", "Group kind", "nation, region, dst or similar."),
    "group_name": ("Gruppenavn", "Group name", "Display name of the group."),
    "members": ("Medlemmer", "Members", "Municipalities that contributed to the group value."),
    "area": ("Område", "Area", "Data area: economy, citizens, staff or school."),
    "rank": ("Rang", "Rank", "Similar groups: 1 = most similar to the anchor."),
    "distance": ("Afstand", "Distance", "Similar groups: rebased distance to the anchor, 0–1."),
    "keyfigure": ("Nøgletal", "Key figure", "Key-figure id."),
    "period": ("Periode", "Period", "Month YYYY-MM."),
    "value": ("Værdi", "Value", "The key figure's value; empty when suppressed."),
    "numerator": ("Tæller", "Numerator", "The value's numerator; empty when suppressed."),
    "denominator": ("Nævner", "Denominator", "The value's denominator; empty when suppressed."),
    "persons": ("Personer", "Persons", "Distinct persons the value rests on."),
    "suppressed": (
        "Diskretioneret",
        "Suppressed",
        "Why the value is empty: primary (too few persons) or secondary (protects another cell).",
    ),
    "institution_number": ("Institutionsnummer", "Institution number", "6-digit number."),
    "institution_name": ("Institution", "Institution", "Name of the institution."),
    "person_key": ("Personnøgle", "Person key", "Pseudonym, different per municipality."),
}


@dataclass(frozen=True)
class Column:
    """One column of a dataset with what a reader needs to understand it."""

    name: str
    type: pa.DataType
    title_da: str
    title_en: str
    description_en: str
    unit: str

    @property
    def is_float(self) -> bool:
        return bool(pa.types.is_floating(self.type) or pa.types.is_decimal(self.type))


def _meta(field: pa.Field, key: str) -> str | None:
    raw = (field.metadata or {}).get(key.encode())
    return raw.decode("utf-8") if raw is not None else None


def column(field: pa.Field) -> Column:
    """The column's dictionary entry: Parquet field metadata first, then COMMON, then its name."""
    da, en, description = COMMON.get(field.name, (field.name, field.name, ""))
    return Column(
        name=field.name,
        type=field.type,
        title_da=_meta(field, "title_da") or da,
        title_en=_meta(field, "title_en") or en,
        description_en=_meta(field, "description_en") or description,
        unit=_meta(field, "unit") or "",
    )


def columns(schema: pa.Schema) -> list[Column]:
    """The columns of a schema, Danish titles made unique (a clash gets the column name added)."""
    out = [column(f) for f in schema]
    seen: dict[str, int] = {}
    for c in out:
        seen[c.title_da] = seen.get(c.title_da, 0) + 1
    return [c if seen[c.title_da] == 1 else _retitled(c, f"{c.title_da} ({c.name})") for c in out]


def _retitled(c: Column, title_da: str) -> Column:
    return Column(c.name, c.type, title_da, c.title_en, c.description_en, c.unit)


@dataclass(frozen=True)
class ExportedFile:
    """A file written to an outbox, with what the datapackage needs to describe it."""

    path: Path
    dataset: str
    format: str  # parquet, csv, xlsx
    role: str  # data or dictionary
    columns: tuple[Column, ...]
    sheets: tuple[str, ...] = ()
