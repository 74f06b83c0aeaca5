"""``/odata/``: service document, ``$metadata`` and entity-set queries with server paging."""

from __future__ import annotations

import json
from typing import Annotated, Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from fastapi import APIRouter, Query, Request, Response

from flis.access.audit import record_read
from flis.access.model import Principal
from flis.api.auth import can_read_detail, require
from flis.api.deps import PrincipalDep, ReleaseDep, StateDep
from flis.api.odata.filter import BadQuery, filter_sql, orderby_sql, select_columns
from flis.api.odata.sets import ROW_ID, EntitySet, entity_sets, metadata_xml
from flis.errors import NotFoundError
from flis.published.release_data import PublishedRelease

PAGE = 1000
router = APIRouter(prefix="/odata", tags=["odata"])
_JSON = "application/json;odata.metadata=minimal"


@router.get("/", response_model=dict[str, Any])
def service(request: Request, release: ReleaseDep) -> Response:
    sets = [{"name": n, "kind": "EntitySet", "url": n} for n in entity_sets(release)]
    body = {"@odata.context": f"{request.base_url}odata/$metadata", "value": sets}
    return Response(json.dumps(body), media_type=_JSON)


@router.get(
    "/$metadata",
    response_class=Response,
    responses={200: {"content": {"application/xml": {"schema": {"type": "string"}}}}},
)
def metadata(release: ReleaseDep) -> Response:
    return Response(metadata_xml(release), media_type="application/xml")


def _table(release: PublishedRelease, entity: EntitySet, principal: Principal) -> pa.Table:
    if entity.name == "BenchmarkValues":
        return release.values
    if entity.name == "Institutions":
        return release.institutions
    assert entity.detail is not None
    own = principal.municipality
    require(
        own is not None and can_read_detail(principal, own),
        "detail data is for the municipality's analysts and data administrators",
        "detaljedata er for kommunens analytikere og dataansvarlige",
    )
    table = pq.read_table(release.path(entity.detail, own))
    return table.add_column(0, ROW_ID, pa.array(range(table.num_rows), pa.int64()))


def _query(
    table: pa.Table,
    entity: EntitySet,
    *,
    select: str | None,
    where: str | None,
    order: str | None,
) -> tuple[str, list[object], list[str]]:
    columns = table.column_names
    chosen = select_columns(select, columns) if select else columns
    sql, params = filter_sql(where, columns) if where else ("TRUE", [])
    ordering = orderby_sql(order or ",".join(entity.keys), columns)
    cols = ", ".join(f'"{c}"' for c in chosen)
    return f"SELECT {cols} FROM t WHERE {sql} ORDER BY {ordering}", params, chosen


def _wants_v2(request: Request) -> bool:
    """OData v2 clients (e.g. pyodata) say so with a (Max)DataServiceVersion header."""
    return any(h in request.headers for h in ("maxdataserviceversion", "dataserviceversion"))


def _v2_body(rows: list[Any], count: int | None, next_link: str | None) -> dict[str, Any]:
    inner: dict[str, Any] = {"results": rows}
    if count is not None:
        inner["__count"] = str(count)
    if next_link:
        inner["__next"] = next_link
    return {"d": inner}


def _v4_body(
    request: Request, entity_set: str, rows: list[Any], count: int | None, next_link: str | None
) -> dict[str, Any]:
    body: dict[str, Any] = {"@odata.context": f"{request.base_url}odata/$metadata#{entity_set}"}
    if count is not None:
        body["@odata.count"] = count
    body["value"] = rows
    if next_link:
        body["@odata.nextLink"] = next_link
    return body


@router.get("/{entity_set}", response_model=dict[str, Any])
def entities(
    entity_set: str,
    request: Request,
    principal: PrincipalDep,
    release: ReleaseDep,
    state: StateDep,
    select: Annotated[str | None, Query(alias="$select", max_length=2000)] = None,
    where: Annotated[str | None, Query(alias="$filter", max_length=4000)] = None,
    order: Annotated[str | None, Query(alias="$orderby", max_length=1000)] = None,
    top: Annotated[int | None, Query(alias="$top", ge=0, le=1_000_000_000)] = None,
    skip: Annotated[int, Query(alias="$skip", ge=0, le=1_000_000_000)] = 0,
    count: Annotated[bool, Query(alias="$count")] = False,
    inlinecount: Annotated[
        str | None, Query(alias="$inlinecount", pattern="^(allpages|none)$")
    ] = None,
) -> Response:
    entity = entity_sets(release).get(entity_set)
    if entity is None:
        raise NotFoundError(
            f"no entity set '{entity_set}'",
            hint="GET /odata/ lists them",
            message_da=f"intet entitetssæt '{entity_set}'",
            hint_da="GET /odata/ viser dem",
        )
    table = _table(release, entity, principal)
    sql, params, _ = _query(table, entity, select=select, where=where, order=order)
    take = PAGE if top is None else min(PAGE, top)
    conn = duckdb.connect()
    try:
        conn.register("t", table)
        try:
            total = conn.sql(f"SELECT count(*) FROM ({sql})", params=params).fetchall()[0]
            rows = conn.sql(f"{sql} LIMIT {take} OFFSET {skip}", params=params).to_arrow_table()
        except duckdb.Error as exc:  # e.g. comparing a number with text
            raise BadQuery(
                f"the query cannot be answered: {type(exc).__name__}",
                message_da=f"forespørgslen kan ikke besvares: {type(exc).__name__}",
            ) from None
    finally:
        conn.close()
    matched = int(total[0]) if total else 0
    end = min(matched, skip + top) if top is not None else matched
    next_link = None
    if skip + take < end:
        params_next = {"$skip": skip + take, **({"$top": top - take} if top is not None else {})}
        next_link = str(request.url.include_query_params(**params_next))
    counted = matched if count or inlinecount == "allpages" else None
    if _wants_v2(request):
        body = _v2_body(rows.to_pylist(), counted, next_link)
    else:
        body = _v4_body(request, entity_set, rows.to_pylist(), counted, next_link)
    if entity.detail is not None and principal.municipality is not None:
        with state.lock:
            record_read(
                state.conn,
                principal=principal,
                municipality=principal.municipality,
                dataset=entity.detail,
                release_id=release.release_id,
                rows=rows.num_rows,
                route=f"odata/{entity_set}",
            )
    return Response(json.dumps(body, default=str, ensure_ascii=False), media_type=_JSON)
