"""Reference data: the 98 municipalities, regions and the code lists contracts use."""

from flis.reference.codelists import CodeList, CodeValue, codelist, codelists
from flis.reference.municipalities import (
    Municipality,
    Region,
    municipalities,
    municipality,
    regions,
)

__all__ = [
    "CodeList",
    "CodeValue",
    "Municipality",
    "Region",
    "codelist",
    "codelists",
    "municipalities",
    "municipality",
    "regions",
]
