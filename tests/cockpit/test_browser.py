"""The cockpit in a real browser (Debian chromium, Playwright) against a live uvicorn server.

Every number is compared with the API's own answer; each test saves a screenshot under
test-output/cockpit/.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import yaml

from tests.api.conftest import FOREIGN, OWN, SECOND
from tests.cockpit.browser import (
    CHART_BOUND_MS,
    fastest_chart_ms,
    screenshot,
    sign_in,
    wait_idle,
)
from tests.cockpit.conftest import Cockpit

KF = "skole.elevfravaer"
MESSAGES = Path(__file__).parents[2] / "src" / "flis" / "cockpit" / "messages.yaml"


def percent(value: float) -> str:
    """A percentage as the cockpit shows it in Danish: one decimal, decimal comma."""
    return f"{value:.1f}".replace(".", ",") + " %"


def api_json(page: Any, base: str, path: str) -> Any:
    """The API's answer to the signed-in browser (its session cookie, same access rules)."""
    response = page.request.get(f"{base}/api/v1{path}")
    assert response.status == 200, response.text()
    return response.json()


def card(keyfigure: str) -> str:
    return f"article[data-keyfigure='{keyfigure}']"


def card_field(page: Any, keyfigure: str, field: str) -> str:
    text: str = page.locator(f"{card(keyfigure)} [data-field={field}]").inner_text()
    return text.strip()


def test_overview_shows_the_published_numbers(page: Any, live_url: str) -> None:
    sign_in(page, live_url, "ana")
    drawn = fastest_chart_ms(page)
    wait_idle(page)
    screenshot(page, "overview")
    period = page.locator(card(KF)).get_attribute("data-period")
    own = api_json(page, live_url, f"/values?keyfigure={KF}&municipality={OWN}&period={period}")
    bench = api_json(page, live_url, f"/benchmark/{OWN}/{KF}?period={period}")
    assert card_field(page, KF, "own") == percent(own["items"][0]["value"])
    assert card_field(page, KF, "nation") == percent(bench["nation"]["value"])
    assert card_field(page, KF, "rank") == f"{bench['ranking']['rank']} af {bench['ranking']['of']}"
    assert page.locator("#areas section.area h2").all_inner_texts() == [
        "Økonomi",
        "Borgere",
        "Personale og fravær",
        "Skole",
    ]
    statuses = yaml.safe_load(MESSAGES.read_text("utf-8"))
    missing = 0
    for node in page.locator("#areas article.card").all():
        keyfigure, when = node.get_attribute("data-keyfigure"), node.get_attribute("data-period")
        found = api_json(page, live_url, f"/values?keyfigure={keyfigure}&municipality={OWN}")
        latest = next((v for v in found["items"] if v["period"] == when), None)
        why = node.locator("[data-field=why]")
        if latest and latest["value"] is None and latest["data_status"] != "ok":
            missing += 1
            assert why.inner_text() == statuses[f"data_status_{latest['data_status']}"]["da"]
        else:
            assert why.count() == 0
    assert missing > 0, "the test world has headline figures without a value; each says why"
    print(f"overview: first chart drawn {drawn:.0f} ms after navigation")
    assert drawn < CHART_BOUND_MS


def test_a_key_figure_ranks_all_98_municipalities(page: Any, live_url: str) -> None:
    sign_in(page, live_url, "ana")
    page.goto(f"{live_url}/cockpit/keyfigures/{KF}")
    drawn = fastest_chart_ms(page)
    wait_idle(page)
    screenshot(page, "keyfigure")
    assert page.locator("#ranking-chart rect.bar").count() == 98
    assert page.locator("#ranking-chart rect.bar.own").get_attribute("data-code") == str(OWN)
    assert page.locator("#ranking-data tbody tr").count() == 98
    assert "SELECT" in (page.locator("#definition pre").text_content() or "").upper()
    print(f"key figure: first chart drawn {drawn:.0f} ms after navigation")
    assert drawn < CHART_BOUND_MS


