"""Errors of operational messages (each carries its HTTP status)."""

from __future__ import annotations

from flis.errors import NotFoundError, UsageError


class UnknownMessage(NotFoundError):
    kind = "unknown-message"

    def __init__(self, message_id: int) -> None:
        super().__init__(
            f"no message {message_id}",
            hint="`flis messages list` or GET /api/v1/admin/messages shows the messages",
            message_da=f"ingen driftsbesked {message_id}",
            hint_da="`flis messages list` eller GET /api/v1/admin/messages viser beskederne",
        )
        self.message_id = message_id


class MessageError(UsageError):
    """A message cannot be written as asked (e.g. it would end before it starts)."""

    kind = "message-error"
