"""Fixed-width records as CPR delivers them: start record 000, typed records, end record 999."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from flis.ingest.findings import Finding
from flis.ingest.formats.base import Framed, carried_keys, control_count, key_column
from flis.ingest.parse import Lines
from flis.ingest.sql import ident, in_list, lit
from flis.ingest.target import Target
from flis.periods import compact
from flis.sources.contract import Contract, RecordType


def _field(text: str, width: int) -> str:
    """A field's value: its text without surrounding spaces, NULL when blank.

    ``trim`` removes Unicode spaces and is slow; among ASCII characters it removes only the
    space. A field of ``width`` ASCII characters (byte length = width) without a space is
    therefore its own trimmed value, and one of only spaces is blank, so ``trim`` runs only on
    the fields that need it.
    """
    return (
        f"CASE WHEN strlen({text}) = {width} AND NOT contains({text}, ' ') THEN {text} "
        f"WHEN {text} = {lit(' ' * width)} THEN NULL ELSE NULLIF(trim({text}), '') END"
    )


def _cpr_spans(contract: Contract) -> dict[tuple[str, str], tuple[int, int]]:
    return {
        (rt.code, f.name): rt.offsets[f.name]
        for rt in contract.record_types
        for f in rt.fields
        if f.type == "cpr"
    }


def _record_type(contract: Contract, rt: RecordType, name: str) -> str | None:
    """The record type field as its code: only lines starting with the code are selected."""
    if name != contract.record_type_field or rt.offsets[name] != (0, len(rt.code)):
        return None
    return lit(rt.code) if rt.code and rt.code == rt.code.strip() else None


class FixedWidthReader:
    """Reader for ``format: fixed-width`` contracts."""

    lines = "body"

    def frame(self, target: Target, lines: Lines) -> Framed:
        framed = Framed()
        if not lines.complete:
            framed.findings.append(
                Finding("file-truncated", line=lines.count, expected=target.contract.trailer.marker)
            )
            return framed
        start = 0
        if target.contract.header_record and not self._start_ok(target, lines.text(0), framed):
            return framed
        if target.contract.header_record:
            start = 1
        trailer = target.contract.trailer
        widths = [f.width or 0 for f in trailer.fields]
        last = lines.text(-1)
        if lines.count <= start or not (
            last.startswith(trailer.marker) and len(last) == sum(widths)
        ):
            framed.findings.append(
                Finding(
                    "file-truncated",
                    line=lines.count,
                    expected=trailer.marker,
                )
            )
            return framed
        framed.trailer = [last[: widths[0]], last[widths[0] :]]
        framed.body = lines.slice(start, lines.count - 1)
        control_count(framed, lines, framed.trailer[1])
        return framed

    def _start_ok(self, target: Target, line: str, framed: Framed) -> bool:
        rec = target.contract.header_record
        assert rec is not None
        expected = f"{rec.code}{target.municipality:04d}{compact(target.period)}<yyyymmdd>"
        if not line.startswith(rec.code) or len(line) != rec.record_length:
            framed.findings.append(
                Finding("start-record", line=1, value=line[:30], expected=expected)
            )
            return False
        values = {
            f.name: line[s:e] for f, (s, e) in zip(rec.fields, rec.offsets.values(), strict=True)
        }
        muni = values.get("kommune", "")
        if not muni.isdigit() or int(muni) != target.municipality:
            framed.findings.append(
                Finding("start-record", line=1, column="kommune", value=muni, expected=expected)
            )
            return False
        if values.get("periode") != compact(target.period):
            framed.findings.append(
                Finding(
                    "period-mismatch",
                    line=1,
                    column="periode",
                    value=values.get("periode"),
                    expected=compact(target.period),
                )
            )
            return False
        return True

    def prepare_sql(self, contract: Contract) -> str | None:
        return None

    def malformed_sql(self, contract: Contract) -> str:
        rts = contract.record_types
        codes = [rt.code for rt in rts]
        width = len(codes[0])
        lengths = " ".join(f"WHEN {lit(rt.code)} THEN {rt.record_length}" for rt in rts)
        code = f"left(line, {width})"  # ``left`` is much cheaper than ``substr`` from 1
        known = f"{code} IN {in_list(codes)}"
        length = f"CASE {code} {lengths} END"
        return (  # one scan for both rules: a line of no known type, or of the wrong length
            f"SELECT file_id, line_no, CASE WHEN {known} THEN 'record-length' "
            "ELSE 'unknown-record-type' END AS rule, "
            f"CASE WHEN {known} THEN NULL ELSE 'rt' END AS column_name, "
            f"CASE WHEN {known} THEN CAST(length(line) AS VARCHAR) ELSE {code} END AS value, "
            f"CASE WHEN {known} THEN CAST({length} AS VARCHAR) "
            f"ELSE {lit(', '.join(codes))} END AS expected "
            f"FROM body WHERE NOT {known} OR length(line) <> {length}"
        )

    def fields_sql(
        self, contract: Contract, rt: RecordType, *, keyed: bool = False, source: str | None = None
    ) -> str:
        cols = [
            (_record_type(contract, rt, name) or _field(f"substr(line, {s + 1}, {e - s})", e - s))
            + f" AS {ident(name)}"
            for name, (s, e) in rt.offsets.items()
        ]
        cols += [
            f"{column} AS {name}"
            for column, name in carried_keys(self.key_columns(contract), rt, keyed=keyed)
        ]
        return (  # starts_with(line, code) is substr(line, 1, len(code)) = code, cheaper
            f"SELECT file_id, line_no, {', '.join(cols)} FROM {source or self.lines} "
            f"WHERE starts_with(line, {lit(rt.code)}) AND length(line) = {rt.record_length}"
        )

    def key_columns(self, contract: Contract) -> dict[tuple[str, str], str]:
        return {
            (code, name): key_column(f"{start}_{end}")
            for (code, name), (start, end) in _cpr_spans(contract).items()
        }

    def key_texts(self, contract: Contract, lines: Lines) -> dict[str, pa.Array]:
        line = lines.table.column("line")
        return {
            key_column(f"{s}_{e}"): pc.utf8_slice_codeunits(line, s, e)  # characters, as substr
            for s, e in sorted(set(_cpr_spans(contract).values()))
        }

    def mask_sql(self, contract: Contract, expr: str) -> str:
        spans = sorted(
            {
                rt.offsets[f.name]
                for rt in contract.record_types
                for f in rt.fields
                if f.type == "cpr"
            }
        )
        out = expr
        for s, _ in spans:
            out = f"concat(substr({out}, 1, {s + 6}), '-****', substr({out}, {s + 11}))"
        return out
