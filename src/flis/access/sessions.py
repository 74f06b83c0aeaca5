"""Cockpit sessions, server-side in ``access.session``: only a session id's SHA-256 is stored.

A session acts as its user; the user's role, municipality and disabled flag are read on each
lookup, so disabling a user ends their sessions too. A session begun with a token ends when that
token is revoked or expires. A session expires after an idle time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass

import duckdb

from flis.access.errors import Forbidden, Unauthorized
from flis.access.model import Principal, Role

#: How long a session answer is remembered in memory; sign-out forgets it at once.
_CACHE_SECONDS = 5.0
#: last_seen_at is written at most this often per session (each write takes the warehouse lock).
_TOUCH_EVERY = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Session:
    """A signed-in browser: who it acts as and the CSRF token its unsafe requests must send."""

    principal: Principal
    csrf_token: str


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def start_session(
    conn: duckdb.DuckDBPyConnection,
    *,
    user: str,
    idle: dt.timedelta,
    token_id: str | None = None,
) -> tuple[str, str]:
    """Store a new session for ``user``; return (session id for the cookie, CSRF token).

    ``token_id`` binds the session to the token it signed in with: it lives no longer than that.
    """
    session_id, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    now = _now()
    conn.execute(
        "DELETE FROM access.session WHERE expires_at < ?", [now]
    )  # sweep expired sessions now and then: at every sign-in
    conn.execute(
        "INSERT INTO access.session VALUES (?, ?, ?, ?, ?, ?, ?)",
        [_digest(session_id), user, csrf, now, now, now + idle, token_id],
    )
    return session_id, csrf


def find_session(
    conn: duckdb.DuckDBPyConnection, *, session_id: str, idle: dt.timedelta
) -> Session | None:
    """The live session with this id (and extend it), or None if unknown, expired or disabled."""
    now = _now()
    row = conn.execute(
        "SELECT u.name, u.role, u.municipality_code, s.csrf_token, s.last_seen_at "
        "FROM access.session s JOIN access.app_user u ON u.name = s.user_name "
        "LEFT JOIN access.token t ON t.token_id = s.token_id "
        "WHERE s.sha256 = ? AND s.expires_at > ? AND NOT u.disabled AND (s.token_id IS NULL "
        "OR (t.token_id IS NOT NULL AND NOT t.disabled "
        "AND (t.expires_at IS NULL OR t.expires_at > ?)))",
        [_digest(session_id), now, now],
    ).fetchone()
    if row is None:
        return None
    if now - row[4] >= _TOUCH_EVERY:
        conn.execute(
            "UPDATE access.session SET last_seen_at = ?, expires_at = ? WHERE sha256 = ?",
            [now, now + idle, _digest(session_id)],
        )
    return Session(Principal(user=row[0], role=Role(row[1]), municipality=row[2]), row[3])


def end_session(conn: duckdb.DuckDBPyConnection, *, session_id: str) -> None:
    """Sign out: the session id stops working."""
    conn.execute("DELETE FROM access.session WHERE sha256 = ?", [_digest(session_id)])


class SessionAuthenticator:
    """Looks sessions up through the app's locked warehouse connection, caching for seconds."""

    def __init__(
        self, conn: duckdb.DuckDBPyConnection, lock: threading.Lock, idle: dt.timedelta
    ) -> None:
        self._conn, self._lock, self.idle = conn, lock, idle
        self._cache: dict[str, tuple[float, Session | None]] = {}

    def find(self, session_id: str) -> Session | None:
        now = time.monotonic()
        hit = self._cache.get(session_id)
        if hit and now - hit[0] < _CACHE_SECONDS:
            return hit[1]
        with self._lock:
            found = find_session(self._conn, session_id=session_id, idle=self.idle)
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[session_id] = (now, found)
        return found

    def start(self, user: str, token_id: str | None = None) -> tuple[str, str]:
        with self._lock:
            return start_session(self._conn, user=user, idle=self.idle, token_id=token_id)

    def end(self, session_id: str) -> None:
        with self._lock:
            end_session(self._conn, session_id=session_id)
        self._cache.pop(session_id, None)


#: The cockpit's cookies: the session id (HttpOnly) and the chosen language.
SESSION_COOKIE = "flis_session"
CSRF_HEADER = "X-CSRF-Token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def principal_for_cookie(
    sessions: SessionAuthenticator, *, session_id: str, method: str, csrf_header: str | None
) -> Principal:
    """The principal of a cookie-authenticated request; unsafe methods must echo the CSRF token.

    Raises:
        Unauthorized: unknown, expired or signed-out session.
        Forbidden: an unsafe request without the session's CSRF token.
    """
    found = sessions.find(session_id)
    if found is None:
        raise Unauthorized(
            "the cockpit session is unknown, expired or signed out",
            message_da="sessionen i cockpittet er ukendt, udløbet eller logget ud",
        )
    if method.upper() not in _SAFE_METHODS and not (
        csrf_header and hmac.compare_digest(csrf_header, found.csrf_token)
    ):
        raise Forbidden(
            f"a {method} with the session cookie needs the {CSRF_HEADER} header",
            message_da=f"en {method} med sessionscookien kræver headeren {CSRF_HEADER}",
        )
    return found.principal
