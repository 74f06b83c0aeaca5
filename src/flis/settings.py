"""All settings in one object, read from ``FLIS_*`` environment variables."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from flis.errors import ConfigError, validation_da, validation_en

#: Built-in key for pseudonymising person ids in demo worlds. Refused unless demo mode is on.
DEMO_PERSON_KEY = "flis-demo-person-key-not-for-production"
#: Built-in master key for release pseudonyms in demo worlds. Refused unless demo mode is on.
DEMO_PSEUDONYM_KEY = "flis-demo-pseudonym-key-not-for-production"


class Settings(BaseSettings):
    """Settings of one flis installation (environment prefix ``FLIS_``)."""

    model_config = SettingsConfigDict(env_prefix="FLIS_", extra="forbid", frozen=True)

    home: Path = Field(
        default=Path("flis-home"), description="Folder that holds all state (FLIS_HOME)."
    )
    demo: bool = Field(
        default=False,
        description="Demo mode: allows the built-in person key (make demo and tests turn it on).",
    )
    person_key: SecretStr = Field(
        default=SecretStr(DEMO_PERSON_KEY),
        description="Secret key for the keyed hash that turns CPR numbers into person keys.",
    )
    pseudonym_key: SecretStr = Field(
        default=SecretStr(DEMO_PSEUDONYM_KEY),
        description="Master key from which each municipality's key for the pseudonymous person "
        "ids of its detail datasets is derived.",
    )
    quarantine_threshold: float = Field(
        default=0.01,
        ge=0.0,
        le=1.0,
        description="Share of rows a delivery may have quarantined before it is rejected.",
    )
    disclosure_threshold: int = Field(
        default=5, ge=1, description="Fewest persons a published cell may rest on."
    )
    language: str = Field(
        default="da",
        pattern="^(da|en)$",
        description="Default language (da|en) of the cockpit and of CLI messages and errors.",
    )
    session_idle_minutes: int = Field(
        default=30,
        ge=1,
        le=24 * 60,
        description="Minutes a cockpit sign-in session lives without being used (docs/cockpit.md).",
    )
    cookie_secure: bool = Field(
        default=False,
        description="Mark the cockpit's cookies Secure (sent over HTTPS only); turn on behind TLS.",
    )

    @model_validator(mode="after")
    def _refuse_demo_key_outside_demo(self) -> Settings:
        if not self.demo and self.person_key.get_secret_value() == DEMO_PERSON_KEY:
            raise ConfigError(
                "the built-in demo person key is refused when FLIS_DEMO is off",
                location="FLIS_PERSON_KEY",
                hint="set FLIS_PERSON_KEY to a long random secret kept outside the warehouse",
                message_da="den indbyggede demo-personnøgle afvises, når FLIS_DEMO er slået fra",
                hint_da="sæt FLIS_PERSON_KEY til en lang, tilfældig hemmelighed, der opbevares "
                "uden for lageret",
            )
        if not self.demo and self.pseudonym_key.get_secret_value() == DEMO_PSEUDONYM_KEY:
            raise ConfigError(
                "the built-in demo pseudonym key is refused when FLIS_DEMO is off",
                location="FLIS_PSEUDONYM_KEY",
                hint="set FLIS_PSEUDONYM_KEY to a long random secret, not the person key",
                message_da="den indbyggede demo-pseudonymnøgle afvises, når FLIS_DEMO er slået fra",
                hint_da="sæt FLIS_PSEUDONYM_KEY til en lang, tilfældig hemmelighed, ikke "
                "personnøglen",
            )
        return self

    @cached_property
    def warehouse_path(self) -> Path:
        return self.home / "warehouse.duckdb"


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment, with explicit overrides winning.

    Raises:
        ConfigError: A setting has a value it cannot take, named by its ``FLIS_*`` variable.
    """
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise ConfigError(
            validation_en(exc, env_prefix="FLIS_"),
            hint="docs/settings.md lists every setting and the values it takes",
            message_da=validation_da(exc, env_prefix="FLIS_"),
            hint_da="docs/settings.md viser alle indstillinger og de værdier, de kan have",
        ) from None
