"""The cockpit's message catalogue (``messages.yaml``, Danish and English) and language choice."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

from fastapi import Request

from flis import yamlfile
from flis.errors import ConfigError

Language = Literal["da", "en"]
LANGUAGES: tuple[Language, ...] = ("da", "en")
LANG_COOKIE = "flis_lang"
_LOCATION = "flis/cockpit/messages.yaml"


def parse_messages(text: str) -> dict[Language, dict[str, str]]:
    """The catalogue by language; an entry missing a language is refused by key."""
    raw = yamlfile.load(text)
    out: dict[Language, dict[str, str]] = {"da": {}, "en": {}}
    for key, texts in raw.items():
        if not isinstance(texts, dict) or set(texts) != set(LANGUAGES):
            raise ConfigError(
                f"message '{key}' needs exactly da and en",
                location=_LOCATION,
                message_da=f"teksten '{key}' skal have præcis da og en",
            )
        for lang in LANGUAGES:
            out[lang][key] = str(texts[lang])
    return out


@cache
def catalogue() -> dict[Language, dict[str, str]]:
    return parse_messages(resources.files("flis.cockpit").joinpath("messages.yaml").read_text())


def messages(lang: Language) -> dict[str, str]:
    return catalogue()[lang]


def _as_language(value: str | None) -> Language | None:
    for lang in LANGUAGES:
        if value == lang:
            return lang
    return None


def choose_language(request: Request, default: str) -> Language:
    """``?lang=`` first, then the language cookie, then the installation's default."""
    return (
        _as_language(request.query_params.get("lang"))
        or _as_language(request.cookies.get(LANG_COOKIE))
        or _as_language(default)
        or "da"
    )
