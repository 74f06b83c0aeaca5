"""The simulated resident register: realism, persistence, events and CPR records."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from flis.errors import GeneratorError
from flis.periods import first_day, last_day
from flis.sources.catalogue import contract
from flis.sources.formats import render_extract
from flis.sources.generator import cpr
from flis.sources.generator.population import Population, age_at, to_days
from flis.sources.generator.world import World

MONTHS = ("2024-05", "2024-06", "2024-07")


@dataclass
class Run:
    world: World
    initial: pa.Table
    residents: list[pa.Table]
    events: list[pa.Table]
    population: Population


def make_run(*, seed: int = 3, scale: float = 0.02, months: tuple[str, ...] = MONTHS) -> Run:
    world = World(seed=seed, scale=scale, months=months, selected=())
    population = Population.initial(world)
    initial = population.residents()
    residents, events = [], []
    for month in months:
        events.append(population.advance(month))
        residents.append(population.residents())
    return Run(world, initial, residents, events, population)


@pytest.fixture(scope="module")
def run() -> Run:
    return make_run()


def _pairs(table: pa.Table, *columns: str) -> set[tuple[object, ...]]:
    return set(zip(*(table[c].to_pylist() for c in columns), strict=True))


def _ages(table: pa.Table, day: int) -> np.ndarray:
    birth = table.column("birth_date").to_numpy().astype("datetime64[D]").astype(np.int64)
    return age_at(birth, day)


def test_residents_match_targets_and_schema(run: Run) -> None:
    res = run.initial
    assert res.schema.names == [
        "person_id",
        "cpr",
        "kommune",
        "birth_date",
        "sex",
        "civil_status",
        "citizenship",
        "moved_in",
        "school_district",
    ]
    assert res.num_rows == run.world.population_target.sum()
    counts = pc.value_counts(res.column("kommune")).to_pylist()
    assert len(counts) == 98
    assert res.column("birth_date").type == pa.date32()
    assert res.column("kommune").type == pa.int64()


def test_age_pyramid_and_composition_look_danish(run: Run) -> None:
    res = run.residents[-1]
    age = _ages(res, to_days(last_day(MONTHS[-1])))
    shares = {
        "0-5": (age <= 5).mean(),
        "6-16": ((age >= 6) & (age <= 16)).mean(),
        "65+": (age >= 65).mean(),
        "80+": (age >= 80).mean(),
    }
    assert 0.05 < shares["0-5"] < 0.07
    assert 0.11 < shares["6-16"] < 0.13
    assert 0.18 < shares["65+"] < 0.22
    assert 0.04 < shares["80+"] < 0.065
    danish = pc.mean(pc.equal(res.column("citizenship"), "DK")).as_py()
    assert 0.86 < danish < 0.92
    children = pc.unique(res.filter(pc.less(pa.array(age), 18)).column("civil_status"))
    assert children.to_pylist() == ["U"]


def test_cpr_numbers_are_unique_and_follow_the_rules(run: Run) -> None:
    res = run.residents[-1]
    text = np.array(res.column("cpr").to_pylist())
    assert len(set(text)) == len(text)
    assert all(len(t) == 10 and t.isdigit() for t in text[:1000])
    birth = res.column("birth_date").to_numpy().astype("datetime64[D]")
    ddmmyy = pc.strftime(res.column("birth_date"), format="%d%m%y").to_numpy(zero_copy_only=False)
    assert (np.array([t[:6] for t in text]) == ddmmyy).all()
    last = np.array([int(t[9]) for t in text])
    male = res.column("sex").to_numpy(zero_copy_only=False) == "M"
    assert ((last % 2 == 1) == male).all()
    year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    century = np.array([int(t[6]) for t in text])
    born_1900s = (year >= 1900) & (year < 2000)
    assert np.isin(century[born_1900s & (year < 1937)], [0, 1, 2, 3]).all()
    assert np.isin(century[year >= 2000], [4, 5, 6, 7, 8, 9]).all()


def test_people_persist_across_months(run: Run) -> None:
    first = dict(_pairs(run.initial, "person_id", "cpr"))
    last = dict(_pairs(run.residents[-1], "person_id", "cpr"))
    both = first.keys() & last.keys()
    assert len(both) > 0.98 * len(first)
    assert all(first[p] == last[p] for p in both)


def test_events_explain_the_change_in_residents(run: Run) -> None:
    before = run.initial
    for month, events, after in zip(MONTHS, run.events, run.residents, strict=True):
        for kommune in (101, 461, 825):
            was = set(before.filter(pc.equal(before["kommune"], kommune))["cpr"].to_pylist())
            now = set(after.filter(pc.equal(after["kommune"], kommune))["cpr"].to_pylist())
            ev = events.filter(pc.equal(events["kommune"], kommune))
            by = {
                code: set(ev.filter(pc.equal(ev["haendelse"], code))["cpr"].to_pylist())
                for code in ("FOD", "DOD", "TIL", "FRA", "IND", "UDV")
            }
            assert (
                now == (was - by["DOD"] - by["UDV"] - by["FRA"]) | by["TIL"] | by["FOD"] | by["IND"]
            ), (month, kommune)
        dates = events["dato"].to_numpy().astype("datetime64[D]").astype(np.int64)
        assert dates.min() >= to_days(first_day(month))
        assert dates.max() <= to_days(last_day(month))
        before = after


def test_moves_pair_up_and_events_are_sorted_and_unique(run: Run) -> None:
    events = run.events[0]
    fra = events.filter(pc.equal(events["haendelse"], "FRA"))
    til = events.filter(pc.equal(events["haendelse"], "TIL"))
    assert _pairs(fra, "cpr", "kommune", "anden_kommune") == _pairs(
        til, "cpr", "anden_kommune", "kommune"
    )
    keys = list(
        zip(*(events[c].to_pylist() for c in ("kommune", "cpr", "haendelse", "dato")), strict=True)
    )
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)


def test_yearly_rates_are_plausible(run: Run) -> None:
    n = run.initial.num_rows * len(MONTHS) / 12
    counts: dict[str, int] = {}
    for events in run.events:
        for row in pc.value_counts(events["haendelse"]).to_pylist():
            counts[row["values"]] = counts.get(row["values"], 0) + row["counts"]
    assert 8 < counts["FOD"] / n * 1000 < 13
    assert 7 < counts["DOD"] / n * 1000 < 13
    assert 30 < counts["TIL"] / n * 1000 < 50
    assert 6 < counts["IND"] / n * 1000 < 15
    assert 6 < counts["UDV"] / n * 1000 < 14


def test_same_arguments_give_identical_tables() -> None:
    a, b = make_run(months=MONTHS[:2]), make_run(months=MONTHS[:2])
    assert a.residents[-1].equals(b.residents[-1])
    assert a.events[-1].equals(b.events[-1])
    c = make_run(seed=4, months=MONTHS[:1])
    assert not a.residents[0].equals(c.residents[0])


def test_cpr_records_render_with_the_contract(run: Run) -> None:
    records = cpr.month_records(run.population, run.events[-1])
    spec = contract("cpr")
    for code, table in records.items():
        expected = [f for f in spec.record_type(code).field_names if f != "rt"]
        assert table.schema.names == expected
        kommune = table["kommune"].to_numpy()
        assert (np.diff(kommune) >= 0).all()
    persons = records["001"]
    one = {code: t.filter(pc.equal(t["kommune"], 101)) for code, t in records.items()}
    text = render_extract(spec, municipality=101, period=MONTHS[-1], records=one).decode()
    lines = text.splitlines()
    assert lines[0].startswith("0000101")
    assert lines[-1] == "999" + str(one["001"].num_rows + one["002"].num_rows).zfill(9)
    assert persons.column("status").unique().to_pylist() == ["01"]


def test_months_must_be_advanced_in_order() -> None:
    world = World(seed=1, scale=0.001, months=("2024-05", "2024-06"), selected=())
    population = Population.initial(world)
    with pytest.raises(GeneratorError, match="2024-06"):
        population.advance("2024-06")
