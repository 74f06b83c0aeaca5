"""How each contract's records map to the information model (one module per contract)."""

from __future__ import annotations

from flis.ingest.mappings import central, cpr, economy, payroll_absence, payroll_employment, school
from flis.ingest.mappings.base import Load, Mapping

MAPPINGS: dict[str, Mapping] = {
    "economy": economy.MAPPING,
    "cpr": cpr.MAPPING,
    "payroll-employment": payroll_employment.MAPPING,
    "payroll-absence": payroll_absence.MAPPING,
    "school": school.MAPPING,
    "central": central.MAPPING,
}


def mapping(contract_id: str) -> Mapping:
    return MAPPINGS[contract_id]


__all__ = ["MAPPINGS", "Load", "Mapping", "mapping"]
