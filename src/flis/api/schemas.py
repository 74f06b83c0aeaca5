"""Response schemas of the API (kept apart from the domain models they are built from)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field


class Health(BaseModel):
    status: str
    version: str


class Me(BaseModel):
    user: str
    role: str
    municipality: int | None


class MunicipalityOut(BaseModel):
    code: int
    name: str
    region_code: int
    region_name: str
    dst_group_code: int
    dst_group: str
    population: int


class RegionOut(BaseModel):
    code: int
    name: str
    municipality_codes: list[int]


class GroupMemberOut(BaseModel):
    municipality_code: int
    name: str
    distance: float | None
    rank: int | None


class GroupOut(BaseModel):
    group_id: str
    kind: str
    name: str
    area: str | None
    anchor_municipality: int | None
    method_version: str | None
    owner: str | None
    description: str | None
    members: list[GroupMemberOut]


class GroupIn(BaseModel):
    name: str = Field(pattern=r"^[a-z0-9æøå][a-z0-9æøå_-]{0,62}$")
    members: list[int] = Field(min_length=2, max_length=98)
    description: str | None = None


class TextOut(BaseModel):
    da: str
    en: str


class KeyFigureOut(BaseModel):
    id: str
    title: TextOut
    area: str
    unit: str
    level: str


class KeyFigureDetailOut(KeyFigureOut):
    description: TextOut
    main_area: str
    numerator: dict[str, Any]
    denominator: dict[str, Any] | None
    scale: float
    aggregation: str
    direction: str
    caveats: list[TextOut]
    sql: str


class ValueOut(BaseModel):
    keyfigure: str
    period: str
    area_id: str
    kind: str
    name: str
    members: int | None
    value: float | None
    numerator: float | None
    denominator: float | None
    suppressed: str | None
    value_status: str | None
    data_status: str | None


class Page(BaseModel):
    release_id: str
    total: int
    offset: int
    limit: int
    next: str | None


class ValuesPage(Page):
    items: list[ValueOut]


class ChangeOut(BaseModel):
    keyfigure: str
    period: str
    area_id: str
    kind: str
    change: str
    old_value: float | None
    new_value: float | None
    old_suppressed: str | None
    new_suppressed: str | None
    value_status: str | None


class ChangesPage(Page):
    since: str
    items: list[ChangeOut]


class RowsPage(Page):
    items: list[dict[str, Any]]


class BenchmarkOut(BaseModel):
    keyfigure: str
    title_da: str
    title_en: str
    unit: str
    direction: str
    aggregation: str
    period: str
    municipality_code: int
    municipality_name: str
    value: float | None
    numerator: float | None
    denominator: float | None
    persons: int | None
    status: str
    group: dict[str, Any]
    method_version: str | None
    region: dict[str, Any]
    nation: dict[str, Any]
    ranking: dict[str, Any]
    change: dict[str, Any]
    members: list[dict[str, Any]]
    suppressed: str | None = Field(
        None, description="primary or secondary when disclosure control hid the own value"
    )
    release_id: str | None = Field(None, description="The release the answer comes from.")


class DatasetOut(BaseModel):
    dataset: str
    level: str
    municipality_code: int | None
    rows: int
    path: str


class ReleaseOut(BaseModel):
    release_id: str
    period: str
    created_at: str
    previous_release: str | None


class ReleaseDetailOut(ReleaseOut):
    closed_periods: list[str]
    value_status: dict[str, int]
    changes: list[dict[str, Any]]
    disclosure: dict[str, Any]
    datasets: list[DatasetOut]


class CellOut(BaseModel):
    municipality_code: int
    contract: str
    month: str
    status: str
    delivery_id: int | None


class DeliveryOut(BaseModel):
    delivery_id: int
    contract: str | None
    source: str | None
    municipality_code: int | None
    month: str | None
    file_name: str
    received_at: str
    status: str
    records: int
    loaded_rows: int
    quarantined_rows: int
    errors: int
    warnings: int
    superseded_by: int | None


class DeliveriesOut(BaseModel):
    matrix: list[CellOut]
    deliveries: list[DeliveryOut]


class DeliveryDetailOut(DeliveryOut):
    findings: list[dict[str, Any]]


class AuditOut(BaseModel):
    read_at: str
    user_name: str
    role: str
    municipality_code: int
    dataset: str
    release_id: str | None
    row_count: int
    route: str


class Problem(BaseModel):
    """An error (RFC 9457 problem details); ``type`` is stable per kind of error.

    Texts follow the request's ``Accept-Language`` (Danish by default, English on ``en``); the
    answer's ``Content-Language`` header names the language used.
    """

    type: str = Field(
        description="`urn:flis:problem:<kind>`; the kind is a stable id (docs/api.md lists them).",
        examples=["urn:flis:problem:unknown-period"],
    )
    title: str = Field(
        description="The kind's fixed short title in the answer's language.",
        examples=["Ukendt periode"],
    )
    status: int = Field(description="The HTTP status code.", examples=[404])
    detail: Any = Field(
        default=None,
        description="What went wrong this time; Danish when a Danish text exists, else English.",
    )
    hint: str | None = Field(default=None, description="What to do about it, where known.")
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="For `invalid-request`: each invalid parameter (`loc`, `msg`)."
    )


class UserIn(BaseModel):
    name: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._@-]+$")
    role: Literal["viewer", "analyst", "data-admin", "operator"]
    municipality: int | None = Field(
        default=None, description="Own municipality; leave out for operators."
    )


class UserOut(BaseModel):
    name: str
    role: str
    municipality_code: int | None
    disabled: bool
    created_at: str


class TokenIn(BaseModel):
    """A token for an existing ``user``, or for a new service user from ``role`` (and
    ``municipality``)."""

    user: str | None = Field(default=None, min_length=1, max_length=100)
    role: Literal["viewer", "analyst", "data-admin", "operator"] | None = None
    municipality: int | None = None
    expires_days: int | None = Field(default=None, ge=1, le=3650)


class TokenOut(BaseModel):
    token_id: str
    user_name: str
    role: str
    municipality_code: int | None
    created_at: str
    expires_at: str | None
    revoked: bool


class NewTokenOut(TokenOut):
    token: str = Field(description="The bearer token; shown this once, only its hash is stored.")


class ClosedPeriodOut(BaseModel):
    period: str
    closed_at: str
    last_release: str | None
    already_closed: bool | None = None


class AdminActionOut(BaseModel):
    acted_at: str
    user_name: str
    role: str
    action: str
    target: str
    detail: dict[str, Any]


_UTC = "UTC; a time without a zone is read as UTC."


class MessageIn(BaseModel):
    severity: Literal["info", "warning", "outage"]
    title_da: str = Field(min_length=1, max_length=200)
    title_en: str = Field(min_length=1, max_length=200)
    body_da: str = Field(min_length=1, max_length=5000)
    body_en: str = Field(min_length=1, max_length=5000)
    audience: list[int] | None = Field(
        default=None, min_length=1, max_length=98, description="Municipality codes; null: all."
    )
    valid_from: datetime | None = Field(default=None, description="Default now; " + _UTC)
    valid_to: datetime | None = Field(default=None, description="Default open-ended; " + _UTC)


class MessagePatch(BaseModel):
    """The fields to change; a field left out stays as it is."""

    severity: Literal["info", "warning", "outage"] | None = None
    title_da: str | None = Field(default=None, min_length=1, max_length=200)
    title_en: str | None = Field(default=None, min_length=1, max_length=200)
    body_da: str | None = Field(default=None, min_length=1, max_length=5000)
    body_en: str | None = Field(default=None, min_length=1, max_length=5000)
    audience: list[int] | None = Field(default=None, min_length=1, max_length=98)
    valid_from: datetime | None = None
    valid_to: datetime | None = None


class MessageOut(BaseModel):
    message_id: int
    severity: str
    title_da: str
    title_en: str
    body_da: str
    body_en: str
    audience: list[int] | None
    valid_from: str
    valid_to: str | None
    created_by: str
    created_at: str
    updated_at: str | None
    active: bool


class SubscriptionOut(BaseModel):
    municipality: int
    dataset: str
    formats: list[str]


class SubscriptionIn(BaseModel):
    dataset: str = Field(description="benchmark, institutions or detail (always your own rows).")
    formats: list[str] = Field(min_length=1, max_length=3, description="parquet, csv, xlsx")
    municipality: int | None = Field(default=None, description="Default: your own.")
