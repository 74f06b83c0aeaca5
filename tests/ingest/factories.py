"""Small valid extracts per contract, rendered with the contracts' own writers."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from flis.sources.catalogue import contract
from flis.sources.formats import render_extract

D = dt.date


def _dates(*values: D | None) -> pa.Array:
    return pa.array(list(values), pa.date32())


def records(contract_id: str, municipality: int = 461, n: int = 2) -> dict[str, pa.Table]:
    """Valid records for August 2024 (``n`` rows where the contract has a simple table)."""
    m = [municipality] * n
    if contract_id == "economy":
        return {
            "postering": pa.table(
                {
                    "kommune": m,
                    "bilagsnr": [f"B{i}" for i in range(1, n + 1)],
                    "bogfoeringsdato": _dates(*[D(2024, 8, 1 + i % 28) for i in range(n)]),
                    "kontostreng": ["3.22.01.1.1.0"] * n,
                    "omkostningssted": ["280001"] * n,
                    "beloeb": [100.25 * (i + 1) for i in range(n)],
                    "posteringstype": ["R"] * n,
                }
            )
        }
    if contract_id == "cpr":
        return {
            "001": pa.table(
                {
                    "cpr": [f"{1 + i % 28:02d}0180{1000 + i:04d}" for i in range(n)],
                    "kommune": m,
                    "status": ["01"] * n,
                    "koen": ["K", "M"] * (n // 2) + ["K"] * (n % 2),
                    "foedselsdato": _dates(*[D(1980, 1, 1 + i % 28) for i in range(n)]),
                    "civilstand": ["G"] * n,
                    "statsborgerskab": ["DK"] * n,
                    "tilflytningsdato": _dates(*[None] * n),
                    "skoledistrikt": ["280001"] * n,
                }
            ),
            "002": pa.table(
                {
                    "cpr": ["0101801000"],
                    "kommune": [municipality],
                    "haendelse": ["TIL"],
                    "dato": _dates(D(2024, 8, 5)),
                    "anden_kommune": [101],
                }
            ),
        }
    if contract_id == "payroll-employment":
        return {
            "ansaettelse": pa.table(
                {
                    "kommune": m,
                    "cpr": [f"0101802{i:03d}" for i in range(n)],
                    "ansaettelsesnr": [str(100 + i) for i in range(n)],
                    "arbejdssted": ["280001"] * n,
                    "funktion": ["3.22.01"] * n,
                    "personalekategori": ["20"] * n,
                    "overenskomst": ["LC"] * n,
                    "ansaettelsesform": ["2"] * n,
                    "ugentlige_timer": [37.0] * n,
                    "maanedsloen": [42000.0] * n,
                    "startdato": _dates(*[D(2015, 8, 1)] * n),
                    "slutdato": _dates(*[None] * n),
                }
            )
        }
    if contract_id == "payroll-absence":
        return {
            "fravaer": pa.table(
                {
                    "kommune": m,
                    "fravaersid": [str(500 + i) for i in range(n)],
                    "cpr": [f"0101802{i:03d}" for i in range(n)],
                    "ansaettelsesnr": [str(100 + i) for i in range(n)],
                    "fravaersaarsag": ["EGEN_SYGDOM"] * n,
                    "fra_dato": _dates(*[D(2024, 8, 5)] * n),
                    "til_dato": _dates(*[D(2024, 8, 6)] * n),
                    "timer": pa.array([None] * n, pa.float64()),
                }
            )
        }
    if contract_id == "school":
        return {
            "institution": pa.table(
                {
                    "kommune": [municipality],
                    "instnr": ["280001"],
                    "navn": ["Nordskolen"],
                    "institutionstype": ["1012"],
                    "skoledage": [16],
                }
            ),
            "klasse": pa.table(
                {
                    "kommune": [municipality],
                    "klasse_id": ["280001-1A"],
                    "instnr": ["280001"],
                    "klassetrin": ["1"],
                    "klassetype": ["ALM"],
                    "skoleaar": [2024],
                }
            ),
            "indskrivning": pa.table(
                {
                    "kommune": [municipality],
                    "indskrivning_id": ["9001"],
                    "cpr": ["0202174235"],
                    "instnr": ["280001"],
                    "klasse_id": ["280001-1A"],
                    "klassetrin": ["1"],
                    "hjemkommune": [municipality],
                    "betalerkommune": pa.array([None], pa.int64()),
                    "fra_dato": _dates(D(2024, 8, 12)),
                    "til_dato": _dates(None),
                }
            ),
            "karakter": pa.table(
                {
                    "kommune": [municipality],
                    "cpr": ["0303084236"],
                    "instnr": ["280001"],
                    "fag": ["DA_LAES"],
                    "proevetype": ["B"],
                    "karakter": ["7"],
                    "dato": _dates(D(2024, 8, 20)),
                }
            ),
            "fravaer": pa.table(
                {
                    "kommune": [municipality],
                    "cpr": ["0202174235"],
                    "instnr": ["280001"],
                    "dato": _dates(D(2024, 8, 13)),
                    "fravaerstype": ["SYG"],
                }
            ),
        }
    if contract_id == "central":
        return {
            "statistik": pa.table(
                {
                    "kommune": [municipality],
                    "statistik": ["ELEVTAL_30SEP"],
                    "instnr": ["280001"],
                    "referencedato": _dates(D(2023, 9, 30)),
                    "vaerdi": [412],
                }
            )
        }
    raise KeyError(contract_id)


def extract(
    contract_id: str,
    *,
    municipality: int = 461,
    period: str = "2024-08",
    tables: dict[str, pa.Table] | None = None,
    n: int = 2,
) -> bytes:
    """The bytes of a valid extract (or of ``tables`` when given)."""
    return render_extract(
        contract(contract_id),
        municipality=municipality,
        period=period,
        records=tables if tables is not None else records(contract_id, municipality, n),
    )


def file_name(
    contract_id: str, *, municipality: int = 461, period: str = "2024-08", seq: int = 1
) -> str:
    return contract(contract_id).file_name(municipality=municipality, period=period, seq=seq)
