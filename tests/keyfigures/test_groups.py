"""User-defined groups: create, list, show, delete, and the errors that explain what to do."""

from __future__ import annotations

import duckdb
import pytest

from flis.errors import FlisError
from flis.keyfigures.groups import (
    BadGroupName,
    DuplicateGroup,
    NotUserGroup,
    TooFewMembers,
    UnknownGroup,
    UnknownMember,
    create_group,
    delete_group,
    get_group,
    list_groups,
)
from flis.warehouse.connection import open_warehouse


@pytest.fixture
def conn() -> duckdb.DuckDBPyConnection:
    return open_warehouse(":memory:")


def test_create_show_list_delete(conn: duckdb.DuckDBPyConnection) -> None:
    created = create_group(
        conn,
        name="seks-byer",
        members=[751, 101, 461, 851, 561, 621, 461],
        description="The six largest cities",
        owner="Aarhus Kommune",
    )
    assert created.group_id == "user:seks-byer" and created.kind == "user"
    assert created.codes == (101, 461, 561, 621, 751, 851)  # sorted, duplicates dropped
    assert created.members[0].name == "København" and created.members[0].distance is None
    assert get_group(conn, "seks-byer") == get_group(conn, "user:seks-byer") == created
    create_group(conn, name="2024", members=[101, 147])
    create_group(conn, name="10", members=[101, 147])
    users = [g.group_id for g in list_groups(conn, kind="user")]
    assert users == ["user:10", "user:2024", "user:seks-byer"]
    doc = created.to_dict()
    assert doc["owner"] == "Aarhus Kommune" and isinstance(doc["created_at"], str)
    assert delete_group(conn, name="seks-byer") == created
    assert [g.group_id for g in list_groups(conn, kind="user")] == ["user:10", "user:2024"]
    with pytest.raises(UnknownGroup):
        get_group(conn, "seks-byer")


def test_nation_region_and_dst_groups_exist_before_any_build(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    region = get_group(conn, "region:1084")
    assert region.name == "Region Hovedstaden" and len(region.codes) == 29
    assert get_group(conn, "dst:2").codes == (461, 751, 851)
    assert len(get_group(conn, "nation").codes) == 98
    ids = [g.group_id for g in list_groups(conn)]
    assert ids[:6] == ["nation", *(f"dst:{n}" for n in range(1, 6))] and len(ids) == 11


@pytest.mark.parametrize(
    ("name", "members", "error", "kind"),
    [
        ("Seks Byer", [101, 461], BadGroupName, "bad-group-name"),
        ("ok", [101, 999, 998], UnknownMember, "unknown-municipality"),
        ("ok", [101, 101], TooFewMembers, "too-few-members"),
        ("taken", [101, 461], DuplicateGroup, "duplicate-group"),
    ],
    ids=["bad-name", "unknown-municipality", "too-few", "duplicate"],
)
def test_create_errors(
    conn: duckdb.DuckDBPyConnection,
    name: str,
    members: list[int],
    error: type[FlisError],
    kind: str,
) -> None:
    create_group(conn, name="taken", members=[147, 151])
    with pytest.raises(error) as caught:
        create_group(conn, name=name, members=members)
    assert caught.value.kind == kind and caught.value.hint
    assert [g.group_id for g in list_groups(conn, kind="user")] == ["user:taken"]


def test_unknown_member_names_every_bad_code(conn: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(UnknownMember, match="998, 999"):
        create_group(conn, name="x", members=[999, 101, 998])


def test_only_user_groups_are_deleted(conn: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(NotUserGroup):
        delete_group(conn, name="region:1084")
    with pytest.raises(UnknownGroup, match="user:nobody"):
        delete_group(conn, name="nobody")
    with pytest.raises(UnknownGroup) as caught:
        get_group(conn, "similar:school:461")
    assert "flis groups build" in str(caught.value)
