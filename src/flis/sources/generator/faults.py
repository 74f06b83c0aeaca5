"""Realistic faults injected into generated deliveries, with ground truth in ``faults.json``.

A :class:`FaultPlan` decides up front which delivery each fault hits (one delivery per fault,
so two faults never interfere), from the world's ``faults`` random stream. Faults are applied
in three places: to record tables before rendering (row faults, whose line is then known), to
the rendered text (a decimal point), and to the file itself (encoding, truncation, missing,
duplicate, re-delivery). Each applied fault becomes a :class:`Fault` record.

``stage`` says where the platform should notice it: ``receive`` (registry level: missing,
duplicate, re-delivery), ``structure`` (the file is rejected), ``row`` (row-level validation
finding) or ``quality`` (needs cross-record or cross-month data-quality checks).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

from flis.sources.generator.world import World

Stage = Literal["receive", "structure", "row", "quality"]

#: kind → (contract it targets, stage, the rule code ingestion is expected to report)
KINDS: dict[str, tuple[str, Stage, str | None]] = {
    "missing-delivery": ("payroll-absence", "receive", None),
    "duplicate-file": ("central", "receive", "duplicate-delivery"),
    "re-delivery": ("economy", "receive", None),
    "latin-1-file": ("school", "structure", "encoding-not-utf8"),
    "truncated-file": ("payroll-employment", "structure", "file-truncated"),
    "decimal-point": ("economy", "row", "bad-decimal"),
    "unknown-code-staff-category": ("payroll-employment", "row", "unknown-code"),
    "unknown-code-absence-type": ("school", "row", "unknown-code"),
    "date-outside-period": ("payroll-absence", "row", "date-outside-period"),
    "double-enrolment": ("school", "quality", None),
    "grade-level-age": ("school", "quality", None),
    "weekend-absence": ("school", "quality", None),
    "finance-swing": ("economy", "quality", None),
}


@dataclass(frozen=True)
class Fault:
    """One injected fault and where it is."""

    kind: str
    stage: Stage
    contract: str
    municipality: int
    period: str
    file: str | None = None
    line: int | None = None
    column: str | None = None
    value: str | None = None
    expected_rule: str | None = None
    note: str = ""

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class FaultPlan:
    """Which delivery (contract, municipality, month) each fault kind hits."""

    targets: dict[tuple[str, int, str], str] = field(default_factory=dict)

    @classmethod
    def make(cls, world: World) -> FaultPlan:
        if world.faults == "none" or not world.selected:
            return cls()
        rng = world.rng("faults")
        used: set[tuple[int, str]] = set()
        targets: dict[tuple[str, int, str], str] = {}
        for kind, (contract_id, _, _) in KINDS.items():
            slots = [(m, p) for m in world.selected for p in world.months if (m, p) not in used]
            if kind == "finance-swing":  # a swing needs a month before it to swing from
                slots = [(m, p) for m, p in slots if p != world.months[0]]
            if not slots:
                continue
            m, p = slots[int(rng.integers(len(slots)))]
            used.add((m, p))
            targets[(contract_id, m, p)] = kind
        return cls(targets)

    def kind_for(self, contract_id: str, municipality: int, period: str) -> str | None:
        return self.targets.get((contract_id, municipality, period))
