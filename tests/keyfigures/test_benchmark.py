"""Benchmarking: own value against group, region and nation; rank, ties, percentile, change."""

from __future__ import annotations

import json
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from flis.cli import app, benchmark_cmd
from flis.errors import NotFoundError
from flis.keyfigures.benchmark import Row, UnknownPeriod, benchmark, change, rank
from flis.keyfigures.groups import UnknownGroup, create_group
from flis.keyfigures.model import Aggregation, Direction, KeyFigure, MeasureRef
from flis.keyfigures.similarity import build_similarity
from flis.reference import municipalities
from flis.reference.codelists import Text
from flis.settings import load_settings
from flis.warehouse.connection import open_warehouse
from tests.keyfigures.test_similarity import make_residents

runner = CliRunner()


def make_figure(
    *, aggregation: Aggregation = "ratio_of_sums", direction: Direction = "higher_is_better"
) -> KeyFigure:
    return KeyFigure(
        id="test-share",
        title=Text(da="Testandel", en="Test share"),
        description=Text(da="Til test", en="For tests"),
        area="school",
        main_area="test",
        unit="percent",
        level="monthly",
        numerator=MeasureRef(measure="hits"),
        denominator=MeasureRef(measure="tries"),
        scale=100.0,
        role="owner",
        aggregation=aggregation,
        direction=direction,
    )


def put_values(
    conn: duckdb.DuckDBPyConnection,
    period: str,
    fractions: dict[int, tuple[float, float]],
    *,
    figure: str = "test-share",
) -> None:
    """One period of a percent figure: listed municipalities ok, the rest without a delivery."""
    rows: list[list[object]] = []
    for m in municipalities():
        if m.code in fractions:
            num, den = fractions[m.code]
            rows.append([figure, m.code, period, 100.0 * num / den, num, den, den, "ok", "{}"])
        else:
            rows.append([figure, m.code, period, None, None, None, None, "missing_delivery", "{}"])
    conn.executemany("INSERT INTO keyfigures.value VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


@pytest.fixture
def conn() -> duckdb.DuckDBPyConnection:
    conn = open_warehouse(":memory:")
    # 101 25 %, 147 75 %, 151 100 %, 461 50 %, 751 50 %, 851 50 %, 153 and the rest no value
    put_values(
        conn,
        "2024-09",
        {101: (1, 4), 147: (3, 4), 151: (2, 2), 461: (1, 2), 751: (5, 10), 851: (2, 4)},
    )
    put_values(conn, "2023-09", {461: (2, 5), 101: (1, 4)})
    create_group(conn, name="four", members=[101, 147, 151, 153])
    return conn


def test_rank_with_ties_and_percentile() -> None:
    values = {1: 10.0, 2: 20.0, 3: 20.0, 4: 20.0, 5: 30.0}
    middle = rank(values, 3, direction="higher_is_better")
    assert (middle.rank, middle.tied_with, middle.of, middle.percentile) == (2, 2, 5, 50.0)
    assert middle.statement.startswith("2 of 5, tied with 2; highest value first")
    assert middle.statement.endswith("93 without a value")
    assert rank(values, 5, direction="higher_is_better").percentile == 100.0
    assert (
        rank(values, 1, direction="lower_is_better").rank,
        rank(values, 5, direction="lower_is_better").rank,
    ) == (1, 5)
    neutral = rank(values, 5, direction="neutral")
    assert neutral.rank == 1 and "no better direction" in neutral.statement
    assert rank({1: 0.1 + 0.2, 2: 0.3}, 2, direction="higher_is_better").tied_with == 1
    missing = rank(values, 9, direction="higher_is_better")
    assert missing.rank is None and missing.percentile is None


@pytest.mark.parametrize(
    ("now", "before", "direction", "expected"),
    [
        (
            Row(60.0, 3, 5, None, "ok"),
            Row(50.0, 1, 2, None, "ok"),
            "higher_is_better",
            (10.0, 0.2, "better", None),
        ),
        (
            Row(60.0, 3, 5, None, "ok"),
            Row(50.0, 1, 2, None, "ok"),
            "lower_is_better",
            (10.0, 0.2, "worse", None),
        ),
        (
            Row(60.0, 3, 5, None, "ok"),
            Row(60.0, 3, 5, None, "ok"),
            "neutral",
            (0.0, 0.0, None, None),
        ),
        (
            Row(5.0, 1, 20, None, "ok"),
            Row(0.0, 0, 9, None, "ok"),
            "lower_is_better",
            (5.0, None, "worse", "relative change undefined: the value a year before is 0"),
        ),
        (
            Row(60.0, 3, 5, None, "ok"),
            Row(None, None, None, None, "rejected_delivery"),
            "higher_is_better",
            (None, None, None, "no value for 2023-09 (status rejected_delivery)"),
        ),
        (
            Row(60.0, 3, 5, None, "ok"),
            None,
            "higher_is_better",
            (None, None, None, "no row for 2023-09: the period has not been built"),
        ),
        (
            Row(None, None, None, None, "denominator_zero"),
            Row(50.0, 1, 2, None, "ok"),
            "higher_is_better",
            (None, None, None, "no value for this period (status denominator_zero)"),
        ),
    ],
    ids=["better", "worse", "neutral", "from-zero", "no-value-before", "not-built", "no-value"],
)
def test_year_on_year_change(
    now: Row, before: Row | None, direction: Direction, expected: tuple[Any, ...]
) -> None:
    c = change(now, before, previous="2023-09", direction=direction)
    assert (c.absolute, c.relative, c.assessment, c.reason) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("aggregation", "expected"),
    [("ratio_of_sums", 60.0), ("mean_of_values", (25 + 75 + 100) / 3)],
)
def test_group_value_by_the_figure_s_rule(
    conn: duckdb.DuckDBPyConnection, aggregation: Aggregation, expected: float
) -> None:
    kf = make_figure(aggregation=aggregation)
    result = benchmark(conn, municipality=101, keyfigure=kf, period="2024-09", group="four")
    assert result.group.value == pytest.approx(expected)
    assert (result.group.members, result.group.size, result.group.source) == (3, 4, "computed")
    assert [(m.municipality_code, m.value, m.status) for m in result.members] == [
        (101, 25.0, "ok"),
        (147, 75.0, "ok"),
        (151, 100.0, "ok"),
        (153, None, "missing_delivery"),
    ]


