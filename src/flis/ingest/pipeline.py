"""Orchestration: receive files, validate them, and load or reject each delivery atomically.

Files are read, hashed, landed and decoded one by one, then validated in batches per contract
(bounded in bytes). A batch commits in one transaction: first every file's fate is decided in
file order (duplicate, rejected, accepted, superseded by a newer sequence number, superseding
the slice's previous delivery), then the registry rows, findings, quarantine, facts, persons
and dimensions of all of them are written with one statement each. When anything in the batch
fails, the batch is rolled back and committed again one transaction per delivery, so a failing
delivery never changes whether another one is loaded.
"""

from __future__ import annotations

import copy
import datetime as dt
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from flis.errors import UsageError
from flis.ingest import registry
from flis.ingest.findings import Finding
from flis.ingest.load import (
    FileLoad,
    LoadPlan,
    build_typed,
    load_facts,
    loaded_rows,
    store_quarantine,
)
from flis.ingest.outcome import Outcome
from flis.ingest.pseudonym import PersonKeys, warehouse_keys
from flis.ingest.receive import Received, already_received, batches, collect, duplicate, read
from flis.ingest.registry import ACCEPTED, DeliveryRecord, FindingsOf, Known
from flis.ingest.validate import Item, Validation, validate_batch
from flis.settings import Settings
from flis.sources.catalogue import contract
from flis.sources.contract import Contract
from flis.warehouse.connection import connect

__all__ = ["BatchTime", "Outcome", "ingest_batch", "ingest_paths"]


@dataclass
class Validated:
    """A validated batch: each file's outcome and the raw table per record type."""

    results: dict[int, Validation] = field(default_factory=dict)
    tables: dict[str, str] = field(default_factory=dict)
    contract: Contract | None = None


@dataclass(frozen=True)
class BatchTime:
    """How long one batch took to validate and commit (its reading overlaps the one before)."""

    contract: str
    files: int
    seconds: float

    def to_dict(self) -> dict[str, object]:
        return {"contract": self.contract, "files": self.files, "seconds": round(self.seconds, 3)}


@dataclass
class Decision:
    """What committing the batch does with one received file."""

    item: Received
    outcome: Outcome
    registered: bool = True  # False: the same bytes are registered already
    loads: bool = False  # accepted: its facts, persons and dimensions load
    replaces: list[DeliveryRecord] = field(default_factory=list)  # live ones it supersedes


