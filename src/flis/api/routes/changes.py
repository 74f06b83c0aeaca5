"""``/api/v1/changes?since=<release id>``: value-level changes for incremental BI loads."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from flis.api.deps import FormatDep, LimitDep, OffsetDep, ReleaseDep, StateDep
from flis.api.paging import page, table_response, tabular_responses
from flis.api.schemas import ChangesPage
from flis.published.changes import changes_between

router = APIRouter(prefix="/changes", tags=["values"])


@router.get("", response_model=ChangesPage, responses=tabular_responses())
def changes(
    request: Request,
    state: StateDep,
    release: ReleaseDep,
    since: Annotated[str, Query(max_length=40, description="The release last loaded.")],
    format: FormatDep = "json",
    limit: LimitDep = 1000,
    offset: OffsetDep = 0,
) -> Any:
    table = changes_between(state.releases.get(since), release)
    if format != "json":
        return table_response(table, fmt=format, name=f"changes-{since}-{release.release_id}")
    body = page(request, table, offset=offset, limit=limit, release_id=release.release_id)
    return ChangesPage.model_validate({**body, "since": since})
