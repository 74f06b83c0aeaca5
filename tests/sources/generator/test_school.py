"""The simulated school system: realistic ranges, linked pupils, persistence and rendering."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from flis.reference import codelist
from flis.sources.catalogue import contract
from flis.sources.formats import render_extract
from flis.sources.generator.population import Population
from flis.sources.generator.school import SchoolSystem, school_days
from flis.sources.generator.world import World

MONTHS = ("2024-05", "2024-06", "2024-07", "2024-08")
GRADES = {"-3": -3, "00": 0, "02": 2, "4": 4, "7": 7, "10": 10, "12": 12}


@dataclass
class Run:
    records: list[dict[str, pa.Table]]
    residents: list[pa.Table]
    events: list[pa.Table]
    summary: pa.Table


def make_run(*, seed: int = 5, scale: float = 0.02, months: tuple[str, ...] = MONTHS) -> Run:
    world = World(seed=seed, scale=scale, months=months, selected=())
    population = Population.initial(world)
    schools = SchoolSystem.initial(world, population)
    records, residents, events = [], [], []
    for month in months:
        events.append(population.advance(month))
        records.append(schools.advance(month, population))
        residents.append(population.residents())
    return Run(records, residents, events, schools.institutions_summary())


@pytest.fixture(scope="module")
def run() -> Run:
    return make_run()


def _current(enrolments: pa.Table) -> pa.Table:
    return enrolments.filter(pc.is_null(enrolments["til_dato"]))


def _pairs(table: pa.Table, *columns: str) -> set[tuple[object, ...]]:
    return set(zip(*(table[c].to_pylist() for c in columns), strict=True))


def _class_sizes(records: dict[str, pa.Table]) -> pa.Table:
    """Current pupils per class with the class type and the school's institution type."""
    values, counts = pc.value_counts(_current(records["indskrivning"])["klasse_id"]).flatten()
    sizes = pa.table({"klasse_id": values, "pupils": counts})
    inst = records["institution"].select(["instnr", "institutionstype"])
    classes = records["klasse"].join(inst, "instnr")
    return classes.join(sizes, "klasse_id")


def test_class_sizes_follow_the_rules(run: Run) -> None:
    for records in run.records[:2] + run.records[3:]:
        sizes = _class_sizes(records)
        ordinary = sizes.filter(pc.is_in(sizes["klassetype"], pa.array(["ALM", "AGI"])))
        assert pc.max(ordinary["pupils"]).as_py() <= 28
        alm = sizes.filter(
            pc.and_(
                pc.equal(sizes["klassetype"], "ALM"), pc.equal(sizes["institutionstype"], "1012")
            )
        )
        alm = alm.filter(pc.greater_equal(alm["pupils"], 5))
        assert 19 <= pc.mean(alm["pupils"]).as_py() <= 23


def test_pupil_counts_and_segregation_are_realistic(run: Run) -> None:
    records = run.records[0]
    sizes = _class_sizes(records)
    pupils = pc.sum(sizes["pupils"]).as_py()
    assert 0.85 * 540_000 * 0.02 < pupils < 1.15 * 560_000 * 0.02
    segregated = codelist("class_type").where(segregated=True)
    seg = sizes.filter(pc.is_in(sizes["klassetype"], pa.array(segregated)))
    assert 0.03 < pc.sum(seg["pupils"]).as_py() / pupils < 0.08
    current = _current(records["indskrivning"])
    away = pc.not_equal(current["kommune"], current["hjemkommune"])
    assert 0.02 < pc.mean(away).as_py() < 0.09
    payer = current.filter(away)["betalerkommune"]
    assert payer.equals(current.filter(away)["hjemkommune"])


def test_every_enrolled_pupil_lives_in_the_home_municipality(run: Run) -> None:
    for records, residents, events in zip(run.records, run.residents, run.events, strict=True):
        enrolments = records["indskrivning"]
        home = _pairs(residents, "cpr", "kommune")
        left = events.filter(pc.is_in(events["haendelse"], pa.array(["FRA", "DOD", "UDV"])))
        assert _pairs(_current(enrolments), "cpr", "hjemkommune") <= home
        assert _pairs(enrolments, "cpr", "hjemkommune") <= home | _pairs(left, "cpr", "kommune")
        ended = enrolments.filter(pc.is_valid(enrolments["til_dato"]))
        assert pc.sum(pc.less(ended["til_dato"], ended["fra_dato"])).as_py() in (None, 0)
    july = run.records[2]["indskrivning"]  # the school year closes: every enrolment ends
    assert _current(july).num_rows == 0
    assert pc.max(july["til_dato"]).as_py() == dt.date(2024, 7, 31)


