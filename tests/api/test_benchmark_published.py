"""The benchmark call answers from the published release: an adversary reads no hidden cell.

In the API world the release suppresses ``skole.andel_specialklasse`` for 2025-09 in 101
(secondary), 147 and 751 (primary) and publishes 461. The warehouse still holds the numbers in
clear; every attack below asks the benchmark call for them in another way.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from flis.release.rounding import significant

from .conftest import FIRST, FOREIGN, KEYFIGURE, OWN, SECOND, World

HIDDEN_KF = "skole.andel_specialklasse"
PERIOD = "2025-09"
SECONDARY, PRIMARY = FOREIGN, 147  # suppressed by the release; OWN (461) is published
NUMBER_KEYS = {"value", "numerator", "denominator", "previous_value", "absolute", "relative"}


def bench(client: TestClient, world: World, code: int, query: str) -> dict[str, Any]:
    url = f"/api/v1/benchmark/{code}/{HIDDEN_KF}?period={PERIOD}&{query}"
    response = client.get(url, headers=world.auth("viewer"))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def published(client: TestClient, world: World, keyfigure: str, as_of: str = SECOND) -> list[Any]:
    url = f"/api/v1/values?keyfigure={keyfigure}&period={PERIOD}&as_of={as_of}&limit=1000"
    items: list[Any] = client.get(url, headers=world.auth("viewer")).json()["items"]
    return items


def numbers(node: Any, key: str = "") -> Iterator[float]:
    """Every number in a JSON answer under a key that carries a value or one of its parts."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from numbers(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from numbers(v, key)
    elif isinstance(node, int | float) and not isinstance(node, bool) and key in NUMBER_KEYS:
        yield float(node)


@pytest.fixture(scope="module")
def secrets(client: TestClient, world: World) -> set[float]:
    """The hidden cells' values, numerators and denominators in the warehouse, and the sums a
    user group {OWN, hidden} would reveal them by; less any number the release shows anyway."""
    cursor = client.app.state.flis.cursor()  # type: ignore[attr-defined]
    try:
        rows = cursor.execute(
            "SELECT municipality_code, value, numerator, denominator FROM keyfigures.value "
            "WHERE keyfigure = ? AND period = ? AND municipality_code IN (?, ?, ?)",
            [HIDDEN_KF, PERIOD, OWN, SECONDARY, PRIMARY],
        ).fetchall()
    finally:
        cursor.close()
    cells = {int(code): (value, num, den) for code, value, num, den in rows}
    own_num, own_den = cells[OWN][1], cells[OWN][2]
    found = {x for code in (SECONDARY, PRIMARY) for x in cells[code]}
    for code in (SECONDARY, PRIMARY):  # differencing: the group {OWN, code} against OWN
        num, den = own_num + cells[code][1], own_den + cells[code][2]
        found |= {num, den, 100.0 * num / den}
    shown = set(numbers(published(client, world, HIDDEN_KF)))
    return {x for x in found if not any(_same(x, s) for s in shown)}


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9) or significant(a) == b


def assert_hidden(body: dict[str, Any], secrets: set[float]) -> None:
    leaked = [x for x in numbers(body) for s in secrets if _same(s, x)]
    assert leaked == [], f"hidden cells leaked: {leaked}"


def make_group(client: TestClient, world: World, members: list[int]) -> str:
    name = f"adversary-{uuid.uuid4().hex[:8]}"
    body = {"name": name, "members": members}
    response = client.post("/api/v1/groups", json=body, headers=world.auth("analyst"))
    assert response.status_code == 201, response.text
    return f"user:{name}"


def test_the_release_really_hides_cells_the_warehouse_holds(secrets: set[float]) -> None:
    assert {6.622516556291391, 151.0, 3.225806451612903, 31.0} <= secrets


def test_an_own_suppressed_value_is_null_with_its_flag(
    client: TestClient, world: World, secrets: set[float]
) -> None:
    body = bench(client, world, PRIMARY, "group=region")
    assert (body["value"], body["numerator"], body["denominator"]) == (None, None, None)
    assert body["suppressed"] == "primary"
    assert body["release_id"] == SECOND
    assert body["ranking"]["rank"] is None
    assert "suppressed" in body["change"]["reason"]
    assert_hidden(body, secrets)


def test_members_of_a_group_show_suppressed_values_as_suppressed(
    client: TestClient, world: World, secrets: set[float]
) -> None:
    body = bench(client, world, OWN, "group=nation")
    members = {m["municipality_code"]: m for m in body["members"]}
    assert (members[SECONDARY]["value"], members[SECONDARY]["suppressed"]) == (None, "secondary")
    assert (members[PRIMARY]["value"], members[PRIMARY]["suppressed"]) == (None, "primary")
    assert_hidden(body, secrets)


