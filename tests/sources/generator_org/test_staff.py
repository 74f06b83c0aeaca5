import datetime as dt
import itertools

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from flis import periods
from flis.errors import GeneratorError
from flis.reference.codelists import codelist
from flis.sources.catalogue import contract
from flis.sources.formats import render_extract
from flis.sources.generator.staff import Workforce
from tests.sources.generator_org.conftest import MONTHS, Year

EMPLOYMENT = contract("payroll-employment").record_type("ansaettelse")
ABSENCE = contract("payroll-absence").record_type("fravaer")
ARROW_TYPE = {"integer": pa.int64(), "decimal": pa.float64(), "date": pa.date32()}


def _days(column: pa.ChunkedArray) -> np.ndarray:
    return column.cast(pa.int32()).to_numpy().astype("datetime64[D]")


def _strings(column: pa.ChunkedArray) -> np.ndarray:
    return np.asarray(column.to_numpy(zero_copy_only=False)).astype(str)


@pytest.mark.parametrize(("code", "spec"), [("ansaettelse", EMPLOYMENT), ("fravaer", ABSENCE)])
def test_tables_have_the_contract_columns_and_types(year: Year, code: str, spec: object) -> None:
    table = year.payroll[MONTHS[0]][code]
    assert table.column_names == list(spec.field_names)  # type: ignore[attr-defined]
    for f in spec.fields:  # type: ignore[attr-defined]
        assert table.schema.field(f.name).type == ARROW_TYPE.get(f.type, pa.string()), f.name


def test_tables_are_sorted_by_municipality_then_id_and_cover_all_98(year: Year) -> None:
    tables = year.payroll[MONTHS[3]]
    for code, key in (("ansaettelse", "ansaettelsesnr"), ("fravaer", "fravaersid")):
        t = tables[code]
        kommune = t.column("kommune").to_numpy()
        ids = _strings(t.column(key))
        assert np.all(np.diff(kommune) >= 0)
        same = kommune[1:] == kommune[:-1]
        assert np.all(ids[1:][same] > ids[:-1][same])
        assert len(np.unique(ids)) == len(ids)
    assert len(np.unique(tables["ansaettelse"].column("kommune").to_numpy())) == 98


def test_every_code_is_in_its_code_list(year: Year) -> None:
    tables = year.payroll[MONTHS[0]]
    for code, spec in (("ansaettelse", EMPLOYMENT), ("fravaer", ABSENCE)):
        for f in spec.fields:
            if f.codelist:
                values = set(_strings(tables[code].column(f.name)))
                assert values <= codelist(f.codelist).code_set(), f.name
    used = set(_strings(tables["fravaer"].column("fravaersaarsag")))
    assert used == codelist("staff_absence_type").code_set()


def test_employees_are_adult_residents_mostly_of_their_municipality(year: Year) -> None:
    emp = year.payroll[MONTHS[0]]["ansaettelse"]
    res = year.residents
    pos = pc.index_in(emp.column("cpr"), res.column("cpr")).to_numpy(zero_copy_only=False)
    assert not np.isnan(pos.astype(float)).any()
    birth = _days(res.column("birth_date"))[pos.astype(int)]
    age = (np.datetime64("2024-01-31") - birth).astype(int) / 365.25
    assert age.min() >= 18 and age.max() < 70.5
    home = res.column("kommune").to_numpy()[pos.astype(int)]
    local = np.mean(home == emp.column("kommune").to_numpy())
    assert 0.75 < local < 0.95
    assert 0.07 < emp.num_rows / res.num_rows < 0.10


def test_teachers_are_about_one_per_eleven_to_twelve_pupils(year: Year) -> None:
    emp = year.payroll[MONTHS[0]]["ansaettelse"]
    teachers = emp.filter(
        pc.and_(
            pc.equal(emp.column("funktion"), "3.22.01"),
            pc.equal(emp.column("personalekategori"), "20"),
        )
    )
    fte = pc.sum(teachers.column("ugentlige_timer")).as_py() / 37
    inst = year.institutions
    ordinary = pc.is_in(inst.column("institutionstype"), pa.array(["1012", "1014"]))
    pupils = pc.sum(inst.filter(ordinary).column("pupils")).as_py()
    assert 10 < pupils / fte < 12.5
    assert set(_strings(teachers.column("arbejdssted"))) <= set(_strings(inst.column("instnr")))


