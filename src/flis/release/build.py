"""Building a release: ``<period>.<n>`` from the warehouse into ``$FLIS_HOME/releases/<id>/``.

The files are written into a hidden temporary folder that is renamed into place when complete,
so a reader sees a whole release or none. Every dataset is sorted by its key and written with
fixed Parquet settings; the creation time lives only in ``release.json``. Rebuilding from the
same deliveries with the same :class:`Plan` therefore gives byte-identical dataset files
(``flis releases verify``).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from flis import __version__
from flis.ingest.pseudonym import DEFAULT_SCHEME, recorded_scheme
from flis.periods import parse_month
from flis.release import store
from flis.release.columns import describe
from flis.release.datasets.benchmark import build_benchmark
from flis.release.datasets.detail import DATASETS, build_detail, install_pads, split
from flis.release.datasets.institutions import build_institutions
from flis.release.errors import NothingToRelease, PeriodClosed, ReleaseError
from flis.release.groups import recorded_groups, require_fresh_groups
from flis.release.inputs import input_deliveries, latest_period
from flis.release.manifest import (
    MANIFEST,
    Column,
    DatasetFile,
    Disclosure,
    Level,
    Manifest,
    Suppressed,
)
from flis.release.parquet import schema_of, sha256_file, write_parquet
from flis.release.relations import relations
from flis.release.status import ChangeLog, apply_status, count_statuses
from flis.settings import Settings

#: Called with (file or dataset, step, seconds): step ``compute`` after a dataset is computed,
#: ``parquet`` after each file is written.
Progress = Callable[[str, str, float], None]
METHOD = (
    "primary: a cell resting on fewer than `threshold` persons; secondary: further cells so that "
    "no suppressed cell follows from the published cells and the additive relations (group "
    "sums, school totals, and the relations between key figures and periods listed in "
    "`relations`) (flis.release.disclosure)"
)


@dataclass(frozen=True)
class Plan:
    """Everything a build needs besides the warehouse: a rebuild reuses it unchanged."""

    release_id: str
    period: str
    n: int
    created_at: str
    previous_id: str | None
    previous_dir: Path | None
    closed: tuple[str, ...]


@dataclass
class _Writer:
    root: Path
    progress: Progress | None
    files: list[DatasetFile] = field(default_factory=list)

    def write(
        self,
        table: pa.Table,
        name: str,
        *,
        level: Level,
        municipality: int | None = None,
        source: str | None = None,
    ) -> None:
        start = time.perf_counter()
        path = self.root / name
        write_parquet(describe(table, source), path)
        self.files.append(
            DatasetFile(
                path=name,
                dataset=Path(name).stem,
                level=level,
                municipality_code=municipality,
                rows=table.num_rows,
                sha256=sha256_file(path),
                columns=[Column(**c) for c in schema_of(table)],
            )
        )
        if self.progress:
            self.progress(name, "parquet", time.perf_counter() - start)


def plan(conn: duckdb.DuckDBPyConnection, *, home: Path, period: str | None) -> Plan:
    """The plan of the next release of ``period`` (default: the latest month with data)."""
    chosen = parse_month(period) if period else latest_period(conn)
    if chosen is None:
        raise NothingToRelease(period)
    closed = tuple(store.closed_periods(conn))
    if chosen in closed:
        raise PeriodClosed(chosen)
    previous = store.latest(home)
    release_id = store.next_id(home, chosen)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return Plan(
        release_id=release_id,
        period=chosen,
        n=store.parse_id(release_id)[1],
        created_at=now.isoformat().replace("+00:00", "Z"),
        previous_id=previous.release_id if previous else None,
        previous_dir=store.release_dir(home, previous.release_id) if previous else None,
        closed=closed,
    )


@contextmanager
def _timed(progress: Progress | None, name: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    if progress:
        progress(name, "compute", time.perf_counter() - start)


def _benchmark(
    conn: duckdb.DuckDBPyConnection, w: _Writer, p: Plan, threshold: int, log: ChangeLog
) -> tuple[dict[str, int], dict[str, int]]:
    with _timed(w.progress, "benchmark"):
        bench = build_benchmark(conn, period=p.period, threshold=threshold)
    tables = []
    for name, table in (("values", bench.values), ("groups", bench.groups)):
        path = f"benchmark/{name}.parquet"
        tables.append(
            apply_status(table, name=path, previous=p.previous_dir, closed=set(p.closed), log=log)
        )
        w.write(tables[-1], path, level="benchmark")
    w.write(bench.group_members, "benchmark/group_members.parquet", level="benchmark")
    w.write(bench.keyfigures, "benchmark/keyfigures.parquet", level="benchmark")
    w.write(log.table(), "benchmark/changes.parquet", level="benchmark")
    counts = {"primary": 0, "secondary": 0}
    for why in bench.suppressed.values():
        counts[why] += 1
    return counts, count_statuses(tables)


def _institutions(
    conn: duckdb.DuckDBPyConnection, w: _Writer, p: Plan, threshold: int, log: ChangeLog
) -> dict[str, int]:
    with _timed(w.progress, "institutions"):
        schools, counts = build_institutions(conn, period=p.period, threshold=threshold)
    name = "institutions/schools.parquet"
    closed = set(p.closed)
    schools = apply_status(schools, name=name, previous=p.previous_dir, closed=closed, log=log)
    w.write(schools, name, level="institutions")
    return counts


def _detail(conn: duckdb.DuckDBPyConnection, w: _Writer, settings: Settings, period: str) -> None:
    install_pads(conn, settings)
    for spec in DATASETS:
        with _timed(w.progress, f"detail/{spec.name}"):
            table = build_detail(conn, spec=spec, period=period)
        for code, rows in split(table):
            name = f"detail/{code}/{spec.name}.parquet"
            w.write(rows, name, level="detail", municipality=code, source=spec.table)


def build_into(
    conn: duckdb.DuckDBPyConnection,
    *,
    settings: Settings,
    plan: Plan,
    folder: Path,
    progress: Progress | None = None,
) -> Manifest:
    """Write every dataset of ``plan`` and its ``release.json`` into ``folder``."""
    w = _Writer(folder, progress)
    threshold = settings.disclosure_threshold
    log = ChangeLog()
    suppressed, statuses = _benchmark(conn, w, plan, threshold, log)
    counts = _institutions(conn, w, plan, threshold, log)
    _detail(conn, w, settings, plan.period)
    manifest = Manifest(
        release_id=plan.release_id,
        period=plan.period,
        n=plan.n,
        created_at=plan.created_at,
        code_version=__version__,
        previous_release=plan.previous_id,
        closed_periods=list(plan.closed),
        inputs=input_deliveries(conn),
        similar_groups=recorded_groups(conn),
        person_key_scheme=recorded_scheme(conn) or DEFAULT_SCHEME,
        files=sorted(w.files, key=lambda f: f.path),
        disclosure=Disclosure(
            threshold=threshold,
            method=METHOD,
            primary=suppressed["primary"] + counts["primary"],
            secondary=suppressed["secondary"] + counts["secondary"],
            datasets={
                "benchmark": Suppressed(**suppressed),
                "institutions": Suppressed(**counts),
            },
            relations=[r.id for r in relations()],
        ),
        value_status=statuses,
        changes=log.summary(),
    )
    (folder / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
    return manifest


def _freeze(folder: Path) -> None:
    """Files of a published release are read-only: a release never changes."""
    for path in folder.rglob("*"):
        if path.is_file():
            path.chmod(0o444)


def release(
    conn: duckdb.DuckDBPyConnection,
    settings: Settings,
    period: str | None = None,
    *,
    progress: Progress | None = None,
) -> Manifest:
    """Build and publish the next release of ``period``.

    Args:
        conn: the warehouse, with key figures and similar groups built.
        settings: the installation (home folder, disclosure threshold, pseudonym key).
        period: the month ``YYYY-MM``; default the latest month with an accepted delivery.
        progress: called with (file, format, seconds) after each file.

    Returns:
        The manifest of the published release ``$FLIS_HOME/releases/<id>/``.

    Raises:
        NothingToRelease: the warehouse holds no deliveries.
        PeriodClosed: the period was closed with ``flis releases close``.
        StaleGroups: the similar groups are missing or stale (run ``flis groups build``).
        ReleaseError: another build published the same id meanwhile.
    """
    the_plan = plan(conn, home=settings.home, period=period)
    with _timed(progress, "groups"):
        require_fresh_groups(conn)
    root = store.releases_root(settings.home)
    root.mkdir(parents=True, exist_ok=True)
    partial = root / f".{the_plan.release_id}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    try:
        partial.mkdir()
        manifest = build_into(
            conn, settings=settings, plan=the_plan, folder=partial, progress=progress
        )
        _freeze(partial)
        final = root / the_plan.release_id
        if final.exists():
            raise ReleaseError(
                f"release {the_plan.release_id} was published by another build meanwhile",
                hint="run `flis release` again to build the next number",
                message_da=f"udgivelse {the_plan.release_id} blev udgivet af en anden kørsel imens",
                hint_da="kør `flis release` igen for at bygge det næste nummer",
            )
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    store.record_release(conn, manifest, sha256_file(final / MANIFEST))
    return manifest
