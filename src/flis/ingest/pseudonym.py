"""Person keys: a keyed hash of the CPR number, made at ingest so raw CPR numbers never reach
the warehouse.

The key comes from settings (``FLIS_PERSON_KEY``); the built-in demo key is refused unless demo
mode is on (see :class:`flis.settings.Settings`). The person key is the first 60 bits of the
keyed hash as a positive BIGINT, shared by all areas so that they can be linked.

Two schemes exist; a warehouse records the one that made its keys (``ingest.person_key_scheme``)
and keeps it, because keys of two schemes for one person would never link:

- ``aes-cmac`` (new warehouses): AES-CMAC (NIST SP 800-38B, RFC 4493) with AES-256 under a key
  derived from ``FLIS_PERSON_KEY`` (HMAC-SHA256 of it with a fixed label). A CPR number is one
  incomplete block, so its CMAC is one AES encryption of the padded number XOR the subkey K2:
  :class:`CmacKeys` does that for a whole Arrow array in one ECB call (OpenSSL, AES-NI), about
  0.4 s for six million numbers, and keys only values of ten ASCII digits. Ingest applies it to
  the CPR characters of fixed-width and delimited lines while reading them, and from SQL as the
  vectorised function ``flis_person_key`` (registered on its connection) for JSON Lines.
- ``hmac-sha256`` (warehouses keyed before December 2026): HMAC-SHA256, computed in SQL from
  ``sha256`` and ``unhex`` (four SHA-256 compressions per value, about 13 CPU-seconds for six
  million numbers).

:func:`person_key` is the reference implementation of both, written independently of the
vectorised and SQL forms so tests can compare them.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import duckdb
import numpy as np
import pyarrow as pa

from flis.errors import FlisError
from flis.ingest.arrays import int64_array
from flis.ingest.sql import ident
from flis.settings import Settings

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers import CipherContext

Scheme = Literal["aes-cmac", "hmac-sha256"]
#: The scheme a warehouse without person keys gets.
DEFAULT_SCHEME: Scheme = "aes-cmac"
#: The scheme of warehouses whose keys were made before schemes were recorded.
LEGACY_SCHEME: Scheme = "hmac-sha256"
SCHEMES: tuple[Scheme, ...] = ("aes-cmac", "hmac-sha256")

#: Name of the vectorised SQL function (aes-cmac) registered on an ingest connection.
FUNCTION = "flis_person_key"
#: Name of the temporary one-row table holding the HMAC pads (hmac-sha256; never persisted).
PAD_TABLE = "person_key_pads"

_BLOCK = 64
_AES_LABEL = b"flis person key aes-cmac v1"
_KEY_BITS = 60
_MAX_CMAC_BYTES = 16  # one block: every tag made here is a one-block CMAC
#: A CPR number's length; only values of ten ASCII digits get a person key.
CPR_LENGTH = 10
_ZERO, _NINE = np.uint8(ord("0")), np.uint8(ord("9"))


def aes_key(secret: str) -> bytes:
    """The AES-256 key derived from the configured person key."""
    return hmac.new(secret.encode("utf-8"), _AES_LABEL, hashlib.sha256).digest()


def _hmac_pads(key: bytes) -> tuple[bytes, bytes]:
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def person_key(cpr: str, secret: str, scheme: Scheme = DEFAULT_SCHEME) -> int:
    """The person key of one CPR number (reference implementation of both schemes)."""
    message = cpr.encode("utf-8")
    if scheme == "hmac-sha256":
        digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()
    else:
        from cryptography.hazmat.primitives.ciphers import algorithms
        from cryptography.hazmat.primitives.cmac import CMAC

        mac = CMAC(algorithms.AES(aes_key(secret)))
        mac.update(message)
        digest = mac.finalize()
    return int.from_bytes(digest[:8], "big") >> (64 - _KEY_BITS)


def _double(block: int) -> int:
    """Multiplication by x in GF(2^128), as CMAC derives its subkeys."""
    block <<= 1
    if block >> 128:
        block = (block & ((1 << 128) - 1)) ^ 0x87
    return block


@dataclass(frozen=True)
class _Subkeys:
    k1: np.ndarray  # uint8[16]
    k2: np.ndarray


class CmacKeys:
    """AES-CMAC person keys for whole Arrow arrays (thread-safe; one cipher per thread).

    ``key`` is the AES key itself (16, 24 or 32 bytes); :meth:`from_secret` derives it from the
    configured person key.
    """

    def __init__(self, key: bytes) -> None:
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        self._cipher = Cipher(algorithms.AES(key), modes.ECB())
        encryptor = self._cipher.encryptor()
        zero = int.from_bytes(encryptor.update(bytes(16)), "big")
        k1 = _double(zero)
        k2 = _double(k1)
        self._subkeys = _Subkeys(
            np.frombuffer(k1.to_bytes(16, "big"), np.uint8).copy(),
            np.frombuffer(k2.to_bytes(16, "big"), np.uint8).copy(),
        )
        self._local = threading.local()

    @classmethod
    def from_secret(cls, secret: str) -> CmacKeys:
        return cls(aes_key(secret))

    def tags(self, values: pa.Array | pa.ChunkedArray) -> np.ndarray:
        """The full 16-byte CMAC tag of every value (rows of a uint8 array; zeros if unkeyed)."""
        strings = _Strings.of(values)
        if strings.n == 0:
            return np.zeros((0, 16), np.uint8)
        cipher_text = self._encryptor().update(self._blocks(strings).data)
        tags = np.frombuffer(cipher_text, np.uint8).reshape(-1, 16).copy()
        tags[~strings.keyed] = 0
        return tags

    def _encryptor(self) -> CipherContext:
        enc: CipherContext | None = getattr(self._local, "encryptor", None)
        if enc is None:
            enc = self._local.encryptor = self._cipher.encryptor()
        return enc

    def __call__(self, values: pa.Array | pa.ChunkedArray) -> pa.Array:
        """The person key of every value shaped like a CPR number (ten ASCII digits), NULL for
        any other value: the malformed-cpr rule quarantines those, so no key of theirs is ever
        loaded, and a field's key can be taken from its characters before they are trimmed."""
        strings = _Strings.of(values)
        if strings.n == 0:
            return int64_array(np.zeros(0, np.int64))
        blocks = self._blocks(strings)
        digits = blocks[:, :CPR_LENGTH] ^ self._subkeys.k2[:CPR_LENGTH]  # the bytes again
        keyed = (
            strings.keyed
            & (strings.lengths == CPR_LENGTH)
            & ((digits >= _ZERO) & (digits <= _NINE)).all(axis=1)
        )
        cipher_text = self._encryptor().update(blocks.data)
        first = np.frombuffer(cipher_text, np.dtype(">u8"))[::2]  # first 8 bytes of each tag
        keys = (first >> np.uint64(64 - _KEY_BITS)).astype(np.int64)
        validity = None if keyed.all() else pa.py_buffer(np.packbits(keyed, bitorder="little"))
        return pa.Array.from_buffers(pa.int64(), strings.n, [validity, pa.py_buffer(keys)])

    def _blocks(self, strings: _Strings) -> np.ndarray:
        """The last (only) CMAC block of every value: padded and XORed with its subkey.

        Consecutive values of one length lie back to back in an Arrow array, so a run of them is
        one reshape of the bytes (a column of CPR numbers is one run); only the values around
        runs are gathered byte by byte.
        """
        n, offsets, data, lengths, keyed = (
            strings.n,
            strings.offsets,
            strings.data,
            strings.lengths,
            strings.keyed,
        )
        blocks = np.zeros((n, 16), np.uint8)
        common = int(np.bincount(lengths[keyed]).argmax()) if keyed.any() else 0
        in_run = keyed & (lengths == common)
        runs = np.flatnonzero(np.diff(np.concatenate(([0], in_run.view(np.int8), [0]))))
        if 0 < common < 16 and len(runs) <= 2 * _MAX_RUNS:
            for a, b in zip(runs[::2], runs[1::2], strict=True):
                start = int(offsets[a])
                blocks[a:b, :common] = data[start : start + common * (b - a)].reshape(-1, common)
            rest = np.flatnonzero(keyed & ~in_run)
        else:
            rest = np.flatnonzero(keyed & (lengths > 0))
        if len(rest):
            columns = np.arange(16)
            inside = columns < lengths[rest, None]
            index = np.where(inside, offsets[rest, None] + columns, 0)
            blocks[rest] = np.where(inside, data[index], 0)
        short = np.flatnonzero(keyed & (lengths < 16))
        blocks[short, lengths[short]] = 0x80
        blocks ^= self._subkeys.k2  # the padded last block; a complete one takes K1 instead
        full = keyed & (lengths == 16)
        if full.any():
            blocks[full] ^= self._subkeys.k1 ^ self._subkeys.k2
        return blocks


