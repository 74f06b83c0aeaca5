"""Delimited text extracts: a header line, one line per record, and a trailer line."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flis.sources.contract import Contract
from flis.sources.formats.text import column, join_lines, lit, value_text


def render(contract: Contract, records: dict[str, pa.Table]) -> bytes:
    (rt,) = contract.record_types
    table = records.get(rt.code, pa.table({}))
    delimiter = contract.delimiter or ";"
    sep = contract.decimal_separator or "."
    cols = (
        [value_text(column(table, f.name), f, decimal_separator=sep) for f in rt.fields]
        if table.num_rows
        else []
    )
    header = delimiter.join(rt.field_names) if contract.header else None
    body = (
        pc.binary_join_element_wise(
            *cols, lit(delimiter), null_handling="replace", null_replacement=""
        )
        if cols
        else pa.array([], pa.string())
    )
    out = (header + "\n").encode("utf-8") if header else b""
    out += join_lines(body)
    out += (delimiter.join(_trailer(contract, table)) + "\n").encode("utf-8")
    return out


def _trailer(contract: Contract, table: pa.Table) -> list[str]:
    values = [contract.trailer.marker, str(table.num_rows)]
    if contract.trailer.sum_field and contract.trailer.sum_of:
        _, field = contract.trailer.sum_of.split(".")
        amounts = column(table, field) if table.num_rows else pa.array([], pa.float64())
        cents = np.rint(pc.cast(amounts, pa.float64()).to_numpy(zero_copy_only=False) * 100).astype(
            np.int64
        )
        total = int(cents.sum())
        sign = "-" if total < 0 else ""
        values.append(
            f"{sign}{abs(total) // 100}{contract.decimal_separator or '.'}{abs(total) % 100:02d}"
        )
    return values
