"""A release publishes who belongs to each comparison group it publishes, and the API answers
a release's benchmark call with the members and ranks that release was computed from."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import frictionless
import pyarrow.parquet as pq
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from flis.access.model import Role
from flis.access.store import create_token
from flis.api.app import create_app
from flis.cli.app import app
from flis.keyfigures.groups import create_group, get_group
from flis.keyfigures.similarity import build_similarity
from flis.published.benchmark_source import ReleaseSource
from flis.published.release_data import PublishedRelease
from flis.release.exports import write_outbox
from flis.release.manifest import Manifest
from flis.release.store import read_manifest, release_dir
from flis.release.subscriptions import Subscription
from flis.settings import Settings
from flis.warehouse.connection import connect

KEYFIGURE, OWN = "borger.andel_0_5", 461  # a citizens figure: similar:citizens:461
SIMILAR = f"similar:citizens:{OWN}"


def _members(home: Settings, release_id: str = "2025-09.1") -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = pq.read_table(
        release_dir(home.home, release_id) / "benchmark/group_members.parquet"
    ).to_pylist()
    return rows


def _by_group(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row["group_id"], []).append(row)
    return out


def test_every_published_group_is_published_with_the_warehouse_members_at_release_time(
    publish: Callable[..., Manifest],
    home_settings: Settings,
    warehouse: Callable[[], duckdb.DuckDBPyConnection],
) -> None:
    manifest = publish("2025-09")
    rows = _members(home_settings)
    folder = release_dir(home_settings.home, "2025-09.1")
    groups = pq.read_table(folder / "benchmark/groups.parquet", columns=["group_id"])
    published = _by_group(rows)
    assert set(published) == set(groups.column("group_id").to_pylist())
    assert {g.split(":")[0] for g in published} == {"nation", "region", "dst", "similar"}
    conn = warehouse()
    for gid, members in published.items():
        group = get_group(conn, gid)
        assert {(r["kind"], r["group_name"], r["area"]) for r in members} == {
            (group.kind, group.name, group.area)
        }, gid
        assert [
            (r["municipality_code"], r["municipality_name"], r["rank"], r["distance"])
            for r in members
        ] == [(m.municipality_code, m.name, m.rank, m.distance) for m in group.members], gid
    assert len(published["nation"]) == 98
    ranks = [r["rank"] for r in published[SIMILAR]]
    assert ranks == list(range(1, 11))  # k = 10, most similar first
    described = next(f for f in manifest.files if f.path == "benchmark/group_members.parquet")
    assert (described.level, described.dataset, described.rows) == (
        "benchmark",
        "group_members",
        len(rows),
    )


def test_rows_are_sorted_by_group_then_rank_then_municipality(
    publish: Callable[..., Manifest], home_settings: Settings
) -> None:
    publish("2025-09")
    rows = _members(home_settings)
    keys = [
        (r["group_id"], r["rank"] is None, r["rank"] or 0, r["municipality_code"]) for r in rows
    ]
    assert keys == sorted(keys)
    assert len(set((r["group_id"], r["municipality_code"]) for r in rows)) == len(rows)
    others = [r for r in rows if r["kind"] != "similar"]
    assert others and all(
        (r["rank"], r["distance"], r["area"]) == (None, None, None) for r in others
    )


def _benchmark(settings: Settings, query: str) -> dict[str, Any]:
    conn = connect(settings)
    try:
        token = create_token(conn, role=Role.viewer, municipality=OWN)
    finally:
        conn.close()
    url = f"/api/v1/benchmark/{OWN}/{KEYFIGURE}?period=2025-09&{query}"
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        response = client.get(url, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_after_groups_are_rebuilt_the_api_shows_the_release_members_and_ranks(
    publish: Callable[..., Manifest], home_settings: Settings
) -> None:
    manifest = publish("2025-09")
    released = _by_group(_members(home_settings))[SIMILAR]
    result = CliRunner().invoke(app, ["groups", "build", "--k", "4"])
    assert result.exit_code == 0, result.output
    conn = connect(home_settings)
    try:
        assert len(get_group(conn, SIMILAR).members) == 4  # the warehouse moved on
    finally:
        conn.close()

    body = _benchmark(home_settings, f"group=similar&as_of={manifest.release_id}")
    assert body["release_id"] == manifest.release_id
    assert body["group"]["group_id"] == SIMILAR
    shown = [(m["municipality_code"], m["neighbour_rank"], m["distance"]) for m in body["members"]]
    assert shown == [(r["municipality_code"], r["rank"], r["distance"]) for r in released]
    assert body["group"]["size"] == len(released) == 10
    assert body["method_version"] == manifest.similar_groups.method_version  # type: ignore[union-attr]


def _without_group_members(settings: Settings) -> PublishedRelease:
    """The release as a release built before ``group_members`` existed: not in its manifest."""
    folder = release_dir(settings.home, "2025-09.1")
    manifest = read_manifest(settings.home, "2025-09.1")
    files = [f for f in manifest.files if f.dataset != "group_members"]
    return PublishedRelease(manifest.model_copy(update={"files": files}), folder)


def test_user_groups_and_older_releases_read_membership_from_the_warehouse(
    publish: Callable[..., Manifest],
    home_settings: Settings,
    warehouse: Callable[[], duckdb.DuckDBPyConnection],
) -> None:
    manifest = publish("2025-09")
    conn = warehouse()
    build_similarity(conn, k=4)
    user = create_group(conn, name="seks-byer", members=[101, 147, OWN])
    current = ReleaseSource(
        PublishedRelease(manifest, release_dir(home_settings.home, "2025-09.1")), conn
    )
    assert len(current.group(SIMILAR).members) == 10  # the release's, not the warehouse's 4
    assert current.group("seks-byer") == user
    older = ReleaseSource(_without_group_members(home_settings), conn)
    assert older.release.groups is None
    assert older.group(SIMILAR) == get_group(conn, SIMILAR)
    assert len(older.group(SIMILAR).members) == 4


def test_exports_carry_the_members_with_danish_headers_and_a_valid_datapackage(
    publish: Callable[..., Manifest], home_settings: Settings, tmp_path: Path
) -> None:
    publish("2025-09")
    source = release_dir(home_settings.home, "2025-09.1")
    # only the members table (and the manifest): validating every benchmark file takes long
    small = tmp_path / "release"
    (small / "benchmark").mkdir(parents=True)
    shutil.copy(source / "release.json", small / "release.json")
    shutil.copy(source / "benchmark/group_members.parquet", small / "benchmark")
    write_outbox(
        release_dir=small,
        outbox_root=tmp_path / "outbox",
        release_id="2025-09.1",
        subscriptions=[Subscription(OWN, "benchmark", ("parquet", "csv", "xlsx"))],
    )
    folder = tmp_path / "outbox" / str(OWN) / "2025-09.1"
    with (folder / "benchmark/group_members.csv").open(encoding="utf-8-sig") as f:
        header = next(csv.reader(f, delimiter=";"))
    assert header == [
        "Gruppe",
        "Gruppetype",
        "Gruppenavn",
        "Område",
        "Kommunekode",
        "Kommune",
        "Rang",
        "Afstand",
    ]
    with (folder / "benchmark/group_members.dictionary.csv").open(encoding="utf-8-sig") as f:
        dictionary = {r["column"]: r for r in csv.DictReader(f, delimiter=";")}
    assert dictionary["rank"]["title_en"] == "Rank"
    assert dictionary["distance"]["description_en"].startswith("Similar groups:")
    assert (folder / "benchmark/group_members.xlsx").is_file()
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    paths = {r["path"] for r in package["resources"]}
    assert {
        "benchmark/group_members.parquet",
        "benchmark/group_members.csv",
        "benchmark/group_members.xlsx",
    } <= paths
    report = frictionless.validate(folder / "datapackage.json")
    assert report.valid, report.flatten(["resourcePath", "type", "note"])