def test_switching_the_comparison_group_changes_the_values(page: Any, live_url: str) -> None:
    sign_in(page, live_url, "ana")
    wait_idle(page)
    period = page.locator(card(KF)).get_attribute("data-period")
    similar = api_json(page, live_url, f"/benchmark/{OWN}/{KF}?period={period}&group=similar")
    region = api_json(page, live_url, f"/benchmark/{OWN}/{KF}?period={period}&group=region")
    assert similar["group"]["value"] != region["group"]["value"]
    before = card_field(page, KF, "group")
    page.select_option("#group-select", "region")
    group = page.locator(f"{card(KF)} [data-field=group] span")
    page.wait_for_function(
        "([sel, id]) => document.querySelector(sel)?.dataset.group === id",
        arg=[f"{card(KF)} [data-field=group]", region["group"]["group_id"]],
    )
    assert group.inner_text() == percent(region["group"]["value"]) != before
    page.goto(f"{live_url}/cockpit/keyfigures/{KF}")  # the choice persists across pages
    wait_idle(page)
    assert page.locator("#group-select").input_value() == "region"
    screenshot(page, "group-switched")


def test_create_a_group_and_compare_with_it(page: Any, live_url: str) -> None:
    sign_in(page, live_url, "ana")
    page.goto(f"{live_url}/cockpit/groups")
    wait_idle(page)
    assert page.locator("#similar table").count() == 4  # one similar group per area
    page.fill("#group-name", "fynske-byer")
    page.fill("#group-description", "Odense, København og Frederiksberg")
    for region in page.locator("#group-members details").all():
        region.locator("summary").click()
    page.check(f"#group-members input[value='{FOREIGN}']")
    page.check("#group-members input[value='147']")
    page.click("#group-form button[type=submit]")
    page.wait_for_function(
        "() => document.getElementById('form-status').textContent.includes('fynske')"
    )
    assert "fynske-byer" in page.locator("#user-group-table").inner_text()
    assert page.locator("#group-select").input_value() == "user:fynske-byer"
    screenshot(page, "group-created")
    page.goto(f"{live_url}/cockpit/")
    wait_idle(page)
    period = page.locator(card(KF)).get_attribute("data-period")
    bench = api_json(
        page, live_url, f"/benchmark/{OWN}/{KF}?period={period}&group=user:fynske-byer"
    )
    assert bench["group"]["members"] == 3
    page.wait_for_function(
        "(sel) => document.querySelector(sel)?.dataset.group === 'user:fynske-byer'",
        arg=f"{card(KF)} [data-field=group]",
    )
    assert card_field(page, KF, "group") == percent(bench["group"]["value"])


def test_download_csv_for_danish_excel(page: Any, live_url: str) -> None:
    sign_in(page, live_url, "ana")
    page.goto(f"{live_url}/cockpit/keyfigures/{KF}")
    wait_idle(page)
    with page.expect_download() as info:
        page.click("#download-csv-da")
    text = info.value.path().read_bytes().decode("utf-8")
    screenshot(page, "download")
    assert text.startswith("\ufeff")  # the BOM Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    header, body = rows[0], rows[1:]
    ours = [r for r in body if r[header.index("area_id")] == str(OWN)]
    api = api_json(page, live_url, f"/values?keyfigure={KF}&municipality={OWN}")["items"]
    assert len(ours) == len(api)
    for row, item in zip(ours, api, strict=True):
        shown = row[header.index("Værdi")]
        assert "," in shown and "." not in shown
        assert float(shown.replace(",", ".")) == item["value"]


def test_a_viewer_cannot_reach_detail_data(page: Any, live_url: str) -> None:
    sign_in(page, live_url, "vera")
    page.goto(f"{live_url}/cockpit/releases")
    wait_idle(page)
    screenshot(page, "releases-viewer")
    assert page.locator("li[data-level=benchmark]").count() > 0
    assert page.locator("li[data-level=detail]").count() == 0
    assert page.locator("#subscription-form").is_hidden()
    detail = f"{live_url}/api/v1/releases/{SECOND}/datasets/residents?municipality={OWN}"
    assert page.request.get(detail).status == 403
    page.goto(f"{live_url}/cockpit/deliveries")
    wait_idle(page)
    assert page.locator("#status").inner_text().endswith("Din rolle må ikke se dette.")