def test_pay_and_hours_are_plausible(year: Year) -> None:
    emp = year.payroll[MONTHS[0]]["ansaettelse"]
    hours = emp.column("ugentlige_timer").to_numpy()
    pay = emp.column("maanedsloen").to_numpy()
    form = _strings(emp.column("ansaettelsesform"))
    full = (hours == 37) & (form != "3")
    assert 0.5 < full.mean() < 0.85
    assert 28_000 < pay[full].mean() < 50_000 and pay[full].max() < 90_000
    assert 0.07 < np.mean(form == "1") < 0.14 and 0.01 < np.mean(form == "3") < 0.08
    assert np.all(np.round(pay, 2) == pay)


def test_employments_persist_and_leavers_go(year: Year) -> None:
    for before, after in itertools.pairwise(MONTHS):
        a = year.payroll[before]["ansaettelse"]
        b = year.payroll[after]["ansaettelse"]
        left = pc.is_valid(a.column("slutdato")).to_numpy(zero_copy_only=False)
        ids_a, ids_b = _strings(a.column("ansaettelsesnr")), _strings(b.column("ansaettelsesnr"))
        assert set(ids_a[~left]) <= set(ids_b)
        assert not set(ids_a[left]) & set(ids_b)
        assert 0.007 < left.mean() < 0.02
        new = ~np.isin(ids_b, ids_a)
        starts = _days(b.column("startdato"))[new]
        assert np.all(starts >= np.datetime64(periods.first_day(after)))
        keep = np.isin(ids_b, ids_a[~left])
        cpr_a = dict(zip(ids_a, _strings(a.column("cpr")), strict=True))
        assert all(
            cpr_a[i] == c for i, c in zip(ids_b[keep], _strings(b.column("cpr"))[keep], strict=True)
        )


def test_end_dates_lie_in_the_month_and_not_before_start(year: Year) -> None:
    for month in MONTHS[:3]:
        emp = year.payroll[month]["ansaettelse"]
        left = emp.filter(pc.is_valid(emp.column("slutdato")))
        end, start = _days(left.column("slutdato")), _days(left.column("startdato"))
        assert np.all(end >= np.datetime64(periods.first_day(month)))
        assert np.all(end <= np.datetime64(periods.last_day(month)))
        assert np.all(end >= start)


def test_absence_periods_lie_in_the_month_within_employments_without_overlap(
    year: Year,
) -> None:
    month = MONTHS[5]
    emp, absence = year.payroll[month]["ansaettelse"], year.payroll[month]["fravaer"]
    fra, til = _days(absence.column("fra_dato")), _days(absence.column("til_dato"))
    assert fra.min() >= np.datetime64(periods.first_day(month))
    assert til.max() <= np.datetime64(periods.last_day(month))
    assert np.all(til >= fra)
    ids = _strings(absence.column("ansaettelsesnr"))
    known = dict(
        zip(_strings(emp.column("ansaettelsesnr")), _strings(emp.column("cpr")), strict=True)
    )
    assert all(known[i] == c for i, c in zip(ids, _strings(absence.column("cpr")), strict=True))
    order = np.lexsort((fra, ids))
    same = ids[order][1:] == ids[order][:-1]
    assert np.all(fra[order][1:][same] > til[order][:-1][same])
    kind = _strings(absence.column("fravaersaarsag"))
    timer = absence.column("timer").to_numpy(zero_copy_only=False).astype(float)
    partial = kind == "DELVIS_SYGDOM"
    assert np.all(fra[partial] == til[partial])
    assert np.all((timer[partial] >= 1) & (timer[partial] <= 6))
    assert np.isnan(timer[~partial]).all()
    assert not np.isin(np.busday_count(fra, til + 1), 0).any()  # never only a weekend


def test_long_absence_continues_next_month_with_a_new_id(year: Year) -> None:
    a, b = year.payroll[MONTHS[2]]["fravaer"], year.payroll[MONTHS[3]]["fravaer"]
    running = _days(a.column("til_dato")) == np.datetime64(periods.last_day(MONTHS[2]))
    running_ids = set(_strings(a.column("ansaettelsesnr"))[running])
    first = _days(b.column("fra_dato")) == np.datetime64(periods.first_day(MONTHS[3]))
    continued = set(_strings(b.column("ansaettelsesnr"))[first])
    assert len(running_ids) > 20
    assert len(running_ids & continued) > 0.8 * len(running_ids)
    assert not set(_strings(a.column("fravaersid"))) & set(_strings(b.column("fravaersid")))


