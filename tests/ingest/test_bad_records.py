"""The ``_bad`` flag of a raw record is true exactly when at least one field rule reports it.

Validation decides in one pass which records are clean and makes findings only for the others,
so the flag and the rules must never disagree: a record flagged but unreported would be
quarantined without a reason, one reported but unflagged would be loaded.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flis.ingest.formats import reader
from flis.ingest.parse import split_lines
from flis.ingest.rules.fields import bad_condition, field_rules
from flis.ingest.sql import ident, lit
from flis.ingest.target import Target
from flis.ingest.types import is_parsed, typed, typed_column
from flis.reference import codelist
from flis.sources.catalogue import contracts
from flis.sources.contract import Contract, FieldSpec, RecordType
from tests.ingest.factories import extract

RECORD_TYPES = [(c, rt) for c in contracts().values() for rt in c.record_types]
COMMON = [None, "", " x", "x", "0", "101", "461", "9999", "-1", "12,5", "1.5", "-3,25", "20240915",
          "15-09-2024", "2024-09-15", "31-02-2024", "202409", "0101801234", "3112999999",
          "3213801234", "0.25.10.1.7.1", "123456", "A1"]  # fmt: skip


def candidates(spec: FieldSpec) -> list[str | None]:
    codes = sorted(codelist(spec.codelist).code_set())[:4] if spec.codelist else []
    return [*COMMON, *codes]


def valid_rows(contract: Contract, rt: RecordType) -> list[tuple[str | None, ...]]:
    """The field texts of the valid records of a small extract, as validation reads them."""
    fmt = reader(contract)
    framed = fmt.frame(Target(contract, 461, "2024-08", 1), split_lines(extract(contract.id, n=3)))
    assert framed.body is not None and not framed.findings
    conn = duckdb.connect()
    body = framed.body  # noqa: F841 - scanned by name below
    conn.execute("CREATE TABLE body AS SELECT 0::BIGINT AS file_id, * FROM body")
    prepare = fmt.prepare_sql(contract)
    if prepare:
        conn.execute(prepare)
    names = ", ".join(ident(f.name) for f in rt.fields)
    rows = conn.execute(f"SELECT {names} FROM ({fmt.fields_sql(contract, rt)})").fetchall()
    assert rows, rt.code
    return rows


def raw_table(conn: duckdb.DuckDBPyConnection, contract: Contract, rt: RecordType) -> None:
    """Table ``raw`` of text columns ``t_<field>``, typed like a raw record table's."""
    text = ", ".join(f"t_{i} AS {ident(f.name)}" for i, f in enumerate(rt.fields))
    parsed = "".join(
        f", {typed(contract, f)} AS {typed_column(f)}" for f in rt.fields if is_parsed(f)
    )
    conn.execute(
        f"CREATE OR REPLACE TABLE raw AS SELECT *{parsed} FROM (SELECT line_no, {text}, "
        '"_municipality", "_first_day", "_last_day", "_period" FROM src)'
    )


@pytest.mark.parametrize(
    ("contract", "rt"), RECORD_TYPES, ids=lambda x: getattr(x, "id", None) or x.code
)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_bad_flag_is_exactly_some_rule_reporting(
    contract: Contract, rt: RecordType, data: st.DataObject
) -> None:
    valid = valid_rows(contract, rt)
    rows = []
    for _ in range(data.draw(st.integers(1, 20))):  # valid records with 0-2 fields changed
        row = list(data.draw(st.sampled_from(valid)))
        for at in data.draw(st.lists(st.integers(0, len(row) - 1), max_size=2)):
            row[at] = data.draw(st.sampled_from(candidates(rt.fields[at])))
        rows.append(tuple(row))
    municipality = data.draw(st.sampled_from([461, 461, 101]))
    conn = duckdb.connect()
    columns = ", ".join(f"t_{i} VARCHAR" for i in range(len(rt.fields)))
    conn.execute(
        f"CREATE TABLE src (line_no BIGINT, {columns}, _municipality BIGINT, _first_day DATE, "
        "_last_day DATE, _period VARCHAR)"
    )
    marks = ", ".join("?" * (len(rt.fields) + 5))
    conn.executemany(
        f"INSERT INTO src VALUES ({marks})",
        [
            [n, *row, municipality, dt.date(2024, 8, 1), dt.date(2024, 8, 31), "2024-08"]
            for n, row in enumerate(rows)
        ],
    )
    raw_table(conn, contract, rt)
    reported = " OR ".join(f"({r.condition}) IS TRUE" for r in field_rules(contract, rt)) or "FALSE"
    disagree = conn.execute(
        f"SELECT line_no FROM raw WHERE (({bad_condition(contract, rt)}) IS TRUE) <> ({reported})"
    ).fetchall()
    assert disagree == []


def test_the_home_municipality_rules_are_merged_into_one_comparison() -> None:
    cpr = contracts()["cpr"]
    sql = bad_condition(cpr, cpr.record_type("001"))
    assert lit(101) not in sql  # the list of 98 codes is gone for the home field
