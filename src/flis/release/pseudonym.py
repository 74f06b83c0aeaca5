"""Pseudonymous person ids for detail datasets: keyed per municipality, stable across releases.

The municipality key is ``HMAC-SHA256(FLIS_PSEUDONYM_KEY, "municipality:<code>")``; a person's
pseudonym is the first 16 hex digits of ``HMAC-SHA256(municipality key, person key)``. The same
person gets the same pseudonym in every release for one municipality and unrelated pseudonyms in
two municipalities' detail datasets, so the datasets cannot be joined across municipalities.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

import pyarrow as pa

from flis.settings import Settings

#: Hex digits kept (64 bits: collisions among a municipality's persons are negligible).
LENGTH = 16


def municipality_key(master: bytes, municipality: int) -> bytes:
    """The key of one municipality's pseudonyms."""
    return hmac.new(master, f"municipality:{municipality}".encode(), hashlib.sha256).digest()


def pseudonym(key: bytes, person_key: int) -> str:
    """One person's pseudonym under a municipality key (reference implementation)."""
    return hmac.new(key, str(person_key).encode(), hashlib.sha256).hexdigest()[:LENGTH]


def pseudonyms(key: bytes, person_keys: Iterable[int]) -> dict[int, str]:
    """Pseudonyms of many person keys (each distinct key hashed once)."""
    return {p: pseudonym(key, p) for p in set(person_keys)}


def pseudonymise(table: pa.Table, *, settings: Settings, municipality: int) -> pa.Table:
    """Replace the ``person_key`` column by ``person_id`` (the municipality's pseudonym)."""
    if "person_key" not in table.column_names:
        return table
    master = settings.pseudonym_key.get_secret_value().encode()
    key = municipality_key(master, municipality)
    keys = table.column("person_key").to_pylist()
    mapping = pseudonyms(key, [k for k in keys if k is not None])
    ids = pa.array([mapping[k] if k is not None else None for k in keys], pa.string())
    index = table.column_names.index("person_key")
    return table.set_column(index, "person_id", ids)
