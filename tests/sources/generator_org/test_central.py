import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from flis.sources.catalogue import contract
from flis.sources.formats import render_extract
from flis.sources.generator import central
from flis.sources.generator.world import World
from tests.sources.generator_org.factories import make_world

STATISTIC = contract("central").record_type("statistik")
ARROW_TYPE = {"integer": pa.int64(), "decimal": pa.float64(), "date": pa.date32()}


def make_population(world: World, dates: list[dt.date]) -> pa.Table:
    """Population counts per municipality at each quarter start, growing a little."""
    n = len(world.codes)
    return pa.table(
        {
            "kommune": np.tile(world.codes, len(dates)),
            "referencedato": pa.array([d for d in dates for _ in range(n)], pa.date32()),
            "population": np.concatenate(
                [world.population_target * 100 + i * 7 for i in range(len(dates))]
            ),
        }
    )


def make_pupils(world: World, date: dt.date | None) -> pa.Table:
    """Two schools per municipality counted on ``date`` (an empty table when None)."""
    codes = np.repeat(world.codes, 2) if date else np.zeros(0, np.int64)
    instnr = [f"{k:03d}{i % 2 + 1:03d}" for i, k in enumerate(codes.tolist())]
    return pa.table(
        {
            "kommune": pa.array(codes, pa.int64()),
            "instnr": pa.array(instnr, pa.string()),
            "referencedato": pa.array([date] * len(codes), pa.date32()),
            "pupils": pa.array(np.arange(len(codes), dtype=np.int64) % 600 + 50),
        }
    )


@pytest.fixture
def world() -> World:
    return make_world(scale=0.01)


QUARTERS = [dt.date(2024, 7, 1), dt.date(2024, 10, 1)]


def test_statistics_have_the_contract_columns_and_order(world: World) -> None:
    table = central.month_statistics(
        world, "2024-10", make_population(world, QUARTERS), make_pupils(world, dt.date(2024, 9, 30))
    )
    assert table.column_names == list(STATISTIC.field_names)
    for f in STATISTIC.fields:
        assert table.schema.field(f.name).type == ARROW_TYPE.get(f.type, pa.string()), f.name
    keys = list(zip(*(table.column(c).to_pylist() for c in ("kommune", "statistik")), strict=True))
    assert keys == sorted(keys)
    assert table.num_rows == 98 * 3
    assert set(table.column("statistik").to_pylist()) == {"ELEVTAL_30SEP", "FOLKETAL_KVT"}


def test_population_is_the_current_quarter_start_and_a_few_people_off(world: World) -> None:
    counts = make_population(world, QUARTERS)
    values = []
    for month in ("2024-10", "2024-11", "2024-12"):
        table = central.month_statistics(world, month, counts, make_pupils(world, None))
        assert set(table.column("referencedato").to_pylist()) == {dt.date(2024, 10, 1)}
        values.append(table.column("vaerdi").to_numpy())
    assert np.array_equal(values[0], values[1]) and np.array_equal(values[0], values[2])
    truth = world.population_target * 100 + 7
    off = values[0] - truth
    assert np.any(off != 0)
    assert np.all(np.abs(off) <= np.maximum(10, truth * 0.003))


def test_pupils_are_the_latest_30_september_within_two_percent(world: World) -> None:
    pupils = make_pupils(world, dt.date(2023, 9, 30))
    table = central.month_statistics(world, "2024-08", make_population(world, QUARTERS), pupils)
    counted = table.filter(pc.equal(table.column("statistik"), "ELEVTAL_30SEP"))
    assert set(counted.column("referencedato").to_pylist()) == {dt.date(2023, 9, 30)}
    truth = pupils.column("pupils").to_numpy()
    value = counted.column("vaerdi").to_numpy()
    assert np.all(np.abs(value - truth) <= np.ceil(truth * 0.02) + 3)
    assert 0.3 < np.mean(value != truth) < 1.0
    later = central.month_statistics(world, "2024-10", make_population(world, QUARTERS), pupils)
    assert pc.sum(pc.equal(later.column("statistik"), "ELEVTAL_30SEP")).as_py() in (None, 0)


def test_no_pupil_figures_before_the_first_september(world: World) -> None:
    table = central.month_statistics(
        world, "2024-08", make_population(world, QUARTERS[:1]), make_pupils(world, None)
    )
    assert set(table.column("statistik").to_pylist()) == {"FOLKETAL_KVT"}
    assert table.column("instnr").null_count == table.num_rows


def test_same_arguments_give_identical_statistics_and_they_render(world: World) -> None:
    args = (
        world,
        "2024-10",
        make_population(world, QUARTERS),
        make_pupils(world, dt.date(2024, 9, 30)),
    )
    table = central.month_statistics(*args)
    assert table.equals(central.month_statistics(*args))
    mine = table.filter(pc.equal(table.column("kommune"), 101))
    lines = (
        render_extract(
            contract("central"), municipality=101, period="2024-10", records={"statistik": mine}
        )
        .decode()
        .splitlines()
    )
    assert lines[0] == "kommune;statistik;instnr;referencedato;vaerdi"
    assert lines[1].startswith("101;ELEVTAL_30SEP;101001;30-09-2024;")
    assert lines[-1] == f"SLUT;{mine.num_rows}"
