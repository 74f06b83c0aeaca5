import pytest

from flis.errors import ConfigError
from flis.settings import DEMO_PERSON_KEY, Settings


def test_demo_key_is_refused_outside_demo_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLIS_DEMO", "0")
    with pytest.raises(ConfigError, match="FLIS_PERSON_KEY"):
        Settings()


def test_a_real_key_is_accepted_outside_demo_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLIS_DEMO", "0")
    monkeypatch.setenv("FLIS_PERSON_KEY", "a-long-random-secret-from-the-vault")
    monkeypatch.setenv("FLIS_PSEUDONYM_KEY", "another-long-random-secret")
    assert Settings().person_key.get_secret_value() != DEMO_PERSON_KEY


def test_settings_come_from_flis_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLIS_QUARANTINE_THRESHOLD", "0.05")
    assert Settings().quarantine_threshold == 0.05
    assert Settings().warehouse_path.name == "warehouse.duckdb"


def test_unknown_settings_are_rejected() -> None:
    with pytest.raises(ValueError, match="surprise"):
        Settings(surprise=1)  # type: ignore[call-arg]