#: Most runs of equal-length values reshaped one by one; beyond, every value is gathered.
_MAX_RUNS = 1000


@dataclass(frozen=True)
class _Strings:
    """A string or binary array as numpy views: offsets, bytes, lengths, which get a key."""

    n: int
    offsets: np.ndarray
    data: np.ndarray
    lengths: np.ndarray
    keyed: np.ndarray  # not NULL and at most one block long

    @classmethod
    def of(cls, values: pa.Array | pa.ChunkedArray) -> _Strings:
        array = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
        if array.type not in (pa.string(), pa.binary()):
            array = array.cast(pa.string())
        n = len(array)
        validity, offsets_buf, data_buf = array.buffers()
        if n == 0 or offsets_buf is None:
            empty = np.zeros(0, np.int64)
            return cls(0, empty, np.zeros(1, np.uint8), empty, np.zeros(0, bool))
        offsets = np.frombuffer(offsets_buf, np.int32, n + 1, array.offset * 4)
        data = np.frombuffer(data_buf, np.uint8) if data_buf is not None else np.zeros(1, np.uint8)
        lengths = np.diff(offsets)
        keyed = lengths <= _MAX_CMAC_BYTES
        if array.null_count and validity is not None:  # the bitmap itself (to_numpy: pandas)
            bits = np.unpackbits(np.frombuffer(validity, np.uint8), bitorder="little")
            keyed &= bits[array.offset : array.offset + n].astype(bool)
        return cls(n, offsets, data, lengths, keyed)


