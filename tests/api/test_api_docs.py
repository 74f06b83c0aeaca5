"""Every API route is in docs/api.md and in the OpenAPI document with a response model."""

from __future__ import annotations

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from tests.conftest import REPO


def test_every_route_is_documented(client: TestClient) -> None:
    text = (REPO / "docs" / "api.md").read_text("utf-8")
    routes = [r for r in client.app.routes if isinstance(r, APIRoute)]  # type: ignore[attr-defined]
    missing = []
    for route in routes:
        path = route.path.removeprefix("/api/v1")
        head = path.split("/{")[0]
        if head not in text:
            missing.append(route.path)
    assert not missing


def test_every_operation_has_a_200_schema(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            ok = op["responses"].get("200") or op["responses"].get("201")
            assert ok and ok.get("content"), f"{method} {path}"
