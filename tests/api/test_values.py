"""Values: paging completeness, formats, groups as areas, as-of and the change feed."""

from __future__ import annotations

import io

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from fastapi.testclient import TestClient

from flis.release.store import release_dir
from tests.api.conftest import FIRST, FOREIGN, KEYFIGURE, SECOND, World


def _all_pages(client: TestClient, world: World, url: str) -> tuple[int, list[dict[str, object]]]:
    items: list[dict[str, object]] = []
    body = client.get(url, headers=world.auth("viewer")).json()
    total = body["total"]
    while True:
        items += body["items"]
        if body["next"] is None:
            return total, items
        body = client.get(body["next"], headers=world.auth("viewer")).json()


def test_pages_add_up_to_the_total_and_the_whole_dataset(client: TestClient, world: World) -> None:
    total, items = _all_pages(client, world, "/api/v1/values?limit=997")
    published = release_dir(world.settings.home, SECOND) / "benchmark"
    expected = pq.read_table(published / "values.parquet").num_rows
    expected += pq.read_table(published / "groups.parquet").num_rows
    assert len(items) == total == expected
    assert len({(i["keyfigure"], i["period"], i["area_id"]) for i in items}) == total


def test_one_keyfigure_all_municipalities_one_period(client: TestClient, world: World) -> None:
    url = f"/api/v1/values?keyfigure={KEYFIGURE}&period=2025-09"
    body = client.get(url, headers=world.auth("viewer")).json()
    kinds = [i["kind"] for i in body["items"]]
    assert kinds.count("municipality") == 98
    assert {"nation", "region", "dst"} <= set(kinds)


def test_a_group_id_returns_the_declared_aggregate_with_members(
    client: TestClient, world: World
) -> None:
    url = f"/api/v1/values?keyfigure={KEYFIGURE}&period=2025-09&municipality=region:1084,nation"
    items = client.get(url, headers=world.auth("viewer")).json()["items"]
    assert [(i["area_id"], i["kind"]) for i in items] == [
        ("nation", "nation"),
        ("region:1084", "region"),
    ]
    assert all(isinstance(i["members"], int) and i["members"] >= 1 for i in items)


def test_csv_and_parquet_hold_the_same_rows_as_json(client: TestClient, world: World) -> None:
    url = f"/api/v1/values?keyfigure={KEYFIGURE}"
    as_json = client.get(url + "&limit=100000", headers=world.auth("viewer")).json()
    csv = client.get(url + "&format=csv", headers=world.auth("viewer"))
    parquet = client.get(url + "&format=parquet", headers=world.auth("viewer"))
    assert csv.headers["content-type"].startswith("text/csv")
    from_csv = pacsv.read_csv(io.BytesIO(csv.content))
    from_parquet = pq.read_table(io.BytesIO(parquet.content))
    assert from_csv.num_rows == from_parquet.num_rows == as_json["total"]
    assert from_parquet.column("area_id").to_pylist() == [i["area_id"] for i in as_json["items"]]


def _value(client: TestClient, world: World, url: str) -> dict[tuple[str, str], object]:
    items = client.get(url, headers=world.auth("viewer")).json()["items"]
    return {(i["keyfigure"], i["area_id"]): (i["value"], i["value_status"]) for i in items}


def test_as_of_answers_as_published_then(client: TestClient, world: World) -> None:
    url = f"/api/v1/values?municipality={FOREIGN}&period=2025-09&limit=100000"
    now = _value(client, world, url)
    then = _value(client, world, url + f"&as_of={FIRST}")
    body = client.get(url + f"&as_of={FIRST}", headers=world.auth("viewer")).json()
    assert body["release_id"] == FIRST
    assert now != then
    assert {s for _, s in then.values()} == {"preliminary"}


def test_changes_since_the_first_release_list_the_revised_values(
    client: TestClient, world: World
) -> None:
    body = client.get(
        f"/api/v1/changes?since={FIRST}&limit=100000", headers=world.auth("viewer")
    ).json()
    assert body["since"] == FIRST and body["release_id"] == SECOND
    assert body["total"] == len(body["items"]) > 0
    municipal = [i for i in body["items"] if i["kind"] == "municipality"]
    assert {i["area_id"] for i in municipal} == {str(FOREIGN)}
    assert {i["change"] for i in municipal} <= {"revised", "new", "removed"}
    assert any(i["old_value"] != i["new_value"] for i in municipal if i["change"] == "revised")
    empty = client.get(f"/api/v1/changes?since={SECOND}", headers=world.auth("viewer")).json()
    assert empty["total"] == 0
