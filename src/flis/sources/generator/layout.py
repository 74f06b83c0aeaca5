"""Where generated files go and what the manifest records about them."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path

from flis.sources.contract import Contract


@dataclass(frozen=True)
class WrittenFile:
    """One file the generator wrote, as the manifest lists it."""

    path: str  # relative to the output folder, with forward slashes
    contract: str
    source: str
    municipality: int
    period: str
    seq: int
    records: int
    bytes: int
    sha256: str

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def relative_path(contract: Contract, *, municipality: int, period: str, seq: int) -> str:
    """``<source>/<municipality>/<YYYY-MM>/<file>`` for one delivery."""
    name = contract.file_name(municipality=municipality, period=period, seq=seq)
    return f"{contract.source}/{municipality}/{period}/{name}"


def write_file(
    out: Path,
    contract: Contract,
    *,
    municipality: int,
    period: str,
    seq: int,
    data: bytes,
    records: int,
) -> WrittenFile:
    rel = relative_path(contract, municipality=municipality, period=period, seq=seq)
    path = out / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return WrittenFile(
        path=rel,
        contract=contract.id,
        source=contract.source,
        municipality=municipality,
        period=period,
        seq=seq,
        records=records,
        bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
