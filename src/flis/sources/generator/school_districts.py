"""School districts: the folkeskole whose catchment holds each resident's hidden address."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from flis.sources.generator.days import age_at
from flis.sources.generator.world import World


class SchoolDistricts:
    """Catchments of the registered district schools, as cumulative shares per municipality."""

    def __init__(self, world: World) -> None:
        self.world = world
        self._key: np.ndarray | None = None
        self._instnr: np.ndarray = np.array([], dtype=object)

    def register(self, districts: pa.Table) -> None:
        """Register district schools: columns kommune, instnr and catchment share per kommune."""
        kommune = districts.column("kommune").to_numpy()
        share = districts.column("catchment").to_numpy()
        order = np.lexsort((np.arange(len(kommune)), kommune))
        kidx = np.searchsorted(self.world.codes, kommune[order])
        upper = np.zeros(len(order))
        for k in np.unique(kidx):
            rows = kidx == k
            cum = np.cumsum(share[order][rows])
            upper[rows] = cum / cum[-1]
        self._key = kidx + np.minimum(upper, 0.999999)
        self._instnr = np.asarray(districts.column("instnr").to_pylist(), dtype=object)[order]

    def of(self, state: dict[str, np.ndarray], day: int) -> pa.Array:
        """District school instnr for children aged 5–16 on ``day``, else null."""
        n = len(state["person_id"])
        if self._key is None:
            return pa.nulls(n, pa.string())
        age = age_at(state["birth"], day)
        child = (age >= 5) & (age <= 16)
        key = state["kommune_idx"] + state["address"]
        pos = np.searchsorted(self._key, key, side="left")
        pos = np.minimum(pos, len(self._key) - 1)
        # a municipality without a registered school leaves its children without a district
        valid = child & (np.floor(self._key[pos]) == state["kommune_idx"])
        return pa.array(self._instnr[pos], pa.string(), mask=~valid)
