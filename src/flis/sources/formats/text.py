"""Vectorised value formatting shared by the format writers (no per-row Python)."""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flis.sources.contract import FieldSpec

DEFAULT_DATE_FORMAT = "%Y-%m-%d"


@cache
def lit(text: str) -> pa.Scalar:
    """A string scalar, made once: passing plain ``str`` to Arrow compute re-runs slow imports."""
    return pa.scalar(text, pa.string())


def column(table: pa.Table, name: str) -> pa.Array:
    """The named column as one array, or an all-null string array when it is absent."""
    if name in table.column_names:
        return table.column(name).combine_chunks()
    return pa.nulls(table.num_rows, pa.string())


def decimal_text(values: pa.Array, separator: str) -> pa.Array:
    """Decimals with exactly two decimals and the given separator, nulls kept."""
    floats = pc.cast(values, pa.float64()).to_numpy(zero_copy_only=False)
    mask = np.isnan(floats)
    cents = np.rint(np.where(mask, 0.0, floats) * 100).astype(np.int64)
    sign = np.where(cents < 0, "-", "")
    whole = pa.array(np.abs(cents) // 100).cast(pa.string())
    frac = pc.utf8_lpad(pa.array(np.abs(cents) % 100).cast(pa.string()), width=2, padding="0")
    text = pc.binary_join_element_wise(pa.array(sign), whole, lit(separator), frac, lit(""))
    return pc.if_else(pa.array(mask), pa.scalar(None, pa.string()), text)


def value_text(values: pa.Array, spec: FieldSpec, *, decimal_separator: str = ".") -> pa.Array:
    """Text form of a column as it appears in a file (nulls stay null)."""
    if spec.type == "decimal":
        return decimal_text(values, decimal_separator)
    if spec.type == "date":
        if pa.types.is_string(values.type):
            return values
        return pc.strftime(values, format=spec.date_format or DEFAULT_DATE_FORMAT)
    if pa.types.is_string(values.type):
        return values
    return pc.cast(values, pa.string())


def join_lines(lines: pa.Array) -> bytes:
    """Lines joined with LF and a final LF, as UTF-8 bytes."""
    if len(lines) == 0:
        return b""
    joined: str = pc.binary_join(pa.array([lines], pa.list_(pa.string())), "\n")[0].as_py()
    return (joined + "\n").encode("utf-8")
