"""One root error for the platform, with a subclass per stage.

Each error carries its context as attributes and says what was wrong, where, and what to do.
Front-ends translate them in one place (CLI: ``Fejl: ...`` and exit code 2; API: problem+json).
``message`` and ``hint`` are English (logs, compatibility); ``message_da``/``hint_da`` are optional
Danish variants the front-ends prefer when the language is Danish. Titles per kind live in
``flis/problems.yaml`` (see ``flis.problem_kinds``).
"""

from __future__ import annotations

from typing import Literal

Language = Literal["da", "en"]


class FlisError(Exception):
    """Root of every error flis raises on purpose."""

    #: Stable machine-readable kind, used as the problem+json type and in ``--json`` output.
    kind: str = "flis-error"
    #: HTTP status a front-end should answer with.
    http_status: int = 500

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        message_da: str | None = None,
        hint_da: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.message_da = message_da
        self.hint_da = hint_da

    def message_in(self, lang: Language) -> str:
        """The message in ``lang``; English when no Danish variant was given."""
        return self.message_da if lang == "da" and self.message_da else self.message

    def hint_in(self, lang: Language) -> str | None:
        """The hint in ``lang``; English when no Danish variant was given."""
        return self.hint_da if lang == "da" and self.hint_da else self.hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message

    def to_dict(self) -> dict[str, str | None]:
        return {"kind": self.kind, "message": self.message, "hint": self.hint}


class ConfigError(FlisError):
    """A setting or a catalogue file is wrong."""

    kind = "config-error"

    def __init__(
        self,
        message: str,
        *,
        location: str | None = None,
        hint: str | None = None,
        message_da: str | None = None,
        hint_da: str | None = None,
    ):
        text = f"{location}: {message}" if location else message
        text_da = f"{location}: {message_da}" if location and message_da else message_da
        super().__init__(text, hint=hint, message_da=text_da, hint_da=hint_da)
        self.location = location


class UsageError(FlisError):
    """The caller asked for something that cannot be done as asked."""

    kind = "usage-error"
    http_status = 400


class NotFoundError(FlisError):
    """A named thing does not exist."""

    kind = "not-found"
    http_status = 404


class ReferenceDataError(ConfigError):
    """Reference data (municipalities, code lists) is missing or inconsistent."""

    kind = "reference-data-error"


class ContractError(ConfigError):
    """A source contract is malformed."""

    kind = "contract-error"


class GeneratorError(FlisError):
    """The synthetic generator cannot run with the given arguments."""

    kind = "generator-error"
    http_status = 400
