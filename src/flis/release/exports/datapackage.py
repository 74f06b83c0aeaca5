"""``datapackage.json``: a Frictionless package describing every file and field of an outbox."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pyarrow as pa

from flis.release.exports.columns import Column, ExportedFile
from flis.release.exports.csv import DELIMITER, DICTIONARY_HEADER, TIMESTAMP_FORMAT

PACKAGE = "datapackage.json"


def field_type(data_type: pa.DataType) -> str:
    """The Frictionless (Table Schema) type of an Arrow type."""
    if pa.types.is_dictionary(data_type):
        return field_type(data_type.value_type)
    checks = (
        (pa.types.is_boolean, "boolean"),
        (pa.types.is_integer, "integer"),
        (pa.types.is_floating, "number"),
        (pa.types.is_decimal, "number"),
        (pa.types.is_date, "date"),
        (pa.types.is_timestamp, "datetime"),
        (pa.types.is_string, "string"),
        (pa.types.is_large_string, "string"),
    )
    return next((name for check, name in checks if check(data_type)), "any")


def _field(c: Column, fmt: str) -> dict[str, Any]:
    kind = field_type(c.type)
    out: dict[str, Any] = {
        "name": c.name if fmt == "parquet" else c.title_da,
        "type": kind,
        "title": c.title_en,
    }
    if c.description_en:
        out["description"] = c.description_en
    if c.unit:
        out["unit"] = c.unit
    if fmt == "csv" and kind == "number":
        out["decimalChar"] = ","
    if fmt == "csv" and kind == "datetime":
        out["format"] = TIMESTAMP_FORMAT
    if fmt == "xlsx" and kind == "date":
        out["type"] = "datetime"  # Excel has no date-only cells; readers see midnight
    return out


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _name(text: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-")


def _resource(root: Path, file: ExportedFile, sheet: str | None = None) -> dict[str, Any]:
    rel = file.path.relative_to(root).as_posix()
    suffix = f"-{sheet}" if sheet else ""
    out: dict[str, Any] = {
        "name": _name(f"{rel.rsplit('.', 1)[0]}-{file.format}{suffix}"),
        "path": rel,
        "profile": "tabular-data-resource",
        "format": file.format,
        "mediatype": _MEDIA[file.format],
    }
    if file.format != "parquet":  # frictionless reads Parquet through pandas and cannot count bytes
        out["bytes"] = file.path.stat().st_size
        out["hash"] = f"sha256:{_sha256(file.path)}"
    if file.format == "csv":
        out["encoding"] = "utf-8-sig"
        out["dialect"] = {"csv": {"delimiter": DELIMITER}}
    if sheet:
        out["dialect"] = {"excel": {"sheet": sheet}}
    if file.role == "dictionary":
        out["schema"] = {"fields": [{"name": n, "type": "string"} for n in DICTIONARY_HEADER]}
    else:
        out["schema"] = {"fields": [_field(c, file.format) for c in file.columns]}
    if file.format == "parquet":
        # frictionless reads Parquet through pandas, where a null integer (a similar group's
        # rank, say) becomes NaN: without "nan" as missing the null fails the integer type
        out["schema"]["missingValues"] = ["", "nan"]
    return out


_MEDIA = {
    "parquet": "application/vnd.apache.parquet",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def write_datapackage(
    root: Path, files: list[ExportedFile], *, release: dict[str, Any], municipality: int
) -> Path:
    """Describe ``files`` (and the copied manifest) in ``root/datapackage.json``."""
    resources = []
    for file in sorted(files, key=lambda f: f.path.as_posix()):
        if file.sheets:
            resources += [_resource(root, file, sheet) for sheet in file.sheets]
        else:
            resources.append(_resource(root, file))
    release_id = str(release.get("release_id", ""))
    package = {
        "name": _name(f"flis-{release_id}-{municipality}"),
        "title": f"FLIS release {release_id} for municipality {municipality}",
        "created": release.get("created_at"),
        "profile": "tabular-data-package",
        "licenses": [{"name": "other-closed", "title": "For the subscribing municipality"}],
        "resources": resources,
    }
    path = root / PACKAGE
    path.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
