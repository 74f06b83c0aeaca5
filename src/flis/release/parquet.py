"""Deterministic Parquet: fixed writer settings, no timestamps, so equal tables give equal bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

#: Rows per row group: fixed, so the file layout never depends on the machine.
ROW_GROUP_SIZE = 262_144


def write_parquet(table: pa.Table, path: Path) -> None:
    """Write ``table`` in its row order with fixed settings (field metadata kept, no timestamps).

    The file's ``created_by`` names the pyarrow version, so byte equality holds for one version
    (the manifest records the code version; ``flis releases verify`` runs the same code).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(
        table.replace_schema_metadata(None),
        path,
        compression="zstd",
        compression_level=3,
        use_dictionary=True,
        write_statistics=True,
        store_schema=True,
        row_group_size=ROW_GROUP_SIZE,
        data_page_size=1 << 20,
        version="2.6",
    )


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def schema_of(table: pa.Table) -> list[dict[str, str]]:
    """Column names and Arrow types, as the manifest lists them."""
    return [{"name": f.name, "type": str(f.type)} for f in table.schema]
