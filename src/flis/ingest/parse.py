"""Splitting decoded text into numbered lines without per-line Python work."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


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


def split_lines(text: str) -> Lines:
    """Split on LF; a final LF ends the last line rather than starting an empty one."""
    complete = text.endswith("\n")
    body = text[:-1] if complete else text
    lines = pc.split_pattern(pa.array([body], pa.large_string()), "\n").flatten()
    lines = lines.cast(pa.string())
    numbers = pa.array(np.arange(1, len(lines) + 1, dtype=np.int64))
    return Lines(pa.table({"line_no": numbers, "line": lines}), complete)
