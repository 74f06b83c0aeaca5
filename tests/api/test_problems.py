"""Errors are problem+json with a stable type, and never carry paths or stack traces."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import World

CASES = [
    ("/api/v1/values?as_of=2099-01.1", 404, "unknown-release"),
    ("/api/v1/values?keyfigure=no.such", 404, "not-found"),
    ("/api/v1/values?municipality=999", 404, "unknown-area"),
    ("/api/v1/values?limit=0", 422, "invalid-request"),
    ("/api/v1/benchmark/461/borger.andel_0_5?period=1999-01", 404, "unknown-period"),
    ("/api/v1/groups/user:nope", 404, "unknown-group"),
    ("/api/v1/releases/2025-09.1/datasets/nope", 404, "unknown-dataset"),
    ("/api/v1/releases/2025-09.1/datasets/residents", 400, "usage-error"),
    ("/api/v1/no-such-route", 404, "not-found"),
    ("/api/v1/deliveries", 403, "forbidden"),
]


@pytest.mark.parametrize(("url", "status", "kind"), CASES, ids=[c[2] + c[0] for c in CASES])
def test_problem_shape(client: TestClient, world: World, url: str, status: int, kind: str) -> None:
    response = client.get(url, headers=world.auth("analyst"))
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == f"urn:flis:problem:{kind}"
    assert body["status"] == status and body["title"]
    text = response.text
    assert "Traceback" not in text and str(world.settings.home) not in text and "/tmp" not in text


def test_no_release_is_a_problem_with_a_hint(tmp_path: object) -> None:
    from pathlib import Path

    from flis.access.model import Role
    from flis.access.store import create_token
    from flis.api.app import create_app
    from flis.settings import Settings
    from flis.warehouse.connection import connect

    assert isinstance(tmp_path, Path)
    settings = Settings(home=tmp_path / "empty", demo=True)
    conn = connect(settings)
    token = create_token(conn, role=Role.viewer, municipality=461)
    conn.close()
    with TestClient(create_app(settings)) as client:
        response = client.get("/api/v1/values", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404
    assert response.json()["type"] == "urn:flis:problem:no-release"
    assert "flis release" in response.json()["hint"]


def test_a_problem_is_danish_by_default(client: TestClient, world: World) -> None:
    response = client.get("/api/v1/groups/user:nope", headers=world.auth("analyst"))
    assert response.headers["content-language"] == "da"
    body = response.json()
    assert (body["title"], body["detail"]) == (
        "Ukendt gruppe",
        "ukendt sammenligningsgruppe 'user:nope'",
    )
    assert body["hint"].startswith("se `flis groups list`")


def test_a_problem_is_english_when_the_client_asks_for_it(client: TestClient, world: World) -> None:
    headers = {**world.auth("analyst"), "Accept-Language": "en-GB,en;q=0.9,da;q=0.5"}
    response = client.get("/api/v1/groups/user:nope", headers=headers)
    assert response.headers["content-language"] == "en"
    body = response.json()
    assert (body["title"], body["detail"]) == (
        "Unknown group",
        "unknown comparison group 'user:nope'",
    )


@pytest.mark.parametrize(
    ("headers", "status", "title", "detail"),
    [
        ({}, 401, "Ikke logget ind", "en gyldig adgangsnøgle (bearer token) er påkrævet"),
        ({"Accept-Language": "en"}, 401, "Not signed in", "a valid bearer token is required"),
        (
            {"Authorization": "Bearer nope"},
            401,
            "Ikke logget ind",
            "adgangsnøglen er ukendt, udløbet eller spærret",
        ),
    ],
    ids=["missing-da", "missing-en", "unknown-da"],
)
def test_refused_sign_in_says_why_in_the_asked_language(
    client: TestClient, headers: dict[str, str], status: int, title: str, detail: str
) -> None:
    response = client.get("/api/v1/values", headers=headers)
    assert response.status_code == status and response.headers["www-authenticate"] == "Bearer"
    assert (response.json()["title"], response.json()["detail"]) == (title, detail)


def test_refused_access_says_why_in_danish(client: TestClient, world: World) -> None:
    response = client.get("/api/v1/deliveries", headers=world.auth("analyst"))
    assert response.status_code == 403
    body = response.json()
    assert (body["title"], body["detail"], body["hint"]) == (
        "Ingen adgang",
        "leverancer vises for kommunens dataansvarlige og for driften",
        "docs/api.md viser hvad hver rolle må se",
    )


def test_an_invalid_parameter_has_a_title_in_either_language(
    client: TestClient, world: World
) -> None:
    danish = client.get("/api/v1/values?limit=0", headers=world.auth("analyst")).json()
    english = client.get(
        "/api/v1/values?limit=0", headers={**world.auth("analyst"), "Accept-Language": "en"}
    ).json()
    assert (danish["title"], english["title"]) == ("Ugyldig forespørgsel", "Invalid request")
    assert danish["errors"] == english["errors"] and danish["errors"][0]["loc"][-1] == "limit"


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        (None, "da"),
        ("", "da"),
        ("en", "en"),
        ("EN-us", "en"),
        ("da-DK, en;q=0.8", "da"),
        ("da;q=0.4, en;q=0.8", "en"),
        ("en;q=0.5, da;q=0.5", "en"),  # a tie goes to the earlier range
        ("de, en;q=0.1", "en"),
        ("de, fr", "da"),
        ("*", "da"),
        ("da;q=0, *", "en"),
        ("en;q=0", "da"),
        ("en;q=abc, da;q=0.2", "da"),  # a malformed weight drops the range
        ("en;q=1.5", "da"),
    ],
)
def test_accept_language_is_weighed_by_q_values(header: str | None, chosen: str) -> None:
    from flis.api.language import choose_language

    assert choose_language(header) == chosen


def test_the_openapi_problem_schema_documents_its_fields(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"]["Problem"]
    assert "Accept-Language" in schema["description"]
    documented = {name for name, field in schema["properties"].items() if field.get("description")}
    assert documented == {"type", "title", "status", "detail", "hint", "errors"}


@pytest.mark.parametrize(
    ("language", "title", "detail", "hint"),
    [
        (
            None,
            "Ugyldig OData-forespørgsel",
            "$filter forventer eq, ne, gt, ge, lt eller le efter en operand",
            "docs/api.md viser de understøttede OData-forespørgselsparametre",
        ),
        (
            "en",
            "Invalid OData query",
            "$filter expects eq, ne, gt, ge, lt or le after an operand",
            "docs/api.md lists the supported OData query options",
        ),
    ],
    ids=["danish-by-default", "english-when-asked"],
)
def test_a_bad_filter_is_explained_in_the_asked_language(
    client: TestClient, world: World, language: str | None, title: str, detail: str, hint: str
) -> None:
    headers = world.auth("analyst") | ({"Accept-Language": language} if language else {})
    response = client.get("/odata/BenchmarkValues?$filter=value 1", headers=headers)
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "urn:flis:problem:bad-odata-query"
    assert (body["title"], body["detail"], body["hint"]) == (title, detail, hint)
