"""Subscriptions: the service functions and ``flis subscriptions add|list|remove``."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from flis.cli import app
from flis.errors import NotFoundError, UsageError
from flis.release.subscriptions import Subscription, add, listing, remove
from flis.settings import load_settings
from flis.warehouse.connection import connect

runner = CliRunner()


def _json(*args: str) -> tuple[int, Any]:
    result = runner.invoke(app, ["subscriptions", *args, "--json"])
    return result.exit_code, json.loads(result.stdout)


def test_add_list_remove() -> None:
    conn = connect(load_settings())
    add(conn, municipality=461, dataset="detail", formats=["xlsx", "parquet"])
    add(conn, municipality=101, dataset="benchmark", formats=["csv"])
    add(conn, municipality=461, dataset="benchmark", formats=["csv", "csv"])
    assert listing(conn) == [
        Subscription(101, "benchmark", ("csv",)),
        Subscription(461, "benchmark", ("csv",)),
        Subscription(461, "detail", ("parquet", "xlsx")),
    ]
    add(conn, municipality=461, dataset="benchmark", formats=["parquet"])  # changes formats
    remove(conn, municipality=461, dataset="detail")
    assert listing(conn, municipality=461) == [Subscription(461, "benchmark", ("parquet",))]
    with pytest.raises(NotFoundError, match="no subscription"):
        remove(conn, municipality=461, dataset="detail")


@pytest.mark.parametrize(
    ("municipality", "dataset", "formats", "error", "text"),
    [
        (999, "benchmark", ["csv"], NotFoundError, "unknown municipality"),
        (461, "everything", ["csv"], UsageError, "unknown dataset"),
        (461, "benchmark", ["pdf"], UsageError, "unknown format"),
        (461, "benchmark", [], UsageError, "none given"),
    ],
    ids=["municipality", "dataset", "format", "no-format"],
)
def test_validation(
    municipality: int, dataset: str, formats: list[str], error: type[Exception], text: str
) -> None:
    with pytest.raises(error, match=text):
        add(connect(load_settings()), municipality=municipality, dataset=dataset, formats=formats)


def test_cli_round_trip_prints_one_json_document_each_time() -> None:
    code, doc = _json(
        "add", "--municipality", "0461", "--dataset", "detail", "--format", "csv,xlsx"
    )
    assert code == 0
    assert doc == {
        "subscriptions": [{"municipality": 461, "dataset": "detail", "formats": ["csv", "xlsx"]}]
    }
    code, doc = _json(
        "add",
        "--municipality",
        "101",
        "--dataset",
        "benchmark",
        "--format",
        "parquet",
        "--format",
        "csv",
    )
    assert doc["subscriptions"][0]["formats"] == ["parquet", "csv"]
    code, doc = _json("list", "--municipality", "461")
    assert code == 0 and [s["dataset"] for s in doc["subscriptions"]] == ["detail"]
    code, doc = _json("remove", "--municipality", "461", "--dataset", "detail")
    assert code == 0 and doc == {"removed": {"municipality": 461, "dataset": "detail"}}
    code, doc = _json("list")
    assert [s["municipality"] for s in doc["subscriptions"]] == [101]


@pytest.mark.parametrize(
    ("args", "kind", "text"),
    [
        (
            ["add", "--municipality", "999", "--dataset", "detail", "--format", "csv"],
            "not-found",
            "unknown municipality code '999'",
        ),
        (
            ["add", "--municipality", "461", "--dataset", "all", "--format", "csv"],
            "usage-error",
            "unknown dataset 'all'",
        ),
        (
            ["add", "--municipality", "461", "--dataset", "detail", "--format", "csv,pdf"],
            "usage-error",
            "unknown format(s) pdf",
        ),
        (
            ["remove", "--municipality", "461", "--dataset", "detail"],
            "not-found",
            "no subscription",
        ),
    ],
    ids=["municipality", "dataset", "format", "remove-missing"],
)
def test_cli_errors_exit_2_with_a_clear_message(args: list[str], kind: str, text: str) -> None:
    code, doc = _json(*args)
    assert code == 2 and doc["ok"] is False
    assert doc["error"]["kind"] == kind and text in doc["error"]["message"]
    result = runner.invoke(app, ["subscriptions", *args])
    shown = doc["error"]["message_da"] or doc["error"]["message"]  # Danish first, where there is
    assert result.exit_code == 2 and result.output.startswith("Fejl: ") and shown in result.output


def test_cli_table_for_people() -> None:
    runner.invoke(
        app,
        [
            "subscriptions",
            "add",
            "--municipality",
            "461",
            "--dataset",
            "benchmark",
            "--format",
            "csv",
        ],
    )
    result = runner.invoke(app, ["subscriptions", "list"])
    assert result.exit_code == 0 and "benchmark" in result.stdout and "461" in result.stdout
