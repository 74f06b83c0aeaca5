"""Cockpit speed: milliseconds from navigation to the first drawn chart, in headless chromium.

``run(home)`` needs a home with a published release (the API step's world). It adds an analyst
of Odense (461) with a password, starts ``flis serve`` on a free loopback port, signs in with
Debian's chromium (Playwright, ``/usr/bin/chromium``), and loads the overview and a key-figure
page FLIS_BENCH_COCKPIT_LOADS times each (default 5): the first load is cold (release read into
memory, nothing cached), the rest warm. It prints the cold time and the median of the warm ones
against the 1 s target (``performance.mark("flis:chart-drawn")``, docs/cockpit.md).
``python -m bench.cockpit HOME`` runs it alone.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.api import _free_port, _start
from bench.common import VENV_BIN

TARGET_MS = 1000.0
KEYFIGURE = "skole.elevfravaer"
USER, PASSWORD = "bench-cockpit", "bench-cockpit-password"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = {"overview": "/cockpit/", "keyfigure": f"/cockpit/keyfigures/{KEYFIGURE}"}


def _add_user(env: dict[str, str]) -> None:
    args = [str(VENV_BIN / "flis"), "users", "add", USER, "--role", "analyst"]
    args += ["--municipality", "461", "--password-stdin", "--json"]
    subprocess.run(
        args,
        input=PASSWORD + "\n",
        text=True,
        check=True,
        capture_output=True,
        env={**os.environ, **env},
    )


def _chart_ms(page: Any, url: str) -> float:
    page.goto(url)
    page.wait_for_function(
        "() => performance.getEntriesByName('flis:chart-drawn').length > 0", timeout=30_000
    )
    found: float = page.evaluate(
        "() => performance.getEntriesByName('flis:chart-drawn')[0].startTime"
    )
    return round(found, 1)


def _measure(base: str, loads: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(f"{base}/cockpit/signin")
        page.fill("#username", USER)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/cockpit/")
        times = {
            name: [_chart_ms(page, base + path) for _ in range(loads)]
            for name, path in PAGES.items()
        }
        browser.close()
    return times


def run(home: Path) -> dict[str, Any]:
    env = {"FLIS_HOME": str(home), "FLIS_DEMO": "1"}
    _add_user(env)
    port = _free_port()
    proc = _start(env, port)
    try:
        times = _measure(
            f"http://127.0.0.1:{port}", int(os.environ.get("FLIS_BENCH_COCKPIT_LOADS", "5"))
        )
    finally:
        proc.terminate()
        proc.wait(10)
    result: dict[str, Any] = {"target_ms": TARGET_MS}
    for name, ms in times.items():
        warm = round(statistics.median(ms[1:]), 1) if len(ms) > 1 else ms[0]
        ok = warm < TARGET_MS
        result[name] = {"cold_ms": ms[0], "warm_median_ms": warm, "all_ms": ms, "target_met": ok}
        print(
            f"cockpit {name}: first chart drawn {ms[0]} ms after navigation (cold), "
            f"median {warm} ms warm over {len(ms) - 1} loads "
            f"(target < {TARGET_MS:.0f} ms: {'met' if ok else 'NOT met'})"
        )
    return result


if __name__ == "__main__":
    print(json.dumps(run(Path(sys.argv[1]).resolve()), indent=2))
