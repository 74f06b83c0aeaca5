"""What happened to one file, for the CLI and for ``--json``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flis.ingest.findings import Finding
from flis.ingest.registry import DeliveryRecord


@dataclass
class Outcome:
    """What happened to one file."""

    path: str
    delivery: DeliveryRecord | None
    duplicate_of: int | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.duplicate_of:
            return "duplicate"
        return self.delivery.status if self.delivery else ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "status": self.status}
        if self.duplicate_of:
            out["duplicate_of"] = self.duplicate_of
        if self.delivery:
            out["delivery"] = self.delivery.to_dict()
        out["findings"] = [f.to_dict() for f in self.findings]
        return out
