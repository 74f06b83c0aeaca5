"""Authentication (bearer token → Principal) and authorisation policies on a Principal.

An ``Authenticator`` turns a request's credentials into a ``Principal``; today tokens are looked up
by hash, later an OIDC authenticator maps ID-token claims onto the same Principal, so the policies
below (the only place roles are interpreted) do not change.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol

import duckdb

from flis.access.errors import Forbidden, Unauthorized
from flis.access.model import Principal, Role
from flis.access.store import principal_for_token

_CACHE_SECONDS = 5.0


class Authenticator(Protocol):
    def authenticate(self, token: str) -> Principal | None: ...


class TokenAuthenticator:
    """Looks a bearer token's hash up in ``access.token``; caches answers for a few seconds."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection) -> None:
        self._conn = cursor
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[float, Principal | None]] = {}

    def authenticate(self, token: str) -> Principal | None:
        now = time.monotonic()
        hit = self._cache.get(token)
        if hit and now - hit[0] < _CACHE_SECONDS:
            return hit[1]
        with self._lock:
            found = principal_for_token(self._conn, token)
        self._cache[token] = (now, found)
        return found


def principal_from_header(authenticator: Authenticator, header: str | None) -> Principal:
    if not header or not header.lower().startswith("bearer "):
        raise Unauthorized()
    found = authenticator.authenticate(header[7:].strip())
    if found is None:
        raise Unauthorized(
            "the bearer token is unknown, expired or disabled",
            message_da="adgangsnøglen er ukendt, udløbet eller spærret",
        )
    return found


def _own(p: Principal, municipality: int) -> bool:
    return p.municipality is not None and p.municipality == municipality


def can_read_published(p: Principal) -> bool:
    """Benchmark and institution data: every role."""
    return True


def can_read_detail(p: Principal, municipality: int) -> bool:
    """Detail rows: analysts and data administrators of that municipality only."""
    return p.role in (Role.analyst, Role.data_admin) and _own(p, municipality)


def can_read_deliveries(p: Principal, municipality: int | None) -> bool:
    """Deliveries and findings: own for data administrators; any (or all) for operators."""
    if p.role is Role.operator:
        return True
    return p.role is Role.data_admin and municipality is not None and _own(p, municipality)


def can_administer(p: Principal) -> bool:
    """Users, releases, messages and the audit log."""
    return p.role is Role.operator


def can_read_messages(p: Principal) -> bool:
    """Operational messages: every signed-in role (each sees those meant for it)."""
    return True


def can_delete_group(p: Principal, owner: str | None) -> bool:
    return p.role is Role.operator or owner == p.user


def can_read_subscriptions(p: Principal, municipality: int) -> bool:
    """Subscriptions: every role sees its own municipality's; operators any."""
    return p.role is Role.operator or _own(p, municipality)


def can_manage_subscriptions(p: Principal, municipality: int) -> bool:
    """Add or remove: analysts and data administrators for their own municipality; operators any.

    Viewers only read them. A detail subscription writes a municipality's own detail rows to its
    own outbox, so it needs no extra rule beyond "own municipality".
    """
    return p.role is Role.operator or (
        p.role in (Role.analyst, Role.data_admin) and _own(p, municipality)
    )


def require(allowed: bool, message: str, message_da: str | None = None) -> None:
    """Refuse with 403 unless ``allowed``; ``message_da`` is the Danish variant of ``message``."""
    if not allowed:
        raise Forbidden(message, message_da=message_da)
