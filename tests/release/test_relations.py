"""The declared relations between key figures: loaded strictly, true on built data, protected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from flis.errors import ConfigError
from flis.release.cells import suppress
from flis.release.datasets.benchmark import benchmark_cells, slice_cells, slices
from flis.release.disclosure import determined
from flis.release.relations import KeyFigureRelation, load_relations, relations
from flis.settings import Settings
from flis.sources.generator.run import generate

CASES = Path(__file__).parent.parent / "cases" / "relations"
YEAR = [f"2024-{m:02d}" for m in range(9, 13)] + [f"2025-{m:02d}" for m in range(1, 10)]


@pytest.fixture(scope="session")
def year_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Thirteen months of three municipalities, so that rolling-year figures have values."""
    from flis.ingest.pipeline import ingest_paths
    from tests.release.conftest import rebuild_keyfigures

    base = tmp_path_factory.mktemp("year-world")
    generate(
        out=base / "d",
        scale=0.003,
        months=YEAR,
        seed=7,
        municipalities=[147, 461, 851],
        fault_mode="none",
    )
    settings = Settings(home=base / "h", demo=True)
    ingest_paths([base / "d"], settings=settings)
    rebuild_keyfigures(settings)
    return settings.home / "warehouse.duckdb"


def _cells(conn: duckdb.DuckDBPyConnection) -> dict[tuple[str, str, str, int], float]:
    rows = conn.execute(
        "SELECT keyfigure, period, municipality_code, value, numerator, denominator "
        "FROM keyfigures.value WHERE status IN ('ok', 'denominator_zero')"
    ).fetchall()
    out = {}
    for kf, period, code, *parts in rows:
        for part, x in zip(("value", "numerator", "denominator"), parts, strict=True):
            if x is not None:
                out[(kf, period, part, code)] = float(x)
    return out


def _check(relation: KeyFigureRelation, cells: dict[tuple[str, str, str, int], float]) -> int:
    """How many instances of ``relation`` were checked; fails on the first that does not hold."""
    periods = sorted({k[1] for k in cells})
    codes = sorted({k[3] for k in cells})
    checked = 0
    for total, terms in relation.expand():
        for period in periods:
            (kf, at, part), parts = relation.instance(total, terms, period)
            for code in codes:
                if (kf, at, part, code) not in cells:
                    continue
                values = [cells.get((k, p, q, code)) for k, p, q, _ in parts]
                assert None not in values, (relation.id, period, code, "a part is missing")
                expected = sum((v or 0.0) * c for v, (*_, c) in zip(values, parts, strict=True))
                actual = cells[(kf, at, part, code)]
                assert actual == pytest.approx(expected, rel=1e-9, abs=1e-9), (
                    relation.id,
                    period,
                    code,
                )
                checked += 1
    return checked


