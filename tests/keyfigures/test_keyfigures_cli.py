"""``flis keyfigures`` and ``flis build``: listings, SQL in two dialects, JSON documents."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from flis.cli import app
from flis.keyfigures.catalogue import keyfigures
from flis.settings import load_settings
from flis.warehouse.connection import connect

runner = CliRunner()


def _json(*args: str) -> tuple[int, Any]:
    result = runner.invoke(app, [*args, "--json"])
    return result.exit_code, json.loads(result.stdout)


def test_list_and_filter_by_area() -> None:
    code, doc = _json("keyfigures")
    assert code == 0 and len(doc["keyfigures"]) == len(keyfigures())
    code, doc = _json("keyfigures", "--area", "staff")
    assert {kf["area"] for kf in doc["keyfigures"]} == {"staff"}


def test_show_with_sql_in_both_dialects() -> None:
    code, doc = _json("keyfigures", "show", "skole.klassekvotient", "--sql")
    assert code == 0 and doc["id"] == "skole.klassekvotient"
    assert doc["sql"]["dialect"] == "duckdb" and "class_month" in doc["sql"]["text"]
    result = runner.invoke(
        app, ["keyfigures", "show", "skole.klassekvotient", "--sql", "--dialect", "spark"]
    )
    assert result.exit_code == 0 and "AS INT)" in result.stdout


def test_unknown_id_and_dialect_exit_2() -> None:
    code, doc = _json("keyfigures", "show", "nope")
    assert code == 2 and doc["error"]["kind"] == "not-found"
    code, doc = _json("keyfigures", "show", "skole.klassekvotient", "--dialect", "oracle")
    assert code == 2 and doc["error"]["kind"] == "usage-error"


def test_build_json_on_an_empty_warehouse() -> None:
    conn = connect(load_settings())
    conn.execute(
        "INSERT INTO ingest.delivery VALUES (1, 'cpr', 'cpr', 101, '2024-10', 1, 'f', 0, 'x', "
        "TIMESTAMP '2024-11-01', 'accepted', 0, 0, 0, 0, 0, NULL)"
    )
    conn.close()
    code, doc = _json("build")
    assert code == 0 and doc["keyfigures"] == len(keyfigures())
    assert doc["periods"] == ["2024-10"] and doc["values_written"] > 0
    code, again = _json("build")
    assert again["values_written"] == 0
