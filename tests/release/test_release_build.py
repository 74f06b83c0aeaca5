"""Publishing a release: whole folder or none, the manifest, numbering, listing and the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable

import duckdb
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from flis.cli.app import app
from flis.keyfigures.benchmark import benchmark
from flis.keyfigures.catalogue import keyfigures
from flis.release import build as release_build
from flis.release.errors import PeriodClosed
from flis.release.manifest import Manifest
from flis.release.parquet import sha256_file
from flis.release.store import close_period, list_releases, releases_root
from flis.settings import Settings
from flis.warehouse.connection import connect

LEVELS = {"benchmark", "institutions", "detail"}


def test_manifest_lists_every_file_with_schema_rows_and_sha(
    publish: Callable[..., Manifest], home_settings: Settings
) -> None:
    manifest = publish("2025-09")
    folder = releases_root(home_settings.home) / "2025-09.1"
    on_disk = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.parquet") if p.is_file())
    assert (manifest.release_id, manifest.period, manifest.n) == ("2025-09.1", "2025-09", 1)
    assert [f.path for f in manifest.files] == on_disk
    assert {f.level for f in manifest.files} == LEVELS
    for f in manifest.files:
        table = pq.read_table(folder / f.path)
        assert f.sha256 == sha256_file(folder / f.path)
        assert f.rows == table.num_rows
        assert [c.name for c in f.columns] == table.column_names
    assert manifest.inputs and all(len(d.sha256) == 64 for d in manifest.inputs)
    assert manifest.disclosure.threshold == home_settings.disclosure_threshold
    assert manifest.created_at.endswith("Z") and manifest.previous_release is None
    assert json.loads((folder / "release.json").read_text())["release_id"] == "2025-09.1"


def test_benchmark_covers_every_municipality_figure_and_period(
    publish: Callable[..., Manifest],
    home_settings: Settings,
    warehouse: Callable[[], duckdb.DuckDBPyConnection],
) -> None:
    publish("2025-09")
    folder = releases_root(home_settings.home) / "2025-09.1"
    values = pq.read_table(folder / "benchmark/values.parquet")
    stored = (
        warehouse()
        .execute(
            "SELECT count(*), count(DISTINCT municipality_code) FROM keyfigures.value "
            "WHERE period <= '2025-09'"
        )
        .fetchone()
    )
    assert stored == (values.num_rows, 98)
    groups = pq.read_table(folder / "benchmark/groups.parquet")
    assert {g.split(":")[0] for g in groups.column("group_id").to_pylist()} == {
        "nation",
        "region",
        "dst",
        "similar",
    }
    assert max(values.column("period").to_pylist()) == "2025-09"


def test_similar_groups_are_published_as_the_cockpit_computes_them(
    publish: Callable[..., Manifest],
    home_settings: Settings,
    warehouse: Callable[[], duckdb.DuckDBPyConnection],
) -> None:
    publish("2025-09")
    folder = releases_root(home_settings.home) / "2025-09.1"
    rows = [
        r
        for r in pq.read_table(folder / "benchmark/groups.parquet").to_pylist()
        if r["kind"] == "similar" and r["period"] == "2025-09" and r["members"]
    ]
    areas = {kf.id: kf.area for kf in keyfigures().values()}
    assert rows  # (in the tiny world the 5 municipalities are nobody's citizen neighbours)
    assert all(r["group_id"].split(":")[1] == areas[r["keyfigure"]] for r in rows)
    compared = 0
    for row in rows[:: max(1, len(rows) // 40)]:
        code = int(row["group_id"].split(":")[2])
        shown = benchmark(
            warehouse(),
            municipality=code,
            keyfigure=keyfigures()[row["keyfigure"]],
            period="2025-09",
            group=row["group_id"],
        ).group
        assert shown.members == row["members"]
        if row["suppressed"] is None and shown.value is not None:
            assert row["value"] == pytest.approx(shown.value, rel=1e-9)
            compared += 1
    assert compared > 5


def test_a_rebuild_of_the_same_period_is_numbered_two(publish: Callable[..., Manifest]) -> None:
    first, second = publish("2025-09"), publish("2025-09")
    assert (first.release_id, second.release_id) == ("2025-09.1", "2025-09.2")
    assert second.previous_release == "2025-09.1"
    same = {f.path: f.sha256 for f in first.files if f.path != "benchmark/changes.parquet"}
    assert same == {f.path: f.sha256 for f in second.files if f.path in same}


def test_a_failure_mid_build_leaves_no_release_folder(
    publish: Callable[..., Manifest], home_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(release_build, "build_institutions", broken)
    with pytest.raises(OSError, match="disk full"):
        publish("2025-09")
    assert list(releases_root(home_settings.home).iterdir()) == []
    assert list_releases(home_settings.home) == []


def test_a_published_release_is_read_only(
    publish: Callable[..., Manifest], home_settings: Settings
) -> None:
    publish("2025-09")
    folder = releases_root(home_settings.home) / "2025-09.1"
    assert all(not p.stat().st_mode & 0o222 for p in folder.rglob("*") if p.is_file())


def test_a_closed_period_gets_no_new_release(
    publish: Callable[..., Manifest], home_settings: Settings
) -> None:
    publish("2025-08")
    conn = connect(home_settings)
    try:
        assert close_period(conn, home_settings.home, "2025-08")["last_release"] == "2025-08.1"
    finally:
        conn.close()
    with pytest.raises(PeriodClosed):
        publish("2025-08")


def test_cli_release_then_list_show_and_close(home_settings: Settings) -> None:
    runner = CliRunner()
    built = runner.invoke(app, ["release", "--json"])
    assert built.exit_code == 0, built.output
    assert json.loads(built.stdout)["release_id"] == "2025-09.1"
    listed = json.loads(runner.invoke(app, ["releases", "--json"]).stdout)
    assert [r["release_id"] for r in listed["releases"]] == ["2025-09.1"]
    shown = json.loads(runner.invoke(app, ["releases", "show", "2025-09.1", "--json"]).stdout)
    assert shown["period"] == "2025-09" and shown["files"]
    closed = runner.invoke(app, ["releases", "close", "2025-09", "--json"])
    assert json.loads(closed.stdout)["last_release"] == "2025-09.1"
    again = runner.invoke(app, ["release", "2025-09", "--json"])
    assert again.exit_code == 2
    assert json.loads(again.stdout)["error"]["kind"] == "period-closed"


def test_cli_unknown_release_exits_2_saying_so_in_danish(home_settings: Settings) -> None:
    result = CliRunner().invoke(app, ["releases", "show", "2030-01.1"])
    assert result.exit_code == 2
    assert " ".join(result.output.split()) == (
        "Fejl: Ukendt udgivelse: ingen udgivelse '2030-01.1' (`flis releases` viser udgivelserne)"
    )


def test_tables_are_sorted_by_their_keys(
    publish: Callable[..., Manifest], home_settings: Settings
) -> None:
    publish("2025-09")
    folder = releases_root(home_settings.home) / "2025-09.1"
    keys = {
        "benchmark/values.parquet": ["keyfigure", "period", "municipality_code"],
        "benchmark/groups.parquet": ["keyfigure", "period", "group_id"],
        "institutions/schools.parquet": ["owner_municipality", "month", "institution_number"],
    }
    for name, columns in keys.items():
        table = pq.read_table(folder / name, columns=columns)
        rows = list(zip(*(table.column(c).to_pylist() for c in columns), strict=True))
        assert rows == sorted(rows), name


def test_time_is_only_in_the_manifest(
    publish: Callable[..., Manifest], home_settings: Settings
) -> None:
    manifest = publish("2025-09")
    folder = releases_root(home_settings.home) / "2025-09.1"
    stamp = manifest.created_at[:16].encode()
    assert all(stamp not in (folder / f.path).read_bytes() for f in manifest.files)
