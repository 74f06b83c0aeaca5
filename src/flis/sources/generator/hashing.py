"""Deterministic hash draws: stable pseudo-random numbers per key, without a random stream.

All are the splitmix64 output function on a 64-bit state. The three ways of forming the state
from key and salt differ only for historical reasons; each one's output fixes published test
worlds, so they are kept apart rather than merged.
"""

from __future__ import annotations

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _splitmix_uniform(x: np.ndarray) -> np.ndarray:
    """Uniform in [0, 1) from the splitmix64 output function of a uint64 state."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def keyed_uniform(key: np.ndarray, salt: int) -> np.ndarray:
    """A fixed uniform in [0, 1) per key and salt (state ``key * golden + salt``)."""
    return _splitmix_uniform(key.astype(np.uint64) * _GOLDEN + np.uint64(salt))


def hash_uniform(ids: np.ndarray, salt: int) -> np.ndarray:
    """A stable uniform in [0, 1) per id (state ``(id + salt) * golden``), for persistent traits."""
    return _splitmix_uniform((ids.astype(np.uint64) + np.uint64(salt)) * _GOLDEN)


def hash_normal(ids: np.ndarray, salt: int) -> np.ndarray:
    """A stable standard-normal draw per id (Box–Muller on two hash uniforms)."""
    u1 = np.maximum(hash_uniform(ids, salt), 1e-12)
    u2 = hash_uniform(ids, salt ^ 0x5DEECE66D)
    result: np.ndarray = np.sqrt(-2 * np.log(u1)) * np.cos(2 * np.pi * u2)
    return result


def unsalted_uniform(key: np.ndarray) -> np.ndarray:
    """A fixed uniform in [0, 1) per key (state ``key + golden``), for stable rounding."""
    return _splitmix_uniform(key.astype(np.uint64) + _GOLDEN)
