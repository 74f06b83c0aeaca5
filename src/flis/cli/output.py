"""Printing for people (Rich) or machines (exactly one JSON document), and error handling."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from flis.errors import FlisError, Language
from flis.problem_kinds import localized, title
from flis.settings import load_settings

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


_ERROR_LABEL: dict[Language, str] = {"da": "Fejl", "en": "Error"}


def error_language() -> Language:
    """``FLIS_LANGUAGE`` (Danish by default), read raw when other settings are broken."""
    try:
        chosen = load_settings().language
    except (FlisError, ValueError):  # pydantic's ValidationError is a ValueError
        chosen = os.environ.get("FLIS_LANGUAGE", "da").strip().lower()
    return "en" if chosen == "en" else "da"


def error_document(error: FlisError, lang: Language) -> dict[str, Any]:
    """The ``--json`` error: ``kind``, English ``message``/``hint``, titles and Danish variants."""
    return {
        **error.to_dict(),
        "title": title(error.kind, lang),
        "title_da": title(error.kind, "da"),
        "title_en": title(error.kind, "en"),
        "message_da": error.message_da,
        "hint_da": error.hint_da,
    }


def error_text(error: FlisError, lang: Language) -> str:
    """``Fejl: <title>: <message> (<hint>)`` in ``lang`` (English where not translated)."""
    texts = localized(error, lang)
    hint = f" ({texts['hint']})" if texts["hint"] else ""
    return f"{_ERROR_LABEL[lang]}: {texts['title']}: {texts['message']}{hint}"


def fail(error: FlisError, *, as_json: bool, code: int = 2) -> NoReturn:
    lang = error_language()
    if as_json:
        emit_json({"ok": False, "error": error_document(error, lang)})
    else:
        # soft_wrap: one line per error, so people can copy it and scripts can grep it
        err_console.print(Text(error_text(error, lang), style="red"), soft_wrap=True)
    raise typer.Exit(code)


@contextmanager
def handled(as_json: bool) -> Iterator[None]:
    """Turn a FlisError into ``Fejl: ...`` (or a JSON error document) and exit code 2."""
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
