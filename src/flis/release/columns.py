"""What each published column means, stored as Parquet field metadata (``description_en``) so
that exports (CSV dictionaries, XLSX, datapackage) can explain it."""

from __future__ import annotations

import pyarrow as pa

from flis.warehouse.docs import descriptions

#: Columns of the benchmark and institution datasets that the warehouse does not describe.
RELEASE_COLUMNS: dict[str, str] = {
    "data_status": "Why a value is missing: ok, missing_delivery, rejected_delivery, "
    "incomplete_month or denominator_zero.",
    "value_status": "preliminary (first published), revised (changed since) or final "
    "(period closed).",
    "suppressed": "Why numbers are empty: primary (too few persons) or secondary (protects "
    "another cell); for schools, column=reason pairs.",
    "members": "Municipalities that contributed to the group value.",
    "kind": "Group kind: nation, region, dst or similar.",
    "group_name": "Display name of the group.",
    "area": "Data area (economy, citizens, staff, school): the key figure's, or the one whose "
    "structural variables define a similar group (empty for the nation, regions, DST groups).",
    "rank": "Similar groups: 1 = most similar to the anchor (the municipality in the group id); "
    "empty for other groups.",
    "distance": "Similar groups: weighted distance of the structural variables to the anchor, "
    "rebased to 0–1 within the area; empty for other groups.",
    "person_id": "Pseudonymous person id, keyed per municipality (stable across releases, "
    "unlinkable across municipalities).",
    "pupils": "Pupils enrolled on the last day of the month.",
    "pupils_ordinary": "Pupils in an ordinary class.",
    "pupils_special": "Pupils in a special class (segregated class types).",
    "pupils_other": "Pupils in another class type (e.g. reception).",
    "classes": "Classes with pupils.",
    "ordinary_classes": "Ordinary classes with pupils.",
    "class_size": "pupils_ordinary / ordinary_classes.",
    "special_class_share": "100 × pupils_special / pupils.",
    "absence_days": "Pupil absence days in the month.",
    "absence_pct": "100 × absence_days / (pupils × school_days).",
    "exam_pupils": "Pupils with a graded exam in the month.",
    "grade_mean": "Mean over exam pupils of each pupil's mean grade.",
    "staff": "Employments active on the last day with the school as workplace (persons).",
    "staff_fte": "Their full-time equivalents.",
    "sick_days": "Calendar days of sickness absence of those employments.",
    "sick_days_per_fte": "sick_days / staff_fte.",
    "change": "added, changed or removed since the previous release.",
    "unit": "municipality or group.",
    "unit_id": "Municipality code or group id.",
    "old_value": "Value in the previous release.",
    "new_value": "Value in this release.",
}


def describe(table: pa.Table, warehouse_table: str | None = None) -> pa.Table:
    """``table`` with a ``description_en`` on every column that has one."""
    known = dict(descriptions()["common"])
    if warehouse_table:
        known |= descriptions()["tables"].get(warehouse_table, {}).get("columns", {})
    known |= RELEASE_COLUMNS
    fields = [
        f.with_metadata({"description_en": str(known[f.name])}) if f.name in known else f
        for f in table.schema
    ]
    return table.cast(pa.schema(fields))
