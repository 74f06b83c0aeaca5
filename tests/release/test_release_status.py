"""Value status (preliminary, revised, final) and the change log after a re-delivery."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq

from flis.ingest.pipeline import ingest_paths
from flis.release.manifest import Manifest
from flis.release.store import close_period, releases_root
from flis.settings import Settings
from flis.warehouse.connection import connect
from tests.release.conftest import rebuild_keyfigures


def _values(settings: Settings, release_id: str) -> dict[tuple[str, str, int], tuple[object, str]]:
    table = pq.read_table(releases_root(settings.home) / release_id / "benchmark/values.parquet")
    rows = zip(
        *(table.column(c).to_pylist() for c in ("keyfigure", "period", "municipality_code")),
        table.column("value").to_pylist(),
        table.column("value_status").to_pylist(),
        strict=True,
    )
    return {(k, p, m): (v, s) for k, p, m, v, s in rows}


def _redeliver(settings: Settings, path: Path) -> None:
    [outcome] = ingest_paths([path], settings=settings)
    assert outcome.status == "accepted", outcome.to_dict()
    rebuild_keyfigures(settings)


def test_first_release_is_preliminary_and_all_added(
    publish: Callable[..., Manifest], home_settings: Settings
) -> None:
    manifest = publish("2025-09")
    assert manifest.value_status["revised"] == manifest.value_status["final"] == 0
    published = sum(v is not None for v, _ in _values(home_settings, "2025-09.1").values())
    values_added = pq.read_table(
        releases_root(home_settings.home) / "2025-09.1/benchmark/changes.parquet",
        filters=[("unit", "=", "municipality")],
    )
    assert values_added.num_rows == published
    assert set(values_added.column("change").to_pylist()) == {"added"}


def test_a_redelivery_revises_the_changed_values_only(
    publish: Callable[..., Manifest], home_settings: Settings, corrected_cpr: Path
) -> None:
    publish("2025-09")
    _redeliver(home_settings, corrected_cpr)
    second = publish("2025-09")
    before, after = _values(home_settings, "2025-09.1"), _values(home_settings, "2025-09.2")
    changed = {k for k in after if after[k][0] != before[k][0]}
    assert changed, "the corrected CPR delivery should change 101's citizen figures"
    assert {k[1:] for k in changed} == {("2025-09", 101)}
    assert all(after[k][1] == "revised" for k in changed)
    assert all(after[k][1] == "preliminary" for k in after if k not in changed)
    counts = {c.keyfigure: c for c in second.changes}
    assert sum(c.changed + c.added + c.removed for c in counts.values()) >= len(changed)
    assert all(k[0] in counts for k in changed)
    log = pq.read_table(releases_root(home_settings.home) / "2025-09.2/benchmark/changes.parquet")
    municipal = log.filter(pc.equal(log.column("unit"), "municipality"))
    assert {(r["keyfigure"], r["period"], int(r["unit_id"])) for r in municipal.to_pylist()} == (
        changed
    )


def test_revised_stays_revised_and_closing_makes_values_final(
    publish: Callable[..., Manifest], home_settings: Settings, corrected_cpr: Path
) -> None:
    publish("2025-09")
    _redeliver(home_settings, corrected_cpr)
    publish("2025-09")
    conn = connect(home_settings)
    try:
        close_period(conn, home_settings.home, "2025-08")
    finally:
        conn.close()
    third = publish("2025-09")
    values = _values(home_settings, "2025-09.3")
    second = _values(home_settings, "2025-09.2")
    assert {s for k, (_, s) in values.items() if k[1] == "2025-08"} == {"final"}
    revised = {k for k, (_, s) in second.items() if s == "revised"}
    assert revised and all(values[k][1] == "revised" for k in revised)
    assert third.closed_periods == ["2025-08"]
    schools = pq.read_table(
        releases_root(home_settings.home) / "2025-09.3/institutions/schools.parquet"
    ).to_pylist()
    assert {r["value_status"] for r in schools if r["month"] == "2025-08"} == {"final"}
    assert {r["value_status"] for r in schools if r["month"] == "2025-09"} == {"preliminary"}
    assert third.changes == []
