"""Printing for people (Rich) or machines (exactly one JSON document), and error handling."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from flis.errors import FlisError

console = Console(emoji=False)  # ids such as similar:school:461 are not emoji codes
err_console = Console(stderr=True, emoji=False)


def emit_json(document: Any) -> None:
    """Print one JSON document on stdout."""
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n")


def print_table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    table = Table(title=title)
    for name in columns:
        table.add_column(name)
    for row in rows:
        # Text cells: ids like "similar:school:461" must not be read as emoji or markup codes.
        table.add_row(*(Text("" if v is None else str(v)) for v in row))
    console.print(table)


def fail(error: FlisError, *, as_json: bool, code: int = 2) -> NoReturn:
    if as_json:
        emit_json({"ok": False, "error": error.to_dict()})
    else:
        err_console.print(f"[bold red]Error:[/] {error}")
    raise typer.Exit(code)


@contextmanager
def handled(as_json: bool) -> Iterator[None]:
    """Turn a FlisError into ``Error: ...`` (or a JSON error document) and exit code 2."""
    try:
        yield
    except FlisError as exc:
        fail(exc, as_json=as_json)


JsonOption = typer.Option(False, "--json", help="Print exactly one JSON document on stdout.")


def command_runner(as_json: bool) -> Callable[[Callable[[], Any]], Any]:
    def run(fn: Callable[[], Any]) -> Any:
        with handled(as_json):
            return fn()

    return run
