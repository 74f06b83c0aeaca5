"""Operators administer users, tokens and closed periods over HTTP; every change is logged."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from flis.api import auth
from tests.api.admin_app import AdminApp, admin_app

ADMIN = "/api/v1/admin"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdminApp]:
    yield from admin_app(tmp_path_factory.mktemp("admin") / "home")


@pytest.fixture(autouse=True)
def _no_token_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Token answers are cached for seconds in production; tests see each change at once."""
    monkeypatch.setattr(auth, "_CACHE_SECONDS", 0.0)


def post(app: AdminApp, path: str, body: dict[str, Any] | None = None) -> Any:
    return app.client.post(ADMIN + path, json=body, headers=app.auth("operator"))


def problem_type(response: Any) -> str:
    assert response.headers["content-type"] == "application/problem+json"
    return str(response.json()["type"]).removeprefix("urn:flis:problem:")


def me(client: TestClient, token: str) -> int:
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code


def test_an_operator_adds_a_user_who_then_is_listed(app: AdminApp) -> None:
    made = post(app, "/users", {"name": "ana", "role": "analyst", "municipality": 461})
    assert made.status_code == 201, made.text
    assert {k: v for k, v in made.json().items() if k != "created_at"} == {
        "name": "ana",
        "role": "analyst",
        "municipality_code": 461,
        "disabled": False,
    }
    listed = app.client.get(f"{ADMIN}/users", headers=app.auth("operator")).json()
    assert "ana" in [u["name"] for u in listed]
    one = app.client.get(f"{ADMIN}/users/ana", headers=app.auth("operator"))
    assert one.json() == made.json()


@pytest.mark.parametrize(
    ("body", "status", "kind"),
    [
        ({"name": "dup", "role": "viewer", "municipality": 461}, 409, "duplicate-user"),
        ({"name": "op2", "role": "operator", "municipality": 461}, 400, "access-error"),
        ({"name": "nomun", "role": "viewer"}, 400, "access-error"),
        ({"name": "far", "role": "viewer", "municipality": 999}, 404, "not-found"),
        ({"name": "bad name", "role": "viewer", "municipality": 461}, 422, "invalid-request"),
        ({"name": "who", "role": "king", "municipality": 461}, 422, "invalid-request"),
    ],
    ids=[
        "duplicate",
        "operator-with-municipality",
        "no-municipality",
        "unknown-municipality",
        "bad-name",
        "bad-role",
    ],
)
def test_a_user_that_cannot_be_added_is_a_problem(
    app: AdminApp, body: dict[str, Any], status: int, kind: str
) -> None:
    post(app, "/users", {"name": "dup", "role": "viewer", "municipality": 461})
    response = post(app, "/users", body)
    assert (response.status_code, problem_type(response)) == (status, kind)


def test_a_disabled_users_token_is_refused_until_the_user_is_enabled(app: AdminApp) -> None:
    post(app, "/users", {"name": "bo", "role": "viewer", "municipality": 101})
    token = post(app, "/tokens", {"user": "bo"}).json()["token"]
    assert me(app.client, token) == 200
    disabled = post(app, "/users/bo/disable")
    assert (disabled.status_code, disabled.json()["disabled"]) == (200, True)
    assert me(app.client, token) == 401
    enabled = post(app, "/users/bo/enable")
    assert (enabled.status_code, enabled.json()["disabled"]) == (200, False)
    assert me(app.client, token) == 200


def test_an_operator_cannot_disable_itself(app: AdminApp) -> None:
    myself = app.client.get("/api/v1/me", headers=app.auth("operator")).json()["user"]
    response = post(app, f"/users/{myself}/disable")
    assert (response.status_code, problem_type(response)) == (400, "access-error")
    assert me(app.client, app.tokens["operator"]) == 200


@pytest.mark.parametrize("action", ["disable", "enable"])
def test_an_unknown_user_is_named(app: AdminApp, action: str) -> None:
    response = post(app, f"/users/nobody/{action}")
    assert (response.status_code, problem_type(response)) == (404, "unknown-user")
    assert response.json()["detail"] == "ingen bruger 'nobody'"  # Danish unless asked otherwise


def test_a_token_is_shown_once_and_listed_without_its_secret(app: AdminApp) -> None:
    post(app, "/users", {"name": "cy", "role": "data-admin", "municipality": 751})
    made = post(app, "/tokens", {"user": "cy", "expires_days": 30})
    assert made.status_code == 201, made.text
    body = made.json()
    token = body.pop("token")
    assert token.startswith("flis_") and body["token_id"] == token[:12]
    assert (body["user_name"], body["role"], body["municipality_code"]) == ("cy", "data-admin", 751)
    assert body["expires_at"] is not None and body["revoked"] is False
    listed = app.client.get(f"{ADMIN}/tokens?user=cy", headers=app.auth("operator"))
    assert listed.json() == [body]
    assert token not in listed.text and token[12:] not in listed.text


