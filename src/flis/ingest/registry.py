"""The delivery registry (``ingest.delivery``) and its findings (``ingest.finding``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

import duckdb

from flis.errors import NotFoundError
from flis.ingest.findings import Finding
from flis.ingest.rules.catalogue import rules
from flis.ingest.sql import list_table

Status = Literal["accepted", "accepted-with-quarantine", "rejected", "superseded"]
ACCEPTED: tuple[Status, ...] = ("accepted", "accepted-with-quarantine")


@dataclass
class DeliveryRecord:
    """One row of ``ingest.delivery``."""

    delivery_id: int
    contract: str | None
    source: str | None
    municipality_code: int | None
    month: str | None
    seq: int | None
    file_name: str
    size_bytes: int
    sha256: str
    received_at: dt.datetime
    status: Status
    records: int = 0
    loaded_rows: int = 0
    quarantined_rows: int = 0
    errors: int = 0
    warnings: int = 0
    superseded_by: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_COLUMNS = list(DeliveryRecord.__dataclass_fields__)


Slice = tuple[str, int, str]  # contract, municipality, month


@dataclass
class Known:
    """What the registry already holds, kept in step during one ingest run (one writer).

    ``live`` holds the accepted deliveries of every slice (oldest first) as records, so that a
    batch decides re-deliveries without asking the warehouse per file; the records of a batch
    are registered together after its decisions.
    """

    shas: dict[tuple[str, str | None, int | None, str | None], int]  # (sha, slice) → id
    live: dict[Slice, list[DeliveryRecord]]
    next_id: int

    @classmethod
    def load(cls, conn: duckdb.DuckDBPyConnection) -> Known:
        rows = conn.execute(
            "SELECT sha256, delivery_id, contract, municipality_code, month FROM ingest.delivery "
            "ORDER BY delivery_id DESC"
        ).fetchall()
        live: dict[Slice, list[DeliveryRecord]] = {}
        marks = ", ".join("?" * len(ACCEPTED))
        for record in _select(
            conn, f"WHERE status IN ({marks}) ORDER BY delivery_id", list(ACCEPTED)
        ):
            slice_key = slice_of(record)
            if slice_key is not None:
                live.setdefault(slice_key, []).append(record)
        return cls(
            shas={(r[0], r[2], r[3], r[4]): int(r[1]) for r in rows},
            live=live,
            next_id=next_delivery_id(conn),
        )

    def add(self, record: DeliveryRecord) -> None:
        self.shas.setdefault(key_of(record), record.delivery_id)
        slice_key = slice_of(record)
        if slice_key is not None and record.status in ACCEPTED:
            self.live.setdefault(slice_key, []).append(record)
        self.next_id = max(self.next_id, record.delivery_id + 1)


def slice_of(record: DeliveryRecord) -> Slice | None:
    if record.contract and record.municipality_code and record.month:
        return (record.contract, record.municipality_code, record.month)
    return None


def key_of(record: DeliveryRecord) -> tuple[str, str | None, int | None, str | None]:
    """Same bytes for the same slice: a second copy of those is a duplicate, not a delivery.

    The same bytes for another month (central figures can repeat) are a delivery of their own.
    """
    return (record.sha256, record.contract, record.municipality_code, record.month)


def next_delivery_id(conn: duckdb.DuckDBPyConnection) -> int:
    row = conn.execute("SELECT coalesce(max(delivery_id), 0) + 1 FROM ingest.delivery").fetchall()[
        0
    ]
    return int(row[0]) if row else 1


def get(conn: duckdb.DuckDBPyConnection, delivery_id: int) -> DeliveryRecord:
    rows = _select(conn, "WHERE delivery_id = ?", [delivery_id])
    if not rows:
        raise NotFoundError(
            f"no delivery with id {delivery_id}",
            hint="`flis deliveries` lists the ids",
            message_da=f"der er ingen levering med id {delivery_id}",
            hint_da="`flis deliveries` viser id'erne",
        )
    return rows[0]


def listing(conn: duckdb.DuckDBPyConnection, **filters: object) -> list[DeliveryRecord]:
    """All deliveries, newest first, optionally filtered by column equality."""
    given = {k: v for k, v in filters.items() if v is not None}
    where = " AND ".join(f"{k} = ?" for k in given)
    return _select(
        conn, (f"WHERE {where} " if where else "") + "ORDER BY delivery_id", list(given.values())
    )


def _select(
    conn: duckdb.DuckDBPyConnection, tail: str, params: list[object]
) -> list[DeliveryRecord]:
    rows = conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM ingest.delivery {tail}", params)
    return [DeliveryRecord(**dict(zip(_COLUMNS, r, strict=True))) for r in rows.fetchall()]


_TYPES: dict[str, str] = {
    "delivery_id": "BIGINT",
    "municipality_code": "SMALLINT",
    "seq": "SMALLINT",
    "size_bytes": "BIGINT",
    "received_at": "TIMESTAMP",
    "records": "BIGINT",
    "loaded_rows": "BIGINT",
    "quarantined_rows": "BIGINT",
    "errors": "BIGINT",
    "warnings": "BIGINT",
    "superseded_by": "BIGINT",
}


def insert(conn: duckdb.DuckDBPyConnection, records: list[DeliveryRecord]) -> None:
    """Register ``records`` (one statement for the batch)."""
    if not records:
        return
    select, params = list_table(
        {c: (_TYPES.get(c, "VARCHAR"), [getattr(r, c) for r in records]) for c in _COLUMNS}
    )
    conn.execute(f"INSERT INTO ingest.delivery ({', '.join(_COLUMNS)}) {select}", params)


def supersede(conn: duckdb.DuckDBPyConnection, ids: list[int], *, by: int) -> None:
    if ids:
        marks = ", ".join("?" * len(ids))
        conn.execute(
            "UPDATE ingest.delivery SET status = 'superseded', superseded_by = ? "
            f"WHERE delivery_id IN ({marks})",
            [by, *ids],
        )


def install_rules(conn: duckdb.DuckDBPyConnection) -> None:
    """The rule catalogue as a temporary table, so messages are rendered in SQL."""
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE rule_catalogue (code VARCHAR, severity VARCHAR, "
        "scope VARCHAR, da VARCHAR, en VARCHAR)"
    )
    conn.executemany(
        "INSERT INTO rule_catalogue VALUES (?, ?, ?, ?, ?)",
        [(r.code, r.severity, r.scope, r.da, r.en) for r in rules().values()],
    )


def _message(lang: str) -> str:
    text = f"r.{lang}"
    for name, col in (
        ("column", "f.column_name"),
        ("value", "f.value"),
        ("expected", "f.expected"),
    ):
        text = f"replace({text}, '{{{name}}}', coalesce({col}, ''))"
    return text


#: Row findings stored per rule and column of one delivery (see ``findings-capped``).
FINDINGS_CAP = 1000


@dataclass(frozen=True)
class FindingsOf:
    """The findings one delivery stores: file-level ones, and its file's row findings."""

    delivery_id: int
    file_name: str
    findings: list[Finding]
    file_id: int | None  # the file whose rows of temp table ``row_findings`` are stored


