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


class DuplicateUser(FlisError):
    kind = "duplicate-user"
    http_status = 409

    def __init__(self, name: str) -> None:
        super().__init__(f"user '{name}' exists", hint="pick another name, or enable the user")
        self.name = name


class UnknownToken(NotFoundError):
    kind = "unknown-token"

    def __init__(self, token_id: str) -> None:
        super().__init__(
            f"no token '{token_id}'", hint="GET /api/v1/admin/tokens lists the token ids"
        )
        self.token_id = token_id


class AccessError(UsageError):
    kind = "access-error"
