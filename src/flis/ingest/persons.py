"""New persons of a batch for ``dim.person``, found with one probe of the dimension per batch.

A person enters ``dim.person`` with the first delivery (in commit order) that loads it, with
that delivery's attributes (from the person source listed first in the mapping). Probing the
whole dimension once per delivery made the cost grow with the warehouse; instead the persons
of every delivery of the batch that loads (``loaded_files``, superseded-in-the-batch ones
included: they did load) that the dimension lacks are found by one aggregate and inserted by
one statement.
"""

from __future__ import annotations

import duckdb

from flis.ingest.mappings import Mapping
from flis.ingest.mappings.base import LOADED_FILES
from flis.ingest.sql import ident


def _typed(record_type: str) -> str:
    return ident(f"typed_{record_type}")


def insert_persons(conn: duckdb.DuckDBPyConnection, *, mapping: Mapping) -> None:
    """Insert the persons of the batch's loading deliveries that are not in ``dim.person``.

    One row per person: the earliest delivery (commit order) that has it and that delivery's
    attributes, found by one aggregate ordered on (commit order, person source).
    """
    order = len(mapping.persons)
    parts = [
        f"SELECT {ident(p.cpr_field + '__key')} AS person_key, "
        f"{ident(p.birth_date or p.cpr_field + '__birth')} AS birth_date, "
        f"{ident(p.sex or p.cpr_field + '__sex')} AS sex, "
        f"l._order * {order} + {i} AS rank, l._delivery_id AS delivery_id "
        f"FROM {_typed(p.record_type)} r JOIN {LOADED_FILES} l USING (file_id)"
        for i, p in enumerate(mapping.persons)
    ]
    conn.execute(
        f"INSERT INTO dim.person WITH n AS ({' UNION ALL '.join(parts)}) "
        "SELECT person_key, arg_min(birth_date, rank), arg_min(sex, rank), "
        "arg_min(delivery_id, rank) FROM n WHERE NOT EXISTS "
        "(SELECT 1 FROM dim.person p WHERE p.person_key = n.person_key) "
        "GROUP BY person_key"
    )
