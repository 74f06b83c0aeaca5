"""``/api/v1/municipalities``."""

from __future__ import annotations

from fastapi import APIRouter

from flis.api.schemas import MunicipalityOut
from flis.reference.municipalities import municipalities, municipality

router = APIRouter(prefix="/municipalities", tags=["reference"])


@router.get("", response_model=list[MunicipalityOut])
def list_municipalities() -> list[MunicipalityOut]:
    return [MunicipalityOut.model_validate(m.model_dump()) for m in municipalities()]


@router.get("/{code}", response_model=MunicipalityOut)
def get_municipality(code: int) -> MunicipalityOut:
    return MunicipalityOut.model_validate(municipality(code).model_dump())
