"""CSV as Danish Excel opens it: UTF-8 with BOM, ``;`` between fields, decimal comma.

Headers are the Danish column titles; ``<name>.dictionary.csv`` beside the file lists each column
with its Danish and English title, English description and unit. Rows are streamed from the
Parquet file in batches, so a national dataset never sits in memory as Python objects.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from flis.release.exports.columns import Column, columns

DELIMITER = ";"
BATCH_ROWS = 65_536
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"
DICTIONARY_HEADER = ("column", "title_da", "title_en", "description_en", "unit")


def _decimal_comma(values: pa.Array) -> pa.Array:
    """Floats as shortest round-trip positional text with a comma (no exponent, no NaN)."""
    as_float = pc.cast(values, pa.float64())
    finite = pc.if_else(pc.is_finite(as_float), as_float, pa.scalar(None, pa.float64()))
    text = pc.cast(finite, pa.string())
    if pc.any(pc.match_substring(text, "e")).as_py():
        text = pa.array(
            [
                None if v is None else np.format_float_positional(v, unique=True, trim="-")
                for v in finite.to_pylist()
            ],
            pa.string(),
        )
    return pc.replace_substring(text, ".", ",")


def _as_text(values: pa.Array, col: Column) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if pa.types.is_dictionary(values.type):
        values = values.dictionary_decode()
    if col.is_float:
        return _decimal_comma(values)
    if pa.types.is_timestamp(values.type):
        seconds = pa.timestamp("s", values.type.tz)
        return pc.strftime(pc.cast(values, seconds, safe=False), format=TIMESTAMP_FORMAT)
    if pa.types.is_boolean(values.type):
        return pc.if_else(values, "true", "false")
    return pc.cast(values, pa.string())


def write_csv(source: Path, target: Path) -> list[Path]:
    """Write ``target`` (data) and its ``.dictionary.csv`` from the Parquet file ``source``."""
    parquet = pq.ParquetFile(source)
    cols = columns(parquet.schema_arrow)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=DELIMITER, lineterminator="\n")
        writer.writerow([c.title_da for c in cols])
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
            texts = [_as_text(batch.column(i), c).to_pylist() for i, c in enumerate(cols)]
            writer.writerows(zip(*texts, strict=True))
    return [target, write_dictionary(cols, dictionary_path(target))]


def dictionary_path(target: Path) -> Path:
    return target.with_name(f"{target.stem}.dictionary.csv")


def write_dictionary(cols: list[Column], path: Path) -> Path:
    """The English data dictionary of a CSV file, in the same Danish-Excel conventions."""
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=DELIMITER, lineterminator="\n")
        writer.writerow(DICTIONARY_HEADER)
        writer.writerows((c.name, c.title_da, c.title_en, c.description_en, c.unit) for c in cols)
    return path
