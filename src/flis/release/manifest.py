"""``release.json``: what a release holds, where it came from, and what changed since the last."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from flis.ingest.pseudonym import LEGACY_SCHEME, Scheme

Level = Literal["benchmark", "institutions", "detail", "metadata"]
ValueStatus = Literal["preliminary", "revised", "final"]
MANIFEST = "release.json"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InputDelivery(_Strict):
    """One delivery in the warehouse when the release was built (the landing area keeps it)."""

    delivery_id: int
    file_name: str
    sha256: str
    received_at: str
    status: str
    contract: str | None
    municipality_code: int | None
    month: str | None


class SimilarGroups(_Strict):
    """The similar-municipality groups the benchmark dataset was built on (``flis groups build``):
    ``flis releases verify`` rebuilds them with these parameters and checks the membership."""

    method_version: str  # sim-1:<sha> of the inputs, weights, reference month and k
    month: str  # reference month of the structural variables
    k: int  # nearest neighbours per municipality and area
    groups: int  # similar groups (98 per data area)
    members_sha256: str  # SHA-256 of the sorted "group_id<TAB>municipality_code" lines


class Column(_Strict):
    name: str
    type: str


class DatasetFile(_Strict):
    """One file of the release, relative to the release folder."""

    path: str
    dataset: str
    level: Level
    municipality_code: int | None = None
    rows: int
    sha256: str
    columns: list[Column]  # the file's schema


class Suppressed(_Strict):
    """Cells one dataset publishes as null: too few persons, or to protect those."""

    primary: int
    secondary: int


class Disclosure(_Strict):
    """Disclosure-control parameters and what they suppressed (cells, all datasets together)."""

    threshold: int
    method: str
    primary: int
    secondary: int
    datasets: dict[str, Suppressed] = {}  # per dataset: benchmark, institutions
    relations: list[str] = []  # ids of the declared relations between key figures protected


class KeyFigureChange(_Strict):
    """Published values added, changed and removed since the previous release, per key figure."""

    keyfigure: str
    added: int
    changed: int
    removed: int


class Manifest(_Strict):
    """The manifest of one release."""

    release_id: str
    period: str
    n: int
    created_at: str
    code_version: str
    previous_release: str | None
    closed_periods: list[str]
    inputs: list[InputDelivery]
    # None: no CPR data, so no similar groups. Absent (not in model_fields_set): a manifest
    # written before releases recorded their groups.
    similar_groups: SimilarGroups | None = None
    # The keyed hash of the warehouse's person keys, which the detail pseudonyms are made from
    # (verify re-keys with it). Absent: a manifest written before schemes were recorded.
    person_key_scheme: Scheme = LEGACY_SCHEME
    files: list[DatasetFile]
    disclosure: Disclosure
    value_status: dict[str, int]
    changes: list[KeyFigureChange]

    def to_json(self) -> str:
        return self.model_dump_json(indent=2) + "\n"
