"""The log of administrative actions (``access.admin_action``): who changed what, and when."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from typing import Any

import duckdb


@dataclass(frozen=True)
class Action:
    acted_at: dt.datetime
    user_name: str
    role: str
    action: str
    target: str
    detail: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "acted_at": self.acted_at.isoformat()}


def record_action(
    conn: duckdb.DuckDBPyConnection,
    *,
    user: str,
    role: str,
    action: str,
    target: str,
    detail: dict[str, Any] | None = None,
) -> None:
    """Write one row: ``user`` (acting as ``role``) did ``action`` to ``target``.

    ``detail`` holds the action's arguments; callers never pass a token or secret.
    """
    conn.execute(
        "INSERT INTO access.admin_action VALUES (?, ?, ?, ?, ?, ?)",
        [
            dt.datetime.now(dt.UTC).replace(tzinfo=None),
            user,
            role,
            action,
            target,
            json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, default=str),
        ],
    )


def action_rows(
    conn: duckdb.DuckDBPyConnection,
    *,
    action: str | None = None,
    user: str | None = None,
    limit: int = 1000,
) -> list[Action]:
    """The newest actions first, optionally of one kind (``user.create``) or one actor."""
    rows = conn.execute(
        "SELECT acted_at, user_name, role, action, target, detail FROM access.admin_action "
        "WHERE (? IS NULL OR action = ?) AND (? IS NULL OR user_name = ?) "
        "ORDER BY acted_at DESC, rowid DESC LIMIT ?",
        [action, action, user, user, limit],
    ).fetchall()
    return [Action(r[0], r[1], r[2], r[3], r[4], json.loads(r[5])) for r in rows]