def test_sickness_is_about_twelve_days_per_full_time_employee_and_skewed(year: Year) -> None:
    sick_days, fte = 0.0, 0.0
    per_employee: dict[str, float] = {}
    for month in MONTHS:
        emp, absence = year.payroll[month]["ansaettelse"], year.payroll[month]["fravaer"]
        fte += pc.sum(emp.column("ugentlige_timer")).as_py() / 37 / 12
        hours = dict(
            zip(
                _strings(emp.column("ansaettelsesnr")),
                emp.column("ugentlige_timer").to_numpy(),
                strict=True,
            )
        )
        ids = _strings(absence.column("ansaettelsesnr"))
        kind = _strings(absence.column("fravaersaarsag"))
        sick = np.isin(kind, ["EGEN_SYGDOM", "ARBEJDSSKADE", "DELVIS_SYGDOM"])
        whole = np.busday_count(
            _days(absence.column("fra_dato")), _days(absence.column("til_dato")) + 1
        )
        timer = absence.column("timer").to_numpy(zero_copy_only=False).astype(float)
        weight = np.array([hours[i] for i in ids]) / 37
        days = np.where(kind == "DELVIS_SYGDOM", np.nan_to_num(timer) / 7.4, whole * weight)
        sick_days += days[sick].sum()
        for i, d in zip(ids[sick], days[sick], strict=True):
            per_employee[i] = per_employee.get(i, 0.0) + d
    assert 10.0 < sick_days / fte < 14.0
    ranked = np.sort(np.array(list(per_employee.values())))[::-1]
    top = ranked[: int(0.05 * fte)].sum() / ranked.sum()
    assert 0.3 < top < 0.55


def test_summary_adds_up_the_month(year: Year) -> None:
    emp, summary = year.payroll[MONTHS[0]]["ansaettelse"], year.summaries[MONTHS[0]]
    assert summary.column_names == ["kommune", "funktion", "personalekategori", "fte", "pay"]
    assert pc.sum(summary.column("pay")).as_py() == pytest.approx(
        pc.sum(emp.column("maanedsloen")).as_py()
    )
    assert pc.sum(summary.column("fte")).as_py() == pytest.approx(
        pc.sum(emp.column("ugentlige_timer")).as_py() / 37
    )


def test_same_arguments_give_identical_tables(small_world: tuple) -> None:  # type: ignore[type-arg]
    world, residents, institutions = small_world
    runs = []
    for _ in range(2):
        wf = Workforce.initial(world, residents, institutions, "2024-01")
        runs.append([wf.advance(m, residents, institutions) for m in ("2024-01", "2024-02")])
    for first, second in zip(*runs, strict=True):
        assert first["ansaettelse"].equals(second["ansaettelse"])
        assert first["fravaer"].equals(second["fravaer"])


def test_advancing_out_of_order_is_refused(small_world: tuple) -> None:  # type: ignore[type-arg]
    world, residents, institutions = small_world
    wf = Workforce.initial(world, residents, institutions, "2024-01")
    wf.advance("2024-01", residents, institutions)
    with pytest.raises(GeneratorError):
        wf.advance("2024-03", residents, institutions)


@pytest.mark.parametrize(
    ("contract_id", "code"), [("payroll-employment", "ansaettelse"), ("payroll-absence", "fravaer")]
)
def test_tables_render_as_extracts(year: Year, contract_id: str, code: str) -> None:
    table = year.payroll[MONTHS[0]][code]
    mine = table.filter(pc.equal(table.column("kommune"), 101))
    text = render_extract(
        contract(contract_id), municipality=101, period=MONTHS[0], records={code: mine}
    ).decode()
    lines = text.splitlines()
    assert len(lines) == mine.num_rows + 2
    assert lines[-1] == f"SLUT;{mine.num_rows}"
    # second to last field: startdato resp. til_dato, written dd-mm-yyyy
    assert (
        dt.datetime.strptime(lines[1].split(";")[-2], "%d-%m-%Y").year == 2024
        or code == "ansaettelse"
    )
