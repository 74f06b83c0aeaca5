"""Cockpit passwords: scrypt with a per-user random salt, verified in constant time.

Stored as ``scrypt$<n>$<r>$<p>$<salt hex>$<hash hex>`` in ``access.app_user.password_hash`` so
the cost parameters can be raised later without breaking stored hashes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

import duckdb

from flis.access.errors import AccessError
from flis.access.model import Principal, Role
from flis.access.store import get_user

#: scrypt cost (2**14), block size and parallelism: about 16 MiB and tens of ms per check.
N, R, P = 2**14, 8, 1
MIN_LENGTH = 10
_DUMMY = f"scrypt${N}${R}${P}${'00' * 16}${'00' * 32}"


def hash_password(password: str) -> str:
    """A new salted scrypt hash of ``password`` in the stored format."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=N, r=R, p=P, dklen=32)
    return f"scrypt${N}${R}${P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a stored hash (constant-time compare; False if malformed)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        found = hashlib.scrypt(
            password.encode("utf-8"),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(digest) // 2,
        )
    except ValueError:
        return False
    return hmac.compare_digest(found.hex(), digest)


def check_password(name: str, password: str) -> None:
    """Refuse a password that is too short to be a cockpit password, saying what to do."""
    if len(password) < MIN_LENGTH:
        raise AccessError(
            f"the password for '{name}' is too short ({len(password)} characters)",
            hint=f"use at least {MIN_LENGTH} characters, e.g. a few unrelated words",
            message_da=f"adgangskoden for '{name}' er for kort ({len(password)} tegn)",
            hint_da=f"brug mindst {MIN_LENGTH} tegn, fx et par ord der ikke hænger sammen",
        )


def set_password(conn: duckdb.DuckDBPyConnection, *, name: str, password: str) -> None:
    """Give user ``name`` a cockpit password (at least MIN_LENGTH characters)."""
    check_password(name, password)
    get_user(conn, name)
    conn.execute(
        "UPDATE access.app_user SET password_hash = ? WHERE name = ?",
        [hash_password(password), name],
    )


def principal_for_password(
    conn: duckdb.DuckDBPyConnection, *, name: str, password: str
) -> Principal | None:
    """The principal of an enabled user whose password matches, else None.

    An unknown user costs the same scrypt work as a wrong password, so timing does not tell
    which user names exist.
    """
    row = conn.execute(
        "SELECT role, municipality_code, password_hash, disabled FROM access.app_user "
        "WHERE name = ?",
        [name],
    ).fetchone()
    stored = row[2] if row and row[2] else _DUMMY
    ok = verify_password(password, stored)
    if row is None or not row[2] or row[3] or not ok:
        return None
    return Principal(user=name, role=Role(row[0]), municipality=row[1])
