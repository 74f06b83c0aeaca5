"""Operational messages over HTTP (operators write, everyone reads its own) and on the CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from flis.access.actions import action_rows
from flis.cli.app import app as cli
from flis.settings import load_settings
from flis.warehouse.connection import session
from tests.api.admin_app import AdminApp, admin_app

ADMIN = "/api/v1/admin/messages"
TEXT = {"title_da": "Nedetid", "title_en": "Downtime", "body_da": "Lørdag", "body_en": "Saturday"}


@pytest.fixture
def app(tmp_path: Path) -> Iterator[AdminApp]:
    yield from admin_app(tmp_path / "home")


def write(app: AdminApp, **fields: Any) -> Any:
    body = {"severity": "info", **TEXT, **fields}
    return app.client.post(ADMIN, json=body, headers=app.auth("operator"))


def shown(app: AdminApp, who: str) -> list[str]:
    response = app.client.get("/api/v1/messages", headers=app.auth(who))
    assert response.status_code == 200, response.text
    return [m["title_en"] for m in response.json()]


def problem_type(response: Any) -> str:
    assert response.headers["content-type"] == "application/problem+json"
    return str(response.json()["type"]).removeprefix("urn:flis:problem:")


def test_an_operator_writes_a_message_that_shows_at_once(app: AdminApp) -> None:
    made = write(app, severity="outage", audience=[461])
    assert made.status_code == 201, made.text
    body = made.json()
    assert {k: body[k] for k in ("message_id", "severity", "audience", "valid_to", "active")} == {
        "message_id": 1,
        "severity": "outage",
        "audience": [461],
        "valid_to": None,
        "active": True,
    }
    assert body["created_by"].startswith("operator-all-") and body["title_da"] == "Nedetid"
    assert app.client.get("/api/v1/messages", headers=app.auth("viewer-461")).json() == [body]


def test_each_user_reads_only_the_messages_meant_for_it(app: AdminApp) -> None:
    write(app, title_en="all")
    write(app, title_en="odense", audience=[461])
    write(app, title_en="copenhagen", audience=[101], severity="warning")
    write(app, title_en="later", valid_from="2999-01-01T00:00:00Z")
    write(app, title_en="over", valid_from="2020-01-01T00:00:00Z", valid_to="2020-02-01T00:00:00Z")
    assert shown(app, "viewer-461") == ["odense", "all"]
    assert shown(app, "analyst-101") == ["copenhagen", "all"]
    assert shown(app, "operator") == ["copenhagen", "odense", "all"]
    every = app.client.get(ADMIN, headers=app.auth("operator")).json()
    assert [(m["title_en"], m["active"]) for m in every] == [
        ("later", False),
        ("copenhagen", True),
        ("odense", True),
        ("all", True),
        ("over", False),
    ]


def test_an_edit_changes_the_given_fields_and_logs_them(app: AdminApp) -> None:
    mid = write(app, audience=[461]).json()["message_id"]
    change = {"title_en": "New", "audience": None, "valid_to": "2999-01-01T01:00+01:00"}
    edited = app.client.patch(f"{ADMIN}/{mid}", json=change, headers=app.auth("operator"))
    assert edited.status_code == 200, edited.text
    got = edited.json()
    assert (got["title_en"], got["title_da"], got["audience"], got["valid_to"]) == (
        "New",
        "Nedetid",
        None,
        "2999-01-01T00:00:00",
    )
    assert got["updated_at"] is not None and shown(app, "analyst-101") == ["New"]
    log = app.client.get("/api/v1/admin/audit", headers=app.auth("operator")).json()
    assert [(a["action"], a["target"]) for a in log] == [
        ("message.update", str(mid)),
        ("message.create", str(mid)),
    ]
    assert log[0]["detail"]["title_en"] == "New"


def test_an_expired_message_no_longer_shows_and_a_deleted_one_is_gone(app: AdminApp) -> None:
    expiring = write(app, title_en="expiring").json()["message_id"]
    deleted = write(app, title_en="deleted").json()["message_id"]
    done = app.client.post(f"{ADMIN}/{expiring}/expire", headers=app.auth("operator"))
    assert (done.status_code, done.json()["active"]) == (200, False)
    gone = app.client.delete(f"{ADMIN}/{deleted}", headers=app.auth("operator"))
    assert (gone.status_code, gone.json()["title_en"]) == (200, "deleted")
    assert shown(app, "viewer-461") == []
    again = app.client.get(f"{ADMIN}/{deleted}", headers=app.auth("operator"))
    assert (again.status_code, problem_type(again)) == (404, "unknown-message")
    assert app.client.get(f"{ADMIN}/{expiring}", headers=app.auth("operator")).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/9", None),
        ("patch", "/9", {"title_en": "x"}),
        ("post", "/9/expire", None),
        ("delete", "/9", None),
    ],
    ids=["get", "edit", "expire", "delete"],
)
def test_an_unknown_message_is_named(
    app: AdminApp, method: str, path: str, body: dict[str, Any] | None
) -> None:
    kwargs: dict[str, Any] = {"json": body} if body is not None else {}
    response = app.client.request(method, ADMIN + path, headers=app.auth("operator"), **kwargs)
    assert (response.status_code, problem_type(response)) == (404, "unknown-message")
    assert response.json()["detail"] == "ingen driftsbesked 9"  # Danish unless asked otherwise


@pytest.mark.parametrize(
    ("fields", "status", "kind"),
    [
        ({"audience": [461, 999]}, 400, "message-error"),
        (
            {"valid_from": "2030-01-02T00:00:00", "valid_to": "2030-01-01T00:00:00"},
            400,
            "message-error",
        ),
        ({"severity": "panic"}, 422, "invalid-request"),
        ({"title_da": ""}, 422, "invalid-request"),
        ({"audience": []}, 422, "invalid-request"),
    ],
    ids=["unknown-municipality", "ends-before-start", "bad-severity", "no-title", "no-audience"],
)
def test_a_message_that_cannot_be_shown_is_a_problem(
    app: AdminApp, fields: dict[str, Any], status: int, kind: str
) -> None:
    response = write(app, **fields)
    assert (response.status_code, problem_type(response)) == (status, kind)
    assert app.client.get(ADMIN, headers=app.auth("operator")).json() == []


def test_an_edit_may_not_empty_a_title(app: AdminApp) -> None:
    mid = write(app).json()["message_id"]
    response = app.client.patch(
        f"{ADMIN}/{mid}", json={"title_da": None}, headers=app.auth("operator")
    )
    assert (response.status_code, problem_type(response)) == (400, "message-error")


@pytest.mark.parametrize("who", ["viewer-461", "analyst-101"])
def test_only_operators_write_messages(app: AdminApp, who: str) -> None:
    response = app.client.post(ADMIN, json={"severity": "info", **TEXT}, headers=app.auth(who))
    assert (response.status_code, problem_type(response)) == (403, "forbidden")
    assert app.client.get(ADMIN, headers=app.auth(who)).status_code == 403


def test_cli_adds_lists_and_expires_messages_and_logs_them(_isolated_home: Path) -> None:
    runner = CliRunner()
    added = runner.invoke(
        cli,
        [
            "messages",
            "add",
            "--severity",
            "warning",
            "--title-da",
            "Sen levering",
            "--title-en",
            "Late delivery",
            "--body-da",
            "KMD",
            "--body-en",
            "KMD",
            "--audience",
            "461,101",
            "--to",
            "2999-01-01",
            "--json",
        ],
    )
    assert added.exit_code == 0, added.output
    made = json.loads(added.output)["messages"][0]
    assert (made["audience"], made["valid_to"], made["created_by"][:4]) == (
        [101, 461],
        "2999-01-01T00:00:00",
        "cli:",
    )

    def active(municipality: int) -> list[int]:
        args = ["messages", "list", "--active", "--municipality", str(municipality), "--json"]
        return [m["message_id"] for m in json.loads(runner.invoke(cli, args).output)["messages"]]

    assert (active(461), active(147)) == ([made["message_id"]], [])
    expired = runner.invoke(cli, ["messages", "expire", str(made["message_id"]), "--json"])
    assert expired.exit_code == 0 and active(461) == []
    with session(load_settings()) as conn:
        log = [(a.role, a.action, a.target) for a in action_rows(conn)]
    assert log == [("cli", "message.expire", "1"), ("cli", "message.create", "1")]


@pytest.mark.parametrize(
    ("args", "kind"),
    [
        (["expire", "7"], "unknown-message"),
        (
            [
                "add",
                "--severity",
                "info",
                "--title-da",
                "a",
                "--title-en",
                "b",
                "--body-da",
                "c",
                "--body-en",
                "d",
                "--audience",
                "461,x",
            ],
            "message-error",
        ),
    ],
    ids=["unknown", "bad-audience"],
)
def test_cli_errors_exit_2_with_one_json_document(
    _isolated_home: Path, args: list[str], kind: str
) -> None:
    result = CliRunner().invoke(cli, ["messages", *args, "--json"])
    assert result.exit_code == 2
    assert json.loads(result.output)["error"]["kind"] == kind
