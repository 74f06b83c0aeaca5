"""Benchmarking over a published release: the API's answer, with disclosure control kept.

The computation is ``flis.keyfigures.benchmark.benchmark``; this source feeds it the release's
benchmark rows instead of the warehouse's. Suppressed cells arrive as nulls with their flag, so
neither the value nor a numerator or denominator that reveals it can leave (docs/benchmarking.md).
"""

from __future__ import annotations

from typing import Any

import duckdb

from flis.keyfigures.benchmark import Row, Slice, Stored, UnknownPeriod
from flis.keyfigures.groups import Group, get_group, group_id_for
from flis.keyfigures.model import KeyFigure
from flis.published.release_data import PublishedRelease


class ReleaseSource:
    """A release's ``values`` and ``groups`` as a benchmark source.

    Every number comes from the release, and so does the membership of the groups it publishes
    (``group_members``): a later ``flis groups build`` does not put other members and ranks next
    to the release's group values. User groups, which no release publishes, and every group of a
    release built before releases published membership are read from the warehouse (``conn``).
    """

    def __init__(self, release: PublishedRelease, conn: duckdb.DuckDBPyConnection) -> None:
        self.release = release
        self.conn = conn
        self.release_id: str | None = release.release_id

    def read_slice(
        self, kf: KeyFigure, *, period: str, previous: str, code: int, group_ids: tuple[str, ...]
    ) -> Slice:
        if (kf.id, period) not in self.release.index:
            raise UnknownPeriod(kf.id, period, *self._available(kf.id))
        rows: dict[int, Row] = {}
        stored: dict[str, Stored] = {}
        for r in self._rows(kf.id, period):
            if r["kind"] == "municipality":
                rows[int(r["area_id"])] = _row(r)
            elif r["area_id"] == "nation" or r["area_id"] in group_ids:
                stored[r["area_id"]] = Stored(
                    r["value"], r["numerator"], r["denominator"], r["members"] or 0, r["suppressed"]
                )
        before = next(
            (_row(r) for r in self._rows(kf.id, previous) if r["area_id"] == str(code)), None
        )
        return Slice(rows, before, stored)

    def group(self, group_id: str) -> Group:
        published = self.release.groups or {}
        found = published.get(group_id_for(group_id))
        return found if found is not None else get_group(self.conn, group_id)

    def _rows(self, keyfigure: str, period: str) -> list[dict[str, Any]]:
        span = self.release.index.get((keyfigure, period))
        return self.release.values.slice(*span).to_pylist() if span else []

    def _available(self, keyfigure: str) -> tuple[str, str]:
        """Which periods the release publishes, in English and Danish."""
        periods = sorted(p for k, p in self.release.index if k == keyfigure)
        rid = self.release.release_id
        if not periods:
            return (
                f"release {rid} publishes no values of this key figure",
                f"udgivelse {rid} indeholder ingen værdier af dette nøgletal",
            )
        return (
            f"release {rid} publishes {periods[0]} to {periods[-1]}; later periods are not "
            "released yet, older releases are read with as_of=<release id>",
            f"udgivelse {rid} indeholder {periods[0]} til {periods[-1]}; senere perioder er ikke "
            "udgivet endnu, ældre udgivelser læses med as_of=<udgivelsens id>",
        )


def _row(r: dict[str, Any]) -> Row:
    return Row(
        r["value"],
        r["numerator"],
        r["denominator"],
        None,  # the release publishes no person counts
        str(r["data_status"] or "ok"),
        str(r["suppressed"]) if r["suppressed"] else None,
    )
