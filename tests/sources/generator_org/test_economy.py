import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flis import periods
from flis.reference.codelists import codelist
from flis.sources.catalogue import contract
from flis.sources.formats import render_extract
from flis.sources.generator import economy
from tests.sources.generator_org.conftest import MONTHS, Year

POSTING = contract("economy").record_type("postering")
ARROW_TYPE = {"integer": pa.int64(), "decimal": pa.float64(), "date": pa.date32()}


def _strings(column: pa.ChunkedArray) -> np.ndarray:
    return np.asarray(column.to_numpy(zero_copy_only=False)).astype(str)


def _parts(table: pa.Table) -> dict[str, np.ndarray]:
    """Account string parts, amounts and types as arrays."""
    account = _strings(table.column("kontostreng"))
    return {
        "kommune": table.column("kommune").to_numpy(),
        "funktion": np.array([a[:7] for a in account]),
        "hovedkonto": np.array([a[0] for a in account]),
        "dranst": np.array([a[8] for a in account]),
        "art": np.array([a[10:] for a in account]),
        "omk": _strings(table.column("omkostningssted")),
        "beloeb": table.column("beloeb").to_numpy(),
        "type": _strings(table.column("posteringstype")),
    }


def test_postings_have_the_contract_columns_and_sort_order(year: Year) -> None:
    table = year.postings[MONTHS[0]]
    assert table.column_names == list(POSTING.field_names)
    for f in POSTING.fields:
        assert table.schema.field(f.name).type == ARROW_TYPE.get(f.type, pa.string()), f.name
    kommune = table.column("kommune").to_numpy()
    bilag = _strings(table.column("bilagsnr"))
    assert np.all(np.diff(kommune) >= 0)
    same = kommune[1:] == kommune[:-1]
    assert np.all(bilag[1:][same] > bilag[:-1][same])
    assert len(set(zip(kommune.tolist(), bilag.tolist(), strict=True))) == table.num_rows
    assert all(pc.match_substring_regex(table.column("bilagsnr"), "^[A-Z0-9-]{1,20}$").to_pylist())
    assert len(np.unique(kommune)) == 98


def test_accounts_use_known_codes_and_dates_in_the_month(year: Year) -> None:
    for month in (MONTHS[0], MONTHS[7]):
        table = year.postings[month]
        p = _parts(table)
        assert set(p["funktion"]) <= codelist("funktion").code_set()
        assert set(p["dranst"]) <= codelist("dranst").code_set()
        assert set(p["art"]) <= codelist("art").code_set()
        assert set(p["type"]) == {"R", "B", "K"}
        pattern = POSTING.field("kontostreng").pattern
        assert all(pc.match_substring_regex(table.column("kontostreng"), pattern).to_pylist())
        days = table.column("bogfoeringsdato").cast(pa.int32()).to_numpy().astype("datetime64[D]")
        assert days.min() >= np.datetime64(periods.first_day(month))
        assert days.max() <= np.datetime64(periods.last_day(month))
        assert np.all(np.round(p["beloeb"], 2) == p["beloeb"])


def test_school_postings_carry_the_institution_number(year: Year) -> None:
    p = _parts(year.postings[MONTHS[0]])
    schools = set(_strings(year.institutions.column("instnr")))
    at_school = (p["funktion"] == "3.22.01") & (p["dranst"] == "1") & (p["art"] == "1.0")
    assert set(p["omk"][at_school]) <= schools


def test_salaries_are_the_payroll(year: Year) -> None:
    p = _parts(year.postings[MONTHS[0]])
    salaries = p["beloeb"][(p["type"] == "R") & (p["art"] == "1.0")].sum()
    payroll = pc.sum(year.summaries[MONTHS[0]].column("pay")).as_py()
    assert abs(salaries - payroll) < 0.01 * payroll


def test_budget_matches_actuals_over_a_year(year: Year) -> None:
    totals = {"R": 0.0, "B": 0.0, "K": 0.0}
    for month in MONTHS:
        p = _parts(year.postings[month])
        spend = p["hovedkonto"] != "7"
        for kind in totals:
            totals[kind] += p["beloeb"][spend & (p["type"] == kind)].sum()
    assert abs(totals["B"] / totals["R"] - 1) < 0.05
    assert abs(totals["K"] / totals["R"] - 1) < 0.05


