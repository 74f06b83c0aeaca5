"""Browser helpers for the cockpit tests: chromium, sign-in, screenshots, axe, chart timing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from tests.cockpit.conftest import OUTPUT, PASSWORD

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
#: The tests' bound for "first chart drawn" (the target is 1 s at demo scale, `make bench`); the
#: margin absorbs a loaded, shared 2-core CI machine.
CHART_BOUND_MS = 1500


def sign_in(page: Page, base: str, user: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/cockpit/signin")
    page.fill("#username", user)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/cockpit/")


def screenshot(page: Page, name: str) -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def wait_idle(page: Page) -> None:
    """Wait until the page's script has finished (its status line is emptied or shows an error)."""
    page.wait_for_function(
        "() => { const s = document.getElementById('status');"
        " return s && (s.className === 'done' || s.className === 'error'); }",
        timeout=15_000,
    )


def chart_drawn_ms(page: Page) -> float:
    """Milliseconds from navigation start to the page's first drawn chart."""
    page.wait_for_function(
        "() => performance.getEntriesByName('flis:chart-drawn').length > 0", timeout=15_000
    )
    found: float = page.evaluate(
        "() => performance.getEntriesByName('flis:chart-drawn')[0].startTime"
    )
    return found


def fastest_chart_ms(page: Page, tries: int = 3) -> float:
    """The page's best first-chart time over up to ``tries`` loads (stops once within bound).

    The other test workers share the machine's two cores; one slow load under their load says
    little, three slow loads in a row say the page is slow.
    """
    best = chart_drawn_ms(page)
    for _ in range(tries - 1):
        if best < CHART_BOUND_MS:
            break
        page.reload()
        best = min(best, chart_drawn_ms(page))
    return best


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations of the page as it is now."""
    page.add_script_tag(content=AXE.read_text("utf-8"))
    result: dict[str, Any] = page.evaluate("async () => await axe.run(document)")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in bad
    ]


def describe(violations: list[dict[str, Any]]) -> str:
    return json.dumps(violations, indent=1)
