"""``/api/v1/releases``: manifests, change logs and dataset downloads (access rules apply)."""

from __future__ import annotations

from typing import Annotated, Any

import pyarrow.parquet as pq
from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, Response

from flis.access.audit import record_read
from flis.api.auth import can_read_detail, require
from flis.api.deps import FormatDep, LimitDep, OffsetDep, PrincipalDep, StateDep
from flis.api.paging import page, table_response, tabular_responses
from flis.api.schemas import ReleaseDetailOut, ReleaseOut, RowsPage
from flis.errors import UsageError
from flis.release import store
from flis.release.manifest import Manifest

router = APIRouter(prefix="/releases", tags=["releases"])


def _summary(m: Manifest) -> dict[str, Any]:
    return m.model_dump(include={"release_id", "period", "created_at", "previous_release"})


@router.get("", response_model=list[ReleaseOut])
def releases(state: StateDep) -> list[ReleaseOut]:
    return [
        ReleaseOut.model_validate(_summary(m)) for m in store.list_releases(state.settings.home)
    ]


@router.get("/{release_id}", response_model=ReleaseDetailOut)
def release(release_id: str, state: StateDep) -> ReleaseDetailOut:
    m = state.releases.get(release_id).manifest
    datasets = [
        f.model_dump(include={"dataset", "level", "municipality_code", "rows", "path"})
        for f in m.files
    ]
    return ReleaseDetailOut.model_validate(
        {
            **_summary(m),
            "closed_periods": m.closed_periods,
            "value_status": m.value_status,
            "changes": [c.model_dump() for c in m.changes],
            "disclosure": m.disclosure.model_dump(),
            "datasets": datasets,
        }
    )


@router.get("/{release_id}/datasets/{name}", response_model=RowsPage, responses=tabular_responses())
def dataset(
    release_id: str,
    name: str,
    request: Request,
    principal: PrincipalDep,
    state: StateDep,
    municipality: Annotated[int | None, Query(description="Detail datasets: whose.")] = None,
    format: FormatDep = "parquet",
    limit: LimitDep = 1000,
    offset: OffsetDep = 0,
) -> Any:
    published = state.releases.get(release_id)
    detail = any(f.dataset == name and f.level == "detail" for f in published.manifest.files)
    if detail:
        if municipality is None:
            raise UsageError(
                f"'{name}' is a detail dataset",
                hint="add ?municipality=<code>",
                message_da=f"'{name}' er et detaljedatasæt",
                hint_da="tilføj ?municipality=<kode>",
            )
        require(
            can_read_detail(principal, municipality),
            f"detail data of municipality {municipality} is not yours to read",
            f"du må ikke læse detaljedata for kommune {municipality}",
        )
    path = published.path(name, municipality if detail else None)
    table = pq.read_table(path)
    if detail:
        assert municipality is not None
        with state.lock:
            record_read(
                state.conn,
                principal=principal,
                municipality=municipality,
                dataset=name,
                release_id=release_id,
                rows=table.num_rows,
                route="releases/datasets",
            )
    if format == "parquet":
        return FileResponse(
            path,
            media_type="application/vnd.apache.parquet",
            filename=f"{name}-{release_id}.parquet",
        )
    if format != "json":
        return table_response(table, fmt=format, name=f"{name}-{release_id}")
    body: Response | dict[str, Any] = page(
        request, table, offset=offset, limit=limit, release_id=release_id
    )
    return body
