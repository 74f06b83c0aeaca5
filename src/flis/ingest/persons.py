"""New persons of a batch for ``dim.person``, found with one probe of the dimension per batch.

A person enters ``dim.person`` with the first delivery (in commit order) that loads it, with
that delivery's attributes. Probing the whole dimension once per delivery made the cost grow
with the warehouse; instead the batch's persons not yet in the dimension are staged once in
the temporary table ``batch_persons`` with the first file that has them (``first_file``), and
each delivery inserts its own rows in its transaction. An accepted file that ends up not being
loaded (a duplicate or an older sequence) hands its persons on to the next file by staging
again without it: persons already inserted by this batch are then in the dimension.
"""

from __future__ import annotations

import duckdb

from flis.ingest.mappings import Mapping
from flis.ingest.sql import ident


def _typed(record_type: str) -> str:
    return ident(f"typed_{record_type}")


def stage_persons(
    conn: duckdb.DuckDBPyConnection, *, mapping: Mapping, file_ids: list[int]
) -> None:
    """Stage the persons of ``file_ids`` (the files that may load) not yet in ``dim.person``.

    One row per person: the first file that has it and that file's attributes (from the
    person source listed first in the mapping), found by one aggregate ordered on
    (file, source).
    """
    ids = ", ".join(str(int(i)) for i in file_ids) or "NULL"
    order = len(mapping.persons)
    parts = [
        f"SELECT {ident(p.cpr_field + '__key')} AS person_key, file_id, "
        f"{ident(p.birth_date or p.cpr_field + '__birth')} AS birth_date, "
        f"{ident(p.sex or p.cpr_field + '__sex')} AS sex, file_id * {order} + {i} AS rank "
        f"FROM {_typed(p.record_type)} WHERE file_id IN ({ids})"
        for i, p in enumerate(mapping.persons)
    ]
    conn.execute(
        f"CREATE OR REPLACE TEMP TABLE batch_persons AS WITH n AS ({' UNION ALL '.join(parts)}) "
        "SELECT person_key, min(file_id) AS first_file, arg_min(birth_date, rank) AS birth_date, "
        "arg_min(sex, rank) AS sex FROM n WHERE NOT EXISTS "
        "(SELECT 1 FROM dim.person p WHERE p.person_key = n.person_key) "
        "GROUP BY person_key ORDER BY first_file"
    )


def insert_persons(conn: duckdb.DuckDBPyConnection, *, file_id: int, delivery_id: int) -> None:
    """Insert the staged persons that enter ``dim.person`` with this delivery."""
    conn.execute(
        "INSERT INTO dim.person SELECT person_key, birth_date, sex, $1 FROM batch_persons "
        "WHERE first_file = $2",
        [delivery_id, file_id],
    )
