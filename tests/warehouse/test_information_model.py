"""Every table and column of the information model is described in the generated document."""

from __future__ import annotations

from flis.warehouse.docs import live_schema, render


def test_every_table_and_column_is_documented() -> None:
    text = render()
    for table, columns in live_schema().items():
        assert f"## `{table}`" in text
        for column, _ in columns:
            assert f"| `{column}` |" in text


def test_every_area_has_its_schema() -> None:
    schemas = {t.split(".")[0] for t in live_schema()}
    assert {"economy", "citizens", "staff", "school", "central", "dim", "ingest"} <= schemas
