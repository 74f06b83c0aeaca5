"""Serialising and splitting extracts by their contract's format (one module per format)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from flis.sources.contract import Contract
from flis.sources.formats import delimited, fixedwidth, jsonl

Records = dict[str, pa.Table]


def render_extract(
    contract: Contract,
    *,
    municipality: int,
    period: str,
    records: Records,
    created: dt.date | None = None,
) -> bytes:
    """The bytes of one extract file, including header and trailer records.

    ``records`` maps record-type code to a table whose columns are the contract's field names
    (the record-type field may be left out; optional fields may be left out or null). Column
    types: integer → int64, decimal → float64, date → date32, everything else → string.
    """
    for code in records:
        contract.record_type(code)  # raises KeyError for an unknown record type
    if contract.format == "delimited":
        return delimited.render(contract, records)
    if contract.format == "fixed-width":
        return fixedwidth.render(
            contract, records, municipality=municipality, period=period, created=created
        )
    return jsonl.render(contract, records)
