"""The authorisation matrix: every route × role × own/foreign municipality, exact statuses.

Also: no body, CSV or page seen by a principal of municipality 461 holds a pseudonym of 101.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from flis.release.store import release_dir
from tests.api.conftest import FIRST, FOREIGN, KEYFIGURE, OWN, SECOND, World

ROLES = ["viewer", "analyst", "data-admin", "operator"]
ALL = {r: 200 for r in ROLES}
DETAIL = {"viewer": 403, "analyst": 200, "data-admin": 200, "operator": 403}
DELIVERIES = {"viewer": 403, "analyst": 403, "data-admin": 200, "operator": 200}
OPERATOR = {"viewer": 403, "analyst": 403, "data-admin": 403, "operator": 200}
NOBODY_FOREIGN = {"viewer": 403, "analyst": 403, "data-admin": 403, "operator": 403}

# (route with {m} for the municipality and {d} for one of its deliveries, own, foreign)
ROUTES: list[tuple[str, dict[str, int], dict[str, int]]] = [
    ("/api/v1/me", ALL, ALL),
    ("/api/v1/municipalities", ALL, ALL),
    ("/api/v1/municipalities/{m}", ALL, ALL),
    ("/api/v1/regions", ALL, ALL),
    ("/api/v1/groups", ALL, ALL),
    ("/api/v1/groups/similar:school:{m}", ALL, ALL),
    ("/api/v1/keyfigures?q=skole", ALL, ALL),
    (f"/api/v1/keyfigures/{KEYFIGURE}", ALL, ALL),
    (f"/api/v1/values?keyfigure={KEYFIGURE}&municipality={{m}}&period=2025-09", ALL, ALL),
    (f"/api/v1/values?keyfigure={KEYFIGURE}&format=csv", ALL, ALL),
    (f"/api/v1/values?municipality={{m}}&as_of={FIRST}&format=parquet", ALL, ALL),
    (f"/api/v1/benchmark/{{m}}/{KEYFIGURE}?period=2025-09", ALL, ALL),
    ("/api/v1/institutions?municipality={m}", ALL, ALL),
    (f"/api/v1/changes?since={FIRST}", ALL, ALL),
    ("/api/v1/releases", ALL, ALL),
    (f"/api/v1/releases/{SECOND}", ALL, ALL),
    (f"/api/v1/releases/{SECOND}/datasets/values?format=csv", ALL, ALL),
    (f"/api/v1/releases/{SECOND}/datasets/schools?format=json", ALL, ALL),
    (
        f"/api/v1/releases/{SECOND}/datasets/residents?municipality={{m}}&format=json",
        DETAIL,
        NOBODY_FOREIGN,
    ),
    (
        f"/api/v1/releases/{SECOND}/datasets/pupils?municipality={{m}}&format=csv",
        DETAIL,
        NOBODY_FOREIGN,
    ),
    (f"/api/v1/releases/{FIRST}/datasets/employments?municipality={{m}}", DETAIL, NOBODY_FOREIGN),
    ("/api/v1/deliveries?municipality={m}", DELIVERIES, OPERATOR),
    ("/api/v1/deliveries/{d}", DELIVERIES, OPERATOR),
    ("/api/v1/audit?municipality={m}", OPERATOR, OPERATOR),
    ("/api/v1/subscriptions?municipality={m}", ALL, OPERATOR),
]
CASES = [
    pytest.param(route, role, side, expected[role], id=f"{role}-{side}-{route.split('?')[0]}")
    for route, own, foreign in ROUTES
    for role in ROLES
    for side, expected in (("own", own), ("foreign", foreign))
]
PSEUDONYM = re.compile(rb"[0-9a-f]{16}")


@pytest.fixture(scope="module")
def foreign_pseudonyms(world: World) -> set[bytes]:
    found: set[bytes] = set()
    for rid in (FIRST, SECOND):
        for path in (release_dir(world.settings.home, rid) / "detail" / str(FOREIGN)).glob("*"):
            found |= {p.encode() for p in pq.read_table(path, columns=["person_id"])[0].to_pylist()}
    assert found
    return found


@pytest.mark.parametrize(("route", "role", "side", "status"), CASES)
def test_route_role_municipality(
    client: TestClient,
    world: World,
    foreign_pseudonyms: set[bytes],
    route: str,
    role: str,
    side: str,
    status: int,
) -> None:
    code = OWN if side == "own" else FOREIGN
    url = route.format(m=code, d=world.deliveries[code])
    response = client.get(url, headers=world.auth(role))
    assert response.status_code == status, response.text
    if status != 200:
        assert response.headers["content-type"] == "application/problem+json"
    if role != "operator":  # a principal of 461 never sees a pseudonym of 101
        assert not set(PSEUDONYM.findall(response.content)) & foreign_pseudonyms


MANAGE_SUBSCRIPTIONS = {"viewer": 403, "analyst": 201, "data-admin": 201, "operator": 201}
WRITES = [
    pytest.param(role, side, expected[role], id=f"{role}-{side}")
    for role in ROLES
    for side, expected in (("own", MANAGE_SUBSCRIPTIONS), ("foreign", OPERATOR | {"operator": 201}))
]


@pytest.mark.parametrize(("role", "side", "status"), WRITES)
def test_who_changes_subscriptions(
    client: TestClient, world: World, role: str, side: str, status: int
) -> None:
    code = OWN if side == "own" else FOREIGN
    body = {"dataset": "detail", "formats": ["csv"], "municipality": code}
    made = client.post("/api/v1/subscriptions", json=body, headers=world.auth(role))
    assert made.status_code == status, made.text
    gone = client.delete(
        f"/api/v1/subscriptions/detail?municipality={code}", headers=world.auth(role)
    )
    assert gone.status_code == (200 if status == 201 else 403), gone.text


@pytest.mark.parametrize("route", [r for r, _, _ in ROUTES], ids=lambda r: r.split("?")[0])
def test_every_route_needs_a_token(client: TestClient, world: World, route: str) -> None:
    url = route.format(m=OWN, d=world.deliveries[OWN])
    response = client.get(url)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_a_bad_token_is_refused(client: TestClient) -> None:
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer flis_nope"})
    assert response.status_code == 401


def test_health_and_openapi_are_open(client: TestClient) -> None:
    assert client.get("/health").status_code == 200
    assert client.get("/openapi.json").status_code == 200


OPERATOR_NEW = {**OPERATOR, "operator": 201}
Body = Callable[[dict[str, Any]], dict[str, Any]] | None
# Administration and messages: (method, route, body, own, foreign). In a route or body, {m} is
# the municipality; {user}, {tok}, {msg} and {gone} are a user, a token id, a message and a
# message to delete that belong to it (made by the `targets` fixture); {r} is the role.
ADMIN_ROUTES: list[tuple[str, str, Body, dict[str, int], dict[str, int]]] = [
    ("GET", "/api/v1/messages", None, ALL, ALL),
    ("GET", "/api/v1/admin/users", None, OPERATOR, OPERATOR),
    ("GET", "/api/v1/admin/users/{user}", None, OPERATOR, OPERATOR),
    (
        "POST",
        "/api/v1/admin/users",
        lambda c: {"name": f"matrix-{c['r']}-{c['m']}", "role": "viewer", "municipality": c["m"]},
        OPERATOR_NEW,
        OPERATOR_NEW,
    ),
    ("POST", "/api/v1/admin/users/{user}/disable", None, OPERATOR, OPERATOR),
    ("POST", "/api/v1/admin/users/{user}/enable", None, OPERATOR, OPERATOR),
    ("GET", "/api/v1/admin/tokens?user={user}", None, OPERATOR, OPERATOR),
    ("POST", "/api/v1/admin/tokens", lambda c: {"user": c["user"]}, OPERATOR_NEW, OPERATOR_NEW),
    (
        "POST",
        "/api/v1/admin/tokens",
        lambda c: {"role": "viewer", "municipality": c["m"]},
        OPERATOR_NEW,
        OPERATOR_NEW,
    ),
    ("POST", "/api/v1/admin/tokens/{tok}/revoke", None, OPERATOR, OPERATOR),
    ("GET", "/api/v1/admin/periods", None, OPERATOR, OPERATOR),
    ("POST", "/api/v1/admin/periods/2024-01/close", None, OPERATOR, OPERATOR),
    ("GET", "/api/v1/admin/audit?action=user.create", None, OPERATOR, OPERATOR),
    ("GET", "/api/v1/admin/messages", None, OPERATOR, OPERATOR),
    ("GET", "/api/v1/admin/messages/{msg}", None, OPERATOR, OPERATOR),
    (
        "POST",
        "/api/v1/admin/messages",
        lambda c: {**MESSAGE, "audience": [c["m"]]},
        OPERATOR_NEW,
        OPERATOR_NEW,
    ),
    ("PATCH", "/api/v1/admin/messages/{msg}", lambda c: {"title_en": "x"}, OPERATOR, OPERATOR),
    ("POST", "/api/v1/admin/messages/{msg}/expire", None, OPERATOR, OPERATOR),
    ("DELETE", "/api/v1/admin/messages/{gone}", None, OPERATOR, OPERATOR),
]
MESSAGE = {"severity": "info", "title_da": "a", "title_en": "b", "body_da": "c", "body_en": "d"}
ADMIN_CASES = [
    pytest.param(
        method, route, body, role, side, expected[role], id=f"{role}-{side}-{method}-{route}"
    )
    for method, route, body, own, foreign in ADMIN_ROUTES
    for role in ROLES
    for side, expected in (("own", own), ("foreign", foreign))
]


def _made(response: Any) -> Any:
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture(scope="module")
def targets(client: TestClient, world: World) -> dict[int, dict[str, Any]]:
    """Per municipality: a user with a token, a message for it and one to delete."""
    out: dict[int, dict[str, Any]] = {}
    operator = world.auth("operator")
    for code in (OWN, FOREIGN):
        user = f"matrix-target-{code}"
        body = {"name": user, "role": "analyst", "municipality": code}
        _made(client.post("/api/v1/admin/users", json=body, headers=operator))
        token = _made(client.post("/api/v1/admin/tokens", json={"user": user}, headers=operator))
        message = {**MESSAGE, "audience": [code]}
        msg, gone = (
            _made(client.post("/api/v1/admin/messages", json=message, headers=operator))
            for _ in range(2)
        )
        out[code] = {
            "m": code,
            "user": user,
            "tok": token["token_id"],
            "msg": msg["message_id"],
            "gone": gone["message_id"],
        }
    return out


@pytest.mark.parametrize(("method", "route", "body", "role", "side", "status"), ADMIN_CASES)
def test_admin_route_role_municipality(
    client: TestClient,
    world: World,
    targets: dict[int, dict[str, Any]],
    method: str,
    route: str,
    body: Body,
    role: str,
    side: str,
    status: int,
) -> None:
    context = {**targets[OWN if side == "own" else FOREIGN], "r": role}
    response = client.request(
        method,
        route.format(**context),
        json=body(context) if body else None,
        headers=world.auth(role),
    )
    assert response.status_code == status, response.text
    if status >= 400:
        assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("method", "route"), [(m, r) for m, r, _, _, _ in ADMIN_ROUTES], ids=lambda v: str(v)
)
def test_every_admin_route_needs_a_token(
    client: TestClient, targets: dict[int, dict[str, Any]], method: str, route: str
) -> None:
    response = client.request(method, route.format(**targets[OWN], r="anonymous"))
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_messages_of_another_municipality_never_show(client: TestClient, world: World) -> None:
    operator = world.auth("operator")
    made = {
        code: _made(
            client.post(
                "/api/v1/admin/messages",
                json={**MESSAGE, "title_en": f"only-{code}", "audience": [code]},
                headers=operator,
            )
        )["message_id"]
        for code in (OWN, FOREIGN)
    }

    def seen(headers: dict[str, str]) -> set[int]:
        return {m["message_id"] for m in client.get("/api/v1/messages", headers=headers).json()}

    for role in ("viewer", "analyst", "data-admin"):
        assert made[OWN] in seen(world.auth(role)) and made[FOREIGN] not in seen(world.auth(role))
    assert {made[OWN], made[FOREIGN]} <= seen(operator)
