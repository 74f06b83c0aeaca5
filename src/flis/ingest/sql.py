"""Small helpers for writing plain, portable SQL text (quoting only; no query logic)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence


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


def list_table(
    columns: Mapping[str, tuple[str, Sequence[object]]],
) -> tuple[str, list[object]]:
    """A SELECT of small Python lists as columns, and its parameters: ``name → (type, values)``.

    The lists go to DuckDB as list parameters, unnested side by side (all the same length), so
    no Arrow array is built from Python values: ``pyarrow.array`` imports pandas when it is
    installed, a third of a second per process.
    """
    sizes = {len(values) for _, values in columns.values()}
    if len(sizes) > 1:
        raise ValueError(f"columns of different lengths: {sorted(sizes)}")
    parts = ", ".join(
        f"unnest(?::{kind}[]) AS {ident(name)}" for name, (kind, _) in columns.items()
    )
    return f"SELECT {parts}", [list(values) for _, values in columns.values()]
