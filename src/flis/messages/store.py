"""Messages in ``ops.message``: write, edit, expire, delete, and read those active for a user."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

import duckdb

from flis.messages.errors import MessageError, UnknownMessage
from flis.messages.model import Draft, Message, Severity, as_utc, utc_now
from flis.reference.municipalities import is_municipality

_COLUMNS = (
    "message_id, severity, title_da, title_en, body_da, body_en, audience, valid_from, valid_to, "
    "created_by, created_at, updated_at"
)
#: The fields of a draft an edit may change.
EDITABLE = tuple(f.name for f in dataclasses.fields(Draft))
_REQUIRED = ("severity", "title_da", "title_en", "body_da", "body_en")


def _checked(draft: Draft, *, now: dt.datetime) -> Draft:
    """The draft with UTC times and ``valid_from`` filled in; refuses what cannot be shown."""
    for name in ("title_da", "title_en", "body_da", "body_en"):
        if not str(getattr(draft, name)).strip():
            raise MessageError(
                f"the message needs a {name}",
                hint="write it in Danish and English",
                message_da=f"driftsbeskeden mangler {name}",
                hint_da="skriv den på dansk og engelsk",
            )
    if draft.audience is not None:
        if not draft.audience:
            raise MessageError(
                "the audience is empty",
                hint="leave it out to address everyone",
                message_da="modtagerlisten er tom",
                hint_da="udelad den for at skrive til alle",
            )
        unknown = sorted(c for c in set(draft.audience) if not is_municipality(c))
        if unknown:
            raise MessageError(
                f"unknown municipality codes in the audience: {unknown}",
                hint="use the 3-digit codes, e.g. 101 or 461",
                message_da=f"ukendte kommunekoder blandt modtagerne: {unknown}",
                hint_da="brug de 3-cifrede koder, fx 101 eller 461",
            )
    start = as_utc(draft.valid_from) or now
    end = as_utc(draft.valid_to)
    if end is not None and end < start:
        raise MessageError(
            f"the message would end ({end.isoformat()}) before it starts ({start.isoformat()})",
            hint="give valid_to after valid_from, or leave it out",
            message_da=f"driftsbeskeden ville slutte ({end.isoformat()}) før den begynder "
            f"({start.isoformat()})",
            hint_da="angiv valid_to efter valid_from, eller udelad den",
        )
    audience = tuple(sorted(set(draft.audience))) if draft.audience is not None else None
    return dataclasses.replace(
        draft, severity=Severity(draft.severity), audience=audience, valid_from=start, valid_to=end
    )


def _values(d: Draft) -> list[Any]:
    audience = list(d.audience) if d.audience is not None else None
    return [d.severity.value, d.title_da, d.title_en, d.body_da, d.body_en, audience]


def add_message(
    conn: duckdb.DuckDBPyConnection,
    *,
    draft: Draft,
    created_by: str,
    now: dt.datetime | None = None,
) -> Message:
    """Store a new message and return it with its id."""
    at = now or utc_now()
    d = _checked(draft, now=at)
    row = conn.execute(
        "INSERT INTO ops.message (severity, title_da, title_en, body_da, body_en, audience, "
        "valid_from, valid_to, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "RETURNING message_id",
        [*_values(d), d.valid_from, d.valid_to, created_by, at],
    ).fetchone()
    assert row is not None
    return get_message(conn, int(row[0]))


def _message(row: tuple[Any, ...]) -> Message:
    audience = tuple(int(c) for c in row[6]) if row[6] is not None else None
    return Message(
        message_id=row[0],
        severity=Severity(row[1]),
        title_da=row[2],
        title_en=row[3],
        body_da=row[4],
        body_en=row[5],
        audience=audience,
        valid_from=row[7],
        valid_to=row[8],
        created_by=row[9],
        created_at=row[10],
        updated_at=row[11],
    )


def get_message(conn: duckdb.DuckDBPyConnection, message_id: int) -> Message:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM ops.message WHERE message_id = ?", [message_id]
    ).fetchone()
    if row is None:
        raise UnknownMessage(message_id)
    return _message(row)


def list_messages(conn: duckdb.DuckDBPyConnection) -> list[Message]:
    """Every stored message, newest start first (past, active and future)."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM ops.message ORDER BY valid_from DESC, message_id DESC"
    ).fetchall()
    return [_message(r) for r in rows]


def active_messages(
    conn: duckdb.DuckDBPyConnection, *, municipality: int | None, at: dt.datetime | None = None
) -> list[Message]:
    """The messages shown at ``at`` to a user of ``municipality`` (None: an operator, sees all);
    outages first, then warnings, then notices, newest first within each."""
    now = at or utc_now()
    order = {Severity.outage: 0, Severity.warning: 1, Severity.info: 2}
    found = [m for m in list_messages(conn) if m.active(now) and m.meant_for(municipality)]
    return sorted(found, key=lambda m: order[m.severity])


def update_message(
    conn: duckdb.DuckDBPyConnection,
    *,
    message_id: int,
    changes: Mapping[str, Any],
    now: dt.datetime | None = None,
) -> Message:
    """Change some fields of a message (names in ``EDITABLE``). None in ``audience`` means all,
    in ``valid_from`` now, in ``valid_to`` until further notice."""
    wrong = sorted(set(changes) - set(EDITABLE))
    if wrong:
        raise MessageError(
            f"cannot edit {wrong}",
            hint=f"editable fields: {', '.join(EDITABLE)}",
            message_da=f"kan ikke rette {wrong}",
            hint_da=f"felter der kan rettes: {', '.join(EDITABLE)}",
        )
    emptied = sorted(n for n in _REQUIRED if n in changes and changes[n] is None)
    if emptied:
        raise MessageError(
            f"{emptied} cannot be emptied",
            hint="leave a field out to keep it",
            message_da=f"{emptied} kan ikke tømmes",
            hint_da="udelad et felt for at beholde det",
        )
    old = get_message(conn, message_id)
    at = now or utc_now()
    current = {name: getattr(old, name) for name in EDITABLE}
    d = _checked(Draft(**{**current, **changes}), now=at)
    conn.execute(
        "UPDATE ops.message SET severity = ?, title_da = ?, title_en = ?, body_da = ?, "
        "body_en = ?, audience = ?, valid_from = ?, valid_to = ?, updated_at = ? "
        "WHERE message_id = ?",
        [*_values(d), d.valid_from, d.valid_to, at, message_id],
    )
    return get_message(conn, message_id)


def expire_message(
    conn: duckdb.DuckDBPyConnection, *, message_id: int, now: dt.datetime | None = None
) -> Message:
    """Stop showing a message now (a future one never shows); an ended one stays as it is."""
    old = get_message(conn, message_id)
    at = now or utc_now()
    if old.valid_to is not None and old.valid_to <= at:
        return old
    end = max(at, old.valid_from)
    conn.execute(
        "UPDATE ops.message SET valid_to = ?, updated_at = ? WHERE message_id = ?",
        [end, at, message_id],
    )
    return get_message(conn, message_id)


def delete_message(conn: duckdb.DuckDBPyConnection, *, message_id: int) -> Message:
    """Remove a message for good; returns what it was."""
    old = get_message(conn, message_id)
    conn.execute("DELETE FROM ops.message WHERE message_id = ?", [message_id])
    return old
