"""The person key computed in SQL equals the HMAC-SHA256 reference implementation."""

from __future__ import annotations

import datetime as dt

import duckdb
from pydantic import SecretStr

from flis.ingest.pseudonym import (
    PAD_TABLE,
    birth_date_sql,
    install_pads,
    person_key,
    person_key_sql,
    sex_sql,
)
from flis.settings import Settings


def test_sql_person_key_equals_hmac(settings: Settings) -> None:
    chosen = settings.model_copy(update={"person_key": SecretStr("x" * 80)})
    conn = duckdb.connect()
    install_pads(conn, chosen)
    cprs = ["0101801234", "3112999999", "0202174235"]
    conn.execute("CREATE TABLE c (cpr VARCHAR)")
    conn.executemany("INSERT INTO c VALUES (?)", [[c] for c in cprs])
    got = conn.execute(
        f"SELECT {person_key_sql('cpr')} FROM c CROSS JOIN {PAD_TABLE} k ORDER BY cpr"
    ).fetchall()
    assert [g[0] for g in got] == [person_key(c, b"x" * 80) for c in sorted(cprs)]


def test_birth_date_and_sex_follow_the_cpr_century_rule() -> None:
    conn = duckdb.connect()
    rows = conn.execute(
        f"SELECT {birth_date_sql('cpr')}, {sex_sql('cpr')} FROM (VALUES ('0101801234'), "
        "('0202174235'), ('0303585001'), ('0404994999')) t(cpr)"
    ).fetchall()
    assert rows == [
        (dt.date(1980, 1, 1), "K"),
        (dt.date(2017, 2, 2), "M"),
        (dt.date(1858, 3, 3), "M"),
        (dt.date(1999, 4, 4), "M"),
    ]
