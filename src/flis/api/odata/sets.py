"""The entity sets of the feed and the CSDL ``$metadata`` that describes them."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

import pyarrow as pa
import pyarrow.parquet as pq

from flis.published.release_data import PublishedRelease

NAMESPACE = "flis"
DETAIL_PREFIX = "Detail_"
ROW_ID = "row_id"


@dataclass(frozen=True)
class EntitySet:
    name: str
    keys: tuple[str, ...]
    detail: str | None = None  # the detail dataset name, for detail sets


def _edm(t: pa.DataType) -> str:
    if pa.types.is_boolean(t):
        return "Edm.Boolean"
    for check, name in (
        (pa.types.is_int8, "Edm.Int16"),
        (pa.types.is_int16, "Edm.Int16"),
        (pa.types.is_int32, "Edm.Int32"),
        (pa.types.is_integer, "Edm.Int64"),
        (pa.types.is_floating, "Edm.Double"),
        (pa.types.is_decimal, "Edm.Decimal"),
        (pa.types.is_date, "Edm.Date"),
        (pa.types.is_timestamp, "Edm.DateTimeOffset"),
    ):
        if check(t):
            return name
    return "Edm.String"


def entity_sets(release: PublishedRelease) -> dict[str, EntitySet]:
    found = {
        "BenchmarkValues": EntitySet("BenchmarkValues", ("keyfigure", "period", "area_id")),
        "Institutions": EntitySet("Institutions", ("month", "institution_number")),
    }
    for f in release.manifest.files:
        if f.level == "detail":
            name = DETAIL_PREFIX + f.dataset
            found[name] = EntitySet(name, (ROW_ID,), detail=f.dataset)
    return found


def schema_of(release: PublishedRelease, entity: EntitySet) -> pa.Schema:
    if entity.name == "BenchmarkValues":
        return release.values.schema
    if entity.name == "Institutions":
        return release.institutions.schema
    assert entity.detail is not None
    first = next(f for f in release.manifest.files if f.dataset == entity.detail)
    schema = pq.read_schema(release.folder / first.path)
    return pa.schema([pa.field(ROW_ID, pa.int64()), *schema.remove_metadata()])


def metadata_xml(release: PublishedRelease) -> str:
    types, sets = [], []
    for entity in entity_sets(release).values():
        schema = schema_of(release, entity)
        keys = "".join(f'<PropertyRef Name="{k}"/>' for k in entity.keys)
        props = "".join(
            f'<Property Name="{escape(f.name)}" Type="{_edm(f.type)}"'
            + (' Nullable="false"/>' if f.name in entity.keys else "/>")
            for f in schema
        )
        types.append(f'<EntityType Name="{entity.name}"><Key>{keys}</Key>{props}</EntityType>')
        sets.append(f'<EntitySet Name="{entity.name}" EntityType="{NAMESPACE}.{entity.name}"/>')
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0">'
        f'<edmx:DataServices><Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" '
        f'Namespace="{NAMESPACE}">{"".join(types)}'
        f'<EntityContainer Name="Container">{"".join(sets)}</EntityContainer>'
        "</Schema></edmx:DataServices></edmx:Edmx>"
    )
