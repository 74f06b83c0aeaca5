"""School key figures on tiny hand-built worlds; every expected value is worked out in comments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from flis import periods
from tests.keyfigures.world_factory import World, built_world, make_world

__all__ = ["make_world"]

SEP = "2024-09"
MUNI, OTHER = 101, 147
SCHOOL_YEAR = periods.parse_month_range("2024-08:2025-07")


def _count_day_world(w: World) -> None:
    """One September in 101 (and an empty school delivery from 147).

    School 100001 (folkeskole, 1012):
      0A ALM grade 0, 5 pupils (2 born 2017 = late start, 3 born 2018)
      1A ALM grade 1, 4 pupils     (left out of the class size: under 5)
      2A ALM grade 2, 5 pupils
      3A ALM grade 3, 35 pupils    (3 of them live in 147)
      4A ALM grade 4, 36 pupils    (left out: over 35)
      5A AGI grade 5, 20 pupils    (left out: not split by year group)
      6S S202 grade 6, 6 pupils    (special class: segregated, not ordinary)
    School 100002 (special school, 1015): 7X ALM grade 7, 4 pupils (segregated by school type)
    School 100003 (folkeskole without pupils).
    """
    w.deliver("school", OTHER, SEP)
    a = w.school(MUNI, SEP, "100001")
    w.school(MUNI, SEP, "100002", kind="1015")
    w.school(MUNI, SEP, "100003")
    zero = w.klass(MUNI, SEP, a, "100001-0A", grade=0, pupils=5)
    for i, person in enumerate(zero):
        w.person_born(person, dt.date(2017, 12, 31) if i < 2 else dt.date(2018, 3, 1))
    w.klass(MUNI, SEP, a, "100001-1A", grade=1, pupils=4)
    second = w.klass(MUNI, SEP, a, "100001-2A", grade=2, pupils=5)
    w.klass(MUNI, SEP, a, "100001-3A", grade=3, pupils=32)
    movers = [w.pupil(MUNI, SEP, a, "100001-3A", grade=3, home=OTHER) for _ in range(3)]
    w.klass(MUNI, SEP, a, "100001-4A", grade=4, pupils=36)
    w.klass(MUNI, SEP, a, "100001-5A", grade=5, class_type="AGI", pupils=20)
    w.klass(MUNI, SEP, a, "100001-6S", grade=6, class_type="S202", pupils=6)
    w.klass(MUNI, SEP, "100002", "100002-7X", grade=7, pupils=4)
    # linked data: 7 pupils of 0A and 2A registered in 101's CPR, the 3 movers in 147's CPR
    for person in zero + second[:2]:
        w.resident(MUNI, SEP, age=7, person=person)
    for person in movers:
        w.resident(OTHER, SEP, age=9, person=person)


COUNT_DAY_CASES = [
    # ordinary classes split by year group with 5–35 pupils: 0A (5), 2A (5), 3A (35);
    # (5 + 5 + 35) ÷ 3 = 15.0
    ("skole.klassekvotient", MUNI, 15.0),
    # folkeskoler with pupils: only 100001 with 5+4+5+35+36+20+6 = 111 pupils; 111 ÷ 1
    ("skole.skolestoerrelse", MUNI, 111.0),
    # pupils 0–9 in municipal schools living in 101: 111 + 4 (special school) − 3 movers = 112
    ("skole.elever_0_9_bopael", MUNI, 112.0),
    # the 3 movers count for their home municipality 147
    ("skole.elever_0_9_bopael", OTHER, 3.0),
    # paying role (= home): segregated 6 (S202) + 4 (special school) = 10 of 112 → 8.9286 %
    ("skole.segregeringsgrad", MUNI, 100 * 10 / 112),
    # owner role: pupils in special classes 6 of all 115 pupils 0–9 → 5.2174 %
    ("skole.andel_specialklasse", MUNI, 100 * 6 / 115),
    # 0A: 2 of 5 turn 7 in 2024 (born 2017) → 40 %
    ("skole.sen_skolestart", MUNI, 40.0),
    # linked: 10 pupils found in CPR (5 of 0A + 2 of 2A in 101, 3 movers in 147); 3 live
    # elsewhere → 30 %
    ("skole.andel_elever_anden_bopael", MUNI, 30.0),
]


@pytest.fixture(scope="module")
def count_day_world() -> Iterator[World]:
    w = built_world(_count_day_world, [c[0] for c in COUNT_DAY_CASES])
    yield w
    w.conn.close()


@pytest.mark.parametrize(("kf", "muni", "expected"), COUNT_DAY_CASES)
def test_count_day_keyfigures(count_day_world: World, kf: str, muni: int, expected: float) -> None:
    w = count_day_world
    assert w.row(kf, muni, SEP)["status"] == "ok"
    assert w.value(kf, muni, SEP) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("pupils", "status", "expected"),
    [
        (4, "denominator_zero", None),  # a class of 4 is left out: no class remains
        (5, "ok", 5.0),  # a class of 5 counts: 5 ÷ 1
        (35, "ok", 35.0),  # a class of 35 counts: 35 ÷ 1
        (36, "denominator_zero", None),  # a class of 36 is left out
    ],
)
def test_class_size_edges(
    make_world: Callable[[], World], pupils: int, status: str, expected: float | None
) -> None:
    w = make_world()
    w.school(MUNI, SEP, "100001")
    w.klass(MUNI, SEP, "100001", "100001-1A", grade=1, pupils=pupils)
    w.build(keyfigures=["skole.klassekvotient"])
    assert w.row("skole.klassekvotient", MUNI, SEP)["status"] == status
    assert w.value("skole.klassekvotient", MUNI, SEP) == expected


def test_age_integrated_class_is_left_out(make_world: Callable[[], World]) -> None:
    w = make_world()
    w.school(MUNI, SEP, "100001")
    w.klass(MUNI, SEP, "100001", "100001-1A", grade=1, pupils=20)
    w.klass(MUNI, SEP, "100001", "100001-2X", grade=2, class_type="AGI", pupils=10)
    w.build(keyfigures=["skole.klassekvotient"])
    # only 1A counts: 20 ÷ 1 (the AGI class of 10 would make it 15)
    assert w.value("skole.klassekvotient", MUNI, SEP) == 20.0


def _school_year_world(w: World) -> dict[str, list[int]]:
    """School year 2024/25 in 101; every month delivered (school and payroll).

    Folkeskole 100001 (20 school days a month):
      3A grade 3: 5 pupils Aug–Dec, 7 pupils Jan–Jun (2 join in January); nobody in July
      9A grade 9: 5 pupils Aug–Jun
    → pupils per month: 10 (Aug–Dec), 12 (Jan–Jun), 0 (Jul)
    Teachers all year, function 3.22.01 category 20: T1 37 h form 2, T2 18.5 h form 2,
    T3 10 h form 3 (hourly), T4 37 h on 3.22.05 (after-school care).
    """
    w.deliver_all("school", [MUNI], SCHOOL_YEAR)
    w.deliver_all("payroll-employment", [MUNI], SCHOOL_YEAR)
    w.deliver_all("payroll-absence", [MUNI], SCHOOL_YEAR)
    third = [w.person() for _ in range(7)]
    ninth = [w.person() for _ in range(5)]
    teachers = {}
    for month in SCHOOL_YEAR:
        teachers["T1"] = w.employee(MUNI, month, hours=37, employment_id="1")
        teachers["T2"] = w.employee(MUNI, month, hours=18.5, employment_id="2")
        teachers["T3"] = w.employee(MUNI, month, hours=10, form="3", employment_id="3")
        w.employee(MUNI, month, funktion="3.22.05", employment_id="4")
        if month.endswith("-07"):
            continue
        w.school(MUNI, month, "100001")
        w.klass(MUNI, month, "100001", "100001-3A", grade=3)
        w.klass(MUNI, month, "100001", "100001-9A", grade=9)
        for person in third[: 7 if month.startswith("2025") else 5]:
            w.pupil(MUNI, month, "100001", "100001-3A", grade=3, person=person)
        for person in ninth:
            w.pupil(MUNI, month, "100001", "100001-9A", grade=9, person=person)
    return {"third": third, "ninth": ninth}


def _absence_and_exams(w: World, pupils: dict[str, list[int]]) -> None:
    p1, p2, p3 = pupils["third"][:3]
    p11 = pupils["third"][5]
    w.pupil_absence(MUNI, "2024-10", p1, "SYG", 6)
    w.pupil_absence(MUNI, "2024-10", p2, "FRI", 4)
    w.pupil_absence(MUNI, "2024-10", p3, "ULO", 2)
    w.pupil_absence(MUNI, "2024-11", p1, "SYG", 17)
    w.pupil_absence(MUNI, "2024-11", p2, "FRI", 18)
    w.pupil_absence(MUNI, "2025-02", p11, "SYG", 13)
    a, b, c, d, _ = pupils["ninth"]
    compulsory = ["DA_LAES", "DA_RET", "DA_SKR", "DA_MDT", "MA_UH", "MA_MH", "EN_MDT", "NA_FP"]
    for subject in compulsory:
        w.grade(MUNI, "2025-06", a, subject, "7")
    for subject, grade in zip(compulsory[:4], ["12", "10", "10", "12"], strict=True):
        w.grade(MUNI, "2025-06", b, subject, grade)
    w.grade(MUNI, "2025-06", b, "EN_SKR", "02")  # not compulsory: ignored
    for subject in compulsory[:3]:
        w.grade(MUNI, "2025-06", c, subject, "02")
    for subject, grade in zip(compulsory[:4], ["4", "4", "4", "IM"], strict=True):
        w.grade(MUNI, "2025-06", d, subject, grade)


def _teacher_absence(w: World) -> None:
    w.staff_absence(MUNI, "2024-10", "1", "EGEN_SYGDOM", days=3)
    w.staff_absence(MUNI, "2024-10", "2", "ARBEJDSSKADE", days=2)
    w.staff_absence(MUNI, "2024-10", "1", "BARNS_SYGDOM", days=1)  # not sickness
    w.staff_absence(MUNI, "2024-10", "3", "DELVIS_SYGDOM", hours=3.7)  # not in KPI 569
    w.staff_absence(MUNI, "2024-10", "4", "EGEN_SYGDOM", days=5)  # function 3.22.05


SCHOOL_YEAR_CASES = [
    # mean pupils (10×5 + 12×6 + 0) ÷ 12 = 10.1667 over mean FTE teachers (T1 1.0 + T2 0.5
    # = 1.5; T3 is hourly, T4 on 3.22.05) → 6.7778
    ("skole.elev_laerer_ratio", "2025-07", (10 * 5 + 12 * 6) / 12 / 1.5),
    # October: sick days 3 (T1 own illness) + 2 (T2 work injury) over active days
    # 31 × 3 teachers on 3.22.01 (T1, T2, T3) = 93 → 5.3763 %
    ("skole.sygefravaer_laerere", "2024-10", 100 * 5 / 93),
    # A (8 × 7 → 7) and B (12, 10, 10, 12 → 11) count; C has 3 exams, D 3 graded (one IM)
    # → (7 + 11) ÷ 2 = 9.0
    ("skole.karaktergennemsnit", "2025-07", 9.0),
    # 4 pupils took a compulsory exam of 5 grade-9 pupils in August → 80 %
    ("skole.andel_afgangsproeve", "2025-07", 80.0),
    # October: 6 + 4 + 2 = 12 absence days over 10 pupils × 20 school days → 6 %
    ("skole.elevfravaer", "2024-10", 6.0),
    ("skole.elevfravaer_sygdom", "2024-10", 3.0),  # 6 ÷ 200
    ("skole.elevfravaer_frihed", "2024-10", 2.0),  # 4 ÷ 200
    ("skole.elevfravaer_ulovligt", "2024-10", 1.0),  # 2 ÷ 200
    # school year: p1 23 of 220 days (> 10 %), p2 22 of 220 (= 10 %, not above), p11 13 of
    # 120 (> 10 %) → 2 of 12 pupils = 16.667 %
    ("skole.andel_fravaer_over_10pct", "2025-07", 100 * 2 / 12),
]


def _full_school_year(w: World) -> None:
    _absence_and_exams(w, _school_year_world(w))
    _teacher_absence(w)


@pytest.fixture(scope="module")
def school_year_world() -> Iterator[World]:
    w = built_world(_full_school_year, [c[0] for c in SCHOOL_YEAR_CASES])
    yield w
    w.conn.close()


@pytest.mark.parametrize(("kf", "period", "expected"), SCHOOL_YEAR_CASES)
def test_school_year_keyfigures(
    school_year_world: World, kf: str, period: str, expected: float
) -> None:
    w = school_year_world
    assert w.row(kf, MUNI, period)["status"] == "ok"
    assert w.value(kf, MUNI, period) == pytest.approx(expected)


@pytest.mark.parametrize(("graded", "counted"), [(3, False), (4, True)])
def test_leaving_exam_needs_four_compulsory(
    make_world: Callable[[], World], graded: int, counted: bool
) -> None:
    w = make_world()
    w.deliver_all("school", [MUNI], SCHOOL_YEAR)
    w.school(MUNI, "2024-08", "100001")
    w.klass(MUNI, "2024-08", "100001", "100001-9A", grade=9)
    one, two = w.person(), w.person()
    subjects = ["DA_LAES", "DA_RET", "DA_SKR", "DA_MDT"]
    for subject in subjects:
        w.grade(MUNI, "2025-06", one, subject, "4")
    for subject in subjects[:graded]:
        w.grade(MUNI, "2025-06", two, subject, "12")
    w.build(keyfigures=["skole.karaktergennemsnit"])
    # with 4 exams pupil two counts: (4 + 12) ÷ 2 = 8; with 3 only pupil one: 4 ÷ 1
    assert w.value("skole.karaktergennemsnit", MUNI, "2025-07") == (8.0 if counted else 4.0)


def _transition_world(w: World) -> None:
    """Two school starts (5 Sep 2023 and 2024) in 101.

    Ordinary in 2023 → segregated in 2024: 2 pupils in grade 2 (now grade 3), 1 in grade 5→6.
    Ordinary both years: 7 in grade 2→3, 9 in grade 6→7. Segregated both years: 3 in 4→5.
    Segregated → ordinary: 1 in grade 7→8.
    """
    for month in ("2023-09", "2024-09"):
        w.school(MUNI, month, "100001")
        for cid, ctype in (("O", "ALM"), ("S", "S202")):
            w.klass(MUNI, month, "100001", f"100001-{cid}", class_type=ctype)

    def moves(count: int, grade_before: int, before: str, after: str) -> None:
        for _ in range(count):
            p = w.person()
            w.pupil(MUNI, "2023-09", "100001", f"100001-{before}", grade=grade_before, person=p)
            w.pupil(MUNI, "2024-09", "100001", f"100001-{after}", grade=grade_before + 1, person=p)

    moves(2, 2, "O", "S")
    moves(1, 5, "O", "S")
    moves(7, 2, "O", "O")
    moves(9, 6, "O", "O")
    moves(3, 4, "S", "S")
    moves(1, 7, "S", "O")


TRANSITION_CASES = [
    # ordinary last year: 2 + 1 + 7 + 9 = 19; now segregated 3 → 15.789 %
    ("skole.tilgang_segregeret", 100 * 3 / 19),
    # now grade 0–3: ordinary last year 2 + 7 = 9, segregated now 2 → 22.222 %
    ("skole.tilgang_segregeret_0_3", 100 * 2 / 9),
    # now grade 4–6: ordinary last year 1 (grade 6 now), segregated now 1 → 100 %
    ("skole.tilgang_segregeret_4_6", 100.0),
    # now grade 7–9: ordinary last year 9, none moved → 0 %
    ("skole.tilgang_segregeret_7_9", 0.0),
    # segregated last year: 3 + 1 = 4; now ordinary 1 → 25 %
    ("skole.afgang_segregeret", 25.0),
    # now grade 0–3: nobody was segregated → denominator zero (tested below as None)
    ("skole.afgang_segregeret_0_3", None),
    # now grade 4–6: 3 segregated (grade 5 now), none left → 0 %
    ("skole.afgang_segregeret_4_6", 0.0),
    # now grade 7–9: 1 segregated (grade 8 now), left → 100 %
    ("skole.afgang_segregeret_7_9", 100.0),
]


@pytest.fixture(scope="module")
def transition_world() -> Iterator[World]:
    w = built_world(_transition_world, [c[0] for c in TRANSITION_CASES])
    yield w
    w.conn.close()


@pytest.mark.parametrize(("kf", "expected"), TRANSITION_CASES)
def test_transitions(transition_world: World, kf: str, expected: float | None) -> None:
    w = transition_world
    row = w.row(kf, MUNI, SEP)
    assert row["status"] == ("ok" if expected is not None else "denominator_zero")
    assert w.value(kf, MUNI, SEP) == (pytest.approx(expected) if expected is not None else None)


def test_transition_without_last_year_is_incomplete(make_world: Callable[[], World]) -> None:
    w = make_world()
    w.school(MUNI, SEP, "100001")
    w.build(keyfigures=["skole.tilgang_segregeret"])
    # 2023-09 was never delivered: the value needs it, so the month is incomplete
    assert w.row("skole.tilgang_segregeret", MUNI, SEP)["status"] == "incomplete_month"
