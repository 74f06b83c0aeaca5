"""The cockpit's HTML routes with a TestClient: sign-in, cookies, shells, language, headers."""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi.testclient import TestClient

from tests.api.conftest import OWN
from tests.cockpit.conftest import PASSWORD, Cockpit

PAGES = [
    "/cockpit/",
    "/cockpit/groups",
    "/cockpit/schools",
    "/cockpit/releases",
    "/cockpit/deliveries",
    "/cockpit/keyfigures/skole.elevfravaer",
]


def form_token(client: TestClient) -> str:
    page = client.get("/cockpit/signin")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found and client.cookies.get("flis_signin_csrf") == found.group(1)
    return found.group(1)


def sign_in(client: TestClient, user: str = "ana", password: str = PASSWORD) -> None:
    token = form_token(client)
    answer = client.post(
        "/cockpit/signin",
        data={"csrf": token, "username": user, "password": password, "next": "/cockpit/"},
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/cockpit/", answer.text


def test_pages_send_strangers_to_sign_in(client: TestClient) -> None:
    assert client.get("/").headers["location"] == "/cockpit/"
    for path in PAGES:
        answer = client.get(path)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith(f"/cockpit/signin?next={quote(path)}")


def test_a_shared_link_survives_the_sign_in(client: TestClient) -> None:
    answer = client.get("/cockpit/?group=user:seks-byer")
    assert answer.headers["location"] == "/cockpit/signin?next=/cockpit/%3Fgroup%3Duser%3Aseks-byer"
    page = client.get(answer.headers["location"])
    assert 'name="next" value="/cockpit/?group=user:seks-byer"' in page.text


def test_sign_in_sets_a_strict_http_only_session_cookie(client: TestClient) -> None:
    token = form_token(client)
    answer = client.post(
        "/cockpit/signin", data={"csrf": token, "username": "ana", "password": PASSWORD}
    )
    cookie = answer.headers["set-cookie"]
    assert "flis_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # FLIS_COOKIE_SECURE is off for loopback
    me = client.get("/api/v1/me").json()
    assert me == {"user": "ana", "role": "analyst", "municipality": OWN}


def test_wrong_passwords_and_stale_forms_are_refused(client: TestClient) -> None:
    token = form_token(client)
    wrong = client.post(
        "/cockpit/signin", data={"csrf": token, "username": "ana", "password": "forkert-kode"}
    )
    assert wrong.status_code == 401 and "Forkert brugernavn" in wrong.text
    assert "flis_session" not in client.cookies
    stale = client.post(
        "/cockpit/signin", data={"csrf": "gammel", "username": "ana", "password": PASSWORD}
    )
    assert stale.status_code == 403 and "Formularen var udløbet" in stale.text


def test_repeated_wrong_passwords_make_the_user_wait(client: TestClient) -> None:
    for _ in range(5):
        wrong = client.post(
            "/cockpit/signin",
            data={"csrf": form_token(client), "username": "mallory", "password": "gæt-nummer-1"},
        )
        assert wrong.status_code == 401
    braked = client.post(
        "/cockpit/signin",
        data={"csrf": form_token(client), "username": "Mallory", "password": "gæt-nummer-2"},
    )
    assert braked.status_code == 429 and "For mange mislykkede forsøg" in braked.text
    assert 0 < int(braked.headers["Retry-After"]) <= 15 * 60
    assert "flis_session" not in client.cookies


def test_sign_in_by_token(client: TestClient, cockpit: Cockpit) -> None:
    token = form_token(client)
    answer = client.post(
        "/cockpit/signin", data={"csrf": token, "token": cockpit.world.tokens["data-admin"]}
    )
    assert answer.status_code == 303
    assert client.get("/api/v1/me").json()["role"] == "data-admin"


def test_every_page_renders_for_a_signed_in_user(client: TestClient) -> None:
    sign_in(client)
    for path in PAGES:
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert '<main id="main"' in answer.text and 'class="skip-link"' in answer.text
        policy = answer.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert not re.search(r'(src|href)="(https?:)?//', answer.text), "no outside requests"


def test_the_menu_follows_the_role(client: TestClient) -> None:
    sign_in(client, "ana")
    assert 'href="/cockpit/deliveries"' not in client.get("/cockpit/").text
    client.cookies.clear()
    sign_in(client, "dora")
    assert 'href="/cockpit/deliveries"' in client.get("/cockpit/").text


def test_language_by_query_then_cookie(client: TestClient) -> None:
    sign_in(client)
    assert '<html lang="da">' in client.get("/cockpit/groups").text
    english = client.get("/cockpit/groups?lang=en")
    assert '<html lang="en">' in english.text and "Comparison groups" in english.text
    assert "flis_lang=en" in english.headers["set-cookie"]
    assert '<html lang="en">' in client.get("/cockpit/schools").text


def test_an_unknown_key_figure_is_a_problem(client: TestClient) -> None:
    sign_in(client)
    answer = client.get("/cockpit/keyfigures/findes.ikke")
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"


def test_sign_out_needs_the_form_token_and_ends_the_session(client: TestClient) -> None:
    sign_in(client)
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/cockpit/").text)
    assert csrf
    assert client.post("/cockpit/signout", data={"csrf": "forkert"}).status_code == 403
    assert client.get("/api/v1/me").status_code == 200
    out = client.post("/cockpit/signout", data={"csrf": csrf.group(1)})
    assert out.status_code == 303 and out.headers["location"].endswith("notice=signed_out")
    assert client.get("/api/v1/me").status_code == 401


def test_api_writes_by_cookie_need_the_csrf_header(client: TestClient) -> None:
    sign_in(client)
    csrf = re.search(r'"csrf":"([^"]+)"', client.get("/cockpit/").text)
    assert csrf
    body = {"dataset": "benchmark", "formats": ["csv"]}
    refused = client.post("/api/v1/subscriptions", json=body)
    assert refused.status_code == 403 and refused.json()["type"] == "urn:flis:problem:forbidden"
    made = client.post("/api/v1/subscriptions", json=body, headers={"X-CSRF-Token": csrf.group(1)})
    assert made.status_code == 201 and made.json()["municipality"] == OWN
    gone = client.delete("/api/v1/subscriptions/benchmark", headers={"X-CSRF-Token": csrf.group(1)})
    assert gone.status_code == 200
