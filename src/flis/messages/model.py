"""A message: severity, Danish and English text, audience and the time it is shown."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from flis.messages.errors import MessageError


class Severity(StrEnum):
    info = "info"
    warning = "warning"
    outage = "outage"


@dataclass(frozen=True)
class Draft:
    """What an operator writes; ``audience`` None means every municipality."""

    severity: Severity
    title_da: str
    title_en: str
    body_da: str
    body_en: str
    audience: tuple[int, ...] | None = None
    valid_from: dt.datetime | None = None  # None: now
    valid_to: dt.datetime | None = None  # None: until further notice


@dataclass(frozen=True)
class Message:
    """A stored message (times are UTC without a zone, as everywhere in the warehouse)."""

    message_id: int
    severity: Severity
    title_da: str
    title_en: str
    body_da: str
    body_en: str
    audience: tuple[int, ...] | None
    valid_from: dt.datetime
    valid_to: dt.datetime | None
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime | None

    def active(self, at: dt.datetime) -> bool:
        return self.valid_from <= at and (self.valid_to is None or at < self.valid_to)

    def meant_for(self, municipality: int | None) -> bool:
        """Operators (no municipality) see every message; others those for all or for them."""
        return municipality is None or self.audience is None or municipality in self.audience

    def to_dict(self, *, at: dt.datetime | None = None) -> dict[str, Any]:
        out = asdict(self)
        out["audience"] = list(self.audience) if self.audience is not None else None
        for name in ("valid_from", "valid_to", "created_at", "updated_at"):
            value = getattr(self, name)
            out[name] = value.isoformat() if value is not None else None
        out["active"] = self.active(at or utc_now())
        return out


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """A zone-aware time in UTC without its zone; a naive time is taken to be UTC already."""
    if value is None or value.tzinfo is None:
        return value
    try:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    except OverflowError:
        raise MessageError(
            f"{value.isoformat()} is out of range in UTC",
            hint="give a time between year 1 and 9999",
            message_da=f"{value.isoformat()} ligger uden for det mulige interval i UTC",
            hint_da="angiv et tidspunkt mellem år 1 og 9999",
        ) from None
