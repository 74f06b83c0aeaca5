"""Users and tokens in ``access.*``: only a token's SHA-256 is stored, compared in constant time."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import asdict, dataclass
from typing import Any

import duckdb

from flis.access.errors import AccessError, DuplicateUser, UnknownToken, UnknownUser
from flis.access.model import Principal, Role
from flis.reference.municipalities import municipality as lookup_municipality

TOKEN_PREFIX = "flis_"


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    municipality_code: int | None
    disabled: bool
    created_at: dt.datetime

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["created_at"] = self.created_at.isoformat()
        return out


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_id_of(token: str) -> str:
    """A token's public id: its first 12 characters (the prefix and 7 random ones)."""
    return token[:12]


def _check(role: Role, municipality: int | None) -> None:
    if role is Role.operator and municipality is not None:
        raise AccessError(
            "operators serve all municipalities",
            hint="leave out --municipality",
            message_da="driftsfolk (operator) betjener alle kommuner",
            hint_da="udelad --municipality",
        )
    if role is not Role.operator:
        if municipality is None:
            raise AccessError(
                f"a {role} belongs to one municipality",
                hint="add --municipality",
                message_da=f"en {role} hører til én kommune",
                hint_da="tilføj --municipality",
            )
        lookup_municipality(municipality)


def add_user(
    conn: duckdb.DuckDBPyConnection, *, name: str, role: Role, municipality: int | None
) -> User:
    """Add a user; operators have no municipality, every other role exactly one."""
    _check(role, municipality)
    if conn.execute("SELECT 1 FROM access.app_user WHERE name = ?", [name]).fetchone():
        raise AccessError(
            f"user '{name}' exists",
            hint="pick another name",
            message_da=f"brugeren '{name}' findes allerede",
            hint_da="vælg et andet navn",
        )
    conn.execute(
        "INSERT INTO access.app_user (name, role, municipality_code, disabled, created_at) "
        "VALUES (?, ?, ?, FALSE, ?)",
        [name, role.value, municipality, _now()],
    )
    return get_user(conn, name)


def get_user(conn: duckdb.DuckDBPyConnection, name: str) -> User:
    row = conn.execute(
        "SELECT name, role, municipality_code, disabled, created_at FROM access.app_user "
        "WHERE name = ?",
        [name],
    ).fetchone()
    if row is None:
        raise UnknownUser(name)
    return User(row[0], Role(row[1]), row[2], row[3], row[4])


def list_users(conn: duckdb.DuckDBPyConnection) -> list[User]:
    names = conn.execute("SELECT name FROM access.app_user ORDER BY name").fetchall()
    return [get_user(conn, n[0]) for n in names]


def disable_user(conn: duckdb.DuckDBPyConnection, *, name: str) -> User:
    get_user(conn, name)
    conn.execute("UPDATE access.app_user SET disabled = TRUE WHERE name = ?", [name])
    return get_user(conn, name)


def create_token(
    conn: duckdb.DuckDBPyConnection,
    *,
    user: str | None = None,
    role: Role | None = None,
    municipality: int | None = None,
    expires_days: int | None = None,
) -> str:
    """A new token for ``user``, or for a service user made from ``role`` and ``municipality``.

    Returns:
        The token itself; it is not stored and cannot be shown again.
    """
    if user is None:
        if role is None:
            raise AccessError(
                "give --user, or --role (and --municipality)",
                message_da="angiv --user, eller --role (og --municipality)",
            )
        user = f"{role.value}-{municipality or 'all'}-{secrets.token_hex(3)}"
        add_user(conn, name=user, role=role, municipality=municipality)
    elif role is not None or municipality is not None:
        raise AccessError(
            "--user takes its role and municipality from the user",
            message_da="--user tager rolle og kommune fra brugeren",
        )
    else:
        get_user(conn, user)
    if expires_days is not None and expires_days < 1:
        raise AccessError(
            "--expires must be at least one day", message_da="--expires skal være mindst én dag"
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = _now() + dt.timedelta(days=expires_days) if expires_days else None
    conn.execute(
        "INSERT INTO access.token VALUES (?, ?, ?, ?, ?, FALSE)",
        [token_id_of(token), hash_token(token), user, _now(), expires],
    )
    return token


def principal_for_token(conn: duckdb.DuckDBPyConnection, token: str) -> Principal | None:
    """The principal a token acts as, or None (unknown, expired or disabled token or user)."""
    digest = hash_token(token)
    row = conn.execute(
        "SELECT t.sha256, u.name, u.role, u.municipality_code FROM access.token t "
        "JOIN access.app_user u ON u.name = t.user_name WHERE t.token_id = ? "
        "AND NOT t.disabled AND NOT u.disabled AND (t.expires_at IS NULL OR t.expires_at > ?)",
        [token_id_of(token), _now()],
    ).fetchone()
    if row is None or not hmac.compare_digest(str(row[0]), digest):
        return None
    return Principal(user=row[1], role=Role(row[2]), municipality=row[3])


@dataclass(frozen=True)
class TokenInfo:
    """A token as an operator sees it: never the token or its hash."""

    token_id: str
    user_name: str
    role: Role
    municipality_code: int | None
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked: bool

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["created_at"] = self.created_at.isoformat()
        out["expires_at"] = self.expires_at.isoformat() if self.expires_at else None
        return out


def create_user(
    conn: duckdb.DuckDBPyConnection, *, name: str, role: Role, municipality: int | None
) -> User:
    """``add_user`` that answers a taken name with ``DuplicateUser`` (409 over HTTP)."""
    if conn.execute("SELECT 1 FROM access.app_user WHERE name = ?", [name]).fetchone():
        raise DuplicateUser(name)
    return add_user(conn, name=name, role=role, municipality=municipality)


def enable_user(conn: duckdb.DuckDBPyConnection, *, name: str) -> User:
    get_user(conn, name)
    conn.execute("UPDATE access.app_user SET disabled = FALSE WHERE name = ?", [name])
    return get_user(conn, name)


_TOKEN_COLUMNS = (
    "SELECT t.token_id, t.user_name, u.role, u.municipality_code, t.created_at, t.expires_at, "
    "t.disabled FROM access.token t JOIN access.app_user u ON u.name = t.user_name "
)


def _token_info(row: tuple[Any, ...]) -> TokenInfo:
    return TokenInfo(row[0], row[1], Role(row[2]), row[3], row[4], row[5], bool(row[6]))


def list_tokens(conn: duckdb.DuckDBPyConnection, *, user: str | None = None) -> list[TokenInfo]:
    """Tokens (of one user, or all), oldest first; ids only, never secrets."""
    rows = conn.execute(
        _TOKEN_COLUMNS + "WHERE (? IS NULL OR t.user_name = ?) ORDER BY t.created_at, t.token_id",
        [user, user],
    ).fetchall()
    return [_token_info(r) for r in rows]


def get_token(conn: duckdb.DuckDBPyConnection, token_id: str) -> TokenInfo:
    row = conn.execute(_TOKEN_COLUMNS + "WHERE t.token_id = ?", [token_id]).fetchone()
    if row is None:
        raise UnknownToken(token_id)
    return _token_info(row)


def revoke_token(conn: duckdb.DuckDBPyConnection, *, token_id: str) -> TokenInfo:
    """Stop a token for good (refused within the API's few seconds of token caching)."""
    get_token(conn, token_id)
    conn.execute("UPDATE access.token SET disabled = TRUE WHERE token_id = ?", [token_id])
    return get_token(conn, token_id)
