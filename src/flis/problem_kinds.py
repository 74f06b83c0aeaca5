"""The catalogue of problem kinds (``problems.yaml``): Danish and English title per stable kind."""

from __future__ import annotations

from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, ValidationError

from flis import yamlfile
from flis.errors import ConfigError, FlisError, Language, validation_da

_LOCATION = "flis/problems.yaml"
#: Kind whose title answers for kinds the catalogue does not name (e.g. the API's ``http-429``).
FALLBACK = "http-error"


class Texts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    da: str
    en: str

    def get(self, lang: Language) -> str:
        return self.da if lang == "da" else self.en


class ProblemKind(BaseModel):
    """One stable kind: its title and what to do in general (the message says what happened)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Texts
    what_to_do: Texts
    #: Only the HTTP front-end raises this kind (no FlisError subclass carries it).
    api: bool = False


def parse_kinds(text: str) -> dict[str, ProblemKind]:
    """The catalogue by kind; a malformed entry is refused naming its kind."""
    raw = yamlfile.load(text)
    if not isinstance(raw, dict):
        raise ConfigError(
            "expected a mapping of kind to entry",
            location=_LOCATION,
            message_da="forventede en mapping fra fejltype til post",
        )
    kinds: dict[str, ProblemKind] = {}
    for kind, entry in raw.items():
        try:
            kinds[str(kind)] = ProblemKind.model_validate(entry)
        except ValidationError as exc:
            raise ConfigError(
                f"kind '{kind}': {exc}",
                location=_LOCATION,
                message_da=f"fejltypen '{kind}': {validation_da(exc)}",
            ) from exc
    if FALLBACK not in kinds:
        raise ConfigError(
            f"the fallback kind '{FALLBACK}' is missing",
            location=_LOCATION,
            message_da=f"reservefejltypen '{FALLBACK}' mangler",
        )
    return kinds


@cache
def catalogue() -> dict[str, ProblemKind]:
    return parse_kinds(resources.files("flis").joinpath("problems.yaml").read_text("utf-8"))


def problem_kind(kind: str) -> ProblemKind:
    """The entry for ``kind``, or the generic HTTP error entry for kinds it does not name."""
    kinds = catalogue()
    return kinds.get(kind) or kinds[FALLBACK]


def title(kind: str, lang: Language) -> str:
    return problem_kind(kind).title.get(lang)


def localized(error: FlisError, lang: Language) -> dict[str, str | None]:
    """The error for people in ``lang``: title, message and hint (English where not translated)."""
    return {
        "title": title(error.kind, lang),
        "message": error.message_in(lang),
        "hint": error.hint_in(lang),
    }
