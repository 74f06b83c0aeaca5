"""``flis messages``: operational messages for the municipalities' users (docs/api.md)."""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable

import duckdb
import typer

from flis.access.actions import record_action
from flis.cli.output import JsonOption, emit_json, handled, print_table
from flis.messages.errors import MessageError
from flis.messages.model import Draft, Message, Severity
from flis.messages.store import active_messages, add_message, expire_message, list_messages
from flis.settings import load_settings
from flis.warehouse.connection import session

messages_app = typer.Typer(
    help="Operational messages (driftsbeskeder): add, list, expire.", no_args_is_help=True
)
_TIME = ["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the root app."""
    app.add_typer(messages_app, name="messages")


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _change(
    as_json: bool, action: str, change: Callable[[duckdb.DuckDBPyConnection], Message]
) -> Message:
    """Run ``change`` and log it in ``access.admin_action`` in one transaction."""
    with handled(as_json), session(load_settings()) as conn:
        conn.execute("BEGIN TRANSACTION")
        message = change(conn)
        record_action(
            conn, user=_actor(), role="cli", action=action, target=str(message.message_id)
        )
        conn.execute("COMMIT")
    return message


def _codes(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(c) for c in text.split(","))
    except ValueError:
        raise MessageError(
            f"--audience '{text}' is not a list of municipality codes",
            hint="e.g. 101,461",
            message_da=f"--audience '{text}' er ikke en liste af kommunekoder",
            hint_da="fx 101,461",
        ) from None


def _show(messages: list[Message], as_json: bool) -> None:
    if as_json:
        emit_json({"messages": [m.to_dict() for m in messages]})
        return
    rows = [
        [
            m.message_id,
            m.severity.value,
            m.title_da,
            ",".join(map(str, m.audience)) if m.audience else "alle/all",
            m.valid_from,
            m.valid_to,
            m.created_by,
        ]
        for m in messages
    ]
    columns = ["id", "severity", "title", "audience", "from", "to", "by"]
    print_table("Driftsbeskeder / messages", columns, rows)


@messages_app.command("add")
def add_command(
    severity: Severity = typer.Option(..., "--severity", help="info, warning or outage."),
    title_da: str = typer.Option(..., "--title-da", help="Title in Danish."),
    title_en: str = typer.Option(..., "--title-en", help="Title in English."),
    body_da: str = typer.Option(..., "--body-da", help="Text in Danish."),
    body_en: str = typer.Option(..., "--body-en", help="Text in English."),
    audience: str | None = typer.Option(
        None, "--audience", help="Municipality codes, comma-separated (default: all)."
    ),
    valid_from: dt.datetime | None = typer.Option(
        None, "--from", formats=_TIME, help="Start, UTC: YYYY-MM-DD[THH:MM[:SS]] (default now)."
    ),
    valid_to: dt.datetime | None = typer.Option(
        None, "--to", formats=_TIME, help="End, UTC (default: until expired)."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Add a message; it shows from --from (default now) until --to or until expired."""
    with handled(as_json):
        codes = _codes(audience) if audience else None
    draft = Draft(severity, title_da, title_en, body_da, body_en, codes, valid_from, valid_to)
    made = _change(
        as_json, "message.create", lambda c: add_message(c, draft=draft, created_by=_actor())
    )
    _show([made], as_json)


@messages_app.command("list")
def list_command(
    active: bool = typer.Option(False, "--active", help="Only those shown now."),
    municipality: int | None = typer.Option(
        None, "--municipality", help="With --active: as a user of this municipality sees them."
    ),
    as_json: bool = JsonOption,
) -> None:
    """List messages, newest first (all, or only the active ones)."""
    with handled(as_json), session(load_settings()) as conn:
        found = active_messages(conn, municipality=municipality) if active else list_messages(conn)
    _show(found, as_json)


@messages_app.command("expire")
def expire_command(
    message_id: int = typer.Argument(..., metavar="ID", help="Message id."),
    as_json: bool = JsonOption,
) -> None:
    """Stop showing a message now."""
    done = _change(as_json, "message.expire", lambda c: expire_message(c, message_id=message_id))
    _show([done], as_json)