def test_corrected_budget_equals_original_until_spring_then_differs_somewhere(year: Year) -> None:
    def by_type(month: str, kind: str) -> np.ndarray:
        p = _parts(year.postings[month])
        return np.asarray(p["beloeb"][p["type"] == kind])

    assert np.array_equal(by_type(MONTHS[0], "B"), by_type(MONTHS[0], "K"))
    december = by_type(MONTHS[11], "B") != by_type(MONTHS[11], "K")
    assert 0.02 < december.mean() < 0.4


def _school_spend_and_pupils(year: Year, month: str) -> tuple[np.ndarray, np.ndarray]:
    """Actual monthly operating spend on 3.22.01 and ordinary pupils, per municipality."""
    p = _parts(year.postings[month])
    mask = (p["type"] == "R") & (p["funktion"] == "3.22.01") & (p["dranst"] == "1")
    codes = year.world.codes
    spend = np.bincount(np.searchsorted(codes, p["kommune"][mask]), p["beloeb"][mask], 98)
    inst = year.institutions
    ordinary = np.isin(_strings(inst.column("institutionstype")), ["1012", "1014"])
    idx = np.searchsorted(codes, inst.column("kommune").to_numpy()[ordinary])
    return spend, np.bincount(idx, inst.column("pupils").to_numpy()[ordinary], 98)


def test_spending_levels_are_plausible(year: Year) -> None:
    population = year.residents.num_rows
    op = income_b = op_b = 0.0
    for month in MONTHS:
        p = _parts(year.postings[month])
        actual, budget = p["type"] == "R", p["type"] == "B"
        running = np.isin(p["hovedkonto"], list("023456")) & (p["dranst"] != "3")
        op += p["beloeb"][actual & running].sum()
        op_b += p["beloeb"][budget & running].sum()
        income_b -= p["beloeb"][budget & (p["hovedkonto"] == "7")].sum()
    assert 60_000 < op / population < 72_000
    assert 0 < (income_b - op_b) / population < 5_000


def test_school_spending_per_pupil_is_plausible_and_varies(year: Year) -> None:
    spend, pupils = _school_spend_and_pupils(year, MONTHS[0])
    # at this scale most municipalities have a single school of a few dozen pupils, whose
    # fixed staff (leader, office, caretaker) make the cost per pupil meaningless
    big = pupils >= 100
    assert big.sum() >= 5
    assert 70_000 < spend[big].sum() * 12 / pupils[big].sum() < 110_000
    per_pupil = spend[big] * 12 / pupils[big]
    assert per_pupil.min() > 60_000 and per_pupil.max() < 130_000
    assert per_pupil.std() / per_pupil.mean() > 0.03


def test_several_lines_per_account_and_a_realistic_volume(year: Year) -> None:
    table = year.postings[MONTHS[0]]
    actual = table.filter(pc.equal(table.column("posteringstype"), "R"))
    lines = actual.group_by(["kommune", "kontostreng"]).aggregate([("beloeb", "count")])
    counts = lines.column("beloeb_count").to_numpy()
    assert np.median(counts) >= 3 and counts.max() <= 200


def test_same_arguments_give_identical_postings(year: Year) -> None:
    month = MONTHS[4]
    again = economy.month_postings(
        year.world, month, year.residents, year.institutions, year.summaries[month]
    )
    assert again.equals(year.postings[month])


def test_postings_render_with_a_sum_trailer(year: Year) -> None:
    table = year.postings[MONTHS[0]]
    mine = table.filter(pc.equal(table.column("kommune"), 461))
    lines = (
        render_extract(
            contract("economy"), municipality=461, period=MONTHS[0], records={"postering": mine}
        )
        .decode()
        .splitlines()
    )
    assert len(lines) == mine.num_rows + 2
    cents = int(np.rint(mine.column("beloeb").to_numpy() * 100).sum())
    assert lines[-1].startswith(f"SLUT;{mine.num_rows};")
    assert lines[-1].endswith(f"{abs(cents) % 100:02d}")
