"""``/api/v1/benchmark/{municipality}/{keyfigure}``: ``flis benchmark``'s computation over the
published release (``as_of`` for an older one), so disclosure control holds here too."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from flis.api.deps import ReleaseDep, WarehouseDep
from flis.api.schemas import BenchmarkOut
from flis.keyfigures.benchmark import benchmark
from flis.keyfigures.catalogue import keyfigure as find_keyfigure
from flis.published.benchmark_source import ReleaseSource

router = APIRouter(prefix="/benchmark", tags=["benchmark"])


@router.get("/{municipality}/{keyfigure}", response_model=BenchmarkOut)
def get_benchmark(
    municipality: int,
    keyfigure: str,
    conn: WarehouseDep,
    release: ReleaseDep,
    period: Annotated[str, Query(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")],
    group: Annotated[str, Query(max_length=100)] = "similar",
) -> BenchmarkOut:
    result = benchmark(
        ReleaseSource(release, conn),
        municipality=municipality,
        keyfigure=find_keyfigure(keyfigure),
        period=period,
        group=group,
    )
    return BenchmarkOut.model_validate(result.to_dict())
