"""Fixed-width fields: the quick path for ASCII fields without spaces is exactly ``trim``."""

from __future__ import annotations

import duckdb
from hypothesis import given
from hypothesis import strategies as st

from flis.ingest.formats.fixedwidth import _field

# Spaces of several kinds, ASCII, Danish letters and other Unicode, as CPR-like fields hold.
chars = st.sampled_from(
    [" ", "\u00a0", "\u3000", "\t", "a", "Z", "0", "9", "-", "æ", "Ø", "å", "€"]
)


@given(st.lists(st.text(chars, min_size=1, max_size=8), min_size=1, max_size=30))
def test_quick_field_value_equals_nullif_trim(values: list[str]) -> None:
    conn = duckdb.connect()
    conn.execute("CREATE TABLE t (v VARCHAR, w INTEGER)")
    conn.executemany("INSERT INTO t VALUES (?, ?)", [[v, len(v)] for v in values])
    for width in sorted({len(v) for v in values}):
        got = conn.execute(
            f"SELECT {_field('v', width)} IS NOT DISTINCT FROM NULLIF(trim(v), '') FROM t "
            "WHERE w = ?",
            [width],
        ).fetchall()
        assert all(row[0] for row in got)
