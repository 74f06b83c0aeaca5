"""Format-level framing of a delivery (one module per contract format)."""

from __future__ import annotations

from flis.ingest.formats.base import FormatReader, Framed
from flis.ingest.formats.delimited import DelimitedReader
from flis.ingest.formats.fixedwidth import FixedWidthReader
from flis.ingest.formats.jsonl import JsonLinesReader
from flis.sources.contract import Contract

_READERS: dict[str, FormatReader] = {
    "delimited": DelimitedReader(),
    "fixed-width": FixedWidthReader(),
    "jsonl": JsonLinesReader(),
}


def reader(contract: Contract) -> FormatReader:
    """The reader for the contract's format."""
    return _READERS[contract.format]


__all__ = ["FormatReader", "Framed", "reader"]
