"""``/api/v1/groups``: DST groups, regions, similarity groups and user-defined groups."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from flis.api.auth import can_delete_group, require
from flis.api.deps import PrincipalDep, StateDep, WarehouseDep
from flis.api.schemas import GroupIn, GroupOut
from flis.keyfigures.groups import Group, create_group, delete_group, get_group, list_groups

router = APIRouter(prefix="/groups", tags=["groups"])


def _out(group: Group) -> GroupOut:
    data: dict[str, Any] = group.to_dict()
    return GroupOut.model_validate(data)


@router.get("", response_model=list[GroupOut])
def groups(
    conn: WarehouseDep,
    kind: Annotated[str | None, Query(description="nation, dst, region, similar or user")] = None,
) -> list[GroupOut]:
    return [_out(g) for g in list_groups(conn, kind=kind)]


@router.get("/{group_id}", response_model=GroupOut)
def group(group_id: str, conn: WarehouseDep) -> GroupOut:
    return _out(get_group(conn, group_id))


@router.post("", response_model=GroupOut, status_code=201)
def create(body: GroupIn, principal: PrincipalDep, state: StateDep) -> GroupOut:
    with state.lock:  # one writer
        made = create_group(
            state.conn,
            name=body.name,
            members=body.members,
            description=body.description,
            owner=principal.user,
        )
    return _out(made)


@router.delete("/{group_id}", response_model=GroupOut)
def delete(group_id: str, principal: PrincipalDep, state: StateDep) -> GroupOut:
    with state.lock:
        found = get_group(state.conn, group_id)
        require(
            can_delete_group(principal, found.owner),
            "only the owner deletes a user group",
            "kun ejeren kan slette en brugergruppe",
        )
        return _out(delete_group(state.conn, name=group_id))