@pytest.mark.parametrize("group", ["region", "similar", "dst", "nation", "region:1084"])
def test_no_reference_group_reveals_a_hidden_member(
    client: TestClient, world: World, secrets: set[float], group: str
) -> None:
    for code in (OWN, SECONDARY):
        assert_hidden(bench(client, world, code, f"group={group}"), secrets)


def test_a_user_group_over_a_hidden_member_is_suppressed_against_differencing(
    client: TestClient, world: World, secrets: set[float]
) -> None:
    pair = make_group(client, world, [OWN, SECONDARY])
    body = bench(client, world, OWN, f"group={pair}")
    group = body["group"]
    assert (group["value"], group["numerator"], group["denominator"]) == (None, None, None)
    assert (group["suppressed"], group["source"]) == ("member-suppressed", "computed")
    assert body["value"] == 0.0 and body["numerator"] == 0.0  # OWN is published: 0 of 49
    assert_hidden(body, secrets)


def test_a_user_group_of_published_members_is_computed_from_published_numbers(
    client: TestClient, world: World
) -> None:
    codes = [OWN, 751, FOREIGN]
    group = make_group(client, world, codes)
    body = client.get(
        f"/api/v1/benchmark/{OWN}/{KEYFIGURE}?period={PERIOD}&group={group}",
        headers=world.auth("viewer"),
    ).json()
    rows = {
        int(r["area_id"]): r
        for r in published(client, world, KEYFIGURE)
        if r["area_id"] in {str(c) for c in codes}
    }
    assert all(r["suppressed"] is None for r in rows.values())
    num = sum(r["numerator"] for r in rows.values())
    den = sum(r["denominator"] for r in rows.values())
    assert body["group"]["suppressed"] is None
    assert (body["group"]["numerator"], body["group"]["denominator"]) == (num, den)
    assert body["group"]["value"] == pytest.approx(100.0 * num / den, rel=1e-12)


def test_an_older_release_hides_its_cells_too(
    client: TestClient, world: World, secrets: set[float]
) -> None:
    pair = make_group(client, world, [OWN, PRIMARY])
    for query in ("group=nation", "group=region", f"group={pair}"):
        body = bench(client, world, OWN, f"{query}&as_of={FIRST}")
        assert body["release_id"] == FIRST
        assert_hidden(body, secrets)
    own = bench(client, world, SECONDARY, f"group=region&as_of={FIRST}")
    assert (own["value"], own["suppressed"]) == (None, "secondary")


def test_values_and_ranks_equal_the_published_values(client: TestClient, world: World) -> None:
    rows = [r for r in published(client, world, KEYFIGURE) if r["kind"] == "municipality"]
    shown = {int(r["area_id"]): r["value"] for r in rows if r["value"] is not None}
    body = client.get(
        f"/api/v1/benchmark/{OWN}/{KEYFIGURE}?period={PERIOD}&group=nation",
        headers=world.auth("viewer"),
    ).json()
    assert body["value"] == shown[OWN]
    members = {m["municipality_code"]: m["value"] for m in body["members"]}
    assert {c: v for c, v in members.items() if v is not None} == shown
    higher = body["direction"] != "lower_is_better"
    better = [v for v in shown.values() if (v > shown[OWN] if higher else v < shown[OWN])]
    assert (body["ranking"]["rank"], body["ranking"]["of"]) == (len(better) + 1, len(shown))
    assert f"of {len(shown)} published" in body["ranking"]["statement"]


@pytest.fixture
def unreleased_period(client: TestClient) -> Iterator[str]:
    """2025-10 built in the warehouse (a copy of 2025-09) but in no release."""
    cursor = client.app.state.flis.cursor()  # type: ignore[attr-defined]
    copy = "SELECT * REPLACE ('2025-10' AS period) FROM keyfigures.value WHERE period = '2025-09'"
    try:
        cursor.execute(f"INSERT INTO keyfigures.value {copy}")
        yield "2025-10"
    finally:
        cursor.execute("DELETE FROM keyfigures.value WHERE period = '2025-10'")
        cursor.close()


def test_a_period_built_but_not_released_is_refused(
    client: TestClient, world: World, unreleased_period: str
) -> None:
    url = f"/api/v1/benchmark/{OWN}/{KEYFIGURE}?period={unreleased_period}"
    response = client.get(url, headers=world.auth("viewer"))
    assert response.status_code == 404
    problem = response.json()
    assert problem["type"].endswith("unknown-period")
    assert SECOND in problem["hint"] and "2025-09" in problem["hint"]
