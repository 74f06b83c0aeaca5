"""Delimited text: a header line, one line per record, and a ``SLUT;count[;sum]`` line."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flis.ingest.findings import Finding
from flis.ingest.formats.base import Framed, carried_keys, control_count, key_column
from flis.ingest.parse import Lines
from flis.ingest.sql import ident, lit
from flis.ingest.target import Target
from flis.sources.contract import Contract, RecordType

_OTHER_DELIMITERS = (",", "\t", "|", ";")


class DelimitedReader:
    """Reader for ``format: delimited`` contracts."""

    lines = "body"

    def frame(self, target: Target, lines: Lines) -> Framed:
        contract = target.contract
        delim = contract.delimiter or ";"
        framed = Framed()
        if not lines.complete:
            framed.findings.append(_truncated(lines, contract.trailer.marker + delim + "..."))
            return framed
        if contract.header and not self._header_ok(target, lines.text(0), framed):
            return framed
        marker = contract.trailer.marker
        last = lines.text(-1)
        first_body = 1 if contract.header else 0
        if lines.count <= first_body or not last.startswith(marker + delim):
            framed.findings.append(self._missing_trailer(lines, first_body, marker + delim))
            return framed
        framed.trailer = last.split(delim)
        framed.body = lines.slice(first_body, lines.count - 1)
        control_count(framed, lines, framed.trailer[1])
        return framed

    def _header_ok(self, target: Target, header: str, framed: Framed) -> bool:
        (rt,) = target.contract.record_types
        delim = target.contract.delimiter or ";"
        expected = delim.join(rt.field_names)
        if header == expected:
            return True
        for other in _OTHER_DELIMITERS:
            if other != delim and header.split(other) == list(rt.field_names):
                framed.findings.append(
                    Finding("wrong-delimiter", line=1, value=repr(other), expected=repr(delim))
                )
                return False
        got = header.split(delim)
        missing = [n for n in rt.field_names if n not in got]
        extra = [n for n in got if n not in rt.field_names]
        detail = "; ".join(
            part
            for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"extra {', '.join(extra)}" if extra else "",
                "columns in another order" if not missing and not extra else "",
            )
            if part
        )
        framed.findings.append(Finding("header-mismatch", line=1, value=detail, expected=expected))
        return False

    @staticmethod
    def _missing_trailer(lines: Lines, first_body: int, prefix: str) -> Finding:
        body = lines.slice(first_body, lines.count).column("line")
        if lines.count > first_body and pc.any(pc.starts_with(body, prefix)).as_py():
            return Finding("content-after-trailer", line=lines.count)
        return _truncated(lines, prefix + "...")

    def prepare_sql(self, contract: Contract) -> str | None:
        return None

    def malformed_sql(self, contract: Contract) -> str:
        (rt,) = contract.record_types
        n = len(rt.fields)
        count = f"len(string_split(line, {lit(contract.delimiter)}))"
        return (
            f"SELECT file_id, line_no, 'field-count' AS rule, NULL AS column_name, "
            f"CAST({count} AS VARCHAR) AS value, {lit(str(n))} AS expected "
            f"FROM body WHERE {count} <> {n}"
        )

    def key_columns(self, contract: Contract) -> dict[tuple[str, str], str]:
        (rt,) = contract.record_types
        return {
            (rt.code, f.name): key_column(i) for i, f in enumerate(rt.fields, 1) if f.type == "cpr"
        }

    def key_texts(self, contract: Contract, lines: Lines) -> dict[str, pa.Array]:
        (rt,) = contract.record_types
        places = [i for i, f in enumerate(rt.fields) if f.type == "cpr"]
        if not places:
            return {}
        parts = pc.split_pattern(lines.table.column("line").combine_chunks(), contract.delimiter)
        starts = np.frombuffer(parts.buffers()[1], np.int32, len(parts) + 1, parts.offset * 4)
        records = np.diff(starts) == len(rt.fields)  # the lines fields_sql reads as records
        validity = pa.py_buffer(np.packbits(records, bitorder="little"))
        out = {}
        for i in places:
            at = np.where(records, starts[:-1] + i, 0).astype(np.int64)
            index = pa.Array.from_buffers(pa.int64(), len(at), [validity, pa.py_buffer(at)])
            out[key_column(i + 1)] = pc.take(parts.values, index)  # NULL: no record
        return out

    def fields_sql(
        self, contract: Contract, rt: RecordType, *, keyed: bool = False, source: str | None = None
    ) -> str:
        delim = lit(contract.delimiter)
        cols = ", ".join(
            f"NULLIF(parts[{i}], '') AS {ident(f.name)}" for i, f in enumerate(rt.fields, 1)
        )
        carried = carried_keys(self.key_columns(contract), rt, keyed=keyed)
        inner = "".join(f", {column}" for column, _ in carried)
        outer = "".join(f", {column} AS {name}" for column, name in carried)
        return (
            f"SELECT file_id, line_no, {cols}{outer} FROM (SELECT file_id, line_no, "
            f"string_split(line, {delim}) AS parts{inner} "
            f"FROM {source or self.lines}) WHERE len(parts) = {len(rt.fields)}"
        )

    def mask_sql(self, contract: Contract, expr: str) -> str:
        return f"regexp_replace({expr}, '([0-9]{{6}})[0-9]{{4}}', '\\1-****', 'g')"


def _truncated(lines: Lines, control: str) -> Finding:
    return Finding("file-truncated", line=lines.count, expected=control)
