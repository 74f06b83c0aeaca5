"""Exports to the outbox: Danish CSV, XLSX with metadata, a valid data package, determinism."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import frictionless
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flis.release.exports import write_outbox
from flis.release.exports.xlsx import write_xlsx
from flis.release.subscriptions import Subscription

RELEASE_ID = "2024-10-r1"


def _field(name: str, kind: pa.DataType, **meta: str) -> pa.Field:
    return pa.field(name, kind, metadata={k.encode(): v.encode() for k, v in meta.items()})


def benchmark_table() -> pa.Table:
    schema = pa.schema(
        [
            pa.field("keyfigure", pa.string()),
            pa.field("municipality_code", pa.int16()),
            _field("value", pa.float64(), title_da="Værdi (kr.)", title_en="Value", unit="DKK"),
            pa.field("count_date", pa.date32()),
            pa.field("suppressed", pa.string()),
            pa.field("note", pa.string()),
        ]
    )
    return pa.table(
        {
            "keyfigure": ["økonomi.udgift", "skole.klassekvotient", "skole.klassekvotient"],
            "municipality_code": [101, 461, 851],
            "value": [1234567890123.5, 21.25, None],
            "count_date": [dt.date(2024, 9, 5)] * 3,
            "suppressed": [None, None, "primary"],
            "note": ['semi;colon "quoted"', "æøå", None],
        },
        schema=schema,
    )


def detail_table(code: int, rows: int) -> pa.Table:
    return pa.table(
        {
            "municipality_code": pa.array([code] * rows, pa.int16()),
            "person_key": [f"p{code}-{i}" for i in range(rows)],
            "absence_share": [0.0000001 * i for i in range(rows)],
            "observed_at": pa.array(
                [dt.datetime(2024, 10, 1, 8, 30, tzinfo=dt.UTC)] * rows, pa.timestamp("us", "UTC")
            ),
        }
    )


def make_release(root: Path) -> Path:
    """A small release folder as the release builder writes it."""
    release = root / "releases" / RELEASE_ID
    for rel, table in {
        "benchmark/keyfigures.parquet": benchmark_table(),
        "institutions/schools.parquet": benchmark_table().select(["keyfigure", "value"]),
        "detail/101/pupils.parquet": detail_table(101, 4),
        "detail/461/pupils.parquet": detail_table(461, 3),
    }.items():
        (release / rel).parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, release / rel)
    manifest = {
        "release_id": RELEASE_ID,
        "created_at": "2024-11-05T06:00:00+00:00",
        "disclosure": {"threshold": 5, "method": "x", "primary": 1, "secondary": 0},
    }
    (release / "release.json").write_text(json.dumps(manifest), encoding="utf-8")
    return release


def export(tmp_path: Path, *subs: Subscription, outbox: str = "outbox") -> list[Path]:
    release = make_release(tmp_path)
    return write_outbox(
        release_dir=release,
        outbox_root=tmp_path / outbox,
        release_id=RELEASE_ID,
        subscriptions=list(subs),
    )


ALL = ("parquet", "csv", "xlsx")


def test_outbox_layout(tmp_path: Path) -> None:
    paths = export(
        tmp_path, Subscription(461, "benchmark", ALL), Subscription(461, "detail", ("csv",))
    )
    folder = tmp_path / "outbox" / "461" / RELEASE_ID
    assert sorted(p.relative_to(folder).as_posix() for p in paths) == [
        "benchmark/keyfigures.csv",
        "benchmark/keyfigures.dictionary.csv",
        "benchmark/keyfigures.parquet",
        "benchmark/keyfigures.xlsx",
        "datapackage.json",
        "detail/pupils.csv",
        "detail/pupils.dictionary.csv",
        "release.json",
    ]
    assert all(p.is_file() for p in paths)


def test_csv_opens_with_danish_conventions(tmp_path: Path) -> None:
    export(tmp_path, Subscription(461, "benchmark", ("csv",)))
    path = tmp_path / "outbox/461" / RELEASE_ID / "benchmark/keyfigures.csv"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw[3:].decode("utf-8").splitlines()
    assert lines[0] == "Nøgletal;Kommunekode;Værdi (kr.);count_date;Diskretioneret;note"
    assert lines[1] == 'økonomi.udgift;101;1234567890123,5;2024-09-05;;"semi;colon ""quoted"""'
    frame = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")
    expected = benchmark_table().to_pandas()
    assert frame["Værdi (kr.)"].tolist()[:2] == expected["value"].tolist()[:2]
    assert pd.isna(frame["Værdi (kr.)"][2]) and frame["Diskretioneret"][2] == "primary"
    assert frame["note"].tolist()[:2] == ['semi;colon "quoted"', "æøå"]


