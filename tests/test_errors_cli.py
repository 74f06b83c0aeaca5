"""The CLI reports errors Danish first (FLIS_LANGUAGE=en for English), with the kind's title."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from flis.cli import app

runner = CliRunner()
UNKNOWN_MUNICIPALITY = [
    "benchmark",
    "--municipality",
    "9999",
    "--keyfigure",
    "borger.andel_0_5",
    "--period",
    "2025-09",
]


def _text(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, " ".join(result.output.split())  # Rich wraps long lines


def _json(*args: str) -> tuple[int, Any]:
    result = runner.invoke(app, [*args, "--json"])
    return result.exit_code, json.loads(result.stdout)


def test_an_error_is_danish_by_default() -> None:
    code, text = _text(*UNKNOWN_MUNICIPALITY)
    assert code == 2
    assert text == (
        "Fejl: Findes ikke: ukendt kommunekode '9999' "
        "(brug en af de 98 kommunekoder, fx 101 (København) eller 461 (Odense))"
    )


def test_an_error_is_english_when_flis_language_is_en(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLIS_LANGUAGE", "en")
    code, text = _text(*UNKNOWN_MUNICIPALITY)
    assert code == 2
    assert text == (
        "Error: Not found: unknown municipality code '9999' "
        "(use one of the 98 municipality codes, e.g. 101 (København) or 461 (Odense))"
    )


def test_the_language_is_honoured_even_when_other_settings_are_broken(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FLIS_LANGUAGE", "en")
    monkeypatch.delenv("FLIS_DEMO")  # the demo person key is now refused
    code, text = _text(*UNKNOWN_MUNICIPALITY)
    assert code == 2 and text.startswith("Error: Configuration error: FLIS_PERSON_KEY")


def test_an_untranslated_message_keeps_its_english_text_under_a_danish_title() -> None:
    code, text = _text("keyfigures", "show", "borger.andel_0_5", "--dialect", "oracle")
    assert code == 2
    assert text == "Fejl: Forkert brug: unknown dialect 'oracle' (use duckdb or spark)"


def test_the_json_error_document_keeps_english_and_adds_titles_and_danish() -> None:
    code, doc = _json("benchmark", "--municipality", "461", "--keyfigure", "borger.andel_0_5",
                      "--period", "2025-13")  # fmt: skip
    assert code == 2 and doc["ok"] is False
    assert doc["error"] == {
        "kind": "usage-error",
        "message": "'2025-13' is not a month",
        "hint": "write months as YYYY-MM, for example 2024-08",
        "title": "Forkert brug",
        "title_da": "Forkert brug",
        "title_en": "Invalid request",
        "message_da": "'2025-13' er ikke en måned",
        "hint_da": "skriv måneder som ÅÅÅÅ-MM, fx 2024-08",
    }


def test_the_json_title_follows_flis_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLIS_LANGUAGE", "en")
    code, doc = _json(*UNKNOWN_MUNICIPALITY)
    assert code == 2
    assert (doc["error"]["kind"], doc["error"]["title"]) == ("not-found", "Not found")
    assert doc["error"]["message_da"] == "ukendt kommunekode '9999'"


@pytest.mark.parametrize(
    ("args", "danish"),
    [
        (["ingest", "--received-at", "yesterday", "x.csv"], "'yesterday' er ikke et ISO-tidspunkt"),
        (["benchmark", "--municipality", "461", "--keyfigure", "no.such", "--period", "2025-09"],
         "ukendt nøgletal 'no.such'"),
        (["tokens", "create"], "angiv --user, eller --role (og --municipality)"),
        (["users", "add", "ole", "--role", "analyst"], "en analyst hører til én kommune"),
        (["users", "add", "ole", "--role", "operator", "--municipality", "461"],
         "driftsfolk (operator) betjener alle kommuner"),
        (["groups", "create", "Seks Byer", "--members", "101,461,751"],
         "Fejl: Ugyldigt gruppenavn: 'Seks Byer' er ikke et gyldigt gruppenavn"),
        (["groups", "create", "seks", "--members", "101,9999"],
         "Fejl: Ukendt kommune: ukendt(e) kommunekode(r) 9999"),
        (["groups", "delete", "region:1084"],
         "'region:1084' er bygget af referencedata og kan ikke slettes"),
    ],
    ids=["ingest-time", "benchmark-keyfigure", "tokens-create", "users-no-municipality",
         "users-operator-municipality", "group-name", "group-member", "group-delete"],
)  # fmt: skip
def test_common_usage_errors_are_danish(args: list[str], danish: str) -> None:
    code, text = _text(*args)
    assert code == 2 and danish in text, text