def test_pupils_move_up_a_grade_at_school_start(run: Run) -> None:
    june, august = run.records[1]["indskrivning"], _current(run.records[3]["indskrivning"])
    before = dict(zip(june["cpr"].to_pylist(), june["klassetrin"].to_pylist(), strict=True))
    after = dict(zip(august["cpr"].to_pylist(), august["klassetrin"].to_pylist(), strict=True))
    both = [c for c in before.keys() & after.keys() if before[c] != "10"]
    assert len(both) > 0.8 * len(after)
    assert all(int(after[c]) == int(before[c]) + 1 for c in both)
    zeros = [c for c, g in after.items() if g == "0"]
    assert zeros and not set(zeros) & before.keys()


def test_exam_grades_in_june(run: Run) -> None:
    assert run.records[0]["karakter"].num_rows == 0
    grades = run.records[1]["karakter"]
    numeric = [GRADES[g] for g in grades["karakter"].to_pylist() if g in GRADES]
    assert 7.0 <= np.mean(numeric) <= 7.8
    per_pupil = pc.value_counts(grades["cpr"]).field("counts").to_numpy()
    assert np.median(per_pupil) == 10
    compulsory = grades.filter(pc.equal(grades["proevetype"], "B"))
    assert set(compulsory["fag"].to_pylist()) == set(
        codelist("exam_subject").where(compulsory=True)
    )
    assert {"SY", "FR"} <= set(grades["karakter"].to_pylist())


def test_absence_is_daily_on_school_days(run: Run) -> None:
    records = run.records[0]
    absence = records["fravaer"]
    days = school_days("2024-05")
    pupils = _current(records["indskrivning"]).num_rows
    assert 0.04 < absence.num_rows / (pupils * len(days)) < 0.08
    assert set(absence["dato"].to_pylist()) <= set(days)
    assert set(absence["fravaerstype"].to_pylist()) == {"SYG", "FRI", "ULO"}
    keys = list(zip(*(absence[c].to_pylist() for c in ("kommune", "cpr", "dato")), strict=True))
    assert len(set(keys)) == len(keys)
    assert run.records[2]["fravaer"].num_rows == 0  # July is holiday


def test_tables_have_contract_fields_sort_by_kommune_and_render(run: Run) -> None:
    spec = contract("school")
    records = run.records[1]
    for code, table in records.items():
        assert table.schema.names == [f for f in spec.record_type(code).field_names if f != "rt"]
        assert (np.diff(table["kommune"].to_numpy()) >= 0).all()
    instnr = records["institution"]["instnr"].to_pylist()
    assert len(set(instnr)) == len(instnr) and all(len(i) == 6 for i in instnr)
    ids = records["klasse"]["klasse_id"].to_pylist()
    assert len(set(ids)) == len(ids)
    one = {code: t.filter(pc.equal(t["kommune"], 461)) for code, t in records.items()}
    text = render_extract(spec, municipality=461, period="2024-06", records=one).decode()
    count = sum(t.num_rows for t in one.values())
    assert text.splitlines()[-1] == f'{{"rt":"slut","antal":{count}}}'


def test_every_municipality_has_a_folkeskole_and_a_youth_school(run: Run) -> None:
    inst = run.records[0]["institution"]
    for kind in ("1012", "1014"):
        owners = inst.filter(pc.equal(inst["institutionstype"], kind))["kommune"]
        assert len(pc.unique(owners)) == 98
    assert run.summary.schema.names == [
        "kommune",
        "instnr",
        "institutionstype",
        "pupils",
        "classes",
        "special_classes",
    ]
    august = _current(run.records[3]["indskrivning"])
    assert pc.sum(run.summary["pupils"]).as_py() == august.num_rows


def test_same_arguments_give_identical_tables() -> None:
    a, b = make_run(months=MONTHS[:2]), make_run(months=MONTHS[:2])
    for code in a.records[-1]:
        assert a.records[-1][code].equals(b.records[-1][code]), code


def test_about_two_hundred_school_days_a_year() -> None:
    per_month = [len(school_days(f"2025-{m:02d}")) for m in range(1, 13)]
    assert 190 <= sum(per_month) <= 210
    assert per_month[6] == 0  # July: summer holiday
    assert max(per_month) <= 23
