"""Writing a release to its subscribers' outboxes, one folder per municipality and release."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pyarrow.parquet as pq

from flis.errors import FlisError
from flis.release.exports.columns import ExportedFile, columns
from flis.release.exports.csv import dictionary_path, write_csv
from flis.release.exports.datapackage import write_datapackage
from flis.release.exports.parquet import write_parquet
from flis.release.exports.xlsx import write_xlsx
from flis.release.subscriptions import Subscription, checked

MANIFEST = "release.json"
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_OWN_DETAIL_DA = "en kommune modtager kun sit eget detaljedatasæt; byg udgivelsen igen"


class ExportError(FlisError):
    """A release cannot be written to an outbox as asked."""

    kind = "export-error"


def _detail_files(release_dir: Path, municipality: int) -> list[Path]:
    """The subscriber's own detail files; refuses anything that leads to another municipality."""
    base = (release_dir / "detail").resolve()
    own = base / str(municipality)
    folder = release_dir / "detail" / str(municipality)
    if folder.exists() and folder.resolve() != own:
        raise ExportError(
            f"detail folder of municipality {municipality} points elsewhere ({folder.resolve()})",
            hint="a municipality only ever receives its own detail dataset; rebuild the release",
            message_da=f"detaljemappen for kommune {municipality} peger et andet sted hen "
            f"({folder.resolve()})",
            hint_da=_OWN_DETAIL_DA,
        )
    files = sorted(folder.glob("*.parquet")) if folder.exists() else []
    for path in files:
        if path.resolve().parent != own:
            raise ExportError(
                f"detail file {path} is a link out of municipality {municipality}",
                message_da=f"detaljefilen {path} er et link ud af kommune {municipality}",
            )
        _check_rows(path, municipality)
    return files


def _check_rows(path: Path, municipality: int) -> None:
    if "municipality_code" not in pq.ParquetFile(path).schema_arrow.names:
        return
    codes = pq.read_table(path, columns=["municipality_code"]).column(0)
    if len(codes) and not pc.all(pc.equal(codes, municipality), skip_nulls=False).as_py():
        raise ExportError(
            f"detail file {path.name} for municipality {municipality} holds other "
            "municipalities' rows",
            hint="a municipality only ever receives its own detail dataset; rebuild the release",
            message_da=f"detaljefilen {path.name} for kommune {municipality} indeholder rækker "
            "fra andre kommuner",
            hint_da=_OWN_DETAIL_DA,
        )


def source_files(release_dir: Path, sub: Subscription) -> list[Path]:
    """The release's Parquet files a subscription receives."""
    if sub.dataset == "detail":
        return _detail_files(release_dir, sub.municipality)
    return sorted((release_dir / sub.dataset).glob("*.parquet"))


def _export(
    source: Path, folder: Path, dataset: str, fmt: str, info: dict[str, Any]
) -> list[ExportedFile]:
    """Write one release file in one format under ``folder/<dataset>/``."""
    cols = tuple(columns(pq.ParquetFile(source).schema_arrow))
    target = folder / dataset / f"{source.stem}.{fmt}"
    if fmt == "parquet":
        write_parquet(source, target)
        return [ExportedFile(target, dataset, fmt, "data", cols)]
    if fmt == "csv":
        write_csv(source, target)
        return [
            ExportedFile(target, dataset, fmt, "data", cols),
            ExportedFile(dictionary_path(target), dataset, fmt, "dictionary", ()),
        ]
    meta = {**info, "dataset": dataset, "file": source.name}
    _, sheets = write_xlsx(source, target, info=meta)
    return [ExportedFile(target, dataset, fmt, "data", cols, sheets)]


class _Shared:
    """Exports every subscriber of a dataset gets alike: written once, then copied."""

    def __init__(self, staging: Path, info: dict[str, Any]):
        self.staging = staging
        self.info = info
        self.done: dict[tuple[Path, str], list[ExportedFile]] = {}

    def export(self, source: Path, folder: Path, dataset: str, fmt: str) -> list[ExportedFile]:
        if dataset == "detail":
            return _export(source, folder, dataset, fmt, self.info)
        key = (source, fmt)
        if key not in self.done:
            self.done[key] = _export(source, self.staging, dataset, fmt, self.info)
        out = []
        for file in self.done[key]:
            target = folder / file.path.relative_to(self.staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file.path, target)
            out.append(replace(file, path=target))
        return out


