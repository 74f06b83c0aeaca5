"""Every API route is in docs/api.md and in the OpenAPI document with a response model."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import REPO


def test_every_route_is_documented(client: TestClient) -> None:
    text = (REPO / "docs" / "api.md").read_text("utf-8")
    paths = list(client.get("/openapi.json").json()["paths"])
    assert len(paths) > 20, "the OpenAPI document lists the API's routes"
    missing = [p for p in paths if p.removeprefix("/api/v1").split("/{")[0] not in text]
    assert not missing


def test_every_operation_has_a_200_schema(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            ok = op["responses"].get("200") or op["responses"].get("201")
            assert ok and ok.get("content"), f"{method} {path}"
