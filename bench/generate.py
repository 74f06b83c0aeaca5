"""Generator speed: one national month at --scale 1.0 (target < 90 s, < 4 GB)."""

from __future__ import annotations

from pathlib import Path

from bench.common import flis, run_child


def run(out: Path, *, scale: float, month: str) -> dict[str, object]:
    measured = run_child(
        flis(
            "generate",
            "--out",
            str(out),
            "--scale",
            str(scale),
            "--months",
            month,
            "--seed",
            "1",
            "--faults",
            "none",
            "--json",
        )
    )
    per = measured.output["per_contract"]
    rows = {k: v["records"] for k, v in per.items()}
    print(
        f"generate: one month at scale {scale}: {measured.seconds:.1f} s, "
        f"peak {measured.peak_mb:.0f} MB (targets 90 s, 4096 MB)"
    )
    for contract, count in rows.items():
        print(f"  {contract:20s} {count:>10,d} rows  {count / measured.seconds:>12,.0f} rows/s")
    total = sum(rows.values())
    print(f"  {'all':20s} {total:>10,d} rows  {total / measured.seconds:>12,.0f} rows/s")
    return {"seconds": measured.seconds, "peak_mb": measured.peak_mb, "rows": rows}
