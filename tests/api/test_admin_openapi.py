"""The admin and message routes in /openapi.json: documented in docs/api.md, with response
models, and property-tested as an operator (no 5xx, every answer matches the schema)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from flis.api.app import create_app
from tests.api.admin_app import AdminApp, admin_app
from tests.conftest import REPO

MAX_EXAMPLES = 15


def _ours(path: str) -> bool:
    return path.startswith(("/api/v1/admin/", "/api/v1/messages"))


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdminApp]:
    yield from admin_app(tmp_path_factory.mktemp("openapi") / "home")


@pytest.fixture(scope="module")
def spec(app: AdminApp) -> dict[str, Any]:
    document: dict[str, Any] = app.client.get("/openapi.json").json()
    return document


def test_every_admin_and_message_operation_is_in_the_api_docs(spec: dict[str, Any]) -> None:
    text = (REPO / "docs" / "api.md").read_text("utf-8")
    operations = [
        f"{method.upper()} {path.removeprefix('/api/v1')}"
        for path, ops in spec["paths"].items()
        if _ours(path)
        for method in ops
    ]
    assert len(operations) == 18
    assert [op for op in operations if f"`{op}" not in text] == []


def test_every_admin_operation_answers_with_a_named_model(spec: dict[str, Any]) -> None:
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if not _ours(path):
                continue
            ok = op["responses"].get("200") or op["responses"].get("201")
            schema = ok["content"]["application/json"]["schema"]
            ref = schema.get("$ref") or schema.get("items", {}).get("$ref")
            assert ref and ref.startswith("#/components/schemas/"), f"{method} {path}"
            assert "403" in op["responses"], f"{method} {path}"
            conflicts = (method, path) == ("post", "/api/v1/admin/users")
            assert ("409" in op["responses"]) is conflicts, f"{method} {path}"


def test_admin_routes_conform_to_their_schema_as_an_operator(app: AdminApp, tmp_path: Path) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(app.settings))
    headers = app.auth("operator")
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if not _ours(operation.path):
            continue

        @given(case=operation.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
        def conforms(case: schemathesis.Case) -> None:
            # Valid by the schema is not always valid by the rules (unknown users, months):
            # those answers are documented 4xx problems, so that check is left out.
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        conforms()
        checked.append(operation.label)
    assert len(checked) == 18
