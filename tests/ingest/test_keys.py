"""Primary-key uniqueness: every repeat of a key points at the line where it first appeared."""

from __future__ import annotations

import duckdb

from flis.ingest.rules.keys import duplicate_key_sql
from flis.sources.catalogue import contract


def test_each_repeat_names_the_first_line_and_missing_values_are_equal() -> None:
    event = contract("cpr").record_type("002")  # key: cpr, haendelse, dato
    conn = duckdb.connect()
    conn.execute(
        "CREATE TABLE raw AS SELECT * FROM (VALUES "
        "(1, 2, '0101801000', 'TIL', '20240805'), (1, 3, '0101801000', 'TIL', '20240805'), "
        "(1, 4, '0202802000', 'FRA', NULL), (1, 5, '0101801000', 'TIL', '20240805'), "
        "(1, 6, '0202802000', 'FRA', NULL), (1, 7, '0202802000', 'FRA', '20240806'), "
        "(2, 2, '0101801000', 'TIL', '20240805')) "
        "t(file_id, line_no, cpr, haendelse, dato)"
    )
    sql = duplicate_key_sql(event, "raw")
    assert sql is not None
    assert conn.execute(f"{sql} ORDER BY file_id, line_no").fetchall() == [
        (1, 3, "duplicate-key", "cpr, haendelse, dato", "010180-****|TIL|20240805", "2"),
        (1, 5, "duplicate-key", "cpr, haendelse, dato", "010180-****|TIL|20240805", "2"),
        (1, 6, "duplicate-key", "cpr, haendelse, dato", "020280-****|FRA|", "4"),
    ]
