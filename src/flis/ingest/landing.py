"""The landing area: raw delivery bytes kept immutably, addressed by their SHA-256."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def landing_path(home: Path, sha256: str) -> Path:
    """``$FLIS_HOME/landing/<sha[:2]>/<sha>``."""
    return home / "landing" / sha256[:2] / sha256


def store(home: Path, data: bytes, *, digest: str | None = None) -> tuple[str, Path]:
    """Write ``data`` once (temp file, fsync, rename) and return its hash and path.

    Storing the same bytes again is a no-op; a crash leaves at most an orphan temp file.
    ``digest`` is the bytes' SHA-256 when the caller has it already.
    """
    digest = digest or sha256_hex(data)
    path = landing_path(home, digest)
    if path.exists():
        return digest, path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{digest}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(tmp, 0o444)
    os.replace(tmp, path)
    return digest, path
