"""The audit log of detail reads (``access.audit``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb

from flis.access.model import Principal


def record_read(
    conn: duckdb.DuckDBPyConnection,
    *,
    principal: Principal,
    municipality: int,
    dataset: str,
    release_id: str | None,
    rows: int,
    route: str,
) -> None:
    """Write one audit row for a read of ``municipality``'s detail ``dataset``."""
    conn.execute(
        "INSERT INTO access.audit VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            dt.datetime.now(dt.UTC).replace(tzinfo=None),
            principal.user,
            principal.role.value,
            municipality,
            dataset,
            release_id,
            rows,
            route,
        ],
    )


def audit_rows(
    conn: duckdb.DuckDBPyConnection, *, municipality: int | None = None, limit: int = 1000
) -> list[dict[str, Any]]:
    """The newest audit rows first (optionally of one municipality)."""
    cur = conn.execute(
        "SELECT * FROM access.audit WHERE (? IS NULL OR municipality_code = ?) "
        "ORDER BY read_at DESC LIMIT ?",
        [municipality, municipality, limit],
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
