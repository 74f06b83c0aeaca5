"""SQL that turns a raw VARCHAR field into its contract type (NULL when it does not parse)."""

from __future__ import annotations

from flis.ingest.sql import ident, lit
from flis.sources.contract import Contract, FieldSpec

INTEGER_RE = "-?[0-9]+"
DATE_FORMAT_NAMES = {"%d": "DD", "%m": "MM", "%Y": "YYYY", "%y": "YY"}
#: Field types whose text is parsed into another type; the others are typed as their text.
PARSED_TYPES = frozenset({"integer", "decimal", "date", "month"})


def decimal_re(separator: str) -> str:
    return "-?[0-9]+(" + ("[.]" if separator == "." else "[" + separator + "]") + "[0-9]+)?"


def human_date_format(fmt: str) -> str:
    """``%d-%m-%Y`` → ``DD-MM-YYYY``."""
    for code, name in DATE_FORMAT_NAMES.items():
        fmt = fmt.replace(code, name)
    return fmt


def typed_column(spec: FieldSpec) -> str:
    """The column of a raw record table that holds the typed value of ``spec``.

    Raw tables carry, next to each field's text, its typed value computed once, so that rules
    and the load read it instead of parsing the text again. A field typed as its text (code,
    text, CPR number) is its own typed column, not a copy of it in every raw table.
    """
    return ident(spec.name + "__t" if is_parsed(spec) else spec.name)


def is_parsed(spec: FieldSpec) -> bool:
    """Whether the typed value of ``spec`` differs from its text (it has its own column)."""
    return spec.type in PARSED_TYPES


def typed(contract: Contract, spec: FieldSpec, column: str | None = None) -> str:
    """SQL for the typed value of ``spec`` read from raw column ``column`` (default its name)."""
    v = ident(column or spec.name)
    if not is_parsed(spec):
        return v
    if spec.type == "integer":
        return (
            f"TRY_CAST(CASE WHEN regexp_full_match({v}, {lit(INTEGER_RE)}) THEN {v} END AS BIGINT)"
        )
    if spec.type == "decimal":
        sep = contract.decimal_separator or "."
        text = f"CASE WHEN regexp_full_match({v}, {lit(decimal_re(sep))}) THEN {v} END"
        if sep != ".":
            text = f"replace({text}, {lit(sep)}, '.')"
        return f"TRY_CAST({text} AS DECIMAL(18, 2))"
    if spec.type == "date":
        return f"CAST(try_strptime({v}, {lit(spec.date_format or '%Y-%m-%d')}) AS DATE)"
    return f"CAST(try_strptime({v} || '01', '%Y%m%d') AS DATE)"  # month
