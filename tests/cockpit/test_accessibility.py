"""Every cockpit page passes axe-core (vendored, tests/cockpit/vendor) without serious or critical
violations, at laptop and tablet width, and can be used from the keyboard."""

from __future__ import annotations

from typing import Any

import pytest

from tests.cockpit.browser import axe_violations, describe, screenshot, sign_in, wait_idle
from tests.cockpit.conftest import PASSWORD

PAGES = [
    ("overview", "/cockpit/"),
    ("keyfigure", "/cockpit/keyfigures/skole.elevfravaer"),
    ("groups", "/cockpit/groups"),
    ("schools", "/cockpit/schools"),
    ("releases", "/cockpit/releases"),
    ("deliveries", "/cockpit/deliveries"),
]


@pytest.fixture
def axe_page(browser: Any) -> Any:
    # axe is injected as an inline script, which the cockpit's CSP (rightly) forbids.
    context = browser.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True)
    yield context.new_page()
    context.close()


def test_sign_in_page_is_accessible(axe_page: Any, live_url: str) -> None:
    axe_page.goto(f"{live_url}/cockpit/signin")
    found = axe_violations(axe_page)
    screenshot(axe_page, "a11y-signin")
    assert not found, describe(found)


@pytest.mark.parametrize("width", [1366, 768], ids=["laptop", "tablet"])
def test_pages_are_accessible(axe_page: Any, live_url: str, width: int) -> None:
    """axe at laptop width (its rules do not depend on width); both widths: no sideways scroll."""
    axe_page.set_viewport_size({"width": width, "height": 900})
    sign_in(axe_page, live_url, "dora")
    failures = {}
    for name, path in PAGES:
        axe_page.goto(f"{live_url}{path}")
        wait_idle(axe_page)
        found = axe_violations(axe_page) if width == 1366 else []
        screenshot(axe_page, f"a11y-{name}-{width}")
        if found:
            failures[name] = found
        overflow = axe_page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways at {width} px"
    assert not failures, describe([{"page": k, "violations": v} for k, v in failures.items()])


def test_keyboard_skip_link_and_sign_in(page: Any, live_url: str) -> None:
    page.goto(f"{live_url}/cockpit/signin")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    page.focus("#username")
    page.keyboard.type("ana")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_url}/cockpit/")
    wait_idle(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link moves focus to the main content
    assert page.evaluate("() => document.activeElement.id") == "main"
    screenshot(page, "keyboard")
