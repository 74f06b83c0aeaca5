"""One root error for the platform, with a subclass per stage.

Each error carries its context as attributes and says what was wrong, where, and what to do.
Front-ends translate them in one place (CLI: ``Fejl: ...`` and exit code 2; API: problem+json).
``message`` and ``hint`` are English (logs, compatibility); ``message_da``/``hint_da`` are optional
Danish variants the front-ends prefer when the language is Danish. Titles per kind live in
``flis/problems.yaml`` (see ``flis.problem_kinds``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from pydantic import ValidationError

Language = Literal["da", "en"]

#: Pydantic's commonest complaints about a catalogue entry or setting, in Danish.
_PYDANTIC_DA = {
    "missing": "mangler",
    "extra_forbidden": "er ikke et kendt felt",
    "string_type": "skal være tekst",
    "int_type": "skal være et heltal",
    "int_parsing": "skal være et heltal",
    "float_type": "skal være et tal",
    "float_parsing": "skal være et tal",
    "bool_type": "skal være true eller false",
    "bool_parsing": "skal være true eller false",
    "list_type": "skal være en liste",
    "dict_type": "skal være en mapping (nøgle: værdi)",
    "date_type": "skal være en dato (ÅÅÅÅ-MM-DD)",
    "date_from_datetime_parsing": "skal være en dato (ÅÅÅÅ-MM-DD)",
}


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


def validation_da(exc: ValidationError, *, env_prefix: str | None = None) -> str:
    """Pydantic's findings in Danish (``felt: hvad er galt``); rare kinds keep Pydantic's text.

    With ``env_prefix`` each field is named by its environment variable (``FLIS_HOME``).
    """
    parts = []
    for error in exc.errors():
        what = _PYDANTIC_DA.get(error["type"]) or _bounded_da(error["type"], error.get("ctx", {}))
        parts.append(f"{_field(error['loc'], env_prefix, 'posten')}: {what or error['msg']}")
    return f"{len(parts)} fejl: " + "; ".join(parts)


def validation_en(exc: ValidationError, *, env_prefix: str | None = None) -> str:
    """Pydantic's findings on one line (``field: what is wrong``), for messages and logs."""
    parts = [f"{_field(e['loc'], env_prefix, 'entry')}: {e['msg']}" for e in exc.errors()]
    return f"{len(parts)} error(s): " + "; ".join(parts)


def _field(loc: tuple[int | str, ...], env_prefix: str | None, whole: str) -> str:
    if env_prefix is not None and loc:
        return f"{env_prefix}{str(loc[0]).upper()}"
    return ".".join(str(part) for part in loc) or whole


def _bounded_da(kind: str, ctx: dict[str, object]) -> str | None:
    """The Danish for Pydantic's complaints that quote a limit, a pattern or allowed values."""
    if kind in ("literal_error", "enum"):
        return f"skal være {ctx.get('expected')}".replace(" or ", " eller ")
    texts = {
        "greater_than_equal": "skal være mindst {ge}",
        "greater_than": "skal være større end {gt}",
        "less_than_equal": "må højst være {le}",
        "less_than": "skal være mindre end {lt}",
        "string_pattern_mismatch": "skal passe til mønsteret {pattern}",
        "string_too_short": "skal have mindst {min_length} tegn",
        "string_too_long": "må højst have {max_length} tegn",
    }
    return texts[kind].format(**ctx) if kind in texts else None
