"""``/api/v1/regions``."""

from __future__ import annotations

from fastapi import APIRouter

from flis.api.schemas import RegionOut
from flis.reference.municipalities import regions

router = APIRouter(prefix="/regions", tags=["reference"])


@router.get("", response_model=list[RegionOut])
def list_regions() -> list[RegionOut]:
    return [RegionOut.model_validate(r.model_dump()) for r in regions()]
