"""The adversary against detail isolation: a municipality never receives another's detail rows."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flis.errors import FlisError, NotFoundError, UsageError
from flis.release.exports import ExportError, write_outbox
from flis.release.subscriptions import Subscription, listing
from flis.settings import load_settings
from flis.warehouse.connection import connect
from tests.release.test_exports import RELEASE_ID, detail_table, make_release


def _received(folder: Path) -> set[int]:
    """Municipality codes in every detail file the outbox folder received."""
    codes: set[int] = set()
    for path in folder.rglob("detail/*.parquet"):
        codes |= set(pq.read_table(path, columns=["municipality_code"]).column(0).to_pylist())
    for path in folder.rglob("detail/*.csv"):
        if not path.name.endswith(".dictionary.csv"):
            rows = path.read_text(encoding="utf-8-sig").splitlines()[1:]
            codes |= {int(r.split(";")[0]) for r in rows}
    return codes


def _write(release: Path, tmp_path: Path, *subs: Subscription) -> list[Path]:
    return write_outbox(
        release_dir=release,
        outbox_root=tmp_path / "outbox",
        release_id=RELEASE_ID,
        subscriptions=list(subs),
    )


def test_detail_subscription_receives_only_its_own_rows(tmp_path: Path) -> None:
    release = make_release(tmp_path)
    _write(release, tmp_path, Subscription(461, "detail", ("parquet", "csv")))
    assert _received(tmp_path / "outbox" / "461") == {461}
    assert not (tmp_path / "outbox" / "101").exists()


def test_a_detail_folder_linked_to_another_municipality_is_refused(tmp_path: Path) -> None:
    release = make_release(tmp_path)
    own = release / "detail" / "461"
    for path in own.iterdir():
        path.unlink()
    own.rmdir()
    own.symlink_to(release / "detail" / "101", target_is_directory=True)
    with pytest.raises(ExportError, match="points elsewhere"):
        _write(release, tmp_path, Subscription(461, "detail", ("parquet",)))
    assert not (tmp_path / "outbox" / "461" / RELEASE_ID).exists()


def test_a_detail_file_linked_from_another_municipality_is_refused(tmp_path: Path) -> None:
    release = make_release(tmp_path)
    (release / "detail/461/stolen.parquet").symlink_to(release / "detail/101/pupils.parquet")
    with pytest.raises(ExportError, match="link out"):
        _write(release, tmp_path, Subscription(461, "detail", ("csv",)))


@pytest.mark.parametrize(
    "codes", [[461, 461, 101], [461, None]], ids=["another-municipality", "no-municipality"]
)
def test_rows_not_marked_as_own_in_own_folder_are_refused(
    tmp_path: Path, codes: list[int | None]
) -> None:
    release = make_release(tmp_path)
    mixed = detail_table(461, len(codes)).set_column(
        0, "municipality_code", pa.array(codes, pa.int16())
    )
    pq.write_table(mixed, release / "detail/461/pupils.parquet")
    with pytest.raises(ExportError, match="other municipalities' rows"):
        _write(release, tmp_path, Subscription(461, "detail", ("parquet",)))


@pytest.mark.parametrize(
    "dataset", ["detail/../101", "../detail/101", "detail/101", "Detail"], ids=str
)
def test_a_subscription_naming_a_path_is_refused(tmp_path: Path, dataset: str) -> None:
    release = make_release(tmp_path)
    with pytest.raises(UsageError, match="unknown dataset"):
        _write(release, tmp_path, Subscription(461, dataset, ("parquet",)))


@pytest.mark.parametrize("release_id", ["../101", ".hidden", "a/b", ""], ids=repr)
def test_a_release_id_that_is_not_a_folder_name_is_refused(tmp_path: Path, release_id: str) -> None:
    release = make_release(tmp_path)
    with pytest.raises(ExportError, match="cannot name a folder"):
        write_outbox(
            release_dir=release,
            outbox_root=tmp_path / "outbox",
            release_id=release_id,
            subscriptions=[Subscription(461, "benchmark", ("csv",))],
        )


@pytest.mark.parametrize(
    ("row", "error"),
    [
        ((461, "detail/../101", "parquet"), duckdb.ConstraintException),
        ((461, "detail", "parquet,exe"), duckdb.ConstraintException),
        ((999, "detail", "parquet"), NotFoundError),
    ],
    ids=["path-as-dataset", "unknown-format", "unknown-municipality"],
)
def test_bad_rows_inserted_behind_the_api_never_reach_an_outbox(
    row: tuple[int, str, str], error: type[Exception]
) -> None:
    conn = connect(load_settings())
    with pytest.raises((error, FlisError)):
        conn.execute("INSERT INTO release.subscription VALUES (?, ?, ?, now()::TIMESTAMP)", row)
        listing(conn)
