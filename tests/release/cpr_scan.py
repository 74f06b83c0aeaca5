"""A scanner for CPR-number-like text (DDMMYY-SSSS or DDMMYYSSSS with a valid day and month)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq

#: Not inside a longer token, and not the decimals of a number (``16,2810999564``).
CPR = re.compile(
    r"(?<![0-9A-Za-z])(?<![0-9][.,])"
    r"(?:0[1-9]|[12][0-9]|3[01])(?:0[1-9]|1[0-2])[0-9]{2}-?[0-9]{4}(?![0-9A-Za-z])"
)


def texts(path: Path) -> Iterator[str]:
    """The readable text of a file: Parquet cells, the XML parts of XLSX, other files as bytes."""
    if path.suffix == ".parquet":
        table = pq.read_table(path)
        for column in table.columns:
            yield "\n".join("" if v is None else str(v) for v in column.to_pylist())
        yield str(table.schema)
    elif path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            for name in book.namelist():
                yield book.read(name).decode("utf-8", "replace")
    else:
        yield path.read_bytes().decode("latin-1")


def find_cprs(text: str) -> list[str]:
    return CPR.findall(text)


def scan(folder: Path) -> dict[str, list[str]]:
    """File → CPR-like strings found, for every file under ``folder``."""
    found: dict[str, list[str]] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        hits = [hit for text in texts(path) for hit in find_cprs(text)]
        if hits:
            found[str(path.relative_to(folder))] = hits[:5]
    return found
