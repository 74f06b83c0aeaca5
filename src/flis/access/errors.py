"""Errors of access control (each carries its HTTP status)."""

from __future__ import annotations

from flis.errors import FlisError, NotFoundError, UsageError


class Unauthorized(FlisError):
    kind = "unauthorized"
    http_status = 401

    def __init__(self, message: str = "a valid bearer token is required") -> None:
        super().__init__(message, hint="send `Authorization: Bearer <token>` (flis tokens create)")


class Forbidden(FlisError):
    kind = "forbidden"
    http_status = 403

    def __init__(self, message: str) -> None:
        super().__init__(message, hint="docs/api.md lists what each role may see")


class UnknownUser(NotFoundError):
    kind = "unknown-user"

    def __init__(self, name: str) -> None:
        super().__init__(f"no user '{name}'", hint="`flis users list` shows the users")


class AccessError(UsageError):
    kind = "access-error"
