"""Property tests against /openapi.json: no 5xx and every answer matches the schema."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from flis.api.app import create_app
from tests.api.conftest import World

MAX_EXAMPLES = 12


def test_api_conforms_to_its_schema(world: World) -> None:
    # Its own app: schemathesis runs the app's lifespan per call, which closes the warehouse.
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(world.settings))
    headers = world.auth("analyst")
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
        def conforms(case: schemathesis.Case) -> None:
            # Business rules (known member codes, published periods) are not all in the schema:
            # a schema-valid request may still be a 400/404, so that check is left out.
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        conforms()
        checked.append(operation.label)
    assert len(checked) >= 20
