"""``make bench``: every performance target, measured, with the figures printed.

Environment:
- FLIS_BENCH_SCALE (default 1.0): world scale, 1.0 is all of Denmark.
- FLIS_BENCH_MONTHS (default 2024-08:2025-07): months of the world the key-figure, benchmark and
  release steps run on (generating and ingesting 12 national months takes about half an hour).
- FLIS_BENCH_DIR (default ./flis-home/bench): scratch folder; results.json is written there.
- FLIS_BENCH_ONLY: comma list of steps to run
  (generate,ingest,keyfigures,benchmark,release,api,cockpit,protection). The protection step
  always uses its own 13-month world at scale 0.05 (bench/protection.py).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from bench import (
    api,
    benchmark_call,
    cockpit,
    generate,
    ingest,
    keyfigures,
    protection,
    release,
)
from bench.common import flis, run_child

ONE_MONTH = "2024-09"


def _prepare_year(root: Path, *, scale: float, months: str) -> Path:
    """Generate and ingest the multi-month world (not measured); return its FLIS_HOME."""
    world, home = root / "year-world", root / "year-home"
    env = {"FLIS_HOME": str(home), "FLIS_DEMO": "1"}
    print(f"preparing {months} at scale {scale} for the key-figure steps (not measured) ...")
    run_child(
        flis(
            "generate",
            "--out",
            str(world),
            "--scale",
            str(scale),
            "--months",
            months,
            "--seed",
            "1",
            "--faults",
            "none",
            "--json",
        )
    )
    run_child(flis("ingest", str(world), "--json"), env=env)
    return home


def main() -> None:
    scale = float(os.environ.get("FLIS_BENCH_SCALE", "1.0"))
    months = os.environ.get("FLIS_BENCH_MONTHS", "2024-08:2025-07")
    only = set(filter(None, os.environ.get("FLIS_BENCH_ONLY", "").split(",")))
    root = Path(os.environ.get("FLIS_BENCH_DIR", "flis-home/bench")).resolve()
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)

    def wanted(step: str) -> bool:
        return not only or step in only

    results: dict[str, Any] = {"scale": scale}
    if wanted("generate") or wanted("ingest"):
        results["generate"] = generate.run(root / "world", scale=scale, month=ONE_MONTH)
    if wanted("ingest"):
        results["ingest"] = ingest.run(root / "world")
    if any(wanted(s) for s in ("keyfigures", "benchmark", "release", "api", "cockpit")):
        home = _prepare_year(root, scale=scale, months=months)
        warehouse = home / "warehouse.duckdb"
        # Later steps need the values and groups, so the key-figure step always runs here.
        results["keyfigures"] = keyfigures.run(warehouse)
        run_child(flis("groups", "build", "--json"), env={"FLIS_HOME": str(home), "FLIS_DEMO": "1"})
        if wanted("benchmark"):
            results["benchmark_call"] = benchmark_call.run(warehouse)
        if wanted("release") or wanted("api") or wanted("cockpit"):
            results["release"] = release.run(home)
        if wanted("api"):
            results["api"] = api.run(home)
        if wanted("cockpit"):
            results["cockpit"] = cockpit.run(home)
    if wanted("protection"):
        results["protection"] = protection.run(protection.prepare(root))
    (root / "results.json").write_text(json.dumps(results, indent=2, default=str))
    print(f"results written to {root / 'results.json'}")


if __name__ == "__main__":
    main()
