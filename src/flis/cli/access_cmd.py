"""``flis users`` and ``flis tokens``: who may use the API."""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TypeVar

import duckdb
import typer

from flis.access.model import Role
from flis.access.passwords import check_password, set_password
from flis.access.store import User, add_user, create_token, disable_user, list_users
from flis.cli.output import JsonOption, emit_json, handled, print_table
from flis.settings import load_settings
from flis.warehouse.connection import session

users_app = typer.Typer(help="API users: add, list, disable.", no_args_is_help=True)
tokens_app = typer.Typer(help="API bearer tokens (only a hash is stored).", no_args_is_help=True)
T = TypeVar("T")


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the root app."""
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")


def _warehouse() -> AbstractContextManager[duckdb.DuckDBPyConnection]:
    return session(load_settings())


def _run(as_json: bool, fn: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    with handled(as_json), _warehouse() as conn:
        return fn(conn)


PasswordStdinOption = typer.Option(
    False, "--password-stdin", help="Read the cockpit password from the first line of stdin."
)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    text: str = typer.prompt("Password / adgangskode", hide_input=True, confirmation_prompt=True)
    return text


@users_app.command("add")
def users_add(
    name: str = typer.Argument(..., help="User name."),
    role: Role = typer.Option(..., "--role", help="viewer, analyst, data-admin or operator."),
    municipality: int | None = typer.Option(None, "--municipality", help="Own municipality."),
    password_stdin: bool = PasswordStdinOption,
    as_json: bool = JsonOption,
) -> None:
    """Add an API user (with --password-stdin also a cockpit password)."""
    password = _read_password(True) if password_stdin else None

    def add(c: duckdb.DuckDBPyConnection) -> User:
        if password is not None:
            check_password(name, password)  # before the user exists, so a refusal leaves none
        user = add_user(c, name=name, role=role, municipality=municipality)
        if password is not None:
            set_password(c, name=name, password=password)
        return user

    user = _run(as_json, add)
    emit_json(user.to_dict()) if as_json else typer.echo(f"added {user.name} ({user.role})")


@users_app.command("password")
def users_password(
    name: str = typer.Argument(..., help="User name."),
    password_stdin: bool = PasswordStdinOption,
    as_json: bool = JsonOption,
) -> None:
    """Set a user's cockpit password (prompted twice unless --password-stdin)."""
    password = _read_password(password_stdin)
    _run(as_json, lambda c: set_password(c, name=name, password=password))
    emit_json({"user": name, "password": "set"}) if as_json else typer.echo(f"password set: {name}")


@users_app.command("list")
def users_list(as_json: bool = JsonOption) -> None:
    """List the API users."""
    users = _run(as_json, list_users)
    if as_json:
        emit_json([u.to_dict() for u in users])
        return
    rows = [[u.name, u.role.value, u.municipality_code, u.disabled] for u in users]
    print_table("Users", ["name", "role", "municipality", "disabled"], rows)


@users_app.command("disable")
def users_disable(name: str = typer.Argument(...), as_json: bool = JsonOption) -> None:
    """Disable a user (its tokens stop working within seconds)."""
    user = _run(as_json, lambda c: disable_user(c, name=name))
    emit_json(user.to_dict()) if as_json else typer.echo(f"disabled {user.name}")


@tokens_app.command("create")
def tokens_create(
    user: str | None = typer.Option(None, "--user", help="Act as this user."),
    municipality: int | None = typer.Option(None, "--municipality", help="Without --user."),
    role: Role | None = typer.Option(None, "--role", help="Without --user: a service user."),
    expires: int | None = typer.Option(None, "--expires", help="Days until it stops working."),
    as_json: bool = JsonOption,
) -> None:
    """Create a bearer token and print it once (it cannot be shown again)."""
    token = _run(
        as_json,
        lambda c: create_token(
            c, user=user, role=role, municipality=municipality, expires_days=expires
        ),
    )
    emit_json({"token": token}) if as_json else typer.echo(token)