@dataclass
class PersonKeys:
    """How one ingest run turns CPR numbers into person keys, by the warehouse's scheme."""

    scheme: Scheme
    _cmac: CmacKeys | None = field(default=None, repr=False)

    @property
    def vectorised(self) -> bool:
        """Whether keys can be computed outside SQL (:meth:`of`) once installed."""
        return self._cmac is not None

    def install(self, conn: duckdb.DuckDBPyConnection, settings: Settings) -> None:
        """Make :meth:`sql` work on ``conn`` (a function or a pad table, never persisted)."""
        secret = settings.person_key.get_secret_value()
        if self.scheme == "aes-cmac":
            self._cmac = CmacKeys.from_secret(secret)
            with contextlib.suppress(duckdb.InvalidInputException):
                conn.remove_function(FUNCTION)  # registered by an earlier install
            conn.create_function(  # type: ignore[call-overload]
                FUNCTION,
                self._cmac,
                ["VARCHAR"],
                "BIGINT",
                type="arrow",
                null_handling="special",
                side_effects=False,
            )
        else:
            inner, outer = _hmac_pads(secret.encode("utf-8"))
            conn.execute(f"CREATE OR REPLACE TEMP TABLE {PAD_TABLE} (ipad BLOB, opad BLOB)")
            conn.execute(f"INSERT INTO {PAD_TABLE} VALUES (?, ?)", [inner, outer])

    def of(self, values: pa.Array | pa.ChunkedArray) -> pa.Array:
        """The person keys of ``values`` computed in Python (only when :attr:`vectorised`)."""
        if self._cmac is None:
            raise RuntimeError(f"person keys of scheme {self.scheme} are computed in SQL")
        return self._cmac(values)

    def sql(self, column: str) -> str:
        """SQL for the person key of CPR column ``column``."""
        if self.scheme == "aes-cmac":
            return f"{FUNCTION}({ident(column)})"
        pads = f"(SELECT ipad FROM {PAD_TABLE})", f"(SELECT opad FROM {PAD_TABLE})"
        inner = f"unhex(sha256({pads[0]} || encode({ident(column)})))"
        return f"CAST('0x' || substr(sha256({pads[1]} || {inner}), 1, 15) AS BIGINT)"


