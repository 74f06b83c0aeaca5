"""What the stored similar-municipality groups were built with, and whether they are stale.

``flis groups build`` writes one row to ``keyfigures.similarity_build`` with the groups. A release
records it with a checksum of the membership (docs/releases.md) and refuses stale groups: missing
although there is CPR data, built before the parameters were recorded, built on the latest CPR
month when a later one has arrived since, or built on inputs that later deliveries changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Literal

import duckdb

from flis.keyfigures.similarity import SimilarityError, current_version, latest_month
from flis.keyfigures.similarity_defaults import DEFAULT_K

Reason = Literal["missing", "unrecorded", "newer-month", "inputs-changed"]
_GROUPS = "SELECT group_id FROM keyfigures.\"group\" WHERE kind = 'similar'"


@dataclass(frozen=True)
class SimilarityBuild:
    """The parameters of the stored similar groups (a row of ``keyfigures.similarity_build``)."""

    method_version: str
    month: str
    k: int
    month_is_latest: bool  # the month was the latest with CPR data, not chosen with --month
    built_at: dt.datetime

    @property
    def command(self) -> str:
        """The ``flis groups build`` that rebuilds the groups with the same choices."""
        options = [] if self.k == DEFAULT_K else [f"--k {self.k}"]
        options += [] if self.month_is_latest else [f"--month {self.month}"]
        return " ".join(["flis groups build", *options])


@dataclass(frozen=True)
class Staleness:
    """Why the stored similar groups must be rebuilt, in English and Danish, and how."""

    reason: Reason
    detail: str
    detail_da: str
    command: str = "flis groups build"


def stored_build(conn: duckdb.DuckDBPyConnection) -> SimilarityBuild | None:
    """The build record of the stored similar groups; None when there are none or their build
    was not recorded (built before migration v0009)."""
    row = conn.execute(
        "SELECT method_version, month, k, month_is_latest, built_at "
        "FROM keyfigures.similarity_build WHERE method_version IN "
        "(SELECT method_version FROM keyfigures.\"group\" WHERE kind = 'similar')"
    ).fetchone()
    return None if row is None else SimilarityBuild(str(row[0]), str(row[1]), *row[2:])


def membership(conn: duckdb.DuckDBPyConnection) -> tuple[int, str]:
    """(similar groups, SHA-256 of their sorted ``group_id<TAB>municipality_code`` lines)."""
    rows = conn.execute(
        f"SELECT group_id, municipality_code FROM keyfigures.group_member "
        f"WHERE group_id IN ({_GROUPS}) ORDER BY group_id, municipality_code"
    ).fetchall()
    digest = hashlib.sha256()
    for gid, code in rows:
        digest.update(f"{gid}\t{code}\n".encode())
    return len({gid for gid, _ in rows}), digest.hexdigest()


def staleness(conn: duckdb.DuckDBPyConnection) -> Staleness | None:
    """Why the stored similar groups do not fit the warehouse now; None when they do (or when
    there is no CPR data to build any from and none are stored)."""
    has_groups = conn.execute(f"SELECT count(*) FROM ({_GROUPS})").fetchone() != (0,)
    has_cpr = conn.execute("SELECT 1 FROM citizens.resident_month LIMIT 1").fetchone() is not None
    if not has_groups:
        return _MISSING if has_cpr else None
    build = stored_build(conn)
    if build is None:
        return _UNRECORDED
    latest = latest_month(conn) if has_cpr else None
    if build.month_is_latest and latest is not None and latest != build.month:
        return Staleness(
            "newer-month",
            f"the similar-municipality groups were built on {build.month}, then the latest CPR "
            f"month; the warehouse now holds CPR data for {latest}",
            f"grupperne af sammenlignelige kommuner er bygget på {build.month}, dengang den "
            f"seneste CPR-måned; lageret har nu CPR-data for {latest}",
            build.command,
        )
    try:
        now = current_version(conn, month=build.month, k=build.k)
    except SimilarityError:
        now = None
    if now != build.method_version:
        return Staleness(
            "inputs-changed",
            f"the similar-municipality groups ({build.method_version}, reference month "
            f"{build.month}, k = {build.k}) no longer fit their inputs: deliveries received "
            "since changed the structural variables",
            f"grupperne af sammenlignelige kommuner ({build.method_version}, referencemåned "
            f"{build.month}, k = {build.k}) passer ikke længere til deres input: leverancer "
            "modtaget siden har ændret de strukturelle variable",
            build.command,
        )
    return None


_MISSING = Staleness(
    "missing",
    "the similar-municipality groups are not built, although the warehouse holds CPR data",
    "grupperne af sammenlignelige kommuner er ikke bygget, selv om lageret har CPR-data",
)
_UNRECORDED = Staleness(
    "unrecorded",
    "the similar-municipality groups were built before flis recorded their parameters "
    "(reference month and k)",
    "grupperne af sammenlignelige kommuner er bygget, før flis gemte deres parametre "
    "(referencemåned og k)",
)
