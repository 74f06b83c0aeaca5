"""The authorisation matrix: every route × role × own/foreign municipality, exact statuses.

Also: no body, CSV or page seen by a principal of municipality 461 holds a pseudonym of 101.
"""

from __future__ import annotations

import re

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
