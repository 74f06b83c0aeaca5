"""``/api/v1/values``: published key-figure values of municipalities and groups."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from flis.api.deps import FormatDep, LimitDep, OffsetDep, ReleaseDep
from flis.api.paging import page, table_response, tabular_responses
from flis.api.schemas import ValuesPage
from flis.keyfigures.catalogue import keyfigure
from flis.published.errors import UnknownArea

router = APIRouter(prefix="/values", tags=["values"])


def comma_list(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


@router.get("", response_model=ValuesPage, responses=tabular_responses())
async def values(
    request: Request,
    release: ReleaseDep,
    keyfigure_ids: Annotated[
        str | None, Query(alias="keyfigure", max_length=5000, description="Comma list of ids.")
    ] = None,
    municipality: Annotated[
        str | None,
        Query(max_length=5000, description="Comma list of codes and group ids (region:1084)."),
    ] = None,
    period: Annotated[str | None, Query(max_length=5000, description="Comma list YYYY-MM.")] = None,
    format: FormatDep = "json",
    limit: LimitDep = 1000,
    offset: OffsetDep = 0,
) -> Any:
    if format == "json" and (cached := release.answers.get(str(request.url))) is not None:
        return Response(cached, media_type="application/json")
    kfs = comma_list(keyfigure_ids)
    for kf in kfs:
        keyfigure(kf)  # unknown ids are a 404, not an empty answer
    areas = comma_list(municipality)
    unknown = [a for a in areas if a not in release.area_ids]
    if unknown:
        raise UnknownArea(unknown)
    table = release.select_values(keyfigures=kfs, periods=comma_list(period), areas=areas)
    if format != "json":
        return table_response(table, fmt=format, name=f"values-{release.release_id}")
    body = page(request, table, offset=offset, limit=limit, release_id=release.release_id)
    answer = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    return Response(release.remember(str(request.url), answer), media_type="application/json")