def ingest_paths(
    paths: Iterable[Path],
    *,
    settings: Settings,
    received_at: dt.datetime | None = None,
    progress: Callable[[BatchTime, int, int], None] | None = None,
) -> list[Outcome]:
    """Ingest every file under ``paths`` into the installation's warehouse.

    The next batch is read (hashed, landed, decoded) in a thread while this one is validated
    and loaded: that work needs no warehouse, and DuckDB leaves the Python thread free.
    ``progress`` is called after each batch with its time, the files done and all files.
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
        keys = warehouse_keys(conn)
        keys.install(conn, settings)
        registry.install_rules(conn)
        outcomes: dict[int, Outcome] = {}
        known = Known.load(conn)
        groups = list(batches(files))
        done = 0
        with ThreadPoolExecutor(max_workers=1) as reader:
            ahead: Future[list[Received]] | None = None
            for n, batch in enumerate(groups):
                items = ahead.result() if ahead else read_batch(batch, settings, received_at, keys)
                ahead = (
                    reader.submit(read_batch, groups[n + 1], settings, received_at, keys)
                    if n + 1 < len(groups)
                    else None
                )
                started = time.perf_counter()
                outcomes.update(
                    ingest_batch(
                        conn,
                        batch,
                        known=known,
                        settings=settings,
                        keys=keys,
                        received_at=received_at,
                        items=items,
                    )
                )
                if progress is not None:
                    kind = next((i.target.contract.id for i in items if i.target), "")
                    done += len(batch)
                    progress(
                        BatchTime(kind, len(batch), time.perf_counter() - started), done, len(files)
                    )
        return [outcomes[i] for i in range(len(files))]
    finally:
        conn.close()


def read_batch(
    batch: list[tuple[int, Path]],
    settings: Settings,
    received_at: dt.datetime | None,
    keys: PersonKeys | None = None,
) -> list[Received]:
    """Read, hash, land and decode the files of one batch."""
    return [
        read(i, path, settings=settings, received_at=received_at, keys=keys) for i, path in batch
    ]


def ingest_batch(
    conn: duckdb.DuckDBPyConnection,
    batch: list[tuple[int, Path]],
    *,
    known: Known,
    settings: Settings,
    keys: PersonKeys,
    received_at: dt.datetime | None,
    items: list[Received] | None = None,
) -> dict[int, Outcome]:
    """Receive, validate and commit files of one contract (``items``: the batch read already).

    ``keys`` must be installed on ``conn`` (:meth:`PersonKeys.install`).
    """
    outcomes: dict[int, Outcome] = {}
    received: list[Received] = []
    for item in items if items is not None else read_batch(batch, settings, received_at, keys):
        seen = already_received(conn, item, known=known)
        if seen is not None:
            outcomes[item.index] = seen
        else:
            received.append(item)
    validated = _validate(conn, received, settings=settings, keys=keys)
    outcomes.update(_commit_batch(conn, received, validated, known))
    return outcomes


def _validate(
    conn: duckdb.DuckDBPyConnection,
    received: list[Received],
    *,
    settings: Settings,
    keys: PersonKeys,
) -> Validated:
    items = [Item(r.index, r.target, r.lines) for r in received if r.target and r.lines]
    if not items:
        return Validated()
    the_contract = contract(items[0].target.contract.id)
    results, tables = validate_batch(
        conn,
        contract=the_contract,
        items=items,
        threshold=settings.quarantine_threshold,
        keys=keys,
    )
    if any(not r.rejected for r in results.values()):
        build_typed(conn, contract=the_contract, raw_tables=tables)
    return Validated(results, tables, the_contract)


def _commit_batch(
    conn: duckdb.DuckDBPyConnection,
    received: list[Received],
    validated: Validated,
    known: Known,
) -> dict[int, Outcome]:
    """Commit the batch in one transaction; after any failure, one transaction per delivery.

    The retry starts from exactly the state before the batch (the rollback restores the
    warehouse and the temporary tables; the registry view ``known`` and the records are
    restored here), so its result is the one of committing each delivery alone.
    """
    saved = copy.deepcopy(known), [copy.copy(r.record) for r in received]
    try:
        return _in_transaction(conn, received, validated, known)
    except Exception:  # each delivery alone below, where the failing one raises
        pass
    restored, records = saved
    known.shas, known.live, known.next_id = restored.shas, restored.live, restored.next_id
    for item, record in zip(received, records, strict=True):
        item.record = record
    outcomes: dict[int, Outcome] = {}
    for item in received:
        outcomes.update(_in_transaction(conn, [item], validated, known))
    return outcomes


def _in_transaction(
    conn: duckdb.DuckDBPyConnection, items: list[Received], validated: Validated, known: Known
) -> dict[int, Outcome]:
    """Decide and write ``items`` in one transaction (rolled back, and raised, on failure)."""
    conn.execute("BEGIN TRANSACTION")
    try:
        decisions = _decide(conn, items, validated, known)
        _write(conn, decisions, validated)
        conn.execute("COMMIT")
    except Exception:
        conn.execute("ROLLBACK")
        raise
    return {d.item.index: d.outcome for d in decisions}


def _decide(
    conn: duckdb.DuckDBPyConnection, items: list[Received], validated: Validated, known: Known
) -> list[Decision]:
    """Each file's fate, in file order, with ``known`` kept in step (no warehouse writes)."""
    decisions: list[Decision] = []
    batch: dict[int, DeliveryRecord] = {}
    for item in items:
        key = registry.key_of(item.record)
        if key in known.shas:  # an identical file earlier in the batch
            seen_id = known.shas[key]
            seen = batch[seen_id] if seen_id in batch else registry.get(conn, seen_id)
            decisions.append(Decision(item, duplicate(item.path, seen), registered=False))
            continue
        record = item.record
        record.delivery_id = known.next_id
        decision = _decide_one(item, validated.results.get(item.index), known)
        batch[record.delivery_id] = record
        known.add(record)
        decisions.append(decision)
    return decisions


