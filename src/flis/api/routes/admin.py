"""``/api/v1/admin``: operators administer users, tokens, closed periods; the action log.

Every change runs in one transaction with its row in ``access.admin_action`` (who, when, what),
so an action is logged exactly when it happened. Messages are in ``routes/messages.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import duckdb
from fastapi import APIRouter, Depends, Path, Query

from flis.access.actions import action_rows, record_action
from flis.access.errors import AccessError
from flis.access.model import Principal, Role
from flis.access.store import (
    create_token,
    create_user,
    disable_user,
    enable_user,
    get_token,
    get_user,
    list_tokens,
    list_users,
    revoke_token,
    token_id_of,
)
from flis.api import problems
from flis.api.auth import can_administer, require
from flis.api.deps import PrincipalDep, StateDep, WarehouseDep
from flis.api.schemas import (
    AdminActionOut,
    ClosedPeriodOut,
    NewTokenOut,
    Problem,
    TokenIn,
    TokenOut,
    UserIn,
    UserOut,
)
from flis.release.store import close_period, closed_period_rows

T = TypeVar("T")
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {
        "description": "It exists already.",
        "model": Problem,
        "content": {problems.MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
}


def require_operator(principal: PrincipalDep) -> Principal:
    require(
        can_administer(principal),
        "administration is for operators",
        "administration er for driften",
    )
    return principal


OperatorDep = Annotated[Principal, Depends(require_operator)]
UserName = Annotated[str, Path(min_length=1, max_length=100)]
router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(require_operator)])


def act(
    state: StateDep,
    principal: Principal,
    *,
    action: str,
    target: Callable[[T], str],
    detail: dict[str, Any],
    change: Callable[[duckdb.DuckDBPyConnection], T],
) -> T:
    """Run ``change`` and log it as ``action`` on ``target(result)`` in one transaction."""
    with state.lock:  # the app's one writer
        conn = state.conn
        conn.execute("BEGIN TRANSACTION")
        try:
            result = change(conn)
            record_action(
                conn,
                user=principal.user,
                role=principal.role.value,
                action=action,
                target=target(result),
                detail=detail,
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return result


@router.get("/users", response_model=list[UserOut])
def users(conn: WarehouseDep) -> list[UserOut]:
    return [UserOut.model_validate(u.to_dict()) for u in list_users(conn)]


@router.get("/users/{name}", response_model=UserOut)
def user(name: UserName, conn: WarehouseDep) -> UserOut:
    return UserOut.model_validate(get_user(conn, name).to_dict())


@router.post("/users", response_model=UserOut, status_code=201, responses=CONFLICT)
def add(body: UserIn, principal: OperatorDep, state: StateDep) -> UserOut:
    role = Role(body.role)
    made = act(
        state,
        principal,
        action="user.create",
        target=lambda u: u.name,
        detail=body.model_dump(),
        change=lambda c: create_user(c, name=body.name, role=role, municipality=body.municipality),
    )
    return UserOut.model_validate(made.to_dict())


@router.post("/users/{name}/disable", response_model=UserOut)
def disable(name: UserName, principal: OperatorDep, state: StateDep) -> UserOut:
    if name == principal.user:
        raise AccessError(
            "you cannot disable the user you are signed in as",
            hint="ask another operator, or run `flis users disable` with the server stopped",
            message_da="du kan ikke spærre den bruger du er logget ind som",
            hint_da="bed en anden fra driften, eller kør `flis users disable` mens serveren er "
            "stoppet",
        )
    done = act(
        state,
        principal,
        action="user.disable",
        target=lambda u: u.name,
        detail={},
        change=lambda c: disable_user(c, name=name),
    )
    return UserOut.model_validate(done.to_dict())


@router.post("/users/{name}/enable", response_model=UserOut)
def enable(name: UserName, principal: OperatorDep, state: StateDep) -> UserOut:
    done = act(
        state,
        principal,
        action="user.enable",
        target=lambda u: u.name,
        detail={},
        change=lambda c: enable_user(c, name=name),
    )
    return UserOut.model_validate(done.to_dict())


@router.get("/tokens", response_model=list[TokenOut])
def tokens(
    conn: WarehouseDep,
    user: Annotated[str | None, Query(max_length=100, description="Only this user's.")] = None,
) -> list[TokenOut]:
    return [TokenOut.model_validate(t.to_dict()) for t in list_tokens(conn, user=user)]


@router.post("/tokens", response_model=NewTokenOut, status_code=201)
def new_token(body: TokenIn, principal: OperatorDep, state: StateDep) -> NewTokenOut:
    role = Role(body.role) if body.role else None

    def change(conn: duckdb.DuckDBPyConnection) -> tuple[str, dict[str, Any]]:
        token = create_token(
            conn,
            user=body.user,
            role=role,
            municipality=body.municipality,
            expires_days=body.expires_days,
        )
        return token, get_token(conn, token_id_of(token)).to_dict()

    token, info = act(
        state,
        principal,
        action="token.create",
        target=lambda made: str(made[1]["token_id"]),
        detail=body.model_dump(),  # the token itself is never logged
        change=change,
    )
    return NewTokenOut.model_validate({**info, "token": token})


@router.post("/tokens/{token_id}/revoke", response_model=TokenOut)
def revoke(
    token_id: Annotated[str, Path(min_length=1, max_length=100)],
    principal: OperatorDep,
    state: StateDep,
) -> TokenOut:
    done = act(
        state,
        principal,
        action="token.revoke",
        target=lambda t: t.token_id,
        detail={},
        change=lambda c: revoke_token(c, token_id=token_id),
    )
    return TokenOut.model_validate(done.to_dict())


@router.get("/periods", response_model=list[ClosedPeriodOut])
def closed(conn: WarehouseDep) -> list[ClosedPeriodOut]:
    return [
        ClosedPeriodOut(period=p, closed_at=at.isoformat(), last_release=last)
        for p, at, last in closed_period_rows(conn)
    ]


@router.post("/periods/{period}/close", response_model=ClosedPeriodOut)
def close(
    period: Annotated[str, Path(description="Month YYYY-MM.", max_length=7)],
    principal: OperatorDep,
    state: StateDep,
) -> ClosedPeriodOut:
    done = act(
        state,
        principal,
        action="period.close",
        target=lambda r: str(r["period"]),
        detail={},
        change=lambda c: close_period(c, state.settings.home, period),
    )
    return ClosedPeriodOut.model_validate(done)


@router.get("/audit", response_model=list[AdminActionOut])
def audit(
    conn: WarehouseDep,
    action: Annotated[str | None, Query(max_length=50, description="e.g. user.create")] = None,
    user: Annotated[str | None, Query(max_length=100, description="Who acted.")] = None,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 1000,
) -> list[AdminActionOut]:
    rows = action_rows(conn, action=action, user=user, limit=limit)
    return [AdminActionOut.model_validate(a.to_dict()) for a in rows]
