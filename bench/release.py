"""Release speed: ``flis release`` for one period, with every export for 10 subscriptions.

Target: under 90 s at --scale 1.0 on the 2-core machine, on a home whose warehouse already holds
the period's deliveries and built key figures. Prints the time per dataset (Parquet, as the
release writes it) and per export format.

``python -m bench.release HOME`` runs it on an existing home folder.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from flis.release.build import release
from flis.release.exports.outbox import write_outbox
from flis.release.publish import outbox_root
from flis.release.store import release_dir
from flis.release.subscriptions import DATASETS, FORMATS, Subscription, add, listing
from flis.settings import load_settings
from flis.warehouse.connection import connect

TARGET_SECONDS = 90.0
SUBSCRIPTIONS = 10


def _subscribe(conn: Any) -> list[Subscription]:
    """Ten subscriptions: the first ten municipalities, cycling through the datasets."""
    codes = [
        int(r[0])
        for r in conn.execute(
            "SELECT municipality_code FROM dim.municipality ORDER BY 1 LIMIT ?", [SUBSCRIPTIONS]
        ).fetchall()
    ]
    for i, code in enumerate(codes):
        add(conn, municipality=code, dataset=DATASETS[i % len(DATASETS)], formats=list(FORMATS))
    return listing(conn)


def _dataset(path: str) -> str:
    """``detail/101/residents.parquet`` → ``detail/residents``."""
    parts = Path(path).with_suffix("").parts
    return f"{parts[0]}/{parts[-1]}" if len(parts) > 1 else parts[0]


def run(home: Path) -> dict[str, Any]:
    """Build one release in ``home`` and export it for 10 subscriptions; return the timings."""
    settings = load_settings(home=home, demo=True)
    conn = connect(settings)
    per_dataset: dict[tuple[str, str], float] = defaultdict(float)
    try:
        subs = _subscribe(conn)
        start = time.perf_counter()
        manifest = release(
            conn,
            settings,
            progress=lambda name, step, sec: per_dataset.__setitem__(
                (_dataset(name), step), per_dataset[(_dataset(name), step)] + sec
            ),
        )
        build_seconds = time.perf_counter() - start
    finally:
        conn.close()
    per_format: dict[str, float] = {}
    folder = release_dir(home, manifest.release_id)
    for fmt in FORMATS:
        only = [Subscription(s.municipality, s.dataset, (fmt,)) for s in subs]
        target = outbox_root(home) / f".bench-{fmt}"
        started = time.perf_counter()
        write_outbox(
            release_dir=folder,
            outbox_root=target,
            release_id=manifest.release_id,
            subscriptions=only,
        )
        per_format[fmt] = round(time.perf_counter() - started, 3)
        shutil.rmtree(target, ignore_errors=True)
    total = build_seconds + sum(per_format.values())
    print(
        f"release {manifest.release_id}: {total:.1f} s with exports for {len(subs)} "
        f"subscriptions (target {TARGET_SECONDS:.0f} s); build {build_seconds:.1f} s"
    )
    for (name, step), seconds in sorted(per_dataset.items()):
        print(f"  {name:32s} {step:8s} {seconds:7.2f} s")
    for fmt, seconds in per_format.items():
        print(f"  exports {fmt:24s} {seconds:7.2f} s")
    return {
        "release_id": manifest.release_id,
        "seconds": round(total, 3),
        "build_seconds": round(build_seconds, 3),
        "per_dataset_seconds": {
            f"{name} {step}": round(v, 3) for (name, step), v in sorted(per_dataset.items())
        },
        "per_format_seconds": per_format,
        "subscriptions": len(subs),
        "files": len(manifest.files),
        "rows": sum(f.rows for f in manifest.files),
        "suppressed": manifest.disclosure.model_dump(),
        "target_seconds": TARGET_SECONDS,
    }


if __name__ == "__main__":
    print(json.dumps(run(Path(sys.argv[1])), indent=2))
