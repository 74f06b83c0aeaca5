"""A release records the similar groups it was built on, and refuses stale ones."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from flis.cli.app import app
from flis.ingest.pipeline import ingest_paths
from flis.keyfigures.build import build
from flis.release.manifest import Manifest, SimilarGroups
from flis.release.store import read_manifest, releases_root
from flis.settings import Settings
from flis.warehouse.connection import connect


def _members_sha256(conn: duckdb.DuckDBPyConnection) -> str:
    rows = conn.execute(
        "SELECT group_id, municipality_code FROM keyfigures.group_member "
        "WHERE group_id LIKE 'similar:%' ORDER BY group_id, municipality_code"
    ).fetchall()
    return hashlib.sha256("".join(f"{g}\t{c}\n" for g, c in rows).encode()).hexdigest()


def test_the_manifest_records_the_similar_groups_month_k_and_membership(
    publish: Callable[..., Manifest], warehouse: Callable[[], duckdb.DuckDBPyConnection]
) -> None:
    manifest = publish("2025-09")
    conn = warehouse()
    [(version,)] = conn.execute(
        "SELECT DISTINCT method_version FROM keyfigures.\"group\" WHERE kind = 'similar'"
    ).fetchall()
    assert manifest.similar_groups == SimilarGroups(
        method_version=version,
        month="2025-09",
        k=10,
        groups=98 * 4,
        members_sha256=_members_sha256(conn),
    )


def _rewrite(path: Path, change: Callable[[dict[str, object]], None]) -> None:
    data = json.loads(path.read_text("utf-8"))
    change(data)
    path.chmod(0o644)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_an_old_manifest_without_similar_groups_still_loads(
    publish: Callable[..., Manifest], home_settings: Settings
) -> None:
    publish("2025-09")
    path = releases_root(home_settings.home) / "2025-09.1/release.json"
    _rewrite(path, lambda data: data.pop("similar_groups"))
    old = read_manifest(home_settings.home, "2025-09.1")
    assert old.similar_groups is None and "similar_groups" not in old.model_fields_set
    _rewrite(path, lambda data: data.update(similar_groups=None))  # no CPR data, no groups
    none = read_manifest(home_settings.home, "2025-09.1")
    assert none.similar_groups is None and "similar_groups" in none.model_fields_set


def test_a_release_after_a_cpr_redelivery_is_refused_until_the_groups_are_rebuilt(
    publish: Callable[..., Manifest], home_settings: Settings, corrected_cpr: Path
) -> None:
    first = publish("2025-09")
    [outcome] = ingest_paths([corrected_cpr], settings=home_settings)
    assert outcome.status == "accepted"
    conn = connect(home_settings)
    try:
        build(conn)  # key figures rebuilt, similar groups forgotten
    finally:
        conn.close()
    runner = CliRunner()
    refused = runner.invoke(app, ["release", "2025-09", "--json"])
    assert refused.exit_code == 2, refused.output
    error = json.loads(refused.stdout)["error"]
    assert error["kind"] == "stale-groups"
    assert "deliveries received since changed the structural variables" in error["message"]
    assert "leverancer modtaget siden" in error["message_da"]
    assert error["hint"] == "run `flis groups build`, then `flis release` again"
    assert error["hint_da"] == "kør `flis groups build` og derefter `flis release` igen"
    assert not (releases_root(home_settings.home) / "2025-09.2").exists()

    assert runner.invoke(app, ["groups", "build"]).exit_code == 0
    released = runner.invoke(app, ["release", "2025-09", "--json"])
    assert released.exit_code == 0, released.output
    second = read_manifest(home_settings.home, "2025-09.2")
    assert first.similar_groups and second.similar_groups
    assert second.similar_groups.method_version != first.similar_groups.method_version
