"""Paging of JSON lists and whole-table CSV/Parquet answers."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from fastapi import Request, Response

from flis.release.exports.csv import write_csv
from flis.release.exports.xlsx import write_xlsx


def next_link(request: Request, *, offset: int, limit: int, total: int) -> str | None:
    if offset + limit >= total:
        return None
    return str(request.url.include_query_params(offset=offset + limit, limit=limit))


def page(
    request: Request, table: pa.Table, *, offset: int, limit: int, release_id: str
) -> dict[str, Any]:
    total = table.num_rows
    return {
        "release_id": release_id,
        "total": total,
        "offset": offset,
        "limit": limit,
        "next": next_link(request, offset=offset, limit=limit, total=total),
        "items": table.slice(offset, limit).to_pylist(),
    }


_MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "csv-da": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}


def _danish_export(table: pa.Table, *, fmt: str, name: str) -> bytes:
    """``csv-da`` (Danish Excel: ``;``, decimal comma, BOM) or ``xlsx``, by the release exports."""
    with tempfile.TemporaryDirectory(prefix="flis-export-") as tmp:
        source, target = Path(tmp) / "table.parquet", Path(tmp) / "out"
        pq.write_table(table, source)
        if fmt == "xlsx":
            write_xlsx(source, target, info={"dataset": name})
        else:
            write_csv(source, target)
        return target.read_bytes()


def table_response(table: pa.Table, *, fmt: str, name: str) -> Response:
    """The whole table as CSV, Danish CSV, XLSX or Parquet (no row limit: the bulk download)."""
    buf = io.BytesIO()
    if fmt == "csv":
        pacsv.write_csv(table, buf)
    elif fmt in ("csv-da", "xlsx"):  # for the cockpit's Excel users (docs/cockpit.md)
        buf.write(_danish_export(table, fmt=fmt, name=name))
    else:
        pq.write_table(table, buf)
    extension = "csv" if fmt == "csv-da" else fmt
    headers = {
        "Content-Disposition": f'attachment; filename="{name}.{extension}"',
        "X-Total-Count": str(table.num_rows),
    }
    return Response(buf.getvalue(), media_type=_MEDIA[fmt], headers=headers)


def tabular_responses() -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the CSV and Parquet variants of a 200 answer."""
    return {
        200: {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                _MEDIA["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
                "application/vnd.apache.parquet": {
                    "schema": {"type": "string", "format": "binary"}
                },
            }
        }
    }