def recorded_scheme(conn: duckdb.DuckDBPyConnection) -> Scheme | None:
    """The scheme recorded for this warehouse's person keys, if any."""
    rows = conn.execute("SELECT scheme FROM ingest.person_key_scheme").fetchall()
    if not rows:
        return None
    scheme = rows[0][0]
    for known in SCHEMES:
        if scheme == known:
            return known
    raise FlisError(
        f"the warehouse's person keys were made with an unknown scheme '{scheme}'",
        hint=f"this flis knows {', '.join(SCHEMES)}; use the flis version that made them",
        message_da=f"lagerets personnøgler er lavet med en ukendt metode '{scheme}'",
        hint_da=f"denne flis kender {', '.join(SCHEMES)}; brug den flis-version der lavede dem",
    )


def warehouse_keys(conn: duckdb.DuckDBPyConnection) -> PersonKeys:
    """The person keys of this warehouse: its recorded scheme, or the default (recorded now)."""
    scheme = recorded_scheme(conn)
    if scheme is None:
        scheme = DEFAULT_SCHEME
        record_scheme(conn, scheme)
    return PersonKeys(scheme)


def record_scheme(conn: duckdb.DuckDBPyConnection, scheme: Scheme) -> None:
    """Record ``scheme`` for a warehouse that has none yet (e.g. a verify rebuild)."""
    conn.execute(
        "INSERT INTO ingest.person_key_scheme SELECT ?, current_timestamp "
        "WHERE NOT EXISTS (SELECT 1 FROM ingest.person_key_scheme)",
        [scheme],
    )


def birth_date_sql(v: str) -> str:
    """Birth date from CPR number expression ``v`` (century from the 7th digit, as CPR does)."""
    yy = f"CAST(substr({v}, 5, 2) AS INTEGER)"
    d7 = f"CAST(substr({v}, 7, 1) AS INTEGER)"
    century = (
        f"CASE WHEN {d7} <= 3 THEN 1900 WHEN {d7} IN (4, 9) THEN "
        f"CASE WHEN {yy} <= 36 THEN 2000 ELSE 1900 END "
        f"ELSE CASE WHEN {yy} <= 57 THEN 2000 ELSE 1800 END END"
    )
    return (
        f"make_date({century} + {yy}, CAST(substr({v}, 3, 2) AS INTEGER), "
        f"CAST(substr({v}, 1, 2) AS INTEGER))"
    )


def sex_sql(v: str) -> str:
    """Sex from CPR number expression ``v``: odd last digit M, even K."""
    return f"CASE WHEN CAST(substr({v}, 10, 1) AS INTEGER) % 2 = 1 THEN 'M' ELSE 'K' END"


def derived_person_columns(column: str, row: str = "r") -> str:
    """``<cpr>__birth`` and ``<cpr>__sex`` derived from CPR column ``column`` of alias ``row``.

    Only from a well-formed CPR number (the others are quarantined and never loaded). They are
    computed where the load reads them, not for every record validated.
    """
    v = f"{row}.{ident(column)}"
    valid = (
        f"regexp_full_match({v}, '[0-9]{{10}}') "
        f"AND try_strptime(substr({v}, 1, 6), '%d%m%y') IS NOT NULL"
    )
    return (
        f"CASE WHEN {valid} THEN {birth_date_sql(v)} END AS {ident(column + '__birth')}, "
        f"CASE WHEN {valid} THEN {sex_sql(v)} END AS {ident(column + '__sex')}"
    )
