"""``flis releases verify``: rebuild a release from its recorded deliveries and compare the bytes.

The deliveries the manifest lists are taken from the landing area, re-ingested into a scratch
warehouse in their original order with their recorded receipt times, the key figures are
rebuilt and so are the similar-municipality groups, with the reference month and k the manifest
records, and the release is rebuilt with the same id, creation time, previous release and closed
periods. Every dataset file's SHA-256 is then compared with the manifest, and so is the published
file's (a file changed after publication is caught too), and the rebuilt groups' parameters and
membership checksum with the manifest's ``similar_groups``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from flis.ingest import registry
from flis.ingest.landing import landing_path
from flis.ingest.pipeline import ingest_batch
from flis.ingest.pseudonym import Scheme, record_scheme, warehouse_keys
from flis.ingest.receive import BATCH_BYTES, read
from flis.ingest.registry import Known
from flis.keyfigures.build import build
from flis.keyfigures.similarity import SimilarityError, build_similarity
from flis.release import store
from flis.release.build import Plan, build_into
from flis.release.errors import ReleaseError
from flis.release.manifest import MANIFEST, InputDelivery, Manifest
from flis.release.parquet import sha256_file
from flis.settings import Settings
from flis.warehouse.connection import connect

GROUPS = "similar_groups"


@dataclass
class VerifyReport:
    """The outcome: identical only when every file matches in the rebuild and on disk."""

    release_id: str
    identical: bool
    files_checked: int
    inputs: int
    differences: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _stage(inputs: list[InputDelivery], *, home: Path, into: Path) -> list[Path]:
    """Copy each recorded delivery from the landing area under its original file name."""
    missing = [d for d in inputs if not landing_path(home, d.sha256).exists()]
    if missing:
        names = ", ".join(d.file_name for d in missing[:5])
        raise ReleaseError(
            f"{len(missing)} recorded deliveries are missing from the landing area ({names})",
            hint=f"restore {home / 'landing'} from backup; a release is only reproducible "
            "from its deliveries",
            message_da=f"{len(missing)} registrerede leveringer mangler i modtageområdet ({names})",
            hint_da=f"gendan {home / 'landing'} fra backup; en udgivelse kan kun genskabes "
            "ud fra sine leveringer",
        )
    paths = []
    for d in inputs:
        target = into / f"{d.delivery_id:08d}" / d.file_name
        target.parent.mkdir(parents=True)
        shutil.copyfile(landing_path(home, d.sha256), target)
        paths.append(target)
    return paths


def _reingest(
    inputs: list[InputDelivery], paths: list[Path], settings: Settings, *, scheme: Scheme
) -> None:
    """Ingest in delivery order on one connection, each file with its recorded receipt time.

    Consecutive deliveries of one contract are validated and committed as one batch (at most
    ``BATCH_BYTES``), as :func:`flis.ingest.pipeline.ingest_paths` batches one run: a batch
    commits its files in order, so the delivery ids and the warehouse come out as they were.
    Batching by receipt time instead made every file its own batch, since each file of a run
    has its own time: re-ingesting a 13-month world took ten minutes.
    """
    pairs = sorted(zip(inputs, paths, strict=True), key=lambda p: p[0].delivery_id)
    conn = connect(settings)
    try:
        record_scheme(conn, scheme)  # the person keys (and pseudonyms) the release was made with
        keys = warehouse_keys(conn)
        keys.install(conn, settings)
        registry.install_rules(conn)
        known = Known.load(conn)
        for run in _runs(pairs):
            batch = list(enumerate(path for _, path in run))
            items = [
                read(
                    i,
                    path,
                    settings=settings,
                    received_at=dt.datetime.fromisoformat(d.received_at),
                    keys=keys,
                )
                for i, (d, path) in enumerate(run)
            ]
            ingest_batch(
                conn,
                batch,
                known=known,
                settings=settings,
                keys=keys,
                received_at=None,
                items=items,
            )
    finally:
        conn.close()


def _runs(
    pairs: list[tuple[InputDelivery, Path]],
) -> Iterator[list[tuple[InputDelivery, Path]]]:
    """Runs of consecutive deliveries of one contract, each at most ``BATCH_BYTES`` of files."""
    run: list[tuple[InputDelivery, Path]] = []
    size = 0
    for pair in pairs:
        nbytes = pair[1].stat().st_size
        if run and (pair[0].contract != run[-1][0].contract or size + nbytes > BATCH_BYTES):
            yield run
            run, size = [], 0
        run.append(pair)
        size += nbytes
    if run:
        yield run


def _plan(manifest: Manifest, home: Path) -> Plan:
    previous = manifest.previous_release
    return Plan(
        release_id=manifest.release_id,
        period=manifest.period,
        n=manifest.n,
        created_at=manifest.created_at,
        previous_id=previous,
        previous_dir=store.release_dir(home, previous) if previous else None,
        closed=tuple(manifest.closed_periods),
    )


def _rebuild_groups(conn: duckdb.DuckDBPyConnection, manifest: Manifest) -> None:
    """Build the similar groups as the release had them; a failure shows as a difference."""
    if GROUPS not in manifest.model_fields_set:  # written before releases recorded their groups
        with contextlib.suppress(SimilarityError):  # no CPR data: no similar groups, no harm
            build_similarity(conn)
    elif (recorded := manifest.similar_groups) is not None:
        with contextlib.suppress(SimilarityError):
            build_similarity(conn, k=recorded.k, month=recorded.month)


def rebuild(manifest: Manifest, *, settings: Settings, scratch: Path) -> Manifest:
    """Rebuild ``manifest``'s release under ``scratch`` (a fresh home); return its manifest."""
    home = scratch / "home"
    scratch_settings = Settings(
        **{name: getattr(settings, name) for name in Settings.model_fields} | {"home": home}
    )
    paths = _stage(manifest.inputs, home=settings.home, into=scratch / "deliveries")
    _reingest(manifest.inputs, paths, scratch_settings, scheme=manifest.person_key_scheme)
    conn = connect(scratch_settings)
    try:
        build(conn)
        _rebuild_groups(conn, manifest)
        folder = scratch / "release"
        folder.mkdir()
        plan = _plan(manifest, settings.home)
        return build_into(conn, settings=scratch_settings, plan=plan, folder=folder)
    finally:
        conn.close()


