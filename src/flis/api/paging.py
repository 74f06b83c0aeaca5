"""Paging of JSON lists and whole-table CSV/Parquet answers."""

from __future__ import annotations

import io
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from fastapi import Request, Response


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


def table_response(table: pa.Table, *, fmt: str, name: str) -> Response:
    """The whole table as CSV or Parquet (no row limit: this is the bulk download)."""
    buf = io.BytesIO()
    if fmt == "csv":
        pacsv.write_csv(table, buf)
        media = "text/csv; charset=utf-8"
    else:
        pq.write_table(table, buf)
        media = "application/vnd.apache.parquet"
    headers = {
        "Content-Disposition": f'attachment; filename="{name}.{fmt}"',
        "X-Total-Count": str(table.num_rows),
    }
    return Response(buf.getvalue(), media_type=media, headers=headers)


def tabular_responses() -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the CSV and Parquet variants of a 200 answer."""
    return {
        200: {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/vnd.apache.parquet": {
                    "schema": {"type": "string", "format": "binary"}
                },
            }
        }
    }
