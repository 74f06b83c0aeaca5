"""Person keys: the vectorised AES-CMAC and the SQL HMAC equal their reference implementations,
and a warehouse keeps the scheme its keys were made with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import SecretStr

from flis.ingest.pseudonym import (
    DEFAULT_SCHEME,
    CmacKeys,
    PersonKeys,
    birth_date_sql,
    person_key,
    record_scheme,
    recorded_scheme,
    sex_sql,
    warehouse_keys,
)
from flis.settings import Settings
from flis.warehouse.migrate import migrations
from tests.ingest.factories import extract, file_name, records

# NIST SP 800-38B, appendix D (AES-128 also in RFC 4493 section 4): empty and one-block messages.
VECTORS = [
    ("2b7e151628aed2a6abf7158809cf4f3c", "", "bb1d6929e95937287fa37d129b756746"),
    (
        "2b7e151628aed2a6abf7158809cf4f3c",
        "6bc1bee22e409f96e93d7e117393172a",
        "070a16b46b4d4144f79bdd9dd04a287c",
    ),
    (
        "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
        "",
        "028962f61b7bf89efc6b551f4667d983",
    ),
    (
        "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
        "6bc1bee22e409f96e93d7e117393172a",
        "28a7023f452e8f82bd4bf28d8c37c35c",
    ),
]


@pytest.mark.parametrize(("key", "message", "tag"), VECTORS)
def test_vectorised_cmac_gives_the_published_test_vectors(key: str, message: str, tag: str) -> None:
    values = pa.array([bytes.fromhex(message)], pa.binary())
    assert CmacKeys(bytes.fromhex(key)).tags(values)[0].tobytes().hex() == tag


def test_a_cpr_number_of_a_whole_file_is_keyed_as_the_reference_keys_it() -> None:
    cprs = [f"{d:02d}0180{n:04d}" for d in range(1, 29) for n in range(0, 10000, 97)]
    got = CmacKeys.from_secret("s3cret")(pa.array(cprs)).to_pylist()
    assert got == [person_key(c, "s3cret") for c in cprs]
    assert len(set(got)) == len(cprs)


texts = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=20)
cpr_shaped = st.from_regex(r"[0-9]{10}", fullmatch=True)


def _cmac(value: bytes, key: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers import algorithms
    from cryptography.hazmat.primitives.cmac import CMAC

    mac = CMAC(algorithms.AES(key))
    mac.update(value)
    return mac.finalize()


@given(st.lists(st.one_of(st.none(), texts), max_size=40), st.integers(0, 5))
def test_every_tag_is_the_cmac_of_its_value(values: list[str | None], start: int) -> None:
    """Mixed lengths, NULLs, non-ASCII text and sliced arrays: each value as on its own."""
    key = bytes(range(32))
    array = pa.array(["pad"] * start + values, pa.string()).slice(start)
    got = [bytes(t) for t in CmacKeys(key).tags(array)]
    want = [
        _cmac(v.encode(), key) if v is not None and len(v.encode()) <= 16 else bytes(16)
        for v in values
    ]
    assert got == want


@given(st.lists(st.one_of(st.none(), texts, cpr_shaped, cpr_shaped), max_size=40))
def test_person_keys_are_made_for_cpr_shaped_values_only(values: list[str | None]) -> None:
    """Ten ASCII digits get their key; anything else (quarantined, never loaded) gets NULL."""
    got = CmacKeys.from_secret("k")(pa.array(values, pa.string())).to_pylist()
    shaped = [v is not None and len(v) == 10 and v.isascii() and v.isdigit() for v in values]
    assert got == [
        person_key(v, "k") if ok and v is not None else None
        for v, ok in zip(values, shaped, strict=True)
    ]


def test_values_of_alternating_lengths_are_keyed_one_by_one() -> None:
    """More runs of equal length than are reshaped one by one: every value is gathered."""
    values = [f"{i:010d}" if i % 2 else f"{i:09d}" for i in range(2500)]
    got = CmacKeys.from_secret("k")(pa.array(values)).to_pylist()
    assert got == [person_key(v, "k") if len(v) == 10 else None for v in values]


def test_chunked_arrays_are_keyed_like_one_array() -> None:
    chunked = pa.chunked_array([["0101801234"], ["3112999999", None]])
    keys = CmacKeys.from_secret("k")
    assert (
        keys(chunked).to_pylist() == keys(pa.array(["0101801234", "3112999999", None])).to_pylist()
    )


def test_the_key_depends_on_the_secret() -> None:
    assert person_key("0101801234", "a") != person_key("0101801234", "b")
    assert person_key("0101801234", "a", "hmac-sha256") != person_key("0101801234", "a")


@pytest.mark.parametrize("scheme", ["aes-cmac", "hmac-sha256"])
def test_sql_person_key_equals_the_reference(settings: Settings, scheme: str) -> None:
    chosen = settings.model_copy(update={"person_key": SecretStr("x" * 80)})
    keys = PersonKeys(scheme)  # type: ignore[arg-type]
    conn = duckdb.connect()
    keys.install(conn, chosen)
    keys.install(conn, chosen)  # installing twice is harmless
    cprs = ["0101801234", "3112999999", "0202174235"]
    conn.execute("CREATE TABLE c (cpr VARCHAR)")
    conn.executemany("INSERT INTO c VALUES (?)", [[c] for c in cprs])
    got = conn.execute(f"SELECT {keys.sql('cpr')} FROM c ORDER BY cpr").fetchall()
    assert [g[0] for g in got] == [person_key(c, "x" * 80, scheme) for c in sorted(cprs)]  # type: ignore[arg-type]


def test_a_new_warehouse_is_keyed_with_aes_cmac(tmp_path: Path) -> None:
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    for m in migrations():
        conn.execute(m.sql)
    assert recorded_scheme(conn) is None
    assert warehouse_keys(conn).scheme == DEFAULT_SCHEME == "aes-cmac"
    assert recorded_scheme(conn) == "aes-cmac"  # recorded, so the next run keeps it


def test_a_warehouse_with_persons_from_before_keeps_hmac(tmp_path: Path) -> None:
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    older = [m for m in migrations() if m.name != "person_key_scheme"]
    for m in older:
        conn.execute(m.sql)
    conn.execute("INSERT INTO dim.person VALUES (42, DATE '1980-01-01', 'K', 1)")
    (scheme_migration,) = [m for m in migrations() if m.name == "person_key_scheme"]
    conn.execute(scheme_migration.sql)
    assert warehouse_keys(conn).scheme == "hmac-sha256"


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


def test_ingest_keys_persons_by_the_warehouse_scheme(
    inbox: Path,
    ingest: Callable[..., object],
    warehouse: Callable[[], duckdb.DuckDBPyConnection],
    settings: Settings,
) -> None:
    """A warehouse keyed with HMAC-SHA256 before schemes were recorded stays so, every format."""
    conn = warehouse()
    record_scheme(conn, "hmac-sha256")
    conn.close()
    for contract in ("cpr", "payroll-employment", "school"):
        (inbox / file_name(contract)).write_bytes(extract(contract, n=3))
    ingest(inbox)
    conn = warehouse()
    rows = conn.execute("SELECT DISTINCT person_key FROM dim.person").fetchall()
    conn.close()
    secret = settings.person_key.get_secret_value()
    cprs = {c for t in records_of_all() for c in t}
    assert {r[0] for r in rows} == {person_key(c, secret, "hmac-sha256") for c in cprs}


def records_of_all() -> list[list[str]]:
    out = []
    for contract in ("cpr", "payroll-employment", "school"):
        for table in records(contract, n=3).values():
            if "cpr" in table.column_names:
                out.append([str(v) for v in table.column("cpr").to_pylist()])
    return out
