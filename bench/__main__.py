"""``make bench``: every performance target, measured, with the figures printed.

Environment: FLIS_BENCH_SCALE (default 1.0), FLIS_BENCH_DIR (default ./flis-home/bench).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from bench import generate, ingest


def main() -> None:
    scale = float(os.environ.get("FLIS_BENCH_SCALE", "1.0"))
    root = Path(os.environ.get("FLIS_BENCH_DIR", "flis-home/bench")).resolve()
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    results = {"generate": generate.run(root / "world", scale=scale, month="2024-09")}
    results["ingest"] = ingest.run(root / "world")
    (root / "results.json").write_text(json.dumps(results, indent=2))
    print(f"results written to {root / 'results.json'}")


if __name__ == "__main__":
    main()
