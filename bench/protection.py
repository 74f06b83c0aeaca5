"""Secondary-suppression speed on the world that made it slow: 13 months at --scale 0.05.

Tiny municipalities give many primary suppressions, so the components of unknown cells the
protector solves grow to hundreds of cells (a 13-month world has a rolling year plus one month).
Before the batch cover and the null-space pruning this release did not finish (its three
protection passes took 18 s, 114 s and more than 4 minutes). Target: the release in under 90 s.

The world is generated, ingested and built without being measured; then one release is built
in this process, timing each protection pass (``flis.release.cells.suppress`` runs ``protect``
again while covered relations leak) and counting the cells each pass suppresses.

``python -m bench.protection HOME`` runs the release part on an existing, built home folder.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import flis, run_child
from flis.release import cells
from flis.release.build import release
from flis.settings import load_settings
from flis.warehouse.connection import connect

TARGET_SECONDS = 90.0
SCALE = 0.05
MONTHS = "2023-10:2024-10"
#: Passes over fewer cells are summed up in one line (the institution tables: one per school).
SMALL_PASS = 1000


def prepare(root: Path) -> Path:
    """Generate, ingest and build the 13-month world (not measured); return its FLIS_HOME."""
    world, home = root / "protection-world", root / "protection-home"
    env = {"FLIS_HOME": str(home), "FLIS_DEMO": "1"}
    print(f"preparing {MONTHS} at scale {SCALE} for the protection step (not measured) ...")
    generate = ["generate", "--out", str(world), "--scale", str(SCALE), "--months", MONTHS]
    run_child(flis(*generate, "--seed", "1", "--faults", "none", "--json"))
    run_child(flis("ingest", str(world), "--json"), env=env)
    run_child(flis("build", "--json"), env=env)
    run_child(flis("groups", "build", "--json"), env=env)
    return home


def run(home: Path) -> dict[str, Any]:
    """Build one release in ``home``, timing every protection pass."""
    passes: list[dict[str, Any]] = []
    protect = cells._protect

    def timed(
        table: cells.Cells, relations: list[cells.Relation], threshold: int, **kw: Any
    ) -> Any:
        started = time.perf_counter()
        flags = protect(table, relations, threshold, **kw)
        passes.append(
            {
                "seconds": round(time.perf_counter() - started, 3),
                "cells": len(table.values),
                "relations": len(relations),
                "primary": sum(why == "primary" for why in flags.values()),
                "secondary": sum(why == "secondary" for why in flags.values()),
            }
        )
        return flags

    settings = load_settings(home=home, demo=True)
    conn = connect(settings)
    cells._protect = timed  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        manifest = release(conn, settings)
        seconds = time.perf_counter() - started
    finally:
        cells._protect = protect  # type: ignore[assignment]
        conn.close()
    protection = sum(p["seconds"] for p in passes)
    print(
        f"release {manifest.release_id} at scale {SCALE}, {MONTHS}: {seconds:.1f} s "
        f"(target {TARGET_SECONDS:.0f} s), protection {protection:.1f} s in {len(passes)} passes"
    )
    small = [p for p in passes if p["cells"] < SMALL_PASS]
    for i, p in enumerate(passes, 1):
        if p["cells"] >= SMALL_PASS:
            print(
                f"  pass {i:4d}: {p['seconds']:7.2f} s  {p['cells']:7d} cells  "
                f"{p['relations']:6d} relations  {p['primary']:5d} primary  "
                f"{p['secondary']:5d} secondary"
            )
    if small:
        print(
            f"  {len(small)} passes over fewer than {SMALL_PASS:,d} cells (one table each, e.g. "
            f"a school's): {sum(p['seconds'] for p in small):.2f} s, "
            f"{sum(p['primary'] for p in small):,d} primary, "
            f"{sum(p['secondary'] for p in small):,d} secondary"
        )
    return {
        "release_id": manifest.release_id,
        "seconds": round(seconds, 3),
        "protection_seconds": round(protection, 3),
        "passes": passes,
        "suppressed": manifest.disclosure.model_dump(),
        "target_seconds": TARGET_SECONDS,
    }


if __name__ == "__main__":
    print(json.dumps(run(Path(sys.argv[1])), indent=2))
