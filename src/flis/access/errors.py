"""Errors of access control (each carries its HTTP status)."""

from __future__ import annotations

from flis.errors import FlisError, NotFoundError, UsageError


class Unauthorized(FlisError):
    kind = "unauthorized"
    http_status = 401

    def __init__(
        self,
        message: str = "a valid bearer token is required",
        *,
        message_da: str = "en gyldig adgangsnøgle (bearer token) er påkrævet",
    ) -> None:
        super().__init__(
            message,
            hint="send `Authorization: Bearer <token>` (flis tokens create)",
            message_da=message_da,
            hint_da="send `Authorization: Bearer <nøgle>` (flis tokens create)",
        )


class Forbidden(FlisError):
    kind = "forbidden"
    http_status = 403

    def __init__(self, message: str, *, message_da: str | None = None) -> None:
        super().__init__(
            message,
            hint="docs/api.md lists what each role may see",
            message_da=message_da,
            hint_da="docs/api.md viser hvad hver rolle må se",
        )


class UnknownUser(NotFoundError):
    kind = "unknown-user"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"no user '{name}'",
            hint="`flis users list` shows the users",
            message_da=f"ingen bruger '{name}'",
            hint_da="`flis users list` viser brugerne",
        )


class DuplicateUser(FlisError):
    kind = "duplicate-user"
    http_status = 409

    def __init__(self, name: str) -> None:
        super().__init__(
            f"user '{name}' exists",
            hint="pick another name, or enable the user",
            message_da=f"brugeren '{name}' findes allerede",
            hint_da="vælg et andet navn, eller genaktivér brugeren",
        )
        self.name = name


class UnknownToken(NotFoundError):
    kind = "unknown-token"

    def __init__(self, token_id: str) -> None:
        super().__init__(
            f"no token '{token_id}'",
            hint="GET /api/v1/admin/tokens lists the token ids",
            message_da=f"ingen adgangsnøgle '{token_id}'",
            hint_da="GET /api/v1/admin/tokens viser nøglernes id'er",
        )
        self.token_id = token_id


class AccessError(UsageError):
    kind = "access-error"
