"""Receiving: find the files, read, hash and land each, decode it into numbered lines, and
recognise the same bytes delivered twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from flis.errors import UsageError
from flis.ingest import landing, registry
from flis.ingest.decode import decode
from flis.ingest.findings import Finding
from flis.ingest.formats import reader
from flis.ingest.outcome import Outcome
from flis.ingest.parse import Lines, split_lines
from flis.ingest.pseudonym import PersonKeys
from flis.ingest.registry import DeliveryRecord, Known
from flis.ingest.target import Target
from flis.reference.municipalities import is_municipality
from flis.settings import Settings
from flis.sources.catalogue import contracts, match_file
from flis.sources.contract import Contract

#: Files in a generator folder that are not deliveries.
NOT_DELIVERIES = frozenset({"manifest.json", "faults.json"})
#: Most bytes validated together (bounds memory; a bigger batch only saves fixed costs).
BATCH_BYTES = 96 * 2**20


@dataclass
class Received:
    """One file read, hashed, landed and decoded, waiting for validation and commit."""

    index: int
    path: Path
    record: DeliveryRecord
    target: Target | None
    findings: list[Finding]
    lines: Lines | None


def collect(paths: Iterable[Path], *, skip: Path | None = None) -> list[Path]:
    """The files named or found (recursively) under ``paths``, in name order within a folder.

    Files under ``skip`` (the installation's own home folder) are never deliveries.
    """
    out: list[Path] = []
    home = skip.resolve() if skip else None
    for path in paths:
        if path.is_dir():
            out += sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.name not in NOT_DELIVERIES
                and not p.name.startswith(".")
                and not (home and p.resolve().is_relative_to(home))
            )
        elif path.is_file():
            out.append(path)
        else:
            raise UsageError(
                f"no such file or folder: {path}",
                hint="check the path",
                message_da=f"filen eller mappen findes ikke: {path}",
                hint_da="kontrollér stien",
            )
    return out


def batches(files: list[Path]) -> Iterator[list[tuple[int, Path]]]:
    """(index, path) groups of one contract each, in file order, at most ``BATCH_BYTES``.

    Contracts come smallest first: the next batch is read while this one is validated, so the
    small contracts' batches keep the warehouse busy while the first large file is read
    (measured: the national month waited 1.4 s for the first CPR batch behind the tiny central
    one). Within a contract the files keep their order, so sequence 01 comes before 02.
    """
    groups: dict[str, list[tuple[int, Path, int]]] = {}
    for index, path in enumerate(files):
        matched = match_file(path.name)
        key = matched[0].id if matched else ""
        groups.setdefault(key, []).append((index, path, path.stat().st_size))
    for group in sorted(groups.values(), key=lambda g: sum(size for _, _, size in g)):
        batch: list[tuple[int, Path]] = []
        total = 0
        for index, path, size in group:
            if batch and total + size > BATCH_BYTES:
                yield batch
                batch, total = [], 0
            batch.append((index, path))
            total += size
        if batch:
            yield batch


def read(
    index: int,
    path: Path,
    *,
    settings: Settings,
    received_at: dt.datetime | None,
    keys: PersonKeys | None = None,
) -> Received:
    """Read, hash, land and decode one file; touches no warehouse, so it can run ahead.

    With vectorised ``keys``, the person keys of the CPR fields are computed here too, off the
    warehouse's thread (:func:`_with_keys`).
    """
    data = path.read_bytes()
    sha = landing.sha256_hex(data)
    target, name_finding = _target(path.name)
    record = DeliveryRecord(
        delivery_id=0,
        contract=target.contract.id if target else None,
        source=target.contract.source if target else None,
        municipality_code=target.municipality if target else None,
        month=target.period if target else None,
        seq=target.seq if target else None,
        file_name=path.name,
        size_bytes=len(data),
        sha256=sha,
        received_at=received_at or dt.datetime.now(dt.UTC).replace(tzinfo=None),
        status="rejected",
    )
    landing.store(settings.home, data, digest=sha)
    if target is None:
        return Received(index, path, record, None, [name_finding] if name_finding else [], None)
    decoded = decode(data)
    lines = split_lines(decoded.data) if decoded.data is not None else None
    if lines is not None and keys is not None and keys.vectorised:
        lines = _with_keys(lines, target.contract, keys)
    return Received(index, path, record, target, decoded.findings, lines)


def _with_keys(lines: Lines, contract: Contract, keys: PersonKeys) -> Lines:
    """``lines`` with the person keys of the CPR fields the format cuts from them unparsed
    (:meth:`FormatReader.key_texts`)."""
    table = lines.table
    for column, text in reader(contract).key_texts(contract, lines).items():
        table = table.append_column(column, keys.of(text))
    return Lines(table, lines.complete)


def already_received(
    conn: duckdb.DuckDBPyConnection, item: Received, *, known: Known
) -> Outcome | None:
    """The ``duplicate`` outcome when the registry has these bytes for this slice already."""
    key = registry.key_of(item.record)
    if key in known.shas:
        return duplicate(item.path, registry.get(conn, known.shas[key]))
    return None


def duplicate(path: Path, seen: DeliveryRecord) -> Outcome:
    finding = Finding("duplicate-delivery", expected=str(seen.delivery_id))
    return Outcome(str(path), seen, duplicate_of=seen.delivery_id, findings=[finding])


def _target(name: str) -> tuple[Target | None, Finding | None]:
    matched = match_file(name)
    if matched is None:
        example = next(iter(contracts().values())).file_name(municipality=461, period="2024-09")
        return None, Finding("file-name", value=name, expected=example)
    found, parts = matched
    municipality, period = int(parts["municipality"]), parts["period"]
    if not 1 <= int(period[4:]) <= 12:
        return None, Finding("file-name", value=name, expected=found.file_pattern)
    if not is_municipality(municipality):
        finding = Finding("unknown-municipality", column="file name", value=parts["municipality"])
        return None, finding
    return Target(found, municipality, f"{period[:4]}-{period[4:]}", int(parts["seq"])), None
