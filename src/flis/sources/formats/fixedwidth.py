"""Fixed-width extracts as CPR delivers them: start record, typed records, end record."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc

from flis.sources.contract import Contract, FieldSpec
from flis.sources.formats.text import column, join_lines, lit, value_text


def _fixed(values: pa.Array, spec: FieldSpec) -> pa.Array:
    width = spec.width or 0
    text = value_text(values, spec)
    if spec.type == "integer":
        text = pc.utf8_lpad(text, width=width, padding="0")
    text = pc.fill_null(text, lit(""))
    return pc.utf8_rpad(text, width=width, padding=" ")


def render(
    contract: Contract,
    records: dict[str, pa.Table],
    *,
    municipality: int,
    period: str,
    created: dt.date | None,
) -> bytes:
    out = b""
    if contract.header_record:
        start = contract.header_record
        created = created or dt.date(int(period[:4]), int(period[5:7]), 1)
        values = {
            "rt": start.code,
            "kommune": f"{municipality:04d}",
            "periode": period.replace("-", ""),
            "dannet": created.strftime("%Y%m%d"),
        }
        out += ("".join(values[f.name].ljust(f.width or 0) for f in start.fields) + "\n").encode()
    count = 0
    for rt in contract.record_types:
        table = records.get(rt.code)
        if table is None or table.num_rows == 0:
            continue
        count += table.num_rows
        cols = []
        for f in rt.fields:
            if f.name == contract.record_type_field:
                cols.append(pa.array([rt.code] * table.num_rows, pa.string()))
            else:
                cols.append(_fixed(column(table, f.name), f))
        out += join_lines(pc.binary_join_element_wise(*cols, lit("")))
    trailer = contract.trailer
    widths = {f.name: f.width or 0 for f in trailer.fields}
    end = trailer.marker.ljust(widths["rt"]) + str(count).rjust(widths[trailer.count_field], "0")
    return out + (end + "\n").encode()
