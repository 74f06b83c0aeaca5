"""Person keys: a keyed hash (HMAC-SHA256) of the CPR number, computed inside DuckDB.

Raw CPR numbers never reach the warehouse. The key comes from settings (``FLIS_PERSON_KEY``);
the built-in demo key is refused unless demo mode is on (see :class:`flis.settings.Settings`).
The person key is the first 60 bits of the HMAC as a positive BIGINT, shared by all areas so
that they can be linked. The SQL form uses only ``sha256``, ``unhex`` and concatenation, so it
runs vectorised and in parallel; :func:`person_key` is the reference implementation.
"""

from __future__ import annotations

import hashlib
import hmac

import duckdb

from flis.ingest.sql import ident
from flis.settings import Settings

_BLOCK = 64
#: Name of the temporary one-row table holding the HMAC pads (never persisted).
PAD_TABLE = "person_key_pads"


def _pads(key: bytes) -> tuple[bytes, bytes]:
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def person_key(cpr: str, key: bytes) -> int:
    """The person key of one CPR number (reference implementation)."""
    digest = hmac.new(key, cpr.encode("ascii"), hashlib.sha256).hexdigest()
    return int(digest[:15], 16)


def install_pads(conn: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Put the HMAC pads for the configured key in a temporary table of this connection."""
    inner, outer = _pads(settings.person_key.get_secret_value().encode("utf-8"))
    conn.execute(f"CREATE OR REPLACE TEMP TABLE {PAD_TABLE} (ipad BLOB, opad BLOB)")
    conn.execute(f"INSERT INTO {PAD_TABLE} VALUES (?, ?)", [inner, outer])


def person_key_sql(column: str, pads: str = "k") -> str:
    """SQL for the person key of CPR column ``column``; ``pads`` aliases the pad table."""
    inner = f"unhex(sha256({pads}.ipad || encode({ident(column)})))"
    return f"CAST('0x' || substr(sha256({pads}.opad || {inner}), 1, 15) AS BIGINT)"


def birth_date_sql(v: str) -> str:
    """Birth date from CPR number expression ``v`` (century from the 7th digit, as CPR does)."""
    yy = f"CAST(substr({v}, 5, 2) AS INTEGER)"
    d7 = f"CAST(substr({v}, 7, 1) AS INTEGER)"
    century = (
        f"CASE WHEN {d7} <= 3 THEN 1900 WHEN {d7} IN (4, 9) THEN "
        f"CASE WHEN {yy} <= 36 THEN 2000 ELSE 1900 END "
        f"ELSE CASE WHEN {yy} <= 57 THEN 2000 ELSE 1800 END END"
    )
    return (
        f"make_date({century} + {yy}, CAST(substr({v}, 3, 2) AS INTEGER), "
        f"CAST(substr({v}, 1, 2) AS INTEGER))"
    )


def sex_sql(v: str) -> str:
    """Sex from CPR number expression ``v``: odd last digit M, even K."""
    return f"CASE WHEN CAST(substr({v}, 10, 1) AS INTEGER) % 2 = 1 THEN 'M' ELSE 'K' END"


def derived_person_columns(column: str, row: str = "r") -> str:
    """``<cpr>__birth`` and ``<cpr>__sex`` derived from CPR column ``column`` of alias ``row``.

    Only from a well-formed CPR number (the others are quarantined and never loaded). They are
    computed where the load reads them, not for every record validated.
    """
    v = f"{row}.{ident(column)}"
    valid = (
        f"regexp_full_match({v}, '[0-9]{{10}}') "
        f"AND try_strptime(substr({v}, 1, 6), '%d%m%y') IS NOT NULL"
    )
    return (
        f"CASE WHEN {valid} THEN {birth_date_sql(v)} END AS {ident(column + '__birth')}, "
        f"CASE WHEN {valid} THEN {sex_sql(v)} END AS {ident(column + '__sex')}"
    )
