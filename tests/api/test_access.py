"""Users, tokens, groups of one's own, and the audit log of detail reads."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from flis.access.store import hash_token
from flis.cli.app import app
from tests.api.conftest import OWN, SECOND, World


def test_detail_reads_are_audited(client: TestClient, world: World) -> None:
    url = f"/api/v1/releases/{SECOND}/datasets/events?municipality={OWN}&format=json"
    rows = client.get(url, headers=world.auth("analyst")).json()["total"]
    audit = client.get(f"/api/v1/audit?municipality={OWN}", headers=world.auth("operator"))
    latest = audit.json()[0]
    assert latest["dataset"] == "events" and latest["row_count"] == rows
    assert latest["user_name"].startswith("analyst-461") and latest["release_id"] == SECOND


def test_a_user_creates_and_deletes_its_own_group(client: TestClient, world: World) -> None:
    body = {"name": "api-test-group", "members": [101, 461, 751]}
    made = client.post("/api/v1/groups", json=body, headers=world.auth("analyst"))
    assert made.status_code == 201, made.text
    gid = made.json()["group_id"]
    assert client.delete(f"/api/v1/groups/{gid}", headers=world.auth("viewer")).status_code == 403
    assert client.delete(f"/api/v1/groups/{gid}", headers=world.auth("analyst")).status_code == 200
    assert client.get(f"/api/v1/groups/{gid}", headers=world.auth("analyst")).status_code == 404


def test_region_groups_cannot_be_deleted(client: TestClient, world: World) -> None:
    response = client.delete("/api/v1/groups/region:1084", headers=world.auth("operator"))
    assert response.status_code == 400


def test_cli_users_and_tokens(_isolated_home: Path) -> None:
    runner = CliRunner()
    added = runner.invoke(
        app, ["users", "add", "ana", "--role", "analyst", "--municipality", "461"]
    )
    assert added.exit_code == 0, added.output
    made = runner.invoke(app, ["tokens", "create", "--user", "ana", "--expires", "30", "--json"])
    assert made.exit_code == 0, made.output
    token = json.loads(made.output)["token"]
    listed = json.loads(runner.invoke(app, ["users", "list", "--json"]).output)
    assert [(u["name"], u["role"], u["municipality_code"]) for u in listed] == [
        ("ana", "analyst", 461)
    ]
    import duckdb

    conn = duckdb.connect(str(_isolated_home / "warehouse.duckdb"), read_only=True)
    stored = conn.execute("SELECT sha256 FROM access.token").fetchall()
    conn.close()
    assert stored == [(hash_token(token),)] and token not in str(stored)
    assert runner.invoke(app, ["users", "disable", "ana"]).exit_code == 0
    bad = runner.invoke(app, ["tokens", "create", "--role", "viewer"])
    assert bad.exit_code == 2


def test_a_disabled_users_token_is_refused(_isolated_home: Path) -> None:
    from flis.access.model import Role
    from flis.access.store import create_token, disable_user
    from flis.api.app import create_app
    from flis.settings import Settings
    from flis.warehouse.connection import connect

    settings = Settings(home=_isolated_home, demo=True)
    conn = connect(settings)
    token = create_token(conn, role=Role.viewer, municipality=461)
    user = conn.execute("SELECT user_name FROM access.token").fetchone()
    assert user is not None
    disable_user(conn, name=user[0])
    conn.close()
    with TestClient(create_app(settings)) as client:
        response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
