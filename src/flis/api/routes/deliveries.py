"""``/api/v1/deliveries``: the delivery matrix, deliveries and findings (data-admins, operators)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from flis.access.model import Role
from flis.api.auth import can_read_deliveries, require
from flis.api.deps import PrincipalDep, WarehouseDep
from flis.api.schemas import DeliveriesOut, DeliveryDetailOut, DeliveryOut
from flis.ingest import registry
from flis.ingest.matrix import matrix

router = APIRouter(prefix="/deliveries", tags=["deliveries"])


def _delivery(record: registry.DeliveryRecord) -> DeliveryOut:
    data = record.to_dict()
    data["received_at"] = record.received_at.isoformat()
    return DeliveryOut.model_validate(data)


@router.get("", response_model=DeliveriesOut)
def deliveries(
    principal: PrincipalDep,
    conn: WarehouseDep,
    municipality: Annotated[
        int | None, Query(description="Default: your own (all: operators).")
    ] = None,
    month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")] = None,
) -> DeliveriesOut:
    if municipality is None and principal.role is not Role.operator:
        municipality = principal.municipality
    require(
        can_read_deliveries(principal, municipality),
        "deliveries are shown to the municipality's data administrators and to operators",
        "leverancer vises for kommunens dataansvarlige og for driften",
    )
    cells = [
        c.to_dict()
        for c in matrix(conn, months=[month] if month else None)
        if municipality is None or c.municipality_code == municipality
    ]
    records = registry.listing(conn, municipality_code=municipality, month=month)
    return DeliveriesOut.model_validate(
        {"matrix": cells, "deliveries": [_delivery(r) for r in records]}
    )


@router.get("/{delivery_id}", response_model=DeliveryDetailOut)
def delivery(delivery_id: int, principal: PrincipalDep, conn: WarehouseDep) -> DeliveryDetailOut:
    record = registry.get(conn, delivery_id)
    require(
        can_read_deliveries(principal, record.municipality_code),
        "this delivery belongs to another municipality",
        "leverancen tilhører en anden kommune",
    )
    findings = registry.findings_of(conn, delivery_id)
    return DeliveryDetailOut.model_validate(
        {**_delivery(record).model_dump(), "findings": findings}
    )