def _info(manifest: dict[str, Any]) -> dict[str, Any]:
    disclosure = manifest.get("disclosure") or {}
    return {
        "release_id": manifest.get("release_id"),
        "created_at": manifest.get("created_at"),
        "disclosure_threshold": disclosure.get("threshold"),
    }


def _write_one(
    release_dir: Path,
    folder: Path,
    subs: list[Subscription],
    shared: _Shared,
    manifest: dict[str, Any],
) -> list[Path]:
    files: list[ExportedFile] = []
    for sub in subs:
        for source in source_files(release_dir, sub):
            for fmt in sub.formats:
                files += shared.export(source, folder, sub.dataset, fmt)
    shutil.copyfile(release_dir / MANIFEST, folder / MANIFEST)
    package = write_datapackage(folder, files, release=manifest, municipality=subs[0].municipality)
    return sorted([f.path for f in files] + [folder / MANIFEST, package])


def write_outbox(
    *,
    release_dir: Path,
    outbox_root: Path,
    release_id: str,
    subscriptions: Sequence[Subscription],
) -> list[Path]:
    """Write every subscription of a release to ``outbox_root/<municipality>/<release_id>/``.

    Args:
        release_dir: The release folder (``release.json`` and ``<level>/*.parquet``).
        outbox_root: ``$FLIS_HOME/outbox``.
        release_id: The release, used as the folder name.
        subscriptions: Who receives what; detail is always the subscriber's own folder.

    Returns:
        Every file written, in path order. A municipality's folder is replaced as a whole.

    Raises:
        ExportError: Missing manifest, unsafe release id, or a detail folder or file that would
            hand a municipality other municipalities' rows.
    """
    if not _SAFE_ID.match(release_id):
        raise ExportError(
            f"release id '{release_id}' cannot name a folder",
            message_da=f"udgivelses-id'et '{release_id}' kan ikke bruges som mappenavn",
        )
    if not (release_dir / MANIFEST).is_file():
        raise ExportError(
            f"{release_dir} has no {MANIFEST}",
            hint="is this a release folder?",
            message_da=f"{release_dir} har ingen {MANIFEST}",
            hint_da="er det en udgivelsesmappe?",
        )
    manifest = json.loads((release_dir / MANIFEST).read_text(encoding="utf-8"))
    by_municipality: dict[int, dict[str, Subscription]] = {}
    for sub in subscriptions:
        valid = checked(municipality=sub.municipality, dataset=sub.dataset, formats=sub.formats)
        mine = by_municipality.setdefault(valid.municipality, {})
        if valid.dataset in mine:  # the same dataset twice: one set of files, all formats
            formats = [*mine[valid.dataset].formats, *valid.formats]
            valid = checked(municipality=valid.municipality, dataset=valid.dataset, formats=formats)
        mine[valid.dataset] = valid
    written: list[Path] = []
    shared = _Shared(outbox_root / f".{release_id}.shared", _info(manifest))
    try:
        for code, subs in sorted(by_municipality.items()):
            final = outbox_root / str(code) / release_id
            ordered = [subs[d] for d in sorted(subs)]
            written += _deliver(release_dir, final, ordered, shared, manifest)
    finally:
        shutil.rmtree(shared.staging, ignore_errors=True)
    return written


def _deliver(
    release_dir: Path,
    final: Path,
    subs: list[Subscription],
    shared: _Shared,
    manifest: dict[str, Any],
) -> list[Path]:
    """Write one municipality's folder beside the old one, then swap it in."""
    partial = final.with_name(f".{final.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        paths = _write_one(release_dir, partial, subs, shared, manifest)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    shutil.rmtree(final, ignore_errors=True)
    partial.rename(final)
    return [final / p.relative_to(partial) for p in paths]
