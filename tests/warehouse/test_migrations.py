"""Numbered migrations: applied once, in order; gaps and duplicates are refused."""

from __future__ import annotations

import duckdb
import pytest

from flis.errors import ConfigError
from flis.warehouse.migrate import Migration, check_sequence, migrate, migrations


def test_shipped_migrations_are_numbered_without_gaps() -> None:
    assert [m.version for m in migrations()] == list(range(1, len(migrations()) + 1))


@pytest.mark.parametrize("versions", [[1, 3], [1, 1, 2], [2]], ids=["gap", "duplicate", "start"])
def test_gaps_and_duplicates_are_refused(versions: list[int]) -> None:
    with pytest.raises(ConfigError):
        check_sequence([Migration(v, f"m{v}", "") for v in versions])


def test_migrate_applies_once() -> None:
    conn = duckdb.connect()
    assert migrate(conn) == [m.version for m in migrations()]
    assert migrate(conn) == []
