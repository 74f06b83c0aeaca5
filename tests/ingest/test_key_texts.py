"""Person keys computed from the lines before validation equal the keys of the fields' values.

Fixed-width and delimited files are keyed in the reading thread from the characters where the
CPR field sits; a loaded record's key must be exactly what SQL would compute from its field.
"""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
import pytest

from flis.ingest.pseudonym import FUNCTION, PersonKeys
from flis.ingest.receive import read
from flis.ingest.validate import Item, validate_batch
from flis.settings import Settings
from tests.ingest.factories import extract, file_name

#: Replacements for a CPR number: blank, padded, short, letters, non-ASCII, another number.
ODD = ["          ", "  01018012", "0101801   ", "010180", "01O1801234", "0101801æ34", "3112999999"]


def _spoil(contract: str, data: bytes, seed: int) -> tuple[bytes, int]:
    """The extract with some CPR fields replaced by odd values; how many were replaced."""
    rng = random.Random(seed)
    lines = data.decode().split("\n")
    spoiled = 0
    for n, line in enumerate(lines):
        if contract == "cpr" and line[:3] in ("001", "002") and rng.random() < 0.6:
            lines[n] = line[:3] + rng.choice(ODD) + line[13:]  # the same width
            spoiled += 1
        elif contract != "cpr" and n > 0 and ";" in line and not line.startswith("SLUT"):
            fields = line.split(";")
            if rng.random() < 0.6:
                fields[1] = rng.choice(ODD).strip() if rng.random() < 0.5 else rng.choice(ODD)
                spoiled += 1
            lines[n] = ";".join(fields)
    return "\n".join(lines).encode(), spoiled


@pytest.mark.parametrize("contract", ["cpr", "payroll-employment"])
@pytest.mark.parametrize("seed", range(4))
def test_keys_from_the_lines_are_the_keys_of_the_fields(
    tmp_path: Path, settings: Settings, contract: str, seed: int
) -> None:
    data, spoiled = _spoil(contract, extract(contract, n=6), seed)
    assert spoiled
    path = tmp_path / file_name(contract)
    path.write_bytes(data)
    keys = PersonKeys("aes-cmac")
    conn = duckdb.connect()
    keys.install(conn, settings)
    received = read(0, path, settings=settings, received_at=None, keys=keys)
    assert received.lines is not None and any(
        c.startswith("__key_") for c in received.lines.table.column_names
    )
    assert received.target is not None
    _, tables = validate_batch(
        conn,
        contract=received.target.contract,
        items=[Item(0, received.target, received.lines)],
        threshold=1.0,
        keys=keys,
    )
    for table in tables.values():
        columns = [r[0] for r in conn.execute(f"DESCRIBE {table}").fetchall()]
        if "cpr__key" not in columns:
            continue
        differ = conn.execute(
            f"SELECT line_no, cpr, cpr__key, {FUNCTION}(cpr) FROM {table} "
            f"WHERE cpr__key IS DISTINCT FROM {FUNCTION}(cpr)"
        ).fetchall()
        assert differ == []
        (checked,) = conn.execute(f"SELECT count(*) FROM {table}").fetchall()[0]
        assert checked
