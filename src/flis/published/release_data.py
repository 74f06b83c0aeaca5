"""One published release held in memory (Arrow), cached by id: releases never change."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from flis.keyfigures.groups import Group, GroupMember, reference_groups
from flis.published.errors import NoRelease, UnknownDataset
from flis.release import store
from flis.release.manifest import DatasetFile, Manifest

#: Columns of a value row (municipality or declared group aggregate), in order.
VALUE_COLUMNS = (
    "keyfigure",
    "period",
    "area_id",
    "kind",
    "name",
    "members",
    "value",
    "numerator",
    "denominator",
    "suppressed",
    "value_status",
    "data_status",
)

ANSWER_CACHE_SIZE = 4096

_UNIFY = """
SELECT keyfigure, period, CAST(municipality_code AS VARCHAR) AS area_id,
       'municipality' AS kind, municipality_name AS name, CAST(NULL AS INTEGER) AS members,
       value, numerator, denominator, suppressed, value_status, data_status,
       1 AS o, municipality_code AS n
FROM read_parquet($values)
UNION ALL
SELECT g.keyfigure, g.period, g.group_id, g.kind, coalesce(r.name, g.group_id), g.members,
       g.value, g.numerator, g.denominator, g.suppressed, g.value_status, NULL,
       0, 0
FROM read_parquet($groups) g LEFT JOIN names r ON r.group_id = g.group_id
ORDER BY keyfigure, period, o, n, area_id
"""


@dataclass
class PublishedRelease:
    """The benchmark values and institutions of one release, indexed for quick slicing."""

    manifest: Manifest
    folder: Path
    _lock: threading.Lock = field(default_factory=threading.Lock)
    #: Rendered answers by request URL: a release never changes, so neither do they.
    answers: dict[str, bytes] = field(default_factory=dict)

    def remember(self, key: str, answer: bytes) -> bytes:
        if len(self.answers) >= ANSWER_CACHE_SIZE:
            self.answers.clear()
        self.answers[key] = answer
        return answer

    @property
    def release_id(self) -> str:
        return self.manifest.release_id

    def file(self, dataset: str, municipality: int | None = None) -> DatasetFile:
        for f in self.manifest.files:
            if f.dataset == dataset and f.municipality_code == municipality:
                return f
        raise UnknownDataset(dataset, self.release_id)

    def path(self, dataset: str, municipality: int | None = None) -> Path:
        return self.folder / self.file(dataset, municipality).path

    @cached_property
    def values(self) -> pa.Table:
        names = pa.table(
            {
                "group_id": list(reference_groups()),
                "name": [g.name for g in reference_groups().values()],
            }
        )
        conn = duckdb.connect()
        try:
            conn.register("names", names)
            table = conn.sql(
                _UNIFY,
                params={"values": str(self.path("values")), "groups": str(self.path("groups"))},
            ).to_arrow_table()
        finally:
            conn.close()
        assert table is not None
        return table.select(list(VALUE_COLUMNS))

    @cached_property
    def index(self) -> dict[tuple[str, str], tuple[int, int]]:
        """(key figure, period) → (first row, row count) in the sorted ``values`` table."""
        found: dict[tuple[str, str], tuple[int, int]] = {}
        kfs = self.values.column("keyfigure").to_pylist()
        periods = self.values.column("period").to_pylist()
        for i, key in enumerate(zip(kfs, periods, strict=True)):
            start, count = found.get(key, (i, 0))
            found[key] = (start, count + 1)
        return found

    @cached_property
    def area_ids(self) -> frozenset[str]:
        return frozenset(pc.unique(self.values.column("area_id")).to_pylist())

    @cached_property
    def groups(self) -> dict[str, Group] | None:
        """The published groups by id with their members as the release was computed from them;
        None for a release built before releases published ``group_members``."""
        if not any(f.dataset == "group_members" for f in self.manifest.files):
            return None
        similar = self.manifest.similar_groups
        version = similar.method_version if similar else None
        rows: dict[str, list[dict[str, Any]]] = {}
        for row in pq.read_table(self.path("group_members")).to_pylist():
            rows.setdefault(row["group_id"], []).append(row)
        return {gid: _group(members, version) for gid, members in rows.items()}

    @cached_property
    def institutions(self) -> pa.Table:
        return pq.read_table(self.path("schools"))

    def select_values(
        self, *, keyfigures: list[str], periods: list[str], areas: list[str]
    ) -> pa.Table:
        """Rows matching every non-empty filter, in (key figure, period, area) order."""
        if keyfigures and periods:
            parts = [
                self.values.slice(*self.index[(k, p)])
                for k in keyfigures
                for p in periods
                if (k, p) in self.index
            ]
            table = pa.concat_tables(parts) if parts else self.values.slice(0, 0)
        else:
            table = self.values
            for name, wanted in (("keyfigure", keyfigures), ("period", periods)):
                if wanted:
                    table = table.filter(pc.is_in(table.column(name), pa.array(wanted)))
        if areas:
            table = table.filter(pc.is_in(table.column("area_id"), pa.array(areas)))
        return table


def _group(rows: list[dict[str, Any]], method_version: str | None) -> Group:
    """A published group from its ``group_members`` rows (already in rank, then code order)."""
    head = rows[0]
    similar = head["kind"] == "similar"
    return Group(
        group_id=head["group_id"],
        kind=head["kind"],
        name=head["group_name"],
        members=tuple(
            GroupMember(r["municipality_code"], r["municipality_name"], r["distance"], r["rank"])
            for r in rows
        ),
        area=head["area"],
        anchor_municipality=int(head["group_id"].rsplit(":", 1)[1]) if similar else None,
        method_version=method_version if similar else None,
    )


class ReleaseCache:
    """Published releases by id, loaded on first use."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self._lock = threading.Lock()
        self._loaded: dict[str, PublishedRelease] = {}
        self._latest: tuple[float, str | None] = (-1.0, None)

    def latest_id(self) -> str:
        """The latest release's id, looked up again only when the releases folder changes."""
        root = store.releases_root(self.home)
        stamp = root.stat().st_mtime if root.exists() else 0.0
        if stamp != self._latest[0]:
            latest = store.latest(self.home)
            self._latest = (stamp, latest.release_id if latest else None)
        if self._latest[1] is None:
            raise NoRelease()
        return self._latest[1]

    def get(self, release_id: str | None) -> PublishedRelease:
        """The release ``release_id``, or the latest one when None (NoRelease if none)."""
        if release_id is None:
            release_id = self.latest_id()
        with self._lock:
            if release_id not in self._loaded:
                folder = store.release_dir(self.home, release_id)
                manifest = store.read_manifest(self.home, release_id)
                self._loaded[release_id] = PublishedRelease(manifest, folder)
            return self._loaded[release_id]
