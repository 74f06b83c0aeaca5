"""The OData feed: consumed with pyodata over a live loopback server; paging, filters, access."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pyodata
import pytest
import requests
import uvicorn
from fastapi.testclient import TestClient
from pyodata.v2.model import Config, ParserError, PolicyIgnore

from flis.api.odata.filter import BadQuery, filter_sql
from tests.api.conftest import KEYFIGURE, OWN, World

V4 = {
    "edmx": "http://docs.oasis-open.org/odata/ns/edmx",
    "edm": "http://docs.oasis-open.org/odata/ns/edm",
}


@pytest.fixture(scope="module")
def base_url(client: TestClient) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(
        client.app, host="127.0.0.1", port=port, lifespan="off", log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}/odata/"
    server.should_exit = True
    thread.join(5)


def _session(world: World, role: str, *, v2: bool = False) -> requests.Session:
    session = requests.Session()
    session.headers.update(world.auth(role))
    if v2:
        session.headers["MaxDataServiceVersion"] = "2.0"
    return session


def test_pyodata_reads_benchmark_values(base_url: str, world: World) -> None:
    config = Config(xml_namespaces=V4, custom_error_policies={ParserError.PROPERTY: PolicyIgnore()})
    service = pyodata.Client(base_url, _session(world, "viewer", v2=True), config=config)
    query = service.entity_sets.BenchmarkValues.get_entities()
    rows = query.filter(f"keyfigure eq '{KEYFIGURE}' and period eq '2025-09'").count(inline=True)
    result = rows.execute()
    assert result.total_count == len(result) >= 98
    assert {r.area_id for r in result} >= {"461", "nation", "region:1084"}


def test_server_paging_covers_every_row(base_url: str, world: World) -> None:
    session = _session(world, "viewer")
    url: str | None = base_url + "BenchmarkValues?$count=true&$select=keyfigure,period,area_id"
    seen: list[tuple[str, str, str]] = []
    count = None
    while url:
        body = session.get(url).json()
        count = body.get("@odata.count", count)
        seen += [(r["keyfigure"], r["period"], r["area_id"]) for r in body["value"]]
        url = body.get("@odata.nextLink")
    assert count is not None and count > 1000
    assert len(seen) == len(set(seen)) == count


def test_filter_orderby_top_skip(base_url: str, world: World) -> None:
    session = _session(world, "viewer")
    query = (
        "BenchmarkValues?$filter=(area_id eq '461' or area_id eq 'nation') and not (value eq null)"
        f" and keyfigure eq '{KEYFIGURE}'&$orderby=period desc,area_id&$top=3&$skip=1"
    )
    rows = session.get(base_url + query).json()["value"]
    assert [(r["period"], r["area_id"]) for r in rows] == [
        ("2025-09", "nation"),
        ("2025-08", "461"),
        ("2025-08", "nation"),
    ]


def test_detail_is_own_municipality_only_and_audited(
    base_url: str, world: World, client: TestClient
) -> None:
    body = _session(world, "analyst").get(base_url + "Detail_residents?$top=50").json()
    assert body["value"] and {r["municipality_code"] for r in body["value"]} == {OWN}
    assert _session(world, "viewer").get(base_url + "Detail_residents").status_code == 403
    assert _session(world, "operator").get(base_url + "Detail_residents").status_code == 403
    audit = client.get("/api/v1/audit", headers=world.auth("operator")).json()
    assert any(a["route"] == "odata/Detail_residents" and a["row_count"] == 50 for a in audit)


def test_metadata_is_xml_and_needs_a_token(base_url: str, world: World) -> None:
    assert requests.get(base_url + "$metadata").status_code == 401
    response = _session(world, "viewer").get(base_url + "$metadata")
    assert response.headers["content-type"].startswith("application/xml")
    assert 'EntitySet Name="BenchmarkValues"' in response.text


@pytest.mark.parametrize(
    "text",
    ["value eq 1; DROP TABLE t", "x eq 1", "value eq", "(value eq 1", "value eq 1 value", "'a' eq"],
)
def test_bad_filters_are_refused(text: str) -> None:
    with pytest.raises(BadQuery):
        filter_sql(text, ["value", "area_id"])


def test_literals_become_parameters() -> None:
    sql, params = filter_sql("area_id eq 'it''s' or not (value ge 2.5)", ["value", "area_id"])
    assert sql == '(("area_id" = ?) OR (NOT ("value" >= ?)))'
    assert params == ["it's", 2.5]
