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
