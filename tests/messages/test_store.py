"""Messages: when they show, to whom, in which order; editing, expiring and deleting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import duckdb
import pytest

from flis.messages.errors import MessageError, UnknownMessage
from flis.messages.model import Draft, Severity
from flis.messages.store import (
    active_messages,
    add_message,
    delete_message,
    expire_message,
    get_message,
    list_messages,
    update_message,
)
from flis.warehouse.connection import open_warehouse

NOW = dt.datetime(2025, 10, 1, 12, 0)
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def conn() -> Iterator[duckdb.DuckDBPyConnection]:
    c = open_warehouse(":memory:")
    yield c
    c.close()


def draft(title: str = "Nedetid", **changes: object) -> Draft:
    fields: dict[str, object] = {
        "severity": Severity.info,
        "title_da": title,
        "title_en": f"{title} (en)",
        "body_da": "Tekst",
        "body_en": "Text",
    }
    return Draft(**{**fields, **changes})  # type: ignore[arg-type]


def add(conn: duckdb.DuckDBPyConnection, title: str, **changes: object) -> int:
    made = add_message(conn, draft=draft(title, **changes), created_by="op", now=NOW)
    return made.message_id


def shown(conn: duckdb.DuckDBPyConnection, municipality: int | None, at: dt.datetime) -> list[str]:
    return [m.title_da for m in active_messages(conn, municipality=municipality, at=at)]


def test_a_new_message_starts_now_and_runs_until_further_notice(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    made = get_message(conn, add(conn, "Nedetid"))
    assert (made.valid_from, made.valid_to, made.created_by, made.created_at) == (
        NOW,
        None,
        "op",
        NOW,
    )
    assert made.audience is None and made.updated_at is None


def test_each_user_sees_the_active_messages_meant_for_its_municipality(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    add(conn, "alle")
    add(conn, "odense", audience=(461,))
    add(conn, "kbh-og-aarhus", audience=(751, 101))
    add(conn, "senere", valid_from=NOW + 2 * HOUR)
    add(conn, "forbi", valid_from=NOW - 2 * HOUR, valid_to=NOW - HOUR)
    assert shown(conn, 461, NOW) == ["odense", "alle"]
    assert shown(conn, 101, NOW) == ["kbh-og-aarhus", "alle"]
    assert shown(conn, 147, NOW) == ["alle"]
    assert shown(conn, None, NOW) == ["kbh-og-aarhus", "odense", "alle"]  # operators: all
    assert shown(conn, 147, NOW + 3 * HOUR) == ["senere", "alle"]


def test_outages_come_first_then_warnings_then_notices(conn: duckdb.DuckDBPyConnection) -> None:
    add(conn, "notits", severity=Severity.info)
    add(conn, "nedbrud", severity=Severity.outage)
    add(conn, "advarsel", severity=Severity.warning)
    assert shown(conn, 461, NOW) == ["nedbrud", "advarsel", "notits"]


def test_the_audience_is_stored_sorted_without_repeats(conn: duckdb.DuckDBPyConnection) -> None:
    assert get_message(conn, add(conn, "x", audience=(751, 101, 751))).audience == (101, 751)


def test_times_with_a_zone_are_stored_in_utc(conn: duckdb.DuckDBPyConnection) -> None:
    copenhagen = dt.timezone(dt.timedelta(hours=2))
    start = dt.datetime(2025, 10, 2, 8, 0, tzinfo=copenhagen)
    assert get_message(conn, add(conn, "x", valid_from=start)).valid_from == dt.datetime(
        2025, 10, 2, 6, 0
    )


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"title_da": "  "}, "needs a title_da"),
        ({"audience": ()}, "audience is empty"),
        ({"audience": (461, 999)}, "unknown municipality codes in the audience: [999]"),
        ({"valid_from": NOW, "valid_to": NOW - HOUR}, "would end"),
        ({"valid_from": dt.datetime(1, 1, 1, tzinfo=dt.timezone(HOUR))}, "out of range"),
    ],
    ids=["blank-title", "empty-audience", "unknown-municipality", "ends-before-start", "range"],
)
def test_a_message_that_cannot_be_shown_is_refused(
    conn: duckdb.DuckDBPyConnection, changes: dict[str, object], words: str
) -> None:
    with pytest.raises(MessageError, match=words.replace("[", r"\[").replace("]", r"\]")):
        add(conn, "x", **changes)
    assert list_messages(conn) == []


def test_an_edit_changes_only_the_given_fields(conn: duckdb.DuckDBPyConnection) -> None:
    mid = add(conn, "gammel", audience=(461,), valid_to=NOW + HOUR)
    later = NOW + dt.timedelta(minutes=5)
    edited = update_message(
        conn,
        message_id=mid,
        changes={"title_da": "ny", "audience": None, "valid_to": None},
        now=later,
    )
    assert (edited.title_da, edited.title_en, edited.audience, edited.valid_to) == (
        "ny",
        "gammel (en)",
        None,
        None,
    )
    assert (edited.valid_from, edited.updated_at, edited.created_at) == (NOW, later, NOW)


@pytest.mark.parametrize(
    ("changes", "words"),
    [({"title_en": None}, "cannot be emptied"), ({"created_by": "x"}, "cannot edit")],
    ids=["emptied", "not-editable"],
)
def test_an_edit_that_would_break_a_message_is_refused(
    conn: duckdb.DuckDBPyConnection, changes: dict[str, object], words: str
) -> None:
    mid = add(conn, "x")
    with pytest.raises(MessageError, match=words):
        update_message(conn, message_id=mid, changes=changes)
    assert get_message(conn, mid).title_en == "x (en)"


def test_expiring_stops_a_message_now_and_keeps_an_ended_one(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    running = add(conn, "kører")
    ended = add(conn, "slut", valid_from=NOW - 2 * HOUR, valid_to=NOW - HOUR)
    later = NOW + HOUR
    assert expire_message(conn, message_id=running, now=later).valid_to == later
    assert expire_message(conn, message_id=ended, now=later).valid_to == NOW - HOUR
    assert shown(conn, 461, later) == []


def test_an_expired_future_message_never_shows(conn: duckdb.DuckDBPyConnection) -> None:
    future = add(conn, "senere", valid_from=NOW + HOUR)
    expire_message(conn, message_id=future, now=NOW)
    assert [shown(conn, 461, NOW + k * HOUR) for k in (0, 1, 2)] == [[], [], []]


def test_deleting_removes_a_message(conn: duckdb.DuckDBPyConnection) -> None:
    mid = add(conn, "x")
    assert delete_message(conn, message_id=mid).title_da == "x"
    with pytest.raises(UnknownMessage, match=f"no message {mid}"):
        get_message(conn, mid)


@pytest.mark.parametrize("action", [expire_message, delete_message], ids=["expire", "delete"])
def test_an_unknown_message_is_named(conn: duckdb.DuckDBPyConnection, action: object) -> None:
    with pytest.raises(UnknownMessage) as caught:
        action(conn, message_id=42)  # type: ignore[operator]
    assert caught.value.message_id == 42 and caught.value.http_status == 404