def test_benchmark_whole_result(conn: duckdb.DuckDBPyConnection) -> None:
    result = benchmark(
        conn, municipality=461, keyfigure=make_figure(), period="2024-09", group="dst"
    )
    assert (result.value, result.numerator, result.denominator, result.status) == (50.0, 1, 2, "ok")
    assert result.group.group_id == "dst:2" and result.group.value == pytest.approx(50.0)
    assert [m.municipality_code for m in result.members] == [461, 751, 851]
    assert result.region.group_id == "region:1083" and result.region.value == 50.0
    assert result.nation.value == pytest.approx(100 * 14 / 26) and result.nation.members == 6
    assert result.ranking.statement.startswith("3 of 6, tied with 2")
    assert result.ranking.percentile == pytest.approx(100 * (1 + 1) / 5)
    assert (result.change.absolute, result.change.assessment) == (pytest.approx(10.0), "better")
    doc = json.loads(json.dumps(result.to_dict()))
    assert doc["ranking"]["rank"] == 3 and doc["group"]["name"] == "Storbykommuner"


def test_stored_group_values_win(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(
        "INSERT INTO keyfigures.group_value VALUES ('test-share', 'nation', '2024-09', 42, 21, "
        "50, 77), ('test-share', 'region:1083', '2024-09', 7, 7, 100, 22)"
    )
    result = benchmark(
        conn, municipality=461, keyfigure=make_figure(), period="2024-09", group="region"
    )
    assert (result.nation.value, result.nation.members, result.nation.source) == (
        42,
        77,
        "group_value",
    )
    assert result.group.value == result.region.value == 7


def test_similar_group_members_with_distance(conn: duckdb.DuckDBPyConnection) -> None:
    make_residents(conn)
    report = build_similarity(conn)
    result = benchmark(conn, municipality=461, keyfigure=make_figure(), period="2024-09")
    assert result.group.group_id == "similar:school:461"
    assert result.method_version == report.method_version
    assert [m.neighbour_rank for m in result.members] == list(range(1, 11))
    assert all(m.distance is not None and 0 <= m.distance <= 1 for m in result.members)


@pytest.mark.parametrize(
    ("kwargs", "error", "text"),
    [
        ({"period": "2030-01"}, UnknownPeriod, "values exist for 2023-09 to 2024-09"),
        ({"municipality": 999}, NotFoundError, "unknown municipality"),
        ({"group": "nobody"}, UnknownGroup, "user:nobody"),
        ({"group": "similar"}, UnknownGroup, "flis groups build"),
    ],
    ids=["period", "municipality", "group", "similar-not-built"],
)
def test_benchmark_errors(
    conn: duckdb.DuckDBPyConnection, kwargs: dict[str, Any], error: type[Exception], text: str
) -> None:
    args: dict[str, Any] = {"municipality": 461, "period": "2024-09", "group": "region", **kwargs}
    with pytest.raises(error, match=text):
        benchmark(conn, keyfigure=make_figure(), **args)


def _cli(*args: str) -> tuple[int, Any]:
    result = runner.invoke(app, [*args, "--json"])
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture
def cli_warehouse(monkeypatch: pytest.MonkeyPatch) -> None:
    conn = open_warehouse(load_settings().warehouse_path)
    put_values(conn, "2024-09", {101: (1, 4), 461: (1, 2)})
    conn.close()

    def find(figure_id: str) -> KeyFigure:
        if figure_id != "test-share":
            raise NotFoundError(f"unknown key figure '{figure_id}'")
        return make_figure()

    monkeypatch.setattr(benchmark_cmd, "find_keyfigure", find)


def test_cli_benchmark(cli_warehouse: None) -> None:
    base = ["benchmark", "--municipality", "461", "--keyfigure", "test-share"]
    code, doc = _cli(*base, "--period", "2024-09", "--group", "region")
    assert code == 0 and doc["value"] == 50.0 and doc["ranking"]["rank"] == 1
    human = runner.invoke(app, [*base, "--period", "2024-09", "--group", "dst"])
    assert human.exit_code == 0 and "1 of 2" in human.stdout
    for args, kind in [
        (["--period", "2030-01"], "unknown-period"),
        (["--period", "2024-13"], "usage-error"),
        (["--period", "2024-09", "--group", "nobody"], "unknown-group"),
    ]:
        code, doc = _cli(*base, *args)
        assert (code, doc["error"]["kind"]) == (2, kind)
    code, doc = _cli(
        "benchmark", "--municipality", "999", "--keyfigure", "test-share", "--period", "2024-09"
    )
    assert (code, doc["error"]["kind"]) == (2, "not-found")
    code, doc = _cli(
        "benchmark", "--municipality", "461", "--keyfigure", "nope", "--period", "2024-09"
    )
    assert (code, doc["error"]["kind"]) == (2, "not-found")


def test_cli_groups() -> None:
    code, doc = _cli("groups", "create", "byer", "--members", "101,461", "--owner", "KL")
    assert code == 0 and doc["group_id"] == "user:byer"
    code, doc = _cli("groups", "create", "byer", "--members", "101,461")
    assert (code, doc["error"]["kind"]) == (2, "duplicate-group")
    code, doc = _cli("groups", "create", "x", "--members", "101,abc")
    assert (code, doc["error"]["kind"]) == (2, "usage-error")
    code, doc = _cli("groups", "list", "--kind", "user")
    assert code == 0 and [g["group_id"] for g in doc["groups"]] == ["user:byer"]
    code, doc = _cli("groups", "show", "byer")
    assert [m["municipality_code"] for m in doc["members"]] == [101, 461]
    code, doc = _cli("groups", "delete", "byer")
    assert code == 0 and doc["deleted"]["group_id"] == "user:byer"
    code, doc = _cli("groups", "delete", "byer")
    assert (code, doc["error"]["kind"]) == (2, "unknown-group")
    code, doc = _cli("groups", "build")
    assert (code, doc["error"]["kind"]) == (2, "similarity-error")
