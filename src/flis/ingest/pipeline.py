"""Orchestration: receive files, validate them, and load or reject each delivery atomically.

Files are read, hashed, landed and decoded one by one, then validated in batches per contract
(bounded in bytes), then registered and loaded in file order. A batch commits in one
transaction; each delivery's registry row, findings, quarantine and facts change together in
it. When anything in the batch fails, the batch is rolled back and committed again one
transaction per delivery, so a failing delivery never changes whether another one is loaded.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from flis.errors import UsageError
from flis.ingest import registry
from flis.ingest.findings import Finding
from flis.ingest.load import build_typed, load_delivery, store_quarantine
from flis.ingest.mappings import Mapping, mapping
from flis.ingest.outcome import Outcome
from flis.ingest.persons import stage_persons
from flis.ingest.pseudonym import install_pads
from flis.ingest.receive import Received, already_received, batches, collect, duplicate, read
from flis.ingest.registry import DeliveryRecord, Known
from flis.ingest.target import Target
from flis.ingest.validate import Item, Validation, validate_batch
from flis.settings import Settings
from flis.sources.catalogue import contract
from flis.warehouse.connection import connect

__all__ = ["Outcome", "ingest_batch", "ingest_paths", "record_delivery"]


@dataclass
class Validated:
    """A validated batch: each file's outcome, the raw table per record type, staged persons."""

    results: dict[int, Validation] = field(default_factory=dict)
    tables: dict[str, str] = field(default_factory=dict)
    staged: set[int] = field(default_factory=set)  # files whose persons are in batch_persons
    mapping: Mapping | None = None


def ingest_paths(
    paths: Iterable[Path], *, settings: Settings, received_at: dt.datetime | None = None
) -> list[Outcome]:
    """Ingest every file under ``paths`` into the installation's warehouse.

    The next batch is read (hashed, landed, decoded) in a thread while this one is validated
    and loaded: that work needs no warehouse, and DuckDB leaves the Python thread free.
    """
    files = collect(paths, skip=settings.home)
    if not files:
        raise UsageError(
            "no files to ingest",
            hint="name files or folders with deliveries",
            message_da="der er ingen filer at indlæse",
            hint_da="angiv filer eller mapper med leverancer",
        )
    conn = connect(settings)
    try:
        install_pads(conn, settings)
        registry.install_rules(conn)
        outcomes: dict[int, Outcome] = {}
        known = Known.load(conn)
        groups = list(batches(files))
        with ThreadPoolExecutor(max_workers=1) as reader:
            ahead: Future[list[Received]] | None = None
            for n, batch in enumerate(groups):
                items = ahead.result() if ahead else read_batch(batch, settings, received_at)
                ahead = (
                    reader.submit(read_batch, groups[n + 1], settings, received_at)
                    if n + 1 < len(groups)
                    else None
                )
                outcomes.update(
                    ingest_batch(
                        conn,
                        batch,
                        known=known,
                        settings=settings,
                        received_at=received_at,
                        items=items,
                    )
                )
        return [outcomes[i] for i in range(len(files))]
    finally:
        conn.close()


def read_batch(
    batch: list[tuple[int, Path]], settings: Settings, received_at: dt.datetime | None
) -> list[Received]:
    """Read, hash, land and decode the files of one batch."""
    return [read(i, path, settings=settings, received_at=received_at) for i, path in batch]


def ingest_batch(
    conn: duckdb.DuckDBPyConnection,
    batch: list[tuple[int, Path]],
    *,
    known: Known,
    settings: Settings,
    received_at: dt.datetime | None,
    items: list[Received] | None = None,
) -> dict[int, Outcome]:
    """Receive, validate and commit files of one contract (``items``: the batch read already)."""
    outcomes: dict[int, Outcome] = {}
    received: list[Received] = []
    for item in items if items is not None else read_batch(batch, settings, received_at):
        seen = already_received(conn, item, known=known)
        if seen is not None:
            outcomes[item.index] = seen
        else:
            received.append(item)
    validated = _validate(conn, received, settings=settings)
    outcomes.update(_commit_batch(conn, received, validated, known))
    return outcomes


def _validate(
    conn: duckdb.DuckDBPyConnection, received: list[Received], *, settings: Settings
) -> Validated:
    items = [Item(r.index, r.target, r.lines) for r in received if r.target and r.lines]
    if not items:
        return Validated()
    the_contract = contract(items[0].target.contract.id)
    results, tables = validate_batch(
        conn, contract=the_contract, items=items, threshold=settings.quarantine_threshold
    )
    validated = Validated(results, tables)
    loadable = sorted(i for i, r in results.items() if not r.rejected)
    if loadable:
        build_typed(conn, contract=the_contract, raw_tables=tables)
        the_mapping = mapping(the_contract.id)
        if the_mapping.persons:
            stage_persons(conn, mapping=the_mapping, file_ids=loadable)
            validated.staged = set(loadable)
            validated.mapping = the_mapping
    return validated


