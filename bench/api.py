"""API speed: ``values`` under 32 concurrent clients on loopback, and paging versus Parquet.

``run(home)`` needs a home with at least one published release. It creates a viewer token,
starts ``flis serve`` on a free loopback port, runs the load for up to FLIS_BENCH_API_SECONDS
(default 30) or FLIS_BENCH_API_MAX_REQUESTS (default 500,000), prints throughput and
p50/p95/p99, times downloading the whole benchmark dataset through ``values`` paging and as the
release's Parquet file, and stops the server. ``python -m bench.api HOME`` runs it alone.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from bench.common import flis, run_child

CLIENTS = 32
TARGET_RPS, TARGET_P99_MS = 1500, 25.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(flis("serve", "--port", str(port)), env={**os.environ, **env})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("flis serve did not come up")


def _percentile(sorted_ms: list[float], q: float) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, int(q * len(sorted_ms)))] if sorted_ms else 0.0


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    """One keep-alive HTTP/1.1 GET on an open connection; returns the status code."""
    writer.write(request)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return int(head.split(b" ", 2)[1])


async def _load(
    port: int, path: str, headers: dict[str, str], seconds: float, max_requests: int
) -> dict[str, Any]:
    """32 clients, each on its own keep-alive connection (light client: measures the server)."""
    latencies: list[float] = []
    errors = 0
    lines = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{lines}\r\n".encode()
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.perf_counter() < deadline and len(latencies) + errors < max_requests:
                start = time.perf_counter()
                try:
                    ok = await _get(reader, writer, request) == 200
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    ok = False
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                if ok:
                    latencies.append((time.perf_counter() - start) * 1000)
                else:
                    errors += 1
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(CLIENTS)))
    elapsed = time.perf_counter() - start
    ms = sorted(latencies)
    return {
        "requests": len(latencies) + errors,
        "errors": errors,
        "seconds": round(elapsed, 2),
        "rps": round((len(latencies) + errors) / elapsed, 1),
        "p50_ms": round(_percentile(ms, 0.50), 2),
        "p95_ms": round(_percentile(ms, 0.95), 2),
        "p99_ms": round(_percentile(ms, 0.99), 2),
    }


def _downloads(base: str, headers: dict[str, str], release_id: str) -> dict[str, Any]:
    with httpx.Client(headers=headers, timeout=120) as http:
        start = time.perf_counter()
        url: str | None = f"{base}/api/v1/values?limit=100000"
        rows = 0
        while url:
            body = http.get(url).json()
            rows += len(body["items"])
            url = body["next"]
        paging = time.perf_counter() - start
        start = time.perf_counter()
        parquet = http.get(f"{base}/api/v1/releases/{release_id}/datasets/values?format=parquet")
        direct = time.perf_counter() - start
    return {
        "paging_rows": rows,
        "paging_seconds": round(paging, 3),
        "parquet_bytes": len(parquet.content),
        "parquet_seconds": round(direct, 3),
    }


def run(home: Path) -> dict[str, Any]:
    env = {"FLIS_HOME": str(home), "FLIS_DEMO": "1"}
    token = run_child(
        flis("tokens", "create", "--role", "viewer", "--municipality", "461", "--json"), env=env
    ).output["token"]
    headers = {"Authorization": f"Bearer {token}"}
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = _start(env, port)
    try:
        latest = httpx.get(f"{base}/api/v1/releases", headers=headers).json()[-1]
        kf = httpx.get(f"{base}/api/v1/values?limit=1", headers=headers).json()["items"][0]
        path = f"/api/v1/values?keyfigure={kf['keyfigure']}&period={latest['period']}"
        seconds = float(os.environ.get("FLIS_BENCH_API_SECONDS", "30"))
        max_requests = int(os.environ.get("FLIS_BENCH_API_MAX_REQUESTS", "500000"))
        load = asyncio.run(_load(port, path, headers, seconds, max_requests))
        downloads = _downloads(base, headers, latest["release_id"])
    finally:
        proc.terminate()
        proc.wait(10)
    ok = load["rps"] >= TARGET_RPS and load["p99_ms"] <= TARGET_P99_MS and load["errors"] == 0
    print(
        f"api values: {load['rps']} req/s over {load['seconds']} s with {CLIENTS} clients, "
        f"p50 {load['p50_ms']} ms, p95 {load['p95_ms']} ms, p99 {load['p99_ms']} ms, "
        f"{load['errors']} errors (target >= {TARGET_RPS} req/s, p99 <= {TARGET_P99_MS} ms: "
        f"{'met' if ok else 'NOT met'})"
    )
    print(
        f"whole benchmark dataset: values paging {downloads['paging_seconds']} s "
        f"({downloads['paging_rows']} rows) vs Parquet file {downloads['parquet_seconds']} s "
        f"({downloads['parquet_bytes']} bytes)"
    )
    return {"load": load, "downloads": downloads, "target_met": ok}


if __name__ == "__main__":
    print(json.dumps(run(Path(sys.argv[1]).resolve()), indent=2))
