"""JSON Lines extracts: one object per line with the record type in ``rt``, then a trailer."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.compute as pc

from flis.sources.contract import Contract, FieldSpec
from flis.sources.formats.text import column, join_lines, lit, value_text


def _json_value(values: pa.Array, spec: FieldSpec) -> pa.Array:
    text = value_text(values, spec)
    if spec.type not in ("integer", "decimal"):
        escaped = pc.replace_substring(text, "\\", "\\\\")
        escaped = pc.replace_substring(escaped, '"', '\\"')
        text = pc.binary_join_element_wise(lit('"'), escaped, lit('"'), lit(""))
    return pc.fill_null(text, lit("null"))


def render(contract: Contract, records: dict[str, pa.Table]) -> bytes:
    out = b""
    count = 0
    rt_field = contract.record_type_field or "rt"
    for rt in contract.record_types:
        table = records.get(rt.code)
        if table is None or table.num_rows == 0:
            continue
        count += table.num_rows
        parts: list[pa.Array | str] = []
        for i, f in enumerate(rt.fields):
            prefix = ("{" if i == 0 else ",") + json.dumps(f.name) + ":"
            if f.name == rt_field:
                parts.append(prefix + json.dumps(rt.code))
            else:
                parts += [prefix, _json_value(column(table, f.name), f)]
        parts.append("}")
        arrays = [p if isinstance(p, pa.Array) else lit(p) for p in parts]
        out += join_lines(pc.binary_join_element_wise(*arrays, lit("")))
    trailer = {rt_field: contract.trailer.marker, contract.trailer.count_field: count}
    return out + (json.dumps(trailer, separators=(",", ":")) + "\n").encode()
