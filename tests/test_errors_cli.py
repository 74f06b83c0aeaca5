"""The CLI reports errors Danish first (FLIS_LANGUAGE=en for English), with the kind's title."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from flis.cli import app
from flis.cli.output import error_text
from flis.errors import UsageError

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
    error = UsageError("unknown dialect 'oracle'", hint="use duckdb or spark")
    assert error_text(error, "da") == (
        "Fejl: Forkert brug: unknown dialect 'oracle' (use duckdb or spark)"
    )


def test_a_bad_setting_is_named_by_its_variable_in_danish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLIS_SESSION_IDLE_MINUTES", "0")
    code, text = _text(*UNKNOWN_MUNICIPALITY)
    assert code == 2
    assert text == (
        "Fejl: Fejl i opsætningen: 1 fejl: FLIS_SESSION_IDLE_MINUTES: skal være mindst 1 "
        "(docs/settings.md viser alle indstillinger og de værdier, de kan have)"
    )


def test_a_bad_setting_is_english_when_flis_language_is_en(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FLIS_LANGUAGE", "en")
    monkeypatch.setenv("FLIS_DEMO", "maybe")
    code, text = _text(*UNKNOWN_MUNICIPALITY)
    assert code == 2
    assert text == (
        "Error: Configuration error: 1 error(s): FLIS_DEMO: Input should be a valid boolean, "
        "unable to interpret input "
        "(docs/settings.md lists every setting and the values it takes)"
    )


def test_a_refused_demo_key_is_danish_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLIS_DEMO")
    code, text = _text(*UNKNOWN_MUNICIPALITY)
    assert code == 2
    assert text == (
        "Fejl: Fejl i opsætningen: FLIS_PERSON_KEY: den indbyggede demo-personnøgle afvises, "
        "når FLIS_DEMO er slået fra (sæt FLIS_PERSON_KEY til en lang, tilfældig hemmelighed, "
        "der opbevares uden for lageret)"
    )


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
        (["keyfigures", "show", "borger.andel_0_5", "--dialect", "oracle"],
         "Fejl: Forkert brug: ukendt SQL-dialekt 'oracle' (brug duckdb eller spark)"),
        (["messages", "add", "--severity", "info", "--title-da", "t", "--title-en", "t",
          "--body-da", "b", "--body-en", "b", "--audience", "101,x"],
         "--audience '101,x' er ikke en liste af kommunekoder (fx 101,461)"),
        (["subscriptions", "add", "--municipality", "461", "--dataset", "everything",
          "--format", "csv"],
         "ukendt datasæt 'everything' (brug et af benchmark, institutions, detail)"),
    ],
    ids=["ingest-time", "benchmark-keyfigure", "tokens-create", "users-no-municipality",
         "users-operator-municipality", "group-name", "group-member", "group-delete",
         "keyfigures-dialect", "messages-audience", "subscriptions-dataset"],
)  # fmt: skip
def test_common_usage_errors_are_danish(args: list[str], danish: str) -> None:
    code, text = _text(*args)
    assert code == 2 and danish in text, text
