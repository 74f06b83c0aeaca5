"""Reproducibility: a release rebuilt from its recorded deliveries has the same bytes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flis.cli.app import app
from flis.ingest.pipeline import ingest_paths
from flis.ingest.pseudonym import record_scheme
from flis.keyfigures.similarity import build_similarity
from flis.release.build import release
from flis.release.manifest import Manifest
from flis.release.store import releases_root
from flis.release.verify import verify
from flis.settings import Settings
from flis.warehouse.connection import connect
from tests.release.conftest import rebuild_keyfigures


@pytest.mark.slow
def test_verify_rebuilds_identically_and_then_catches_a_tampered_file(
    publish: Callable[..., Manifest], home_settings: Settings
) -> None:
    publish("2025-08")
    manifest = publish("2025-09")
    report = verify("2025-09.1", settings=home_settings)
    assert report.identical, report.differences
    assert report.files_checked == len(manifest.files)
    assert "benchmark/group_members.parquet" in {f.path for f in manifest.files}
    assert report.inputs == len(manifest.inputs)

    target = releases_root(home_settings.home) / "2025-09.1/institutions/schools.parquet"
    target.chmod(0o644)
    target.write_bytes(target.read_bytes() + b"\0")
    result = CliRunner().invoke(app, ["releases", "verify", "2025-09.1", "--json"])
    assert result.exit_code == 1, result.output
    tampered = json.loads(result.stdout)
    assert not tampered["identical"]
    [difference] = tampered["differences"]
    assert difference["path"] == "institutions/schools.parquet"
    assert difference["rebuilt"] == difference["manifest"] != difference["published"]


def test_verify_refuses_when_a_delivery_left_the_landing_area(
    publish: Callable[..., Manifest], home_settings: Settings
) -> None:
    manifest = publish("2025-09")
    sha = manifest.inputs[0].sha256
    landed = home_settings.home / "landing" / sha[:2] / sha
    landed.chmod(0o644)
    landed.unlink()
    result = CliRunner().invoke(app, ["releases", "verify", "2025-09.1"])
    assert result.exit_code == 2
    assert "mangler i modtageområdet" in result.output  # Danish by default
    english = CliRunner().invoke(
        app, ["releases", "verify", "2025-09.1"], env={"FLIS_LANGUAGE": "en"}
    )
    assert english.exit_code == 2
    assert "missing from the landing area" in english.output


@pytest.mark.slow
def test_a_release_on_groups_with_another_k_and_month_verifies_identical(
    publish: Callable[..., Manifest], home_settings: Settings
) -> None:
    conn = connect(home_settings)
    try:
        build_similarity(conn, k=4, month="2025-08")
    finally:
        conn.close()
    manifest = publish("2025-09")
    assert manifest.similar_groups is not None
    assert (manifest.similar_groups.k, manifest.similar_groups.month) == (4, "2025-08")
    report = verify("2025-09.1", settings=home_settings)
    assert report.identical, report.differences


@pytest.mark.slow
def test_verify_reports_a_group_membership_the_rebuild_does_not_reproduce(
    publish: Callable[..., Manifest], home_settings: Settings
) -> None:
    manifest = publish("2025-09")
    assert manifest.similar_groups is not None
    real = manifest.similar_groups.members_sha256
    path = releases_root(home_settings.home) / "2025-09.1/release.json"
    data = json.loads(path.read_text("utf-8"))
    data["similar_groups"]["members_sha256"] = "0" * 64
    path.chmod(0o644)
    path.write_text(json.dumps(data), encoding="utf-8")

    result = CliRunner().invoke(app, ["releases", "verify", "2025-09.1", "--json"])
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["differences"] == [
        {
            "path": "release.json#similar_groups",
            "manifest": "0" * 64,
            "published": "0" * 64,
            "rebuilt": real,
            "detail": f"similar groups differ: members_sha256 {'0' * 64} → {real}",
        }
    ]


@pytest.mark.slow
def test_a_release_records_its_person_key_scheme_and_verify_keys_with_it(
    world: tuple[Path, Path],
    publish: Callable[..., Manifest],
    home_settings: Settings,
    tmp_path: Path,
) -> None:
    """A warehouse keyed with HMAC-SHA256 (from before AES-CMAC) verifies identical with it;
    told the other scheme, the rebuilt detail pseudonyms differ."""
    assert publish("2025-09").person_key_scheme == "aes-cmac"
    legacy = Settings(home=tmp_path / "legacy", demo=True)
    conn = connect(legacy)
    record_scheme(conn, "hmac-sha256")
    conn.close()
    ingest_paths([world[0]], settings=legacy)
    rebuild_keyfigures(legacy)
    conn = connect(legacy)
    try:
        manifest = release(conn, legacy, "2025-09")
    finally:
        conn.close()
    assert manifest.person_key_scheme == "hmac-sha256"
    assert verify("2025-09.1", settings=legacy).identical

    path = releases_root(legacy.home) / "2025-09.1/release.json"
    data = json.loads(path.read_text("utf-8"))
    data["person_key_scheme"] = "aes-cmac"
    path.chmod(0o644)
    path.write_text(json.dumps(data), encoding="utf-8")
    report = verify("2025-09.1", settings=legacy)
    assert not report.identical
    assert {d["path"].split("/")[0] for d in report.differences} == {"detail"}
