"""``/api/v1/audit``: who read which detail data (operators)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from flis.access.audit import audit_rows
from flis.api.auth import can_administer, require
from flis.api.deps import PrincipalDep, WarehouseDep
from flis.api.schemas import AuditOut

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", response_model=list[AuditOut])
def audit(
    principal: PrincipalDep,
    conn: WarehouseDep,
    municipality: Annotated[int | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 1000,
) -> list[AuditOut]:
    require(
        can_administer(principal),
        "the audit log is for operators",
        "revisionssporet er for driften",
    )
    rows = audit_rows(conn, municipality=municipality, limit=limit)
    return [AuditOut.model_validate({**r, "read_at": r["read_at"].isoformat()}) for r in rows]
