"""The rule catalogue: codes, severities, scopes and bilingual messages, loaded from YAML."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from flis import yamlfile
from flis.errors import ConfigError, NotFoundError, validation_da

Severity = Literal["error", "warning"]
Scope = Literal["file", "row"]
_LOCATION = "flis/ingest/rules/catalogue.yaml"


class Rule(BaseModel):
    """One validation rule: an error of scope ``file`` rejects, of scope ``row`` quarantines."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    severity: Severity
    scope: Scope
    da: str
    en: str

    def message(self, lang: str, **values: object) -> str:
        """The message in ``lang`` with ``{column}``, ``{value}`` and ``{expected}`` filled in."""
        text = self.da if lang == "da" else self.en
        for name in ("column", "value", "expected"):
            text = text.replace("{" + name + "}", str(values.get(name, "") or ""))
        return text


@cache
def rules() -> dict[str, Rule]:
    """All rules by code, in catalogue order."""
    text = resources.files("flis.ingest.rules").joinpath("catalogue.yaml").read_text("utf-8")
    out: dict[str, Rule] = {}
    for code, body in yamlfile.load(text).items():
        try:
            out[code] = Rule(code=code, **body)
        except ValidationError as exc:
            raise ConfigError(
                str(exc),
                location=f"{_LOCATION}: {code}",
                message_da=validation_da(exc),
            ) from None
    return out


def rule(code: str) -> Rule:
    try:
        return rules()[code]
    except KeyError:
        raise NotFoundError(
            f"unknown validation rule '{code}'",
            message_da=f"ukendt valideringsregel '{code}'",
            hint="docs/validation-rules.md lists the rule codes",
            hint_da="docs/validation-rules.md viser regelkoderne",
        ) from None
