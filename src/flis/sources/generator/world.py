"""The synthetic world's fixed frame: arguments, municipalities, hidden traits and random streams.

Every random draw in the generator comes from :meth:`World.rng`, a stream keyed by a name and
integers (for example a month index), so that the same arguments give byte-identical files and
one part of the generator can change without shifting the draws of another.

The simulation is always national (all 98 municipalities); ``--municipalities`` only selects
which files are written. A subset run therefore writes exactly the same files as a full run.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from flis.reference import municipalities

#: DST municipality group (1 capital … 5 rural) → mean urbanity on a 0–1 scale.
_URBANITY_BY_DST_GROUP = {1: 0.9, 2: 0.85, 3: 0.6, 4: 0.4, 5: 0.2}


@dataclass(frozen=True)
class World:
    """Arguments of one generator run and the municipality frame derived from them."""

    seed: int
    scale: float
    months: tuple[str, ...]
    selected: tuple[int, ...]  # municipality codes whose files are written
    faults: str = "none"
    _cache: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def rng(self, name: str, *keys: int) -> np.random.Generator:
        """An independent, reproducible random stream for ``name`` and ``keys``."""
        digest = hashlib.sha256(name.encode()).digest()
        entropy = [self.seed, int.from_bytes(digest[:8], "little"), *keys]
        return np.random.default_rng(np.random.SeedSequence(entropy))

    @cached_property
    def codes(self) -> np.ndarray:
        """All 98 municipality codes in ascending order (int64)."""
        return np.array([m.code for m in municipalities()], dtype=np.int64)

    @cached_property
    def population_target(self) -> np.ndarray:
        """Residents per municipality at this scale (at least 1)."""
        pop = np.array([m.population for m in municipalities()], dtype=np.float64)
        return np.maximum(1, np.rint(pop * self.scale)).astype(np.int64)

    @cached_property
    def traits(self) -> dict[str, np.ndarray]:
        """Hidden structural traits per municipality, aligned with :attr:`codes`.

        ``urbanity`` (0–1), ``socio`` (socio-economic level, mean 0, sd 1) and ``size``
        (standardised log population). Measures in every source follow these with noise, so
        that benchmarks and similarity groups mean something.
        """
        rng = self.rng("traits")
        groups = np.array([m.dst_group_code for m in municipalities()])
        pop = np.array([m.population for m in municipalities()], dtype=np.float64)
        urbanity = np.clip(
            np.array([_URBANITY_BY_DST_GROUP[g] for g in groups]) + rng.normal(0, 0.08, 98), 0, 1
        )
        socio = np.clip(
            0.6 * (urbanity - urbanity.mean()) / urbanity.std() + rng.normal(0, 0.8, 98), -2.5, 2.5
        )
        log_pop = np.log(pop)
        size = (log_pop - log_pop.mean()) / log_pop.std()
        return {"urbanity": urbanity, "socio": socio, "size": size}

    @staticmethod
    def all_codes() -> list[int]:
        """The 98 municipality codes in ascending order."""
        return [m.code for m in municipalities()]

    def index_of(self, code: int) -> int:
        return int(np.searchsorted(self.codes, code))