def test_an_analyst_sees_own_detail_data_and_manages_subscriptions(
    page: Any, live_url: str
) -> None:
    sign_in(page, live_url, "ana")
    page.goto(f"{live_url}/cockpit/releases")
    wait_idle(page)
    links = page.locator(f"[id='release-{SECOND}'] li[data-level=detail] a")
    assert links.count() > 0
    assert all(
        f"municipality={OWN}&" in (h or "") for h in [a.get_attribute("href") for a in links.all()]
    )
    page.select_option("#sub-dataset", "institutions")
    page.check("#subscription-form input[value=csv]")
    page.click("#subscription-form button[type=submit]")
    page.wait_for_selector("#subscription-table")
    assert "institutions" in page.locator("#subscription-table").inner_text()
    assert api_json(page, live_url, "/subscriptions") == [
        {"municipality": OWN, "dataset": "institutions", "formats": ["parquet", "csv"]}
    ]
    page.click("#subscription-table button")
    page.wait_for_selector("#subscription-table", state="detached")
    screenshot(page, "releases-analyst")
    assert api_json(page, live_url, "/subscriptions") == []


def test_sign_out_ends_the_session(page: Any, live_url: str, browser: Any) -> None:
    sign_in(page, live_url, "ana")
    cookie = next(c for c in page.context.cookies() if c["name"] == "flis_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    wait_idle(page)
    page.click("form.signout button")
    page.wait_for_url(f"{live_url}/cockpit/signin?notice=signed_out")
    screenshot(page, "signed-out")
    other = browser.new_context()
    other.add_cookies([{**cookie}])
    try:
        assert other.request.get(f"{live_url}/api/v1/me").status == 401
    finally:
        other.close()
    page.goto(f"{live_url}/cockpit/groups")
    assert page.url.startswith(f"{live_url}/cockpit/signin")


def test_unsafe_requests_without_the_csrf_token_are_refused(page: Any, live_url: str) -> None:
    sign_in(page, live_url, "ana")
    body = {"name": "csrf-proeve", "members": [OWN, FOREIGN]}
    refused = page.request.post(f"{live_url}/api/v1/groups", data=body)
    assert refused.status == 403
    assert "X-CSRF-Token" in refused.json()["detail"]
    token = page.evaluate(
        "() => JSON.parse(document.getElementById('flis-context').textContent).csrf"
    )
    made = page.request.post(
        f"{live_url}/api/v1/groups", data=body, headers={"X-CSRF-Token": token}
    )
    assert made.status == 201
    gone = page.request.delete(
        f"{live_url}/api/v1/groups/user:csrf-proeve", headers={"X-CSRF-Token": token}
    )
    assert gone.status == 200
    screenshot(page, "csrf")


def test_the_english_switch(page: Any, live_url: str) -> None:
    sign_in(page, live_url, "ana")
    page.click("a.lang")
    wait_idle(page)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Overview for Odense"
    assert page.locator("#areas h2").first.inner_text() == "Finance"
    page.goto(f"{live_url}/cockpit/schools")  # the choice is kept in a cookie
    wait_idle(page)
    assert page.locator("h1").inner_text() == "Schools in Odense"
    screenshot(page, "english-schools")


def test_schools_show_suppressed_cells_with_the_reason(page: Any, live_url: str) -> None:
    sign_in(page, live_url, "ana")
    page.goto(f"{live_url}/cockpit/schools")
    wait_idle(page)
    screenshot(page, "schools")
    schools = api_json(page, live_url, f"/institutions?municipality={OWN}&limit=1000")["items"]
    month = max(s["month"] for s in schools)
    public = [s for s in schools if s["month"] == month and s["institution_type"] == "1012"]
    table = page.locator("#schools-table").inner_text()
    assert all(s["name"] in table for s in public)
    if any("primary" in (s["suppressed"] or "") for s in public):
        assert "færre end 5 personer" in table


def test_deliveries_for_a_data_administrator(page: Any, live_url: str) -> None:
    sign_in(page, live_url, "dora")
    page.goto(f"{live_url}/cockpit/deliveries")
    wait_idle(page)
    assert page.locator("#matrix-table tbody tr").count() > 0
    page.locator("#matrix-table button").first.click()
    page.wait_for_selector("#findings p")
    screenshot(page, "deliveries")


def test_an_operator_chooses_the_municipality(page: Any, live_url: str) -> None:
    sign_in(page, live_url, "otto")
    wait_idle(page)
    page.wait_for_function(
        "() => document.getElementById('municipality-select').options.length === 98"
    )
    page.select_option("#municipality-select", str(FOREIGN))
    page.wait_for_load_state()
    wait_idle(page)
    page.wait_for_function(
        "() => document.querySelector('h1').textContent === 'Overblik for København'"
    )
    period = page.locator(card(KF)).get_attribute("data-period")
    own = api_json(page, live_url, f"/values?keyfigure={KF}&municipality={FOREIGN}&period={period}")
    assert card_field(page, KF, "own") == percent(own["items"][0]["value"])
    page.goto(f"{live_url}/cockpit/deliveries")
    wait_idle(page)
    assert page.locator("#matrix-table caption").inner_text() == str(FOREIGN)
    screenshot(page, "operator")


def test_operational_messages_reach_their_municipalities(
    page: Any, live_url: str, cockpit: Cockpit
) -> None:
    operator = {"Authorization": f"Bearer {cockpit.world.tokens['operator']}"}

    def post(body: dict[str, Any]) -> int:
        made = page.request.post(f"{live_url}/api/v1/admin/messages", data=body, headers=operator)
        assert made.status == 201, made.text()
        message_id: int = made.json()["message_id"]
        return message_id

    ours = post(
        {
            "severity": "outage",
            "title_da": "Nedetid i aften",
            "title_en": "Downtime tonight",
            "body_da": "Udgivelsen er forsinket.",
            "body_en": "The release is late.",
            "audience": [OWN],
        }
    )
    theirs = post(
        {
            "severity": "info",
            "title_da": "Kun for København",
            "title_en": "Copenhagen only",
            "body_da": "Ny leverance.",
            "body_en": "New delivery.",
            "audience": [FOREIGN],
        }
    )
    try:
        sign_in(page, live_url, "ana")
        shown = page.locator(f"#messages [data-message-id='{ours}']")
        shown.wait_for()
        assert shown.get_attribute("role") == "alert"
        assert shown.inner_text().startswith("Nedetid i aften")
        assert page.locator(f"#messages [data-message-id='{theirs}']").count() == 0
        screenshot(page, "messages")
        page.goto(f"{live_url}/cockpit/?lang=en")
        page.locator(f"#messages [data-message-id='{ours}']").wait_for()
        assert "Downtime tonight" in page.locator("#messages").inner_text()
        page.goto(f"{live_url}/cockpit/?lang=da")
    finally:
        for message_id in (ours, theirs):
            page.request.post(
                f"{live_url}/api/v1/admin/messages/{message_id}/expire", headers=operator
            )


def test_change_since_last_year_shows_arrow_and_colour_by_direction(
    page: Any, live_url: str
) -> None:
    """The test world has no year-old month, so the API's change is given a value in flight."""
    changes = {
        KF: {"absolute": 1.5, "assessment": "worse"},  # more absence is worse
        "borger.andel_65_plus": {"absolute": -0.4, "assessment": None},  # neutral figure
    }

    def with_change(route: Any) -> None:
        answer = route.fetch()
        body = answer.json()
        for keyfigure, change in changes.items():
            if f"/{keyfigure}?" in route.request.url:
                body["change"] = {
                    "previous_period": "2024-09",
                    "previous_value": 4.0,
                    "relative": 0.1,
                    "reason": None,
                    **change,
                }
        route.fulfill(response=answer, json=body)

    page.route("**/api/v1/benchmark/**", with_change)
    sign_in(page, live_url, "ana")
    wait_idle(page)
    worse = page.locator(f"{card(KF)} [data-field=change] .change")
    assert worse.get_attribute("class") == "change worse"
    assert worse.inner_text() == "▲ op 1,5 % (dårligere)"
    assert worse.evaluate("e => getComputedStyle(e).color") == "rgb(179, 38, 30)"  # --bad
    neutral = page.locator(f"{card('borger.andel_65_plus')} [data-field=change] .change")
    assert neutral.get_attribute("class") == "change neutral"
    assert neutral.inner_text() == "▼ ned 0,4 %"
    assert neutral.locator("[aria-hidden=true]").inner_text().strip() == "▼"  # not read aloud
    screenshot(page, "change")
