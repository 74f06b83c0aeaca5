"""Opening the warehouse: one DuckDB file under ``$FLIS_HOME``, migrated and seeded on open."""

from __future__ import annotations

import re
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


class WarehouseLocked(WarehouseError):
    """Another process holds the warehouse (DuckDB allows one process to write a file)."""

    kind = "warehouse-locked"
    http_status = 503

    def __init__(self, path: str, *, pid: int | None, program: str | None) -> None:
        holder = f"process {pid} ({program})" if pid else "another process"
        holder_da = f"proces {pid} ({program})" if pid else "en anden proces"
        super().__init__(
            f"the warehouse {path} is locked by {holder}",
            hint="stop `flis serve` (or the other flis command) and try again; while the server "
            "runs, use its admin API (/api/v1/admin/…) for users, tokens and messages "
            "(docs/api.md)",
            message_da=f"lageret {path} er optaget af {holder_da}",
            hint_da="stop `flis serve` (eller den anden flis-kommando) og prøv igen; mens serveren "
            "kører, så brug dens admin-API (/api/v1/admin/…) til brugere, nøgler og beskeder "
            "(docs/api.md)",
        )
        self.path = path
        self.pid = pid
        self.program = program

    def to_dict(self) -> dict[str, str | None]:
        holder = {"pid": str(self.pid) if self.pid else None, "program": self.program}
        return {**super().to_dict(), "path": self.path, **holder}


_LOCK = re.compile(r'Could not set lock on file "(?P<path>[^"]+)"')
_HOLDER = re.compile(r"lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")


def _opening_error(path: Path | str, exc: duckdb.Error) -> WarehouseError:
    """DuckDB's lock error as ``WarehouseLocked`` naming the holder; any other as it is."""
    text = str(exc)
    locked = _LOCK.search(text)
    if locked is None:
        return WarehouseError(
            f"cannot open the warehouse {path}: {text}",
            hint="check that the file is a flis warehouse and that the folder is writable",
            message_da=f"kan ikke åbne lageret {path}: {text}",
            hint_da="kontrollér at filen er et flis-lager, og at der kan skrives i mappen",
        )
    holder = _HOLDER.search(text)
    return WarehouseLocked(
        locked.group("path"),
        pid=int(holder.group("pid")) if holder else None,
        program=holder.group("program") if holder else None,
    )


def open_warehouse(path: Path | str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to the warehouse at ``path`` (``:memory:`` for a scratch one), up to date.

    Raises:
        WarehouseLocked: another process (e.g. ``flis serve``) holds the file.
    """
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise _opening_error(path, exc) from None
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
