"""Opening the warehouse: one DuckDB file under ``$FLIS_HOME``, migrated and seeded on open."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from flis.errors import FlisError
from flis.settings import Settings
from flis.warehouse.migrate import migrate
from flis.warehouse.seed import seed_reference


class WarehouseError(FlisError):
    """The warehouse cannot be opened or changed."""

    kind = "warehouse-error"


def open_warehouse(path: Path | str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to the warehouse at ``path`` (``:memory:`` for a scratch one), up to date."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise WarehouseError(
            f"cannot open the warehouse {path}: {exc}",
            hint="is another flis process using it? wait for it to finish",
        ) from None
    if not read_only:
        migrate(conn)
        seed_reference(conn)
    return conn


def connect(settings: Settings, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """The installation's warehouse (``$FLIS_HOME/warehouse.duckdb``)."""
    path = settings.warehouse_path
    if read_only and not path.exists():
        return open_warehouse(":memory:")
    return open_warehouse(path, read_only=read_only)


@contextmanager
def session(settings: Settings, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """The installation's warehouse for the length of a ``with`` block, closed afterwards."""
    conn = connect(settings, read_only=read_only)
    try:
        yield conn
    finally:
        conn.close()
