"""A tiny hand-built warehouse for key-figure tests: rows inserted straight into the facts.

Every row is tied to the accepted delivery of its contract × municipality × month, which the
world registers the first time the slice is used, so statuses come out ``ok``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from typing import Any

import duckdb
import pytest

from flis import periods
from flis.keyfigures.build import BuildReport, build
from flis.warehouse.connection import open_warehouse

FACTS = (
    "school.institution_month",
    "school.class_month",
    "school.enrolment_month",
    "school.grade",
    "school.pupil_absence_day",
    "staff.employment_month",
    "staff.absence_period",
    "citizens.resident_month",
    "citizens.population_event",
    "economy.posting",
)


class World:
    """Helpers that add deliveries, schools, classes, pupils, employees, residents, postings."""

    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self.conn = conn
        self._ids = itertools.count(1)
        self._persons = itertools.count(1_000_000)
        self._slices: dict[tuple[str, int, str], int] = {}

    # deliveries --------------------------------------------------------------------------
    def deliver(self, contract: str, muni: int, month: str, status: str = "accepted") -> int:
        """Register a delivery; an accepted one becomes the slice's live delivery."""
        did = next(self._ids)
        seq = sum(1 for k in self._slices if k == (contract, muni, month)) + 1
        self.conn.execute(
            "INSERT INTO ingest.delivery VALUES (?, ?, 'test', ?, ?, ?, ?, 0, 'x', "
            "TIMESTAMP '2025-01-01', ?, 0, 0, 0, 0, 0, NULL)",
            [did, contract, muni, month, seq, f"{contract}_{muni}_{month}_{did}", status],
        )
        if status.startswith("accepted"):
            old = self._slices.get((contract, muni, month))
            if old is not None:  # as the ingest does: the old delivery's rows go
                self.conn.execute(
                    "UPDATE ingest.delivery SET status = 'superseded', superseded_by = ? "
                    "WHERE delivery_id = ?",
                    [did, old],
                )
                for table in FACTS:
                    self.conn.execute(f"DELETE FROM {table} WHERE delivery_id = ?", [old])
            self._slices[(contract, muni, month)] = did
        return did

    def _did(self, contract: str, muni: int, month: str) -> int:
        if (contract, muni, month) not in self._slices:
            self.deliver(contract, muni, month)
        return self._slices[(contract, muni, month)]

    def deliver_all(self, contract: str, munis: list[int], months: list[str]) -> None:
        for muni in munis:
            for month in months:
                self._did(contract, muni, month)

    def person(self) -> int:
        return next(self._persons)

    def _insert(self, table: str, contract: str, muni: int, month: str, **cols: Any) -> None:
        did = self._did(contract, muni, month)
        names = ["delivery_id", "month", "source_line", *cols]
        marks = ", ".join("?" * len(names))
        self.conn.execute(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})",
            [did, month, next(self._ids), *cols.values()],
        )

    # school ------------------------------------------------------------------------------
    def school(
        self, muni: int, month: str, instnr: str, *, kind: str = "1012", school_days: int = 20
    ) -> str:
        self._insert(
            "school.institution_month",
            "school",
            muni,
            month,
            owner_municipality=muni,
            institution_number=instnr,
            institution_type=kind,
            school_days=school_days,
        )
        return instnr

    def klass(
        self,
        muni: int,
        month: str,
        instnr: str,
        class_id: str,
        *,
        grade: int = 3,
        class_type: str = "ALM",
        pupils: int = 0,
    ) -> list[int]:
        """A class with ``pupils`` pupils enrolled from 1 August; returns their person keys."""
        self._insert(
            "school.class_month",
            "school",
            muni,
            month,
            owner_municipality=muni,
            class_id=class_id,
            institution_number=instnr,
            grade_level=str(grade),
            class_type=class_type,
            school_year=periods.school_year_start(month),
        )
        return [self.pupil(muni, month, instnr, class_id, grade=grade) for _ in range(pupils)]

    def pupil(
        self,
        muni: int,
        month: str,
        instnr: str,
        class_id: str,
        *,
        grade: int = 3,
        person: int | None = None,
        home: int | None = None,
        paying: int | None = None,
        from_date: dt.date | None = None,
        to_date: dt.date | None = None,
    ) -> int:
        key = person if person is not None else self.person()
        self._insert(
            "school.enrolment_month",
            "school",
            muni,
            month,
            owner_municipality=muni,
            home_municipality=home or muni,
            paying_municipality=paying or home or muni,
            paying_declared=paying is not None,
            person_key=key,
            enrolment_id=str(next(self._ids)),
            institution_number=instnr,
            class_id=class_id,
            grade_level=str(grade),
            from_date=from_date or dt.date(periods.school_year_start(month), 8, 1),
            to_date=to_date,
        )
        return key

    def person_born(self, person: int, birth_date: dt.date) -> None:
        self.conn.execute("INSERT INTO dim.person VALUES (?, ?, 'K', 0)", [person, birth_date])

    def grade(self, muni: int, month: str, person: int, subject: str, grade: str) -> None:
        value = int(grade) if grade not in ("IM", "SY", "FR") else None
        self._insert(
            "school.grade",
            "school",
            muni,
            month,
            owner_municipality=muni,
            person_key=person,
            institution_number="100001",
            subject=subject,
            exam_type="B",
            grade=grade,
            grade_value=value,
            exam_date=periods.first_day(month),
        )

    def pupil_absence(self, muni: int, month: str, person: int, kind: str, days: int) -> None:
        for day in range(days):
            self._insert(
                "school.pupil_absence_day",
                "school",
                muni,
                month,
                owner_municipality=muni,
                person_key=person,
                institution_number="100001",
                absence_date=periods.first_day(month) + dt.timedelta(days=day),
                absence_type=kind,
            )

    # staff -------------------------------------------------------------------------------
    def employee(
        self,
        muni: int,
        month: str,
        *,
        category: str = "20",
        funktion: str = "3.22.01",
        form: str = "2",
        hours: float = 37.0,
        start: dt.date | None = None,
        end: dt.date | None = None,
        person: int | None = None,
        employment_id: str | None = None,
    ) -> str:
        eid = employment_id or str(next(self._ids))
        self._insert(
            "staff.employment_month",
            "payroll-employment",
            muni,
            month,
            employer_municipality=muni,
            person_key=person or self.person(),
            employment_id=eid,
            workplace="1",
            funktion=funktion,
            staff_category=category,
            collective_agreement="LC",
            employment_form=form,
            weekly_hours=hours,
            fte=hours / 37.0,
            monthly_pay=30000,
            start_date=start or dt.date(2020, 1, 1),
            end_date=end,
        )
        return eid

    def staff_absence(
        self,
        muni: int,
        month: str,
        employment_id: str,
        kind: str,
        *,
        days: int = 1,
        hours: float | None = None,
    ) -> None:
        first = periods.first_day(month)
        self._insert(
            "staff.absence_period",
            "payroll-absence",
            muni,
            month,
            employer_municipality=muni,
            person_key=0,
            absence_id=str(next(self._ids)),
            employment_id=employment_id,
            absence_type=kind,
            from_date=first,
            to_date=first + dt.timedelta(days=days - 1),
            calendar_days=days,
            hours=hours,
        )

    # citizens ----------------------------------------------------------------------------
    def resident(self, muni: int, month: str, *, age: int, person: int | None = None) -> int:
        key = person if person is not None else self.person()
        self._insert(
            "citizens.resident_month",
            "cpr",
            muni,
            month,
            home_municipality=muni,
            person_key=key,
            cpr_status="01",
            sex="K",
            birth_date=dt.date(2000, 1, 1),
            age=age,
            civil_status="U",
            citizenship="DK",
            moved_in_date=None,
            school_district=None,
        )
        return key

    def residents(self, muni: int, month: str, *, age: int, count: int) -> None:
        """``count`` residents of one age, in one statement."""
        did = self._did("cpr", muni, month)
        base = next(self._persons)
        self._persons = itertools.count(base + count)
        self.conn.execute(
            "INSERT INTO citizens.resident_month SELECT ?, ?, range, ?, ? + range, '01', 'K', "
            "DATE '2000-01-01', ?, 'U', 'DK', NULL, NULL FROM range(?)",
            [did, month, muni, base, age, count],
        )

    def event(self, muni: int, month: str, kind: str, count: int = 1) -> None:
        for _ in range(count):
            self._insert(
                "citizens.population_event",
                "cpr",
                muni,
                month,
                home_municipality=muni,
                person_key=self.person(),
                event=kind,
                event_date=periods.first_day(month),
                other_municipality=None,
            )

    # economy -----------------------------------------------------------------------------
    def posting(
        self,
        muni: int,
        month: str,
        funktion: str,
        amount: float,
        *,
        kind: str = "R",
        dranst: str = "1",
    ) -> None:
        self._insert(
            "economy.posting",
            "economy",
            muni,
            month,
            owner_municipality=muni,
            voucher=str(next(self._ids)),
            posting_date=periods.first_day(month),
            account=f"{funktion}.{dranst}.1.0",
            hovedkonto=funktion[0],
            funktion=funktion,
            dranst=dranst,
            art="1.0",
            cost_centre=None,
            amount=amount,
            posting_type=kind,
        )

    # results -----------------------------------------------------------------------------
    def build(self, **kwargs: Any) -> BuildReport:
        return build(self.conn, **kwargs)

    def row(self, kf: str, muni: int, period: str) -> dict[str, Any]:
        cur = self.conn.execute(
            "SELECT * FROM keyfigures.value WHERE keyfigure = ? AND municipality_code = ? "
            "AND period = ?",
            [kf, muni, period],
        )
        names = [d[0] for d in cur.description]
        found = cur.fetchone()
        assert found is not None, f"no value for {kf} {muni} {period}"
        return dict(zip(names, found, strict=True))

    def value(self, kf: str, muni: int, period: str) -> float | None:
        v = self.row(kf, muni, period)["value"]
        return None if v is None else float(v)


def built_world(setup: Callable[[World], object], keyfigures: list[str]) -> World:
    """A fresh world set up by ``setup`` with ``keyfigures`` built (for module fixtures)."""
    world = World(open_warehouse(":memory:"))
    setup(world)
    world.build(keyfigures=sorted(set(keyfigures)))
    return world


@pytest.fixture
def make_world() -> Iterator[Callable[[], World]]:
    """Factory: a fresh in-memory warehouse per world."""
    opened: list[duckdb.DuckDBPyConnection] = []

    def make() -> World:
        conn = open_warehouse(":memory:")
        opened.append(conn)
        return World(conn)

    yield make
    for conn in opened:
        conn.close()
