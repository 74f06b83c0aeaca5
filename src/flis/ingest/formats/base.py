"""What every format reader provides: framing, malformed-line checks and field extraction."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import pyarrow as pa

from flis.ingest.findings import Finding
from flis.ingest.parse import Lines
from flis.ingest.sql import ident
from flis.ingest.target import Target
from flis.sources.contract import Contract, RecordType


@dataclass
class Framed:
    """A file split into its records (``body``) and the file-level findings framing made."""

    findings: list[Finding] = field(default_factory=list)
    body: pa.Table | None = None  # line_no, line; None when the file cannot be framed
    trailer: list[str] = field(default_factory=list)  # the control record's values
    trailer_line: int | None = None


class FormatReader(Protocol):
    """Reads one format. SQL returned runs against a relation ``body(line_no, line)``."""

    #: The relation :meth:`fields_sql` reads by default: ``body`` or one made by
    #: :meth:`prepare_sql` from it (with the same ``file_id`` and ``line_no``).
    lines: str

    def frame(self, target: Target, lines: Lines) -> Framed:
        """Check start, header and control records; return the record lines."""

    def prepare_sql(self, contract: Contract) -> str | None:
        """A statement run once per batch before the others (e.g. parsing each line once)."""

    def malformed_sql(self, contract: Contract) -> str:
        """SELECT line_no, rule, column_name, value, expected for lines that are not records."""

    def fields_sql(
        self, contract: Contract, rt: RecordType, *, keyed: bool = False, source: str | None = None
    ) -> str:
        """SELECT line_no, <one VARCHAR column per field> for well-formed records of ``rt``.

        ``source``: a relation like :attr:`lines` (some of its rows) to read instead.

        ``keyed``: the body carries the key columns of :meth:`key_columns`; the SELECT then has a
        ``<cpr field>__key`` column for each CPR field found there.
        """

    def key_columns(self, contract: Contract) -> dict[tuple[str, str], str]:
        """(record type, CPR field) → the body column holding its person keys, computed from
        the lines before validation (see :meth:`key_texts`)."""

    def key_texts(self, contract: Contract, lines: Lines) -> dict[str, pa.Array]:
        """Key column → the characters of each line where :meth:`fields_sql` cuts the CPR
        field from (untrimmed; NULL or anything where the line is no such record).

        Person keys are made only for ten ASCII digits (:class:`CmacKeys`), and then these
        characters are the field's value; any other value is blank or quarantined. So a loaded
        record's key is the key of its field, as if computed in SQL. Empty: none can be cut
        without parsing the line (JSON), and SQL computes them."""

    def mask_sql(self, contract: Contract, expr: str) -> str:
        """SQL hiding the CPR numbers in a raw line ``expr`` (for quarantine and findings)."""


def carried_keys(
    columns: dict[tuple[str, str], str], rt: RecordType, *, keyed: bool
) -> list[tuple[str, str]]:
    """(body column, ``<field>__key``) of each CPR field of ``rt`` keyed before SQL, quoted:
    the key columns a format's ``fields_sql`` passes through (none unless ``keyed``)."""
    return [
        (ident(column), ident(name + "__key"))
        for (code, name), column in columns.items()
        if keyed and code == rt.code
    ]


def key_column(place: object) -> str:
    """The name of the body column holding person keys of the CPR numbers at ``place``."""
    return f"__key_{place}"


def control_count(framed: Framed, lines: Lines, value: str) -> None:
    """Note the control record's line; add ``trailer-count-mismatch`` when its count is wrong."""
    framed.trailer_line = lines.count
    records = framed.body.num_rows if framed.body is not None else 0
    if not value.strip().isdigit() or int(value) != records:
        framed.findings.append(
            Finding(
                "trailer-count-mismatch",
                line=lines.count,
                value=value.strip(),
                expected=str(records),
            )
        )
