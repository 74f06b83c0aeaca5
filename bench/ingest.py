"""Ingest speed: one national month (validate + load all sources) against DuckDB alone.

Targets: under 120 s on the 2-core machine, at most 3x the time DuckDB alone needs to read the
same files into plain tables, peak memory under 6 GB. ``run(world_dir)`` measures both in child
processes; ``python -m bench.ingest plain DIR`` is the DuckDB-alone reader.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections import Counter
from pathlib import Path

from bench.common import flis, run_child

TARGET_SECONDS = 120.0
TARGET_RATIO = 3.0
TARGET_PEAK_MB = 6144.0


def run(world_dir: Path) -> dict[str, object]:
    """Ingest every delivery under ``world_dir`` into a fresh home; compare with DuckDB alone."""
    home = world_dir.parent / "ingest-home"
    shutil.rmtree(home, ignore_errors=True)
    measured = run_child(
        flis("ingest", str(world_dir), "--json"), env={"FLIS_HOME": str(home), "FLIS_DEMO": "1"}
    )
    deliveries = measured.output["deliveries"] if isinstance(measured.output, dict) else []
    statuses = Counter(d["status"] for d in deliveries)
    per_source: Counter[str] = Counter()
    for d in deliveries:
        if d.get("delivery"):
            per_source[d["delivery"]["contract"] or "?"] += d["delivery"]["loaded_rows"]
    rows = sum(per_source.values())
    seconds: Counter[str] = Counter()
    batches = measured.output.get("batches", []) if isinstance(measured.output, dict) else []
    for b in batches:
        seconds[b["contract"]] += b["seconds"]
    plain = run_child([sys.executable, "-m", "bench.ingest", "plain", str(world_dir)])
    ratio = measured.seconds / plain.seconds if plain.seconds else float("inf")
    print(
        f"ingest: {len(deliveries)} files, {rows:,d} rows loaded in {measured.seconds:.1f} s "
        f"({rows / measured.seconds:,.0f} rows/s), peak {measured.peak_mb:.0f} MB "
        f"(targets {TARGET_SECONDS:.0f} s, {TARGET_PEAK_MB:.0f} MB)"
    )
    print(
        "  per source: rows, seconds of its batches (validate + commit; reading overlaps), rows/s"
    )
    for source, count in sorted(per_source.items()):
        took = seconds.get(source, 0.0)
        rate = count / took if took else float("inf")
        print(f"  {source:20s} {count:>10,d} rows  {took:6.1f} s  {rate:>12,.0f} rows/s")
    rest = measured.seconds - sum(seconds.values())
    print(f"  {'start-up, reading ahead':20s} {'':>10s}       {rest:6.1f} s")
    print(
        f"  DuckDB alone reading the same files: {plain.seconds:.1f} s, ratio {ratio:.1f}x "
        f"(target {TARGET_RATIO:.0f}x); statuses {dict(statuses)}"
    )
    return {
        "rows_per_source": dict(per_source),
        "seconds_per_source": {k: round(v, 3) for k, v in seconds.items()},
        "seconds": measured.seconds,
        "peak_mb": measured.peak_mb,
        "rows_loaded": rows,
        "files": len(deliveries),
        "statuses": dict(statuses),
        "duckdb_alone_seconds": plain.seconds,
        "ratio": ratio,
        "targets": {"seconds": TARGET_SECONDS, "ratio": TARGET_RATIO, "peak_mb": TARGET_PEAK_MB},
    }


def plain_read(world_dir: Path) -> dict[str, int]:
    """DuckDB alone: read each contract's files into plain VARCHAR tables (no checks)."""
    import duckdb

    from flis.sources.catalogue import contracts

    conn = duckdb.connect(":memory:")
    counts: dict[str, int] = {}
    for c in contracts().values():
        files = sorted(
            str(p) for p in world_dir.rglob("*") if p.is_file() and c.file_regex.match(p.name)
        )
        if not files:
            continue
        table = c.id.replace("-", "_")
        if c.format == "delimited":
            source = (
                f"read_csv({files!r}, delim=';', header=true, all_varchar=true, "
                "null_padding=true, quote='', escape='')"
            )
        elif c.format == "jsonl":
            source = f"read_json({files!r}, format='newline_delimited')"
        else:
            lines = (
                f"read_csv({files!r}, columns={{'line': 'VARCHAR'}}, delim='\\x01', "
                "header=false, quote='', escape='')"
            )
            rt = c.record_types[0]
            cols = ", ".join(
                f"substr(line, {s + 1}, {e - s}) AS {name}" for name, (s, e) in rt.offsets.items()
            )
            source = f"(SELECT {cols} FROM {lines})"
        conn.execute(f"CREATE TABLE {table} AS SELECT * FROM {source}")
        counts[c.id] = int(conn.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])
    return counts


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "plain":
        print(json.dumps(plain_read(Path(sys.argv[2]))))
    else:
        print(json.dumps(run(Path(sys.argv[1])), indent=2))


if __name__ == "__main__":
    main()
