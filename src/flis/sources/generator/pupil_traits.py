"""Stable per-pupil traits: salted hash draws of the person id, so a child keeps them."""

from __future__ import annotations

import numpy as np

from flis.sources.generator.hashing import hash_normal, hash_uniform
from flis.sources.generator.world import World

# fmt: off
#: Stable per-pupil traits, each drawn from its own salted hash of the person id.
_TRAITS = (
    "late", "private", "segregated", "kind", "choice", "tenth", "ability", "absence", "order",
    "reception", "centre", "special", "school", "draw",
)
# fmt: on


class PupilTraits:
    """One salt per trait, drawn once per run from the ``school.salts`` stream."""

    def __init__(self, world: World) -> None:
        salts = world.rng("school.salts").integers(0, 2**62, size=len(_TRAITS))
        self.salt = {name: int(salt) for name, salt in zip(_TRAITS, salts, strict=True)}

    def uniform(self, pid: np.ndarray, name: str) -> np.ndarray:
        """The trait ``name`` as a uniform in [0, 1) per person id."""
        return hash_uniform(pid, self.salt[name])

    def normal(self, pid: np.ndarray, name: str) -> np.ndarray:
        """The trait ``name`` as a standard-normal draw per person id."""
        return hash_normal(pid, self.salt[name])