def _compare(manifest: Manifest, rebuilt: Manifest, folder: Path) -> list[dict[str, Any]]:
    again = {f.path: f.sha256 for f in rebuilt.files}
    out = []
    for f in manifest.files:
        on_disk = sha256_file(folder / f.path) if (folder / f.path).exists() else None
        if on_disk != f.sha256 or again.get(f.path) != f.sha256:
            out.append(
                {
                    "path": f.path,
                    "manifest": f.sha256,
                    "published": on_disk,
                    "rebuilt": again.get(f.path),
                }
            )
    recorded = {f.path for f in manifest.files}
    out += [
        {"path": p, "manifest": None, "published": None, "rebuilt": sha}
        for p, sha in sorted(again.items())
        if p not in recorded
    ]
    return out


def _compare_groups(manifest: Manifest, rebuilt: Manifest) -> list[dict[str, Any]]:
    """The recorded similar groups against the rebuilt ones (nothing to compare in an old
    manifest)."""
    recorded, again = manifest.similar_groups, rebuilt.similar_groups
    if GROUPS not in manifest.model_fields_set or recorded == again:
        return []
    fields = ("method_version", "month", "k", "groups", "members_sha256")
    before = recorded.model_dump() if recorded else dict.fromkeys(fields)
    after = again.model_dump() if again else dict.fromkeys(fields)
    changed = [f"{f} {before[f]} → {after[f]}" for f in fields if before[f] != after[f]]
    return [
        {
            "path": f"{MANIFEST}#{GROUPS}",
            "manifest": before["members_sha256"],
            "published": before["members_sha256"],
            "rebuilt": after["members_sha256"],
            "detail": "similar groups differ: " + "; ".join(changed),
        }
    ]


def verify(release_id: str, *, settings: Settings) -> VerifyReport:
    """Rebuild release ``release_id`` in a scratch warehouse and compare every file's SHA-256.

    Raises:
        UnknownRelease: no such release.
        ReleaseError: a recorded delivery is missing from the landing area.
    """
    start = time.perf_counter()
    manifest = store.read_manifest(settings.home, release_id)
    folder = store.release_dir(settings.home, release_id)
    with tempfile.TemporaryDirectory(prefix="flis-verify-") as tmp:
        rebuilt = rebuild(manifest, settings=settings, scratch=Path(tmp))
    differences = _compare(manifest, rebuilt, folder) + _compare_groups(manifest, rebuilt)
    return VerifyReport(
        release_id=release_id,
        identical=not differences,
        files_checked=len(manifest.files),
        inputs=len(manifest.inputs),
        differences=differences,
        seconds=round(time.perf_counter() - start, 3),
    )