def test_a_service_token_gets_its_own_user(app: AdminApp) -> None:
    made = post(app, "/tokens", {"role": "viewer", "municipality": 147}).json()
    assert made["user_name"].startswith("viewer-147-")
    who = app.client.get("/api/v1/me", headers={"Authorization": f"Bearer {made['token']}"})
    assert who.json() == {"user": made["user_name"], "role": "viewer", "municipality": 147}


@pytest.mark.parametrize(
    ("body", "status", "kind"),
    [
        ({"user": "ghost"}, 404, "unknown-user"),
        ({"user": "ana2", "role": "viewer"}, 400, "access-error"),
        ({}, 400, "access-error"),
        ({"role": "viewer", "municipality": 461, "expires_days": 0}, 422, "invalid-request"),
    ],
    ids=["unknown-user", "user-and-role", "nothing", "zero-days"],
)
def test_a_token_that_cannot_be_made_is_a_problem(
    app: AdminApp, body: dict[str, Any], status: int, kind: str
) -> None:
    response = post(app, "/tokens", body)
    assert (response.status_code, problem_type(response)) == (status, kind)


def test_a_revoked_token_is_refused(app: AdminApp) -> None:
    made = post(app, "/tokens", {"role": "analyst", "municipality": 461}).json()
    assert me(app.client, made["token"]) == 200
    revoked = post(app, f"/tokens/{made['token_id']}/revoke")
    assert (revoked.status_code, revoked.json()["revoked"]) == (200, True)
    assert me(app.client, made["token"]) == 401


def test_an_unknown_token_is_named(app: AdminApp) -> None:
    response = post(app, "/tokens/flis_nothing/revoke")
    assert (response.status_code, problem_type(response)) == (404, "unknown-token")


def test_an_operator_closes_a_period_once(app: AdminApp) -> None:
    first = post(app, "/periods/2024-03/close")
    again = post(app, "/periods/2024-03/close")
    assert (first.status_code, first.json()["already_closed"]) == (200, False)
    assert (again.json()["already_closed"], again.json()["closed_at"]) == (
        True,
        first.json()["closed_at"],
    )
    periods = app.client.get(f"{ADMIN}/periods", headers=app.auth("operator")).json()
    assert [p["period"] for p in periods if p["period"] == "2024-03"] == ["2024-03"]


def test_a_period_that_is_no_month_is_a_problem(app: AdminApp) -> None:
    response = post(app, "/periods/2024-13/close")
    assert (response.status_code, problem_type(response)) == (400, "usage-error")


@pytest.fixture
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdminApp]:
    yield from admin_app(tmp_path_factory.mktemp("log") / "home")


def test_every_change_is_in_the_action_log_and_a_refused_one_is_not(fresh: AdminApp) -> None:
    app = fresh
    post(app, "/users", {"name": "dy", "role": "viewer", "municipality": 461})
    post(app, "/users", {"name": "dy", "role": "viewer", "municipality": 461})  # refused
    token = post(app, "/tokens", {"user": "dy"}).json()
    post(app, f"/tokens/{token['token_id']}/revoke")
    post(app, "/users/dy/disable")
    post(app, "/users/dy/enable")
    post(app, "/periods/2024-05/close")
    log = app.client.get(f"{ADMIN}/audit", headers=app.auth("operator"))
    operator = app.client.get("/api/v1/me", headers=app.auth("operator")).json()["user"]
    assert [(a["user_name"], a["role"], a["action"], a["target"]) for a in log.json()] == [
        (operator, "operator", "period.close", "2024-05"),
        (operator, "operator", "user.enable", "dy"),
        (operator, "operator", "user.disable", "dy"),
        (operator, "operator", "token.revoke", token["token_id"]),
        (operator, "operator", "token.create", token["token_id"]),
        (operator, "operator", "user.create", "dy"),
    ]
    created = log.json()[-1]["detail"]
    assert created == {"name": "dy", "role": "viewer", "municipality": 461}
    assert token["token"] not in log.text
    only = app.client.get(f"{ADMIN}/audit?action=user.create", headers=app.auth("operator"))
    assert [a["target"] for a in only.json()] == ["dy"]


@pytest.mark.parametrize("who", ["viewer-461", "analyst-101"])
def test_other_roles_are_refused_and_change_nothing(app: AdminApp, who: str) -> None:
    response = app.client.post(
        f"{ADMIN}/users",
        json={"name": f"sneaky-{who}", "role": "operator"},
        headers=app.auth(who),
    )
    assert (response.status_code, problem_type(response)) == (403, "forbidden")
    missing = app.client.get(f"{ADMIN}/users/sneaky-{who}", headers=app.auth("operator"))
    assert missing.status_code == 404
