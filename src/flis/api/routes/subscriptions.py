"""``/api/v1/subscriptions``: the datasets and formats a municipality receives on each release.

Every role reads its own municipality's; analysts and data administrators add and remove their
own; operators any municipality's (``flis.api.auth.can_manage_subscriptions``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from flis.access.model import Principal
from flis.api.auth import can_manage_subscriptions, can_read_subscriptions, require
from flis.api.deps import PrincipalDep, StateDep, WarehouseDep
from flis.api.schemas import SubscriptionIn, SubscriptionOut
from flis.errors import UsageError
from flis.release.subscriptions import add, listing, remove

router = APIRouter(prefix="/subscriptions", tags=["subscriptions"])
MunicipalityQuery = Annotated[
    int | None, Query(description="Default: your own (operators: all when listing).")
]


def _whose(principal: Principal, municipality: int | None) -> int:
    code = municipality if municipality is not None else principal.municipality
    if code is None:
        raise UsageError(
            "operators name the municipality",
            hint="add ?municipality=<code>",
            message_da="driften skal angive kommunen",
            hint_da="tilføj ?municipality=<kode>",
        )
    return code


@router.get("", response_model=list[SubscriptionOut])
def subscriptions(
    principal: PrincipalDep, conn: WarehouseDep, municipality: MunicipalityQuery = None
) -> list[SubscriptionOut]:
    code = municipality if municipality is not None else principal.municipality
    if code is not None:
        require(
            can_read_subscriptions(principal, code),
            f"the subscriptions of municipality {code} are not yours to see",
            f"du må ikke se abonnementerne for kommune {code}",
        )
    return [SubscriptionOut.model_validate(s.to_dict()) for s in listing(conn, municipality=code)]


@router.post("", response_model=SubscriptionOut, status_code=201)
def subscribe(body: SubscriptionIn, principal: PrincipalDep, state: StateDep) -> SubscriptionOut:
    code = _whose(principal, body.municipality)
    require(
        can_manage_subscriptions(principal, code),
        f"only analysts, data administrators of {code} and operators change its subscriptions",
        f"kun analytikere og dataansvarlige i {code} samt driften kan ændre dens abonnementer",
    )
    with state.lock:  # one writer
        made = add(state.conn, municipality=code, dataset=body.dataset, formats=body.formats)
    return SubscriptionOut.model_validate(made.to_dict())


@router.delete("/{dataset}", response_model=SubscriptionOut)
def unsubscribe(
    dataset: str, principal: PrincipalDep, state: StateDep, municipality: MunicipalityQuery = None
) -> SubscriptionOut:
    """Stop a subscription; the answer is the subscription that was removed."""
    code = _whose(principal, municipality)
    require(
        can_manage_subscriptions(principal, code),
        f"only analysts, data administrators of {code} and operators change its subscriptions",
        f"kun analytikere og dataansvarlige i {code} samt driften kan ændre dens abonnementer",
    )
    with state.lock:
        found = [s for s in listing(state.conn, municipality=code) if s.dataset == dataset]
        remove(state.conn, municipality=code, dataset=dataset)
    return SubscriptionOut.model_validate(found[0].to_dict())
