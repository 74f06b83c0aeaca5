"""Subscriptions: which datasets, in which formats, a municipality receives on each release."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from flis.errors import NotFoundError, UsageError
from flis.reference.municipalities import municipality as find_municipality

#: The release levels a municipality can subscribe to (stable ids).
DATASETS = ("benchmark", "institutions", "detail")
#: Export formats, in the order they are stored and written.
FORMATS = ("parquet", "csv", "xlsx")


@dataclass(frozen=True)
class Subscription:
    """A municipality's standing order for one dataset in one or more formats."""

    municipality: int
    dataset: str
    formats: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "municipality": self.municipality,
            "dataset": self.dataset,
            "formats": list(self.formats),
        }


def checked(*, municipality: int, dataset: str, formats: Sequence[str]) -> Subscription:
    """A valid subscription, or a UsageError/NotFoundError saying what is wrong."""
    code = find_municipality(municipality).code
    if dataset not in DATASETS:
        raise UsageError(
            f"unknown dataset '{dataset}'",
            hint=f"use one of {', '.join(DATASETS)}",
            message_da=f"ukendt datasæt '{dataset}'",
            hint_da=f"brug et af {', '.join(DATASETS)}",
        )
    wanted = {f.strip().lower() for f in formats if f.strip()}
    unknown = sorted(wanted - set(FORMATS))
    if unknown or not wanted:
        raise UsageError(
            f"unknown format(s) {', '.join(unknown) or '(none given)'}",
            hint=f"use one or more of {', '.join(FORMATS)}, e.g. --format parquet,csv",
            message_da=f"ukendt(e) format(er) {', '.join(unknown) or '(intet angivet)'}",
            hint_da=f"brug et eller flere af {', '.join(FORMATS)}, fx --format parquet,csv",
        )
    return Subscription(code, dataset, tuple(f for f in FORMATS if f in wanted))


def add(
    conn: duckdb.DuckDBPyConnection, *, municipality: int, dataset: str, formats: Sequence[str]
) -> Subscription:
    """Subscribe (or change the formats of) ``municipality`` to ``dataset``.

    Args:
        conn: The warehouse.
        municipality: The subscriber; a ``detail`` subscription always means its own rows.
        dataset: ``benchmark``, ``institutions`` or ``detail``.
        formats: Any of ``parquet``, ``csv``, ``xlsx``.

    Returns:
        The stored subscription, formats in canonical order.

    Raises:
        NotFoundError: Unknown municipality.
        UsageError: Unknown dataset or format.
    """
    sub = checked(municipality=municipality, dataset=dataset, formats=formats)
    conn.execute(
        "INSERT OR REPLACE INTO release.subscription VALUES (?, ?, ?, now()::TIMESTAMP)",
        [sub.municipality, sub.dataset, ",".join(sub.formats)],
    )
    return sub


def remove(conn: duckdb.DuckDBPyConnection, *, municipality: int, dataset: str) -> None:
    """Stop a subscription; NotFoundError names it when there is none."""
    code = find_municipality(municipality).code
    found = conn.execute(
        "DELETE FROM release.subscription WHERE municipality_code = ? AND dataset = ? "
        "RETURNING dataset",
        [code, dataset],
    ).fetchall()
    if not found:
        raise NotFoundError(
            f"municipality {code} has no subscription to '{dataset}'",
            hint="`flis subscriptions list --municipality <code>` shows what it has",
            message_da=f"kommune {code} har intet abonnement på '{dataset}'",
            hint_da="`flis subscriptions list --municipality <kode>` viser kommunens abonnementer",
        )


def listing(
    conn: duckdb.DuckDBPyConnection, *, municipality: int | None = None
) -> list[Subscription]:
    """All subscriptions (or one municipality's), each re-validated, by municipality and dataset."""
    code = None if municipality is None else find_municipality(municipality).code
    rows = conn.execute(
        "SELECT municipality_code, dataset, formats FROM release.subscription "
        "WHERE ? IS NULL OR municipality_code = ? ORDER BY municipality_code, dataset",
        [code, code],
    ).fetchall()
    return [checked(municipality=m, dataset=d, formats=f.split(",")) for m, d, f in rows]
