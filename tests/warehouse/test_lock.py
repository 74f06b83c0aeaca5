"""A second process finds the warehouse locked: a clear error naming the holder, exit code 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from flis.warehouse.connection import WarehouseError, WarehouseLocked, open_warehouse

HOLD = (
    "import sys\n"
    "from flis.warehouse.connection import open_warehouse\n"
    "conn = open_warehouse(sys.argv[1])\n"
    "print('holding', flush=True)\n"
    "sys.stdin.read()\n"
)
FLIS = Path(sys.executable).with_name("flis")


@pytest.fixture
def holder(_isolated_home: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process (as `flis serve` would) holding $FLIS_HOME/warehouse.duckdb open."""
    path = _isolated_home / "warehouse.duckdb"
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
    yield proc
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait(timeout=30)


def test_opening_a_held_warehouse_names_the_file_and_the_process(
    holder: subprocess.Popen[str], _isolated_home: Path
) -> None:
    path = _isolated_home / "warehouse.duckdb"
    with pytest.raises(WarehouseLocked) as caught:
        open_warehouse(path)
    error = caught.value
    assert (error.path, error.pid, error.kind) == (str(path), holder.pid, "warehouse-locked")
    assert f"{path} is locked by process {holder.pid}" in error.message
    assert error.hint is not None and "stop `flis serve`" in error.hint
    assert "/api/v1/admin/" in error.hint


def test_a_read_only_open_of_a_held_warehouse_is_refused_the_same_way(
    holder: subprocess.Popen[str], _isolated_home: Path
) -> None:
    with pytest.raises(WarehouseLocked) as caught:
        open_warehouse(_isolated_home / "warehouse.duckdb", read_only=True)
    assert caught.value.pid == holder.pid


@pytest.mark.parametrize("command", [["users", "list"], ["messages", "list"]], ids=" ".join)
def test_a_cli_command_while_the_warehouse_is_held_exits_2_with_a_json_error(
    holder: subprocess.Popen[str], _isolated_home: Path, command: list[str]
) -> None:
    done = subprocess.run(
        [str(FLIS), *command, "--json"], capture_output=True, text=True, env=os.environ, timeout=60
    )
    assert done.returncode == 2, done.stderr
    error = json.loads(done.stdout)["error"]
    assert (error["kind"], error["pid"]) == ("warehouse-locked", str(holder.pid))
    assert error["path"] == str(_isolated_home / "warehouse.duckdb")


def test_a_cli_command_while_the_warehouse_is_held_tells_people_what_to_do(
    holder: subprocess.Popen[str],
) -> None:
    done = subprocess.run(
        [str(FLIS), "users", "list"], capture_output=True, text=True, env=os.environ, timeout=60
    )
    assert done.returncode == 2 and done.stdout == ""
    text = " ".join(done.stderr.split())  # Rich wraps long lines
    assert text.startswith("Error: lageret er optaget / the warehouse")
    assert f"process {holder.pid}" in text and "stop `flis serve`" in text


def test_a_file_that_is_no_warehouse_is_a_plain_warehouse_error(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    path.write_text("not a database")
    with pytest.raises(WarehouseError) as caught:
        open_warehouse(path)
    assert not isinstance(caught.value, WarehouseLocked)
    assert caught.value.message.startswith(f"cannot open the warehouse {path}")
