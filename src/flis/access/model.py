"""Roles and the principal a request acts as."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    viewer = "viewer"
    analyst = "analyst"
    data_admin = "data-admin"
    operator = "operator"


@dataclass(frozen=True)
class Principal:
    """Who is asking: a user name, a role and (except for operators) one municipality."""

    user: str
    role: Role
    municipality: int | None
