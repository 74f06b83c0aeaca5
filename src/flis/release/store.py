"""The release store: ``$FLIS_HOME/releases/<id>/`` folders, listing, reading, closing periods.

A release folder is complete or absent: it is written under a hidden temporary name and renamed
into place. Old releases are never changed, so any of them can be read "as published".
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb
from pydantic import ValidationError

from flis.periods import parse_month
from flis.release.errors import ReleaseError, UnknownRelease
from flis.release.manifest import MANIFEST, Manifest

_ID = re.compile(r"^(\d{4}-\d{2})\.(\d+)$")


def releases_root(home: Path) -> Path:
    return home / "releases"


def parse_id(release_id: str) -> tuple[str, int]:
    """``2025-09.2`` → (``2025-09``, 2)."""
    m = _ID.match(release_id)
    if not m:
        raise UnknownRelease(release_id)
    return parse_month(m.group(1)), int(m.group(2))


def release_ids(home: Path) -> list[str]:
    """Published release ids, oldest period and build first."""
    root = releases_root(home)
    if not root.exists():
        return []
    found = [p.name for p in root.iterdir() if _ID.match(p.name) and (p / MANIFEST).exists()]
    return sorted(found, key=parse_id)


def next_id(home: Path, period: str) -> str:
    taken = [parse_id(r)[1] for r in release_ids(home) if parse_id(r)[0] == period]
    return f"{period}.{max(taken, default=0) + 1}"


def release_dir(home: Path, release_id: str) -> Path:
    path = releases_root(home) / release_id
    if not (path / MANIFEST).exists():
        raise UnknownRelease(release_id)
    return path


def read_manifest(home: Path, release_id: str) -> Manifest:
    """The manifest of one published release."""
    path = release_dir(home, release_id) / MANIFEST
    try:
        return Manifest.model_validate_json(path.read_text("utf-8"))
    except ValidationError as exc:
        raise ReleaseError(
            f"{path} is not a valid manifest ({exc.error_count()} problems)",
            hint="a release is never edited; restore the folder from backup or rebuild it",
            message_da=f"{path} er ikke et gyldigt manifest ({exc.error_count()} fejl)",
            hint_da="en udgivelse rettes aldrig; gendan mappen fra backup, eller byg den igen",
        ) from None


def list_releases(home: Path) -> list[Manifest]:
    return [read_manifest(home, r) for r in release_ids(home)]


def latest(home: Path) -> Manifest | None:
    """The most recently created release (the previous one for the change log)."""
    manifests = list_releases(home)
    return (
        max(manifests, key=lambda m: (m.created_at, parse_id(m.release_id))) if manifests else None
    )


def closed_periods(conn: duckdb.DuckDBPyConnection) -> list[str]:
    return [period for period, _, _ in closed_period_rows(conn)]


def closed_period_rows(
    conn: duckdb.DuckDBPyConnection,
) -> list[tuple[str, dt.datetime, str | None]]:
    """(period, closed at, last release) of every closed period, oldest first."""
    rows = conn.execute(
        "SELECT period, closed_at, last_release FROM release.closed_period ORDER BY period"
    ).fetchall()
    return [(str(p), at, last) for p, at, last in rows]


def record_release(conn: duckdb.DuckDBPyConnection, manifest: Manifest, sha256: str) -> None:
    conn.execute("DELETE FROM release.release WHERE release_id = ?", [manifest.release_id])
    conn.execute(
        "INSERT INTO release.release VALUES (?, ?, ?, ?, 'published', ?)",
        [
            manifest.release_id,
            manifest.period,
            manifest.n,
            dt.datetime.fromisoformat(manifest.created_at).replace(tzinfo=None),
            sha256,
        ],
    )


def close_period(conn: duckdb.DuckDBPyConnection, home: Path, period: str) -> dict[str, object]:
    """Close ``period``: later releases mark its values final and it gets no new release."""
    period = parse_month(period)
    last = [r for r in release_ids(home) if parse_id(r)[0] == period]
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    already = conn.execute(
        "SELECT closed_at FROM release.closed_period WHERE period = ?", [period]
    ).fetchone()
    if already is None:
        conn.execute(
            "INSERT INTO release.closed_period VALUES (?, ?, ?)",
            [period, now, last[-1] if last else None],
        )
    closed_at = already[0] if already else now
    return {
        "period": period,
        "closed_at": closed_at.isoformat(),
        "last_release": last[-1] if last else None,
        "already_closed": already is not None,
    }
