"""Cockpit passwords (scrypt, per-user salt) and server-side sessions (idle expiry, sign-out)."""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flis.access.errors import AccessError, Forbidden, Unauthorized
from flis.access.model import Principal, Role
from flis.access.passwords import (
    hash_password,
    principal_for_password,
    set_password,
    verify_password,
)
from flis.access.sessions import (
    SessionAuthenticator,
    end_session,
    find_session,
    principal_for_cookie,
    start_session,
)
from flis.access.store import add_user, create_token, disable_user, revoke_token, token_id_of
from flis.cli.app import app
from flis.settings import load_settings
from flis.warehouse.connection import connect
from flis.warehouse.migrate import migrate

IDLE = dt.timedelta(minutes=30)


@pytest.fixture
def conn() -> duckdb.DuckDBPyConnection:
    found = duckdb.connect()
    migrate(found)
    add_user(found, name="ana", role=Role.analyst, municipality=461)
    return found


def test_a_hash_is_salted_and_verifies_only_its_password() -> None:
    first, second = hash_password("korrekt hest"), hash_password("korrekt hest")
    assert first != second and first.startswith("scrypt$16384$8$1$")
    assert verify_password("korrekt hest", first) and verify_password("korrekt hest", second)
    assert not verify_password("korrekt hesT", first)
    assert not verify_password("korrekt hest", "md5$abc")
    assert not verify_password("korrekt hest", "scrypt$x$8$1$00$00")


def test_sign_in_by_password(conn: duckdb.DuckDBPyConnection) -> None:
    assert principal_for_password(conn, name="ana", password="anything-at-all") is None  # none set
    set_password(conn, name="ana", password="korrekt hest batteri")
    stored = conn.execute("SELECT password_hash FROM access.app_user").fetchone()
    assert stored is not None and "korrekt" not in stored[0]
    found = principal_for_password(conn, name="ana", password="korrekt hest batteri")
    assert found == Principal(user="ana", role=Role.analyst, municipality=461)
    assert principal_for_password(conn, name="ana", password="forkert hest batteri") is None
    assert principal_for_password(conn, name="bo", password="korrekt hest batteri") is None
    disable_user(conn, name="ana")
    assert principal_for_password(conn, name="ana", password="korrekt hest batteri") is None


def test_short_passwords_are_refused_with_a_hint(conn: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(AccessError, match="too short") as err:
        set_password(conn, name="ana", password="kort")
    assert err.value.hint and "10" in err.value.hint


def test_a_session_stores_only_a_hash_and_ends_at_sign_out(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    session_id, csrf = start_session(conn, user="ana", idle=IDLE)
    stored = conn.execute("SELECT sha256, csrf_token FROM access.session").fetchall()
    assert len(stored) == 1 and stored[0][0] != session_id and stored[0][1] == csrf
    found = find_session(conn, session_id=session_id, idle=IDLE)
    assert found is not None and found.principal.user == "ana" and found.csrf_token == csrf
    assert find_session(conn, session_id="someone-elses", idle=IDLE) is None
    end_session(conn, session_id=session_id)
    assert find_session(conn, session_id=session_id, idle=IDLE) is None


def test_a_session_expires_when_idle_and_with_its_user(conn: duckdb.DuckDBPyConnection) -> None:
    session_id, _ = start_session(conn, user="ana", idle=IDLE)
    conn.execute("UPDATE access.session SET expires_at = now()::TIMESTAMP - INTERVAL 1 MINUTE")
    assert find_session(conn, session_id=session_id, idle=IDLE) is None
    other, _ = start_session(conn, user="ana", idle=IDLE)
    disable_user(conn, name="ana")
    assert find_session(conn, session_id=other, idle=IDLE) is None


def test_a_session_begun_with_a_token_ends_with_the_token(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    revoked = token_id_of(create_token(conn, user="ana"))
    expiring = token_id_of(create_token(conn, user="ana", expires_days=1))
    by_revoked, _ = start_session(conn, user="ana", idle=IDLE, token_id=revoked)
    by_expiring, _ = start_session(conn, user="ana", idle=IDLE, token_id=expiring)
    by_password, _ = start_session(conn, user="ana", idle=IDLE)
    assert find_session(conn, session_id=by_revoked, idle=IDLE) is not None
    revoke_token(conn, token_id=revoked)
    conn.execute(
        "UPDATE access.token SET expires_at = now()::TIMESTAMP - INTERVAL 1 SECOND "
        "WHERE token_id = ?",
        [expiring],
    )
    assert find_session(conn, session_id=by_revoked, idle=IDLE) is None
    assert find_session(conn, session_id=by_expiring, idle=IDLE) is None
    assert find_session(conn, session_id=by_password, idle=IDLE) is not None


def test_use_extends_a_session(conn: duckdb.DuckDBPyConnection) -> None:
    session_id, _ = start_session(conn, user="ana", idle=IDLE)
    conn.execute(
        "UPDATE access.session SET last_seen_at = last_seen_at - INTERVAL 10 MINUTE, "
        "expires_at = expires_at - INTERVAL 10 MINUTE"
    )
    before = conn.execute("SELECT expires_at FROM access.session").fetchone()
    assert find_session(conn, session_id=session_id, idle=IDLE) is not None
    after = conn.execute("SELECT expires_at FROM access.session").fetchone()
    assert before is not None and after is not None and after[0] - before[0] >= IDLE / 3


def test_cookie_requests_need_the_csrf_token_for_unsafe_methods(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    sessions = SessionAuthenticator(conn, threading.Lock(), IDLE)
    session_id, csrf = sessions.start("ana")
    for method in ("GET", "HEAD"):
        found = principal_for_cookie(
            sessions, session_id=session_id, method=method, csrf_header=None
        )
        assert found.user == "ana"
    for header in (None, "", "wrong"):
        with pytest.raises(Forbidden, match="X-CSRF-Token"):
            principal_for_cookie(sessions, session_id=session_id, method="POST", csrf_header=header)
    ok = principal_for_cookie(sessions, session_id=session_id, method="DELETE", csrf_header=csrf)
    assert ok.user == "ana"
    sessions.end(session_id)  # forgotten at once, not after the cache's seconds
    with pytest.raises(Unauthorized):
        principal_for_cookie(sessions, session_id=session_id, method="GET", csrf_header=None)


def test_cli_sets_passwords_from_stdin(_isolated_home: Path) -> None:
    runner = CliRunner()
    added = runner.invoke(
        app,
        ["users", "add", "ana", "--role", "analyst", "--municipality", "461", "--password-stdin"],
        input="korrekt hest batteri\n",
    )
    assert added.exit_code == 0, added.output
    changed = runner.invoke(
        app, ["users", "password", "ana", "--password-stdin", "--json"], input="ny hest batteri 2\n"
    )
    assert changed.exit_code == 0 and json.loads(changed.output) == {
        "user": "ana",
        "password": "set",
    }
    short = runner.invoke(app, ["users", "password", "ana", "--password-stdin"], input="kort\n")
    assert short.exit_code == 2 and "adgangskoden for 'ana' er for kort (4 tegn)" in short.output
    unknown = runner.invoke(app, ["users", "password", "bo", "--password-stdin"], input="x" * 12)
    assert unknown.exit_code == 2 and "ingen bruger 'bo'" in unknown.output
    conn = connect(load_settings())
    try:
        assert principal_for_password(conn, name="ana", password="ny hest batteri 2") is not None
        assert principal_for_password(conn, name="ana", password="korrekt hest batteri") is None
    finally:
        conn.close()