def test_csv_floats_have_no_exponent_and_timestamps_read_as_excel_does(tmp_path: Path) -> None:
    export(tmp_path, Subscription(461, "detail", ("csv",)))
    path = tmp_path / "outbox/461" / RELEASE_ID / "detail/pupils.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "Kommunekode;Personnøgle;absence_share;observed_at"
    assert lines[2] == "461;p461-1;0,0000001;2024-10-01 08:30:00"


def test_dictionary_lists_every_column_in_english(tmp_path: Path) -> None:
    export(tmp_path, Subscription(461, "benchmark", ("csv",)))
    path = tmp_path / "outbox/461" / RELEASE_ID / "benchmark/keyfigures.dictionary.csv"
    frame = pd.read_csv(path, sep=";", encoding="utf-8-sig", keep_default_na=False)
    assert list(frame.columns) == ["column", "title_da", "title_en", "description_en", "unit"]
    assert frame["column"].tolist() == list(benchmark_table().column_names)
    row = frame.set_index("column").loc["value"]
    assert (row["title_da"], row["title_en"], row["unit"]) == ("Værdi (kr.)", "Value", "DKK")


def test_xlsx_has_data_and_metadata_sheets(tmp_path: Path) -> None:
    export(tmp_path, Subscription(461, "benchmark", ("xlsx",)))
    book = openpyxl.load_workbook(
        tmp_path / "outbox/461" / RELEASE_ID / "benchmark/keyfigures.xlsx"
    )
    assert book.sheetnames == ["data", "metadata"]
    rows = list(book["data"].values)
    assert rows[0] == (
        "Nøgletal",
        "Kommunekode",
        "Værdi (kr.)",
        "count_date",
        "Diskretioneret",
        "note",
    )
    assert rows[1][:3] == ("økonomi.udgift", 101, 1234567890123.5)
    assert rows[3][2] is None and rows[3][4] == "primary"
    meta = {r[0]: r[1] for r in book["metadata"].values if r and r[0]}
    assert meta["release_id"] == RELEASE_ID and meta["disclosure_threshold"] == 5
    assert meta["dataset"] == "benchmark" and meta["created_at"] == "2024-11-05T06:00:00+00:00"
    assert meta["value"] == "Værdi (kr.)"  # the column dictionary follows the facts


def test_xlsx_splits_rows_over_sheets_at_the_limit(tmp_path: Path) -> None:
    source = tmp_path / "big.parquet"
    pq.write_table(detail_table(461, 5), source)
    _, sheets = write_xlsx(source, tmp_path / "big.xlsx", info={}, max_rows=2)
    assert sheets == ("data", "data_2", "data_3")
    book = openpyxl.load_workbook(tmp_path / "big.xlsx")
    assert [book[s].max_row for s in sheets] == [3, 3, 2]


def test_datapackage_describes_every_file_and_validates(tmp_path: Path) -> None:
    paths = export(
        tmp_path,
        Subscription(461, "benchmark", ALL),
        Subscription(461, "institutions", ALL),
        Subscription(461, "detail", ALL),
    )
    folder = tmp_path / "outbox/461" / RELEASE_ID
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    described = {r["path"] for r in package["resources"]}
    assert described == {p.relative_to(folder).as_posix() for p in paths} - {
        "datapackage.json",
        "release.json",
    }
    report = frictionless.validate(folder / "datapackage.json")
    assert report.valid, report.flatten(["resourcePath", "type", "note"])
    csv = next(r for r in package["resources"] if r["path"] == "benchmark/keyfigures.csv")
    value = next(f for f in csv["schema"]["fields"] if f["title"] == "Value")
    assert value == {
        "name": "Værdi (kr.)",
        "type": "number",
        "title": "Value",
        "unit": "DKK",
        "decimalChar": ",",
        "description": "The key figure's value; empty when suppressed.",
    }


