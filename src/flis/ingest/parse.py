"""Splitting a file's bytes into numbered lines without per-line Python work."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from flis.ingest.arrays import int64_array

_NEWLINE = 10
#: Largest body an Arrow ``string`` array (32-bit offsets) holds; longer files use ``large_string``.
_SMALL = 2**31 - 1


@dataclass(frozen=True)
class Lines:
    """All lines of a file (1-based numbers) and whether the last one ended with a newline."""

    table: pa.Table  # line_no int64, line string
    complete: bool

    @property
    def count(self) -> int:
        return int(self.table.num_rows)

    def text(self, index: int) -> str:
        """Line at 0-based ``index`` (negative counts from the end)."""
        value: str = self.table.column("line")[index].as_py()
        return value

    def slice(self, start: int, stop: int) -> pa.Table:
        """Lines ``[start, stop)`` by 0-based index."""
        return self.table.slice(start, max(0, stop - start))


def split_lines(data: bytes | str) -> Lines:
    """Split UTF-8 ``data`` on LF; a final LF ends the last line rather than starting an empty one.

    The lines are one Arrow string array over a copy of the bytes without their line ends: the
    offsets come from the positions of the LF bytes (numpy), so no Python string is made per
    line or for the whole file. ``data`` must be valid UTF-8 (see :func:`flis.ingest.decode`).
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    complete = raw.endswith(b"\n")
    if complete:
        raw = raw[:-1]
    buf = np.frombuffer(raw, np.uint8)
    ends = np.flatnonzero(buf == _NEWLINE)
    count = len(ends) + 1
    starts = np.empty(count + 1, np.int64)
    starts[0] = 0
    starts[1:-1] = ends + 1
    starts[-1] = len(buf) + 1  # one past the end, as if a newline followed the last line
    offsets = starts - np.arange(count + 1)  # each earlier line end removed from the body
    body = raw.replace(b"\n", b"") if len(ends) else raw
    small = len(body) <= _SMALL
    lines = (pa.StringArray if small else pa.LargeStringArray).from_buffers(
        count, pa.py_buffer(offsets.astype(np.int32 if small else np.int64)), pa.py_buffer(body)
    )
    numbers = int64_array(np.arange(1, count + 1, dtype=np.int64))
    return Lines(pa.table({"line_no": numbers, "line": lines}), complete)
