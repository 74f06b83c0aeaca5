"""``/api/v1/messages`` (every signed-in user reads those meant for it) and
``/api/v1/admin/messages`` (operators write, edit, expire and delete them)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from flis.api.auth import can_read_messages, require
from flis.api.deps import PrincipalDep, StateDep, WarehouseDep
from flis.api.routes.admin import OperatorDep, act, require_operator
from flis.api.schemas import MessageIn, MessageOut, MessagePatch
from flis.messages.model import Draft, Message, Severity
from flis.messages.store import (
    active_messages,
    add_message,
    delete_message,
    expire_message,
    get_message,
    list_messages,
    update_message,
)

router = APIRouter(tags=["messages"])
admin = APIRouter(
    prefix="/admin/messages",
    tags=["admin"],
    dependencies=[Depends(require_operator)],
)
MessageId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _out(message: Message) -> MessageOut:
    return MessageOut.model_validate(message.to_dict())


@router.get("/messages", response_model=list[MessageOut])
def messages(principal: PrincipalDep, conn: WarehouseDep) -> list[MessageOut]:
    """The messages shown now to the caller's municipality (operators: all), outages first."""
    require(
        can_read_messages(principal),
        "messages are for signed-in users",
        "driftsbeskeder er for brugere der er logget ind",
    )
    return [_out(m) for m in active_messages(conn, municipality=principal.municipality)]


@admin.get("", response_model=list[MessageOut])
def all_messages(conn: WarehouseDep) -> list[MessageOut]:
    """Every message: past, active and future."""
    return [_out(m) for m in list_messages(conn)]


@admin.get("/{message_id}", response_model=MessageOut)
def one(message_id: MessageId, conn: WarehouseDep) -> MessageOut:
    return _out(get_message(conn, message_id))


@admin.post("", response_model=MessageOut, status_code=201)
def add(body: MessageIn, principal: OperatorDep, state: StateDep) -> MessageOut:
    audience = tuple(body.audience) if body.audience is not None else None
    fields = body.model_dump(exclude={"audience", "severity"})
    draft = Draft(**fields, severity=Severity(body.severity), audience=audience)
    made = act(
        state,
        principal,
        action="message.create",
        target=lambda m: str(m.message_id),
        detail=body.model_dump(mode="json"),
        change=lambda c: add_message(c, draft=draft, created_by=principal.user),
    )
    return _out(made)


@admin.patch("/{message_id}", response_model=MessageOut)
def edit(
    message_id: MessageId, body: MessagePatch, principal: OperatorDep, state: StateDep
) -> MessageOut:
    changes = body.model_dump(exclude_unset=True)
    if changes.get("audience") is not None:
        changes["audience"] = tuple(changes["audience"])
    done = act(
        state,
        principal,
        action="message.update",
        target=lambda m: str(m.message_id),
        detail=body.model_dump(mode="json", exclude_unset=True),
        change=lambda c: update_message(c, message_id=message_id, changes=changes),
    )
    return _out(done)


@admin.post("/{message_id}/expire", response_model=MessageOut)
def expire(message_id: MessageId, principal: OperatorDep, state: StateDep) -> MessageOut:
    done = act(
        state,
        principal,
        action="message.expire",
        target=lambda m: str(m.message_id),
        detail={},
        change=lambda c: expire_message(c, message_id=message_id),
    )
    return _out(done)


@admin.delete("/{message_id}", response_model=MessageOut)
def delete(message_id: MessageId, principal: OperatorDep, state: StateDep) -> MessageOut:
    done = act(
        state,
        principal,
        action="message.delete",
        target=lambda m: str(m.message_id),
        detail={},
        change=lambda c: delete_message(c, message_id=message_id),
    )
    return _out(done)


router.include_router(admin)