def test_every_declared_relation_holds_on_built_data(year_warehouse: Path) -> None:
    with duckdb.connect(str(year_warehouse), read_only=True) as conn:
        cells = _cells(conn)
    counts = {r.id: _check(r, cells) for r in relations()}
    assert all(n > 0 for n in counts.values()), counts  # every relation was really tested
    assert len(counts) == len({r.id for r in relations()})


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("unknown_keyfigure", "unknown key figure 'skole.elevfravaer_syg'"),
        ("duplicate_id", "duplicate relation id 'absence'"),
        ("malformed_ref", "is not part\\(key figure\\)"),
        ("count_has_no_denominator", "'borger.folketal' has no denominator"),
        ("both_forms", "either `total` with `parts`, or `equal`"),
        ("unknown_field", "Extra inputs are not permitted"),
    ],
)
def test_a_bad_relations_file_fails_loudly_naming_the_entry(case: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as info:
        load_relations(CASES / f"{case}.yaml")
    assert str(info.value).startswith(f"{case}.yaml: ")


def _rows(figures: dict[str, dict[int, tuple[float, float]]]) -> tuple[list[Any], list[Any]]:
    """Benchmark rows (municipalities and the nation) from numerator/denominator per figure."""
    members, groups = [], []
    for kf, by_code in figures.items():
        for code, (num, den) in sorted(by_code.items()):
            members.append(
                {
                    "keyfigure": kf,
                    "period": "2025-09",
                    "municipality_code": code,
                    "data_status": "ok",
                    "value": 100 * num / den,
                    "numerator": num,
                    "denominator": den,
                    "persons": int(den),
                }
            )
        num = sum(n for n, _ in by_code.values())
        den = sum(d for _, d in by_code.values())
        groups.append(
            {
                "keyfigure": kf,
                "period": "2025-09",
                "group_id": "nation",
                "kind": "nation",
                "members": len(by_code),
                "value": 100 * num / den,
                "numerator": num,
                "denominator": den,
                "persons": int(den),
                "member_codes": sorted(by_code),
            }
        )
    return members, groups


def _inflow() -> tuple[list[Any], list[Any]]:
    """Inflow to segregated teaching by grade band: 2 pupils of municipality 101 in grades 0–3."""
    bands = {
        "skole.tilgang_segregeret_0_3": {101: (2, 30), 147: (6, 40), 461: (9, 50), 751: (7, 45)},
        "skole.tilgang_segregeret_4_6": {101: (8, 30), 147: (9, 40), 461: (12, 50), 751: (6, 45)},
        "skole.tilgang_segregeret_7_9": {101: (10, 40), 147: (7, 40), 461: (8, 50), 751: (9, 45)},
    }
    total = {
        code: tuple(map(sum, zip(*(b[code] for b in bands.values()), strict=True)))
        for code in bands["skole.tilgang_segregeret_0_3"]
    }
    return _rows({"skole.tilgang_segregeret": total, **bands})  # type: ignore[dict-item]


def test_protecting_each_key_figure_alone_leaks_through_the_grade_bands() -> None:
    members, groups = _inflow()
    old: dict[str, str] = {}
    for kf, period, rows, group_rows in slices(members, groups):
        for cell, why in suppress(slice_cells(kf, rows, group_rows), threshold=5).items():
            old[f"{kf.id}|{period}|{cell}"] = why
    secret = "skole.tilgang_segregeret_0_3|2025-09|m:101|numerator"
    assert old[secret] == "primary"
    cells = benchmark_cells(members, groups)
    published = {c: v for c, v in cells.values.items() if c not in old}
    # all inflow − grades 4–6 − grades 7–9 gives the two pupils back
    assert secret in determined(published, old, cells.relations)


def test_the_benchmark_protects_the_grade_bands_together() -> None:
    members, groups = _inflow()
    cells = benchmark_cells(members, groups)
    flags = suppress(cells, threshold=5)
    published = {c: v for c, v in cells.values.items() if c not in flags}
    assert flags["skole.tilgang_segregeret_0_3|2025-09|m:101|numerator"] == "primary"
    assert determined(published, flags, cells.relations) == set()
    # the band total of 101 cannot stay published next to both other bands
    hidden_101 = {c for c in flags if "|m:101|numerator" in c}
    assert len(hidden_101) >= 2


def test_similar_groups_are_covered_by_hiding_their_total_with_a_hidden_member() -> None:
    members, groups = _inflow()
    similar = [
        {**g, "group_id": f"similar:school:{anchor}", "kind": "similar"}
        for g in groups
        for anchor in (101, 147)
        if g["keyfigure"] == "skole.tilgang_segregeret_0_3"
    ]
    for group in similar:  # 101's group holds 101 and 147; 147's group holds 147 and 461
        codes = [101, 147] if group["group_id"].endswith(":101") else [147, 461]
        rows = [m for m in members if m["keyfigure"] == group["keyfigure"]]
        chosen = [r for r in rows if r["municipality_code"] in codes]
        group.update(
            member_codes=codes,
            members=2,
            numerator=sum(r["numerator"] for r in chosen),
            denominator=sum(r["denominator"] for r in chosen),
            persons=sum(r["persons"] for r in chosen),
        )
        group["value"] = 100 * group["numerator"] / group["denominator"]
    cells = benchmark_cells(members, groups + similar)
    flags = suppress(cells, threshold=5)
    published = {c: v for c, v in cells.values.items() if c not in flags}
    assert determined(published, flags, cells.all_relations()) == set()
    scope = "skole.tilgang_segregeret_0_3|2025-09|"
    assert flags[f"{scope}g:similar:school:101|numerator"] == "secondary"
    hidden_147 = f"{scope}m:147|numerator" in flags
    assert (f"{scope}g:similar:school:147|numerator" in flags) == hidden_147
