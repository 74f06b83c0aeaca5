"""Similar municipalities: z-scores, weighted distances, k nearest, versioning, reproducibility."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from flis.ingest.pipeline import ingest_paths
from flis.keyfigures.similarity import (
    VARIABLES,
    Neighbour,
    SimilarityError,
    build_similarity,
    distance_matrix,
    nearest,
    zscores,
)
from flis.settings import load_settings
from flis.sources.generator.run import generate
from flis.warehouse.connection import connect, open_warehouse

# Residents per municipality: the code spreads age, citizenship and size across municipalities.
_RESIDENTS = """
INSERT INTO citizens.resident_month
SELECT 1, $month, i, m.municipality_code, m.municipality_code::BIGINT * 10000 + i, '01', 'K',
       DATE '1990-01-01', (i * 7 + m.municipality_code::INTEGER) % 90, 'U',
       CASE WHEN (i + m.municipality_code::INTEGER) % 11 = 0 THEN 'SY'
            WHEN (i + m.municipality_code::INTEGER) % 13 = 0 THEN 'DE' ELSE 'DK' END, NULL, NULL
FROM dim.municipality m, range(20 + m.municipality_code % 37 * 3) AS t(i)
WHERE m.municipality_code NOT IN (SELECT unnest($skip::SMALLINT[]))
"""


def make_residents(
    conn: duckdb.DuckDBPyConnection, *, month: str = "2024-09", skip: tuple[int, ...] = ()
) -> None:
    """A small deterministic CPR month for all municipalities except ``skip``."""
    conn.execute(_RESIDENTS, {"month": month, "skip": list(skip)})


@pytest.fixture
def conn() -> duckdb.DuckDBPyConnection:
    return open_warehouse(":memory:")


def test_zscores_by_hand() -> None:
    assert zscores([1.0, 2.0, 3.0]) == pytest.approx([-math.sqrt(1.5), 0.0, math.sqrt(1.5)])
    assert zscores([1.0, None, 3.0]) == [-1.0, 0.0, 1.0]  # missing scores the mean
    assert zscores([4.0, 4.0]) == [0.0, 0.0]  # no variation, no information
    assert zscores([None, None]) == [0.0, 0.0]


def test_four_municipalities_known_distances_and_order() -> None:
    z = np.array([[0.0, 0.0], [3.0, 4.0], [0.0, 1.0], [6.0, 8.0]])
    dist = distance_matrix(z, [1.0, 1.0])
    # raw distances 5, 1, 10 from the first; 10 is the largest, so rebased ÷ 10
    assert dist[0].tolist() == [0.0, 0.5, 0.1, 1.0]
    assert dist[1, 2] == pytest.approx(math.sqrt(18) / 10)
    codes = (101, 147, 151, 153)
    neighbours = nearest(codes, dist, k=2)
    assert neighbours[101] == (Neighbour(151, 0.1, 1), Neighbour(147, 0.5, 2))
    # 101 and 153 are both 0.5 from 147: the tie goes to the lower code
    assert neighbours[147] == (
        Neighbour(151, round(math.sqrt(18) / 10, 9), 1),
        Neighbour(101, 0.5, 2),
    )


def test_weights_scale_a_variable() -> None:
    z = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    dist = distance_matrix(z, [4.0, 1.0])  # weight 4 counts the first variable twice as far
    assert dist[0].tolist() == pytest.approx([0.0, 2 / math.sqrt(5), 1 / math.sqrt(5)])
    assert nearest((1, 2, 3), dist, k=1)[1] == (Neighbour(3, round(1 / math.sqrt(5), 9), 1),)


_matrices = st.integers(2, 8).flatmap(
    lambda n: arrays(np.float64, (n, 3), elements=st.floats(-5, 5, allow_nan=False))
)


@settings(max_examples=60, deadline=None)
@given(z=_matrices, weights=st.lists(st.floats(0.1, 5), min_size=3, max_size=3))
def test_distances_symmetric_zero_diagonal_within_0_1(z: Any, weights: list[float]) -> None:
    dist = distance_matrix(z, weights)
    assert (dist == dist.T).all()
    assert (np.diag(dist) == 0).all()
    assert ((dist >= 0) & (dist <= 1)).all()
    assert dist.max() in (0.0, 1.0)


@settings(max_examples=40, deadline=None)
@given(z=_matrices, k=st.integers(1, 7))
def test_nearest_excludes_self_and_orders_by_distance(z: Any, k: int) -> None:
    codes = tuple(range(101, 101 + len(z)))
    dist = distance_matrix(z, [1.0, 1.0, 1.0])
    for code, found in nearest(codes, dist, k=k).items():
        assert code not in [n.municipality_code for n in found]
        assert [n.rank for n in found] == list(range(1, min(k, len(codes) - 1) + 1))
        keys = [(n.distance, n.municipality_code) for n in found]
        assert keys == sorted(keys)


@given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=30))
def test_zscores_have_mean_0_and_sd_1_or_are_all_0(values: list[float]) -> None:
    z = np.array(zscores(values))
    assert abs(z.mean()) < 1e-6
    assert abs(z.std() - 1) < 1e-6 or (z == 0).all()


def _rows(conn: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[Any, ...]]]:
    """Everything a build writes, without the build time."""
    return {
        "group": conn.execute(
            'SELECT * EXCLUDE (created_at) FROM keyfigures."group" ORDER BY group_id'
        ).fetchall(),
        "member": conn.execute(
            "SELECT * FROM keyfigures.group_member ORDER BY group_id, municipality_code"
        ).fetchall(),
        "input": conn.execute("SELECT * FROM keyfigures.similarity_input ORDER BY ALL").fetchall(),
    }


def test_build_is_reproducible(conn: duckdb.DuckDBPyConnection) -> None:
    make_residents(conn)
    first = build_similarity(conn)
    rows = _rows(conn)
    again = build_similarity(conn)
    assert again.method_version == first.method_version
    assert _rows(conn) == rows
    other = open_warehouse(":memory:")  # a rebuild from the same data in a new warehouse
    make_residents(other)
    assert build_similarity(other).method_version == first.method_version
    assert _rows(other) == rows


def test_build_writes_k_nearest_per_area(conn: duckdb.DuckDBPyConnection) -> None:
    make_residents(conn)
    report = build_similarity(conn, k=5)
    assert report.month == "2024-09" and report.method_version.startswith("sim-1:")
    assert report.groups == 98 * len(VARIABLES) + 1 + 5 + 5
    kinds = conn.execute('SELECT kind, count(*) FROM keyfigures."group" GROUP BY ALL ORDER BY 1')
    assert kinds.fetchall() == [("dst", 5), ("nation", 1), ("region", 5), ("similar", 98 * 4)]
    members = conn.execute(
        "SELECT group_id, list(municipality_code ORDER BY rank), list(distance ORDER BY rank), "
        "list(rank ORDER BY rank) FROM keyfigures.group_member "
        "WHERE group_id LIKE 'similar:%' GROUP BY ALL"
    ).fetchall()
    for gid, codes, distances, ranks in members:
        anchor = int(gid.rsplit(":", 1)[1])
        assert anchor not in codes and ranks == [1, 2, 3, 4, 5]
        assert distances == sorted(distances) and distances[0] >= 0 and distances[-1] <= 1
    inputs = conn.execute(
        "SELECT area, count(DISTINCT variable), count(*) FROM keyfigures.similarity_input "
        "GROUP BY ALL ORDER BY 1"
    ).fetchall()
    assert inputs == sorted((a, len(v), 98 * len(v)) for a, v in VARIABLES.items())


@pytest.mark.slow
def test_rebuild_from_the_same_deliveries_gives_identical_groups(tmp_path: Path) -> None:
    world = tmp_path / "world"
    generate(
        out=world,
        scale=0.003,
        months=["2024-09"],
        seed=3,
        municipalities=[101, 147, 461, 751, 851],
        fault_mode="none",
    )
    built = []
    for name in ("first", "second"):
        settings = load_settings(home=tmp_path / name)
        ingest_paths([world], settings=settings)
        conn = connect(settings)
        report = build_similarity(conn)
        built.append((report.method_version, _rows(conn)))
        conn.close()
    assert built[0] == built[1]
    assert len(built[0][1]["member"]) == 98 * 4 * 10 + 98 * 3


def test_missing_municipality_is_imputed_and_changes_the_version(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    make_residents(conn, skip=(101,))
    report = build_similarity(conn)
    imputed = {(i["area"], i["variable"]) for i in report.imputed if i["municipality_code"] == 101}
    assert ("school", "share_6_16") in imputed and ("school", "urbanity") not in imputed
    full = open_warehouse(":memory:")
    make_residents(full)
    assert build_similarity(full).method_version != report.method_version


def test_a_municipality_s_latest_month_stands_in_for_a_missing_one(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    make_residents(conn, month="2024-08")
    make_residents(conn, month="2024-09", skip=(101,))
    imputed = build_similarity(conn).imputed
    assert {i["variable"] for i in imputed} == {"employees_per_1000"}  # no payroll data at all


def test_build_without_cpr_data_says_what_to_do(conn: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(SimilarityError, match="no CPR data") as caught:
        build_similarity(conn)
    assert "flis ingest" in str(caught.value)
    make_residents(conn, month="2022-01")
    with pytest.raises(SimilarityError, match="12 months up to 2024-09"):
        build_similarity(conn, month="2024-09")
    with pytest.raises(SimilarityError, match="k must be"):
        build_similarity(conn, k=98)


def test_every_variable_and_weight_is_documented(repo_root: Path) -> None:
    text = (repo_root / "docs" / "benchmarking.md").read_text(encoding="utf-8")
    for area, variables in VARIABLES.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{area}` |"))
        for name, weight in variables:
            assert f"| `{name}` |" in text, f"{name} has no definition"
            assert f"`{name}` ({weight:g})" in row, f"{area}: {name} ({weight:g}) not documented"
