"""The build record of the similar groups, their membership checksum, and when they are stale."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import duckdb
import pytest

from flis.keyfigures.similarity import build_similarity
from flis.keyfigures.similarity_record import membership, staleness, stored_build
from flis.warehouse.connection import open_warehouse
from tests.keyfigures.test_similarity import make_residents

Conn = duckdb.DuckDBPyConnection


@pytest.fixture
def conn() -> Conn:
    return open_warehouse(":memory:")


def test_a_build_records_its_month_k_and_whether_the_month_was_chosen(conn: Conn) -> None:
    make_residents(conn)
    report = build_similarity(conn)
    first = stored_build(conn)
    assert first is not None
    assert (first.method_version, first.month, first.k, first.month_is_latest) == (
        report.method_version,
        "2024-09",
        10,
        True,
    )
    assert first.command == "flis groups build"
    build_similarity(conn, k=5, month="2024-09")  # the record is replaced, not added to
    assert conn.execute("SELECT count(*) FROM keyfigures.similarity_build").fetchone() == (1,)
    second = stored_build(conn)
    assert second is not None and (second.k, second.month_is_latest) == (5, False)
    assert second.command == "flis groups build --k 5 --month 2024-09"


def test_the_membership_checksum_covers_the_sorted_similar_memberships_only(conn: Conn) -> None:
    make_residents(conn)
    build_similarity(conn, k=5)
    rows = conn.execute(
        "SELECT group_id, municipality_code FROM keyfigures.group_member "
        "WHERE group_id LIKE 'similar:%' ORDER BY ALL"
    ).fetchall()
    expected = hashlib.sha256("".join(f"{g}\t{c}\n" for g, c in rows).encode()).hexdigest()
    assert membership(conn) == (98 * 4, expected)
    conn.execute(
        "INSERT INTO keyfigures.\"group\" VALUES ('user:x', 'user', 'x', NULL, NULL, "
        "NULL, NULL, NULL, TIMESTAMP '2025-01-01')"
    )
    conn.execute("INSERT INTO keyfigures.group_member VALUES ('user:x', 101, NULL, NULL)")
    assert membership(conn) == (98 * 4, expected)  # user groups are not published
    build_similarity(conn, k=6)
    assert membership(conn)[1] != expected


def _later_cpr_month(conn: Conn) -> None:
    make_residents(conn, month="2024-10")


def _redelivery_with_fewer_residents(conn: Conn) -> None:
    conn.execute(
        "DELETE FROM citizens.resident_month WHERE home_municipality = 101 AND person_key % 2 = 0"
    )


def _groups_from_before_v0009(conn: Conn) -> None:
    conn.execute("DELETE FROM keyfigures.similarity_build")


def _groups_deleted(conn: Conn) -> None:
    conn.execute("DELETE FROM keyfigures.group_member WHERE group_id LIKE 'similar:%'")
    conn.execute("DELETE FROM keyfigures.\"group\" WHERE kind = 'similar'")


def _nothing(conn: Conn) -> None:
    pass


@pytest.mark.parametrize(
    ("month", "change", "reason", "command"),
    [
        (None, _nothing, None, None),
        ("2024-09", _nothing, None, None),
        (None, _later_cpr_month, "newer-month", "flis groups build"),
        ("2024-09", _later_cpr_month, None, None),  # a chosen month stays chosen
        (None, _redelivery_with_fewer_residents, "inputs-changed", "flis groups build"),
        (
            "2024-09",
            _redelivery_with_fewer_residents,
            "inputs-changed",
            "flis groups build --month 2024-09",
        ),
        (None, _groups_from_before_v0009, "unrecorded", "flis groups build"),
        (None, _groups_deleted, "missing", "flis groups build"),
    ],
    ids=[
        "fresh",
        "fresh-chosen-month",
        "later-cpr-month",
        "later-cpr-month-chosen-month",
        "redelivery",
        "redelivery-chosen-month",
        "unrecorded",
        "missing",
    ],
)
def test_groups_are_stale_when_the_warehouse_moved_on_since_they_were_built(
    conn: Conn,
    month: str | None,
    change: Callable[[Conn], None],
    reason: str | None,
    command: str | None,
) -> None:
    make_residents(conn)
    build_similarity(conn, month=month)
    change(conn)
    found = staleness(conn)
    assert (found and found.reason, found and found.command) == (reason, command)


def test_without_cpr_data_no_groups_are_not_stale(conn: Conn) -> None:
    assert staleness(conn) is None
    make_residents(conn)
    missing = staleness(conn)
    assert missing is not None and missing.reason == "missing"
    assert "CPR" in missing.detail and "CPR" in missing.detail_da
