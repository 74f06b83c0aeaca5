"""The delivery registry (``ingest.delivery``) and its findings (``ingest.finding``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any, Literal

import duckdb

from flis.errors import NotFoundError
from flis.ingest.findings import Finding
from flis.ingest.rules.catalogue import rules

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


@dataclass
class Known:
    """What the registry already holds, kept in step during one ingest run (one writer)."""

    shas: dict[tuple[str, str | None, int | None, str | None], int]  # (sha, slice) → id
    slices: set[tuple[str, int, str]]
    next_id: int

    @classmethod
    def load(cls, conn: duckdb.DuckDBPyConnection) -> Known:
        rows = conn.execute(
            "SELECT sha256, delivery_id, contract, municipality_code, month FROM ingest.delivery "
            "ORDER BY delivery_id DESC"
        ).fetchall()
        return cls(
            shas={(r[0], r[2], r[3], r[4]): int(r[1]) for r in rows},
            slices={(r[2], int(r[3]), r[4]) for r in rows if r[2] is not None},
            next_id=next_delivery_id(conn),
        )

    def add(self, record: DeliveryRecord) -> None:
        self.shas.setdefault(key_of(record), record.delivery_id)
        if record.contract and record.municipality_code and record.month:
            self.slices.add((record.contract, record.municipality_code, record.month))
        self.next_id = max(self.next_id, record.delivery_id + 1)


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


def in_slice(
    conn: duckdb.DuckDBPyConnection, *, contract: str, municipality: int, month: str
) -> list[DeliveryRecord]:
    """Every delivery of one contract × municipality × month, oldest first."""
    return _select(
        conn,
        "WHERE contract = ? AND municipality_code = ? AND month = ? ORDER BY delivery_id",
        [contract, municipality, month],
    )


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


def insert(conn: duckdb.DuckDBPyConnection, record: DeliveryRecord) -> None:
    marks = ", ".join("?" * len(_COLUMNS))
    conn.execute(
        f"INSERT INTO ingest.delivery ({', '.join(_COLUMNS)}) VALUES ({marks})",
        [getattr(record, c) for c in _COLUMNS],
    )


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


def insert_findings(
    conn: duckdb.DuckDBPyConnection,
    *,
    delivery_id: int,
    file_name: str,
    findings: list[Finding],
    file_id: int | None,
) -> None:
    """Store file-level ``findings`` and the file's rows of temp table ``row_findings``."""
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE file_findings (line_no BIGINT, rule VARCHAR, "
        "column_name VARCHAR, value VARCHAR, expected VARCHAR)"
    )
    if findings:
        conn.executemany(
            "INSERT INTO file_findings VALUES (?, ?, ?, ?, ?)",
            [(f.line, f.code, f.column, f.value, f.expected) for f in findings],
        )
    source = "SELECT * FROM file_findings"
    if file_id is not None:
        source += (
            " UNION ALL SELECT line_no, rule, column_name, value, expected FROM ("
            "SELECT *, row_number() OVER (PARTITION BY rule, column_name ORDER BY line_no) AS n "
            f"FROM row_findings WHERE file_id = {int(file_id)}) WHERE n <= {FINDINGS_CAP}"
        )
    conn.execute(
        f"INSERT INTO ingest.finding SELECT ?, f.rule, r.severity, r.scope, ?, f.line_no, "
        f"f.column_name, f.value, f.expected, {_message('da')}, {_message('en')} "
        f"FROM ({source}) f JOIN rule_catalogue r ON r.code = f.rule "
        f"ORDER BY f.line_no NULLS FIRST, f.column_name, f.rule",
        [delivery_id, file_name],
    )


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
