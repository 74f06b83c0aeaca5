"""Small helpers for writing plain, portable SQL text (quoting only; no query logic)."""

from __future__ import annotations

from collections.abc import Iterable


def ident(name: str) -> str:
    """A quoted identifier."""
    return '"' + name.replace('"', '""') + '"'


def lit(value: object) -> str:
    """A SQL literal for a string, number or ``None``."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def in_list(values: Iterable[object]) -> str:
    """``(v1, v2, ...)`` for an ``IN`` test."""
    return "(" + ", ".join(lit(v) for v in values) + ")"
