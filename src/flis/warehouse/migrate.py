"""Numbered migrations: ``migrations/vNNNN_<name>.sql`` applied once each, in order."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import duckdb

from flis.errors import ConfigError

_NAME = re.compile(r"^v(\d{4})_([a-z0-9_]+)\.sql$")
_LOCATION = "flis/warehouse/migrations"


@dataclass(frozen=True)
class Migration:
    """One schema change."""

    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """All migrations in version order; gaps, duplicates and bad names are refused."""
    folder = resources.files("flis.warehouse").joinpath("migrations")
    found: list[Migration] = []
    for entry in folder.iterdir():
        if not entry.name.endswith(".sql"):
            continue
        m = _NAME.match(entry.name)
        if not m:
            raise ConfigError(
                f"bad migration name '{entry.name}'",
                location=_LOCATION,
                message_da=f"ugyldigt migreringsnavn '{entry.name}'",
            )
        found.append(Migration(int(m.group(1)), m.group(2), entry.read_text("utf-8")))
    return check_sequence(sorted(found, key=lambda m: m.version))


def check_sequence(items: list[Migration]) -> list[Migration]:
    """Refuse duplicate versions and gaps: versions must be exactly 1, 2, 3, ..."""
    versions = [m.version for m in items]
    if versions != list(range(1, len(items) + 1)):
        raise ConfigError(
            f"migration versions must run 1..n without gaps or duplicates, found {versions}",
            location=_LOCATION,
            hint="number a new migration one above the highest existing one",
            message_da="migreringernes versioner skal løbe 1..n uden huller eller dubletter, "
            f"fandt {versions}",
            hint_da="giv en ny migrering nummeret én over den højeste eksisterende",
        )
    return items


def applied_version(conn: duckdb.DuckDBPyConnection) -> int:
    conn.execute("CREATE SCHEMA IF NOT EXISTS meta")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS meta.schema_migration "
        "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    row = conn.execute("SELECT coalesce(max(version), 0) FROM meta.schema_migration").fetchall()[0]
    return int(row[0]) if row else 0


def migrate(conn: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply pending migrations, each in its own transaction; return the versions applied."""
    done = applied_version(conn)
    applied = []
    for m in migrations():
        if m.version <= done:
            continue
        conn.execute("BEGIN TRANSACTION")
        try:
            conn.execute(m.sql)
            conn.execute(
                "INSERT INTO meta.schema_migration VALUES (?, ?, current_timestamp)",
                [m.version, m.name],
            )
            conn.execute("COMMIT")
        except Exception:
            conn.execute("ROLLBACK")
            raise
        applied.append(m.version)
    return applied