def _decide_one(item: Received, result: Validation | None, known: Known) -> Decision:
    record = item.record
    findings = item.findings + (result.findings if result else [])
    accepted = result is not None and not result.rejected and item.target is not None
    slice_key = registry.slice_of(record)
    live = known.live.get(slice_key, []) if slice_key else []
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
    outcome = Outcome(str(item.path), record, findings=findings)
    decision = Decision(item, outcome)
    if accepted and newer:
        record.status = "superseded"
        record.superseded_by = newer[-1].delivery_id
    elif accepted and slice_key is not None and result is not None:
        record.status = "accepted-with-quarantine" if result.quarantined else "accepted"
        decision.loads = True
        decision.replaces = known.live.pop(slice_key, [])
    return decision


def _write(
    conn: duckdb.DuckDBPyConnection, decisions: list[Decision], validated: Validated
) -> None:
    """Write what ``decisions`` say, one statement per kind for the whole batch."""
    registered = [d for d in decisions if d.registered]
    loading = [d for d in registered if d.loads]
    batch_ids = {d.outcome.delivery.delivery_id for d in registered if d.outcome.delivery}
    # Final registry state: a delivery superseded later in this batch is registered so.
    final: dict[int, int] = {}  # superseded delivery id → the delivery that replaced it
    for d in loading:
        for old in d.replaces:
            final[old.delivery_id] = _record(d).delivery_id
    if loading and validated.contract is not None:
        rows = loaded_rows(
            conn, contract=validated.contract, file_ids=[d.item.index for d in loading]
        )
        for d in loading:
            _record(d).loaded_rows = rows[d.item.index]
    registry.insert(conn, [_registered(_record(d), final) for d in registered])
    outside: dict[int, list[int]] = {}
    for old_id, by in final.items():
        if old_id not in batch_ids:
            outside.setdefault(by, []).append(old_id)
    for by, ids in outside.items():
        registry.supersede(conn, sorted(ids), by=by)
    registry.insert_findings(
        conn,
        [
            FindingsOf(
                delivery_id=_record(d).delivery_id,
                file_name=_record(d).file_name,
                findings=d.outcome.findings,
                file_id=d.item.index if _row_findings(d, validated) else None,
            )
            for d in registered
        ],
    )
    if validated.contract is None or not loading:  # nothing loads, so nothing is replaced
        return
    for d in loading:
        if _record(d).quarantined_rows:
            store_quarantine(
                conn,
                contract=validated.contract,
                file_id=d.item.index,
                delivery_id=_record(d).delivery_id,
                raw_tables=validated.tables,
            )
    plan = LoadPlan(
        validated.contract,
        loads=[
            FileLoad(
                file_id=d.item.index,
                delivery_id=_record(d).delivery_id,
                month=d.item.target.period,
                month_end=d.item.target.last_day,
                keeps=_record(d).delivery_id not in final,
            )
            for d in loading
            if d.item.target is not None
        ],
        replaced=sorted(i for ids in outside.values() for i in ids),
    )
    load_facts(conn, plan)


def _record(decision: Decision) -> DeliveryRecord:
    record = decision.outcome.delivery
    assert record is not None
    return record


def _registered(record: DeliveryRecord, final: dict[int, int]) -> DeliveryRecord:
    """The registry row of ``record``: superseded when a later delivery of the batch replaced it."""
    if record.delivery_id in final and record.status in ACCEPTED:
        row = copy.copy(record)
        row.status = "superseded"
        row.superseded_by = final[record.delivery_id]
        return row
    return record


def _row_findings(decision: Decision, validated: Validated) -> bool:
    result = validated.results.get(decision.item.index)
    return result is not None and result.framed and result.row_findings > 0
