"""A second process finds the warehouse locked: a clear error naming the holder, exit code 2."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
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


def flis(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(FLIS), *args], capture_output=True, text=True, env=os.environ, timeout=120
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Server:
    proc: subprocess.Popen[bytes]
    base: str
    operator: dict[str, str]  # the header of an operator's token made before it started


@pytest.fixture
def server(_isolated_home: Path) -> Iterator[Server]:
    """`flis serve` on a free loopback port, and an operator token."""
    made = flis("tokens", "create", "--role", "operator", "--json")
    operator = {"Authorization": f"Bearer {json.loads(made.stdout)['token']}"}
    port = _free_port()
    proc = subprocess.Popen([str(FLIS), "serve", "--port", str(port)], env=os.environ)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail("flis serve did not answer /health within 60 s")
        yield Server(proc, base, operator)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


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
    done = flis(*command, "--json")
    assert done.returncode == 2, done.stderr
    error = json.loads(done.stdout)["error"]
    assert (error["kind"], error["pid"]) == ("warehouse-locked", str(holder.pid))
    assert error["path"] == str(_isolated_home / "warehouse.duckdb")


def test_a_cli_command_while_the_warehouse_is_held_tells_people_what_to_do(
    holder: subprocess.Popen[str],
) -> None:
    done = flis("users", "list")
    assert done.returncode == 2 and done.stdout == ""
    text = " ".join(done.stderr.split())
    assert text.startswith("Fejl: Datalageret er optaget: lageret ")
    assert f"er optaget af proces {holder.pid}" in text and "stop `flis serve`" in text


def test_a_file_that_is_no_warehouse_is_a_plain_warehouse_error(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    path.write_text("not a database")
    with pytest.raises(WarehouseError) as caught:
        open_warehouse(path)
    assert not isinstance(caught.value, WarehouseLocked)
    assert caught.value.message.startswith(f"cannot open the warehouse {path}")


def test_while_flis_serve_runs_the_cli_points_to_the_admin_api_which_works(
    server: Server,
) -> None:
    refused = flis("users", "add", "bo", "--role", "viewer", "--municipality", "461", "--json")
    assert refused.returncode == 2
    error = json.loads(refused.stdout)["error"]
    assert (error["kind"], error["pid"]) == ("warehouse-locked", str(server.proc.pid))
    body = {"name": "bo", "role": "viewer", "municipality": 461}
    added = httpx.post(f"{server.base}/api/v1/admin/users", json=body, headers=server.operator)
    assert added.status_code == 201, added.text
    server.proc.terminate()
    server.proc.wait(timeout=30)
    users = json.loads(flis("users", "list", "--json").stdout)
    assert [(u["name"], u["role"]) for u in users if u["name"] == "bo"] == [("bo", "viewer")]