def test_tampered_file_fails_datapackage_validation(tmp_path: Path) -> None:
    export(tmp_path, Subscription(461, "benchmark", ("csv",)))
    folder = tmp_path / "outbox/461" / RELEASE_ID
    (folder / "benchmark/keyfigures.csv").write_text("Nøgletal\n", encoding="latin-1")
    assert not frictionless.validate(folder / "datapackage.json").valid


@pytest.mark.parametrize(
    "name",
    [
        "benchmark/keyfigures.csv",
        "benchmark/keyfigures.xlsx",
        "datapackage.json",
        "benchmark/keyfigures.dictionary.csv",
    ],
)
def test_same_release_gives_the_same_bytes(tmp_path: Path, name: str) -> None:
    sub = Subscription(461, "benchmark", ALL)
    export(tmp_path / "a", sub)
    export(tmp_path / "b", sub)
    first, second = (tmp_path / r / "outbox/461" / RELEASE_ID / name for r in ("a", "b"))
    assert first.read_bytes() == second.read_bytes()


def test_rewriting_a_release_replaces_the_folder(tmp_path: Path) -> None:
    export(tmp_path, Subscription(461, "benchmark", ("csv", "xlsx")))
    paths = export(tmp_path, Subscription(461, "benchmark", ("parquet",)))
    folder = tmp_path / "outbox/461" / RELEASE_ID
    assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == sorted(p.name for p in paths)


def test_subscribers_of_a_shared_dataset_get_the_same_files_and_no_scratch_is_left(
    tmp_path: Path,
) -> None:
    export(
        tmp_path,
        Subscription(461, "benchmark", ("csv", "xlsx")),
        Subscription(101, "benchmark", ("xlsx",)),
        Subscription(101, "benchmark", ("csv",)),
    )
    outbox = tmp_path / "outbox"
    assert sorted(p.name for p in outbox.iterdir()) == ["101", "461"]
    for name in ("keyfigures.csv", "keyfigures.xlsx"):
        first, second = (outbox / m / RELEASE_ID / "benchmark" / name for m in ("101", "461"))
        assert first.read_bytes() == second.read_bytes()
    assert not any(p.name.startswith(".") for p in outbox.rglob("*"))


def test_xlsx_cells_keep_their_types_and_drop_what_excel_cannot_hold(tmp_path: Path) -> None:
    source = tmp_path / "odd.parquet"
    table = pa.table(
        {
            "kind": pa.array(["a & <b>", "bell\x07", "x"]).dictionary_encode(),
            "flag": [True, False, None],
            "ratio": [float("inf"), 1.5, float("nan")],
            "day": [dt.date(2024, 1, 1), None, dt.date(2024, 2, 29)],
            "at": pa.array(
                [dt.datetime(2024, 10, 1, 8, 30, tzinfo=dt.UTC)] * 3, pa.timestamp("s", "UTC")
            ),
        }
    )
    pq.write_table(table, source)
    write_xlsx(source, tmp_path / "odd.xlsx", info={"release_id": RELEASE_ID})
    rows = list(openpyxl.load_workbook(tmp_path / "odd.xlsx")["data"].values)
    assert rows[1:] == [
        ("a & <b>", True, None, dt.datetime(2024, 1, 1), dt.datetime(2024, 10, 1, 8, 30)),
        ("bell", False, 1.5, None, dt.datetime(2024, 10, 1, 8, 30)),
        ("x", None, None, dt.datetime(2024, 2, 29), dt.datetime(2024, 10, 1, 8, 30)),
    ]
