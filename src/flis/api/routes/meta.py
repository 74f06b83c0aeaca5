"""``/health`` (open) and ``/api/v1/me``."""

from __future__ import annotations

from fastapi import APIRouter

from flis import __version__
from flis.api.deps import PrincipalDep
from flis.api.schemas import Health, Me

open_router = APIRouter(tags=["meta"])
router = APIRouter(tags=["meta"])


@open_router.get("/health", response_model=Health)
def health() -> Health:
    return Health(status="ok", version=__version__)


@router.get("/me", response_model=Me)
def me(principal: PrincipalDep) -> Me:
    return Me(user=principal.user, role=principal.role.value, municipality=principal.municipality)