def insert_findings(conn: duckdb.DuckDBPyConnection, entries: list[FindingsOf]) -> None:
    """Store the findings of ``entries`` (one statement for the batch).

    Row findings come from temp table ``row_findings``, at most ``FINDINGS_CAP`` per rule and
    column of one delivery.
    """
    entries = [e for e in entries if e.findings or e.file_id is not None]
    if not entries:
        return
    file_level = [(e, f) for e in entries for f in e.findings]
    with_rows = [e for e in entries if e.file_id is not None]
    tables: dict[str, dict[str, tuple[str, Sequence[object]]]] = {
        "file_findings": {
            "delivery_id": ("BIGINT", [e.delivery_id for e, _ in file_level]),
            "line_no": ("BIGINT", [f.line for _, f in file_level]),
            "rule": ("VARCHAR", [f.code for _, f in file_level]),
            "column_name": ("VARCHAR", [f.column for _, f in file_level]),
            "value": ("VARCHAR", [f.value for _, f in file_level]),
            "expected": ("VARCHAR", [f.expected for _, f in file_level]),
        },
        "finding_files": {
            "delivery_id": ("BIGINT", [e.delivery_id for e in entries]),
            "file_name": ("VARCHAR", [e.file_name for e in entries]),
        },
        "finding_rows": {
            "file_id": ("BIGINT", [e.file_id for e in with_rows]),
            "delivery_id": ("BIGINT", [e.delivery_id for e in with_rows]),
        },
    }
    for name, listed in tables.items():
        select, params = list_table(listed)
        conn.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {select}", params)
    try:
        columns = "delivery_id, line_no, rule, column_name, value, expected"
        source = f"SELECT {columns} FROM file_findings"
        if with_rows:  # row_findings exists once a batch had a file to validate
            source += (
                f" UNION ALL SELECT {columns} FROM ("
                "SELECT d.delivery_id, f.*, row_number() OVER (PARTITION BY f.file_id, f.rule, "
                "f.column_name ORDER BY f.line_no) AS n FROM row_findings f "
                f"JOIN finding_rows d USING (file_id)) WHERE n <= {FINDINGS_CAP}"
            )
        conn.execute(
            f"INSERT INTO ingest.finding SELECT f.delivery_id, f.rule, r.severity, r.scope, "
            f"d.file_name, f.line_no, f.column_name, f.value, f.expected, {_message('da')}, "
            f"{_message('en')} FROM ({source}) f JOIN rule_catalogue r ON r.code = f.rule "
            "JOIN finding_files d USING (delivery_id) "
            "ORDER BY f.delivery_id, f.line_no NULLS FIRST, f.column_name, f.rule"
        )
    finally:
        for name in tables:
            conn.execute(f"DROP TABLE IF EXISTS {name}")


def findings_of(conn: duckdb.DuckDBPyConnection, delivery_id: int) -> list[dict[str, Any]]:
    """The findings of one delivery, in file order."""
    cur = conn.execute(
        "SELECT rule, severity, scope, file_name, line, column_name, value, expected, "
        "message_da, message_en FROM ingest.finding WHERE delivery_id = ? "
        "ORDER BY line NULLS FIRST, column_name, rule",
        [delivery_id],
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
