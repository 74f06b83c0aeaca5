import datetime as dt

import pyarrow as pa

from flis.sources.catalogue import contract
from flis.sources.formats import render_extract


def test_delimited_uses_semicolon_decimal_comma_and_a_sum_trailer() -> None:
    table = pa.table(
        {
            "kommune": [461, 461],
            "bilagsnr": ["A1", "A2"],
            "bogfoeringsdato": pa.array([dt.date(2024, 8, 1), dt.date(2024, 8, 31)]),
            "kontostreng": ["3.22.01.1.1.0", "6.45.51.1.1.0"],
            "beloeb": [1234.5, -0.07],
            "posteringstype": ["R", "B"],
        }
    )
    text = render_extract(
        contract("economy"), municipality=461, period="2024-08", records={"postering": table}
    ).decode()
    assert text.splitlines() == [
        "kommune;bilagsnr;bogfoeringsdato;kontostreng;omkostningssted;beloeb;posteringstype",
        "461;A1;01-08-2024;3.22.01.1.1.0;;1234,50;R",
        "461;A2;31-08-2024;6.45.51.1.1.0;;-0,07;B",
        "SLUT;2;1234,43",
    ]


def test_fixed_width_records_have_their_declared_length() -> None:
    table = pa.table(
        {
            "cpr": ["0101801234"],
            "kommune": [461],
            "status": ["01"],
            "koen": ["K"],
            "foedselsdato": pa.array([dt.date(1980, 1, 1)]),
            "civilstand": ["G"],
            "statsborgerskab": ["DK"],
        }
    )
    c = contract("cpr")
    lines = (
        render_extract(c, municipality=461, period="2024-08", records={"001": table})
        .decode()
        .splitlines()
    )
    assert lines[0] == "000046120240820240801"
    assert lines[1].startswith("0010101801234046101K19800101GDK")
    assert len(lines[1]) == c.record_type("001").record_length
    assert lines[2] == "999000000001"


def test_jsonl_escapes_quotes_and_ends_with_a_count() -> None:
    table = pa.table(
        {
            "kommune": [461],
            "instnr": ["280001"],
            "navn": ['Skole "Nord"'],
            "institutionstype": ["1012"],
            "skoledage": [20],
        }
    )
    lines = (
        render_extract(
            contract("school"), municipality=461, period="2024-08", records={"institution": table}
        )
        .decode()
        .splitlines()
    )
    assert lines == [
        '{"rt":"institution","kommune":461,"instnr":"280001","navn":"Skole \\"Nord\\"",'
        '"institutionstype":"1012","skoledage":20}',
        '{"rt":"slut","antal":1}',
    ]
