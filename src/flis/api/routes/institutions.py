"""``/api/v1/institutions``: published institution-level values (small cells suppressed)."""

from __future__ import annotations

from typing import Annotated, Any

import pyarrow as pa
import pyarrow.compute as pc
from fastapi import APIRouter, Query, Request

from flis.api.deps import FormatDep, LimitDep, OffsetDep, ReleaseDep
from flis.api.paging import page, table_response, tabular_responses
from flis.api.schemas import RowsPage
from flis.errors import NotFoundError

router = APIRouter(prefix="/institutions", tags=["institutions"])


def _where(table: pa.Table, column: str, value: Any) -> pa.Table:
    return table if value is None else table.filter(pc.equal(table.column(column), value))


@router.get("", response_model=RowsPage, responses=tabular_responses())
def institutions(
    request: Request,
    release: ReleaseDep,
    municipality: Annotated[
        int | None, Query(ge=0, le=9999, description="Owner municipality.")
    ] = None,
    month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")] = None,
    format: FormatDep = "json",
    limit: LimitDep = 1000,
    offset: OffsetDep = 0,
) -> Any:
    table = _where(release.institutions, "owner_municipality", municipality)
    table = _where(table, "month", month)
    if format != "json":
        return table_response(table, fmt=format, name=f"institutions-{release.release_id}")
    return page(request, table, offset=offset, limit=limit, release_id=release.release_id)


@router.get("/{institution}", response_model=RowsPage)
def institution(
    institution: str,
    request: Request,
    release: ReleaseDep,
) -> Any:
    table = _where(release.institutions, "institution_number", institution)
    if table.num_rows == 0:
        raise NotFoundError(
            f"no institution '{institution}' in release {release.release_id}",
            message_da=f"ingen institution '{institution}' i udgivelse {release.release_id}",
        )
    return page(request, table, offset=0, limit=table.num_rows, release_id=release.release_id)
