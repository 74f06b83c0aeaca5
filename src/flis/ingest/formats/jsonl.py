"""JSON Lines: one object per line, record type in ``rt``, a final ``{"rt": "slut", ...}``."""

from __future__ import annotations

import json

import pyarrow as pa

from flis.ingest.findings import Finding
from flis.ingest.formats.base import Framed, control_count
from flis.ingest.parse import Lines
from flis.ingest.sql import ident, in_list, lit
from flis.ingest.target import Target
from flis.sources.contract import Contract, RecordType


class JsonLinesReader:
    """Reader for ``format: jsonl`` contracts."""

    lines = "json_body"

    def frame(self, target: Target, lines: Lines) -> Framed:
        framed = Framed()
        trailer = target.contract.trailer
        rt_field = target.contract.record_type_field or "rt"
        control = _control(lines.text(-1)) if lines.complete else None
        if control is None or control.get(rt_field) != trailer.marker:
            why = f'{{"{rt_field}": "{trailer.marker}", ...}}'
            framed.findings.append(Finding("file-truncated", line=lines.count, expected=why))
            return framed
        count = control.get(trailer.count_field)
        framed.trailer = [str(trailer.marker), str(count)]
        framed.body = lines.slice(0, lines.count - 1)
        control_count(framed, lines, str(count))
        return framed

    def prepare_sql(self, contract: Contract) -> str | None:
        """``json_body``: each line parsed once for whether it is an object and its type."""
        rt_path = lit("$." + (contract.record_type_field or "rt"))
        return (
            "CREATE OR REPLACE TEMP TABLE json_body AS SELECT *, "
            f"CASE WHEN ok THEN json_extract_string(line, {rt_path}) END AS rt FROM ("
            # TRY: NULL for a line that is not JSON, so one parse decides validity and type
            "SELECT *, coalesce(TRY(json_type(line)) = 'OBJECT', FALSE) AS ok FROM body)"
        )

    def malformed_sql(self, contract: Contract) -> str:
        codes = [rt.code for rt in contract.record_types]
        snippet = f"left({self.mask_sql(contract, 'line')}, 60)"
        return (
            f"SELECT file_id, line_no, 'invalid-json' AS rule, NULL AS column_name, "
            f"{snippet} AS value, NULL AS expected FROM json_body WHERE NOT ok "
            f"UNION ALL SELECT file_id, line_no, 'unknown-record-type', 'rt', rt, "
            f"{lit(', '.join(codes))} FROM json_body "
            f"WHERE ok AND coalesce(rt, '') NOT IN {in_list(codes)}"
        )

    def key_columns(self, contract: Contract) -> dict[tuple[str, str], str]:
        return {}  # a field's place depends on the line's content: SQL keys JSON Lines

    def key_texts(self, contract: Contract, lines: Lines) -> dict[str, pa.Array]:
        return {}

    def fields_sql(
        self, contract: Contract, rt: RecordType, *, keyed: bool = False, source: str | None = None
    ) -> str:
        # The record type field is the code: json_body's rt, which selects the lines.
        kind = contract.record_type_field
        read = [f for f in rt.fields if f.name != kind]
        paths = "[" + ", ".join(lit(f"$.{f.name}") for f in read) + "]"
        at = {f.name: i for i, f in enumerate(read, 1)}
        cols = ", ".join(
            f"{lit(rt.code)} AS {ident(f.name)}"
            if f.name not in at
            else f"NULLIF(v[{at[f.name]}], '') AS {ident(f.name)}"
            for f in rt.fields
        )
        return (  # no key columns: SQL keys JSON Lines (key_columns is empty)
            f"SELECT file_id, line_no, {cols} FROM (SELECT file_id, line_no, "
            f"json_extract_string(line, {paths}) AS v "
            f"FROM {source or self.lines} WHERE ok AND rt = {lit(rt.code)})"
        )

    def mask_sql(self, contract: Contract, expr: str) -> str:
        return f"regexp_replace({expr}, '([0-9]{{6}})[0-9]{{4}}', '\\1-****', 'g')"


def _control(line: str) -> dict[str, object] | None:
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
