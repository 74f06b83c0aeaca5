"""JSON Lines: one parse tells whether a line is a JSON object, as json_valid and json_type do."""

from __future__ import annotations

import duckdb
from hypothesis import given
from hypothesis import strategies as st

from flis.ingest.formats.jsonl import JsonLinesReader
from flis.sources.catalogue import contract

pieces = st.sampled_from(["{", "}", "[", "]", '"rt"', ":", ",", '"a"', "1", "null", " ", "x", '"'])


@given(st.lists(st.lists(pieces, max_size=8).map("".join), min_size=1, max_size=20))
def test_a_line_is_ok_exactly_when_it_is_a_json_object(lines: list[str]) -> None:
    conn = duckdb.connect()
    conn.execute("CREATE TABLE body (file_id BIGINT, line_no BIGINT, line VARCHAR)")
    conn.executemany("INSERT INTO body VALUES (0, ?, ?)", list(enumerate(lines)))
    prepare = JsonLinesReader().prepare_sql(contract("school"))
    assert prepare is not None
    conn.execute(prepare)
    wrong = conn.execute(
        "SELECT line FROM json_body WHERE ok IS DISTINCT FROM "
        "(CASE WHEN json_valid(line) THEN json_type(line) = 'OBJECT' ELSE FALSE END)"
    ).fetchall()
    assert wrong == []