def _commit_batch(
    conn: duckdb.DuckDBPyConnection,
    received: list[Received],
    validated: Validated,
    known: Known,
) -> dict[int, Outcome]:
    """Commit the batch in one transaction; after any failure, one transaction per delivery.

    The retry starts from exactly the state before the batch (the rollback restores the
    warehouse and the temporary tables; the registry view ``known``, the records and the staged
    files are restored here), so its result is the one of committing each delivery alone.
    """
    saved = (copy.deepcopy(known), [copy.copy(r.record) for r in received], set(validated.staged))
    conn.execute("BEGIN TRANSACTION")
    try:
        outcomes = {item.index: _commit_one(conn, item, validated, known) for item in received}
        conn.execute("COMMIT")
        return outcomes
    except Exception:
        conn.execute("ROLLBACK")
    known.shas, known.slices, known.next_id = saved[0].shas, saved[0].slices, saved[0].next_id
    for item, record in zip(received, saved[1], strict=True):
        item.record = record
    validated.staged = saved[2]
    return {item.index: _alone(conn, item, validated, known) for item in received}


def _alone(
    conn: duckdb.DuckDBPyConnection, item: Received, validated: Validated, known: Known
) -> Outcome:
    conn.execute("BEGIN TRANSACTION")
    try:
        outcome = _commit_one(conn, item, validated, known)
        conn.execute("COMMIT")
    except Exception:
        conn.execute("ROLLBACK")
        raise
    return outcome


def _commit_one(
    conn: duckdb.DuckDBPyConnection, item: Received, validated: Validated, known: Known
) -> Outcome:
    key = registry.key_of(item.record)
    if key in known.shas:  # an identical file earlier in the batch
        _not_loaded(conn, item.index, validated)
        return duplicate(item.path, registry.get(conn, known.shas[key]))
    item.record.delivery_id = known.next_id
    result = validated.results.get(item.index)
    findings = item.findings + (result.findings if result else [])
    outcome = record_delivery(
        conn, item.record, findings, result, item.target, item.index, validated.tables, known
    )
    if item.record.status not in registry.ACCEPTED:
        _not_loaded(conn, item.index, validated)
    known.add(item.record)
    outcome.path = str(item.path)
    return outcome


def _not_loaded(conn: duckdb.DuckDBPyConnection, file_id: int, validated: Validated) -> None:
    if file_id in validated.staged and validated.mapping is not None:
        validated.staged.discard(file_id)
        stage_persons(conn, mapping=validated.mapping, file_ids=sorted(validated.staged))


def record_delivery(
    conn: duckdb.DuckDBPyConnection,
    record: DeliveryRecord,
    findings: list[Finding],
    result: Validation | None,
    target: Target | None,
    file_id: int,
    tables: dict[str, str],
    known: Known,
) -> Outcome:
    """Register the delivery and, when accepted, load it (in the caller's transaction)."""
    accepted = result is not None and not result.rejected and target is not None
    slice_key = (target.contract.id, target.municipality, target.period) if target else None
    previous = (
        registry.in_slice(
            conn, contract=slice_key[0], municipality=slice_key[1], month=slice_key[2]
        )
        if slice_key and slice_key in known.slices
        else []
    )
    live = [p for p in previous if p.status in registry.ACCEPTED]
    newer = [p for p in live if (p.seq or 0) > (record.seq or 0)]
    if accepted and newer:
        latest = max(p.seq or 0 for p in newer)
        findings = [*findings, Finding("older-sequence", expected=f"{latest:02d}")]
    if result is not None:
        record.records = result.records
        record.quarantined_rows = result.quarantined
    row_findings = result.row_findings if result is not None and result.framed else 0
    record.errors = sum(f.severity == "error" for f in findings) + row_findings
    record.warnings = sum(f.severity == "warning" for f in findings)
    if findings or row_findings:
        registry.insert_findings(
            conn,
            delivery_id=record.delivery_id,
            file_name=record.file_name,
            findings=findings,
            file_id=file_id if row_findings else None,
        )
    if accepted and newer:
        record.status = "superseded"
        record.superseded_by = newer[-1].delivery_id
    elif accepted and target is not None and result is not None:
        _load(conn, record, result, target, file_id, live, tables)
    registry.insert(conn, record)
    return Outcome(record.file_name, record, findings=findings)


def _load(
    conn: duckdb.DuckDBPyConnection,
    record: DeliveryRecord,
    result: Validation,
    target: Target,
    file_id: int,
    live: list[DeliveryRecord],
    tables: dict[str, str],
) -> None:
    record.loaded_rows = load_delivery(
        conn,
        target=target,
        file_id=file_id,
        delivery_id=record.delivery_id,
        replaces=[p.delivery_id for p in live],
    )
    record.status = "accepted-with-quarantine" if result.quarantined else "accepted"
    if result.quarantined:
        store_quarantine(
            conn,
            contract=target.contract,
            file_id=file_id,
            delivery_id=record.delivery_id,
            raw_tables=tables,
        )
    registry.supersede(conn, [p.delivery_id for p in live], by=record.delivery_id)
