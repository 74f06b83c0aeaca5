"""The deliveries a release is built from, as its manifest records them."""

from __future__ import annotations

import duckdb

from flis.release.manifest import InputDelivery

_SQL = """
SELECT delivery_id, file_name, sha256, strftime(received_at, '%Y-%m-%dT%H:%M:%S.%f'), status,
       contract, municipality_code, month
FROM ingest.delivery ORDER BY delivery_id
"""


def input_deliveries(conn: duckdb.DuckDBPyConnection) -> list[InputDelivery]:
    """Every delivery in the registry, in the order it was received (rejected ones included:
    they decide statuses such as ``rejected_delivery``)."""
    return [
        InputDelivery(
            delivery_id=int(r[0]),
            file_name=str(r[1]),
            sha256=str(r[2]),
            received_at=str(r[3]),
            status=str(r[4]),
            contract=r[5],
            municipality_code=None if r[6] is None else int(r[6]),
            month=r[7],
        )
        for r in conn.execute(_SQL).fetchall()
    ]


def latest_period(conn: duckdb.DuckDBPyConnection) -> str | None:
    """The latest month with an accepted delivery."""
    row = conn.execute(
        "SELECT max(month) FROM ingest.delivery "
        "WHERE status IN ('accepted', 'accepted-with-quarantine')"
    ).fetchone()
    return None if row is None or row[0] is None else str(row[0])
