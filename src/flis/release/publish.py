"""After a release is published: write it to the subscribers' outboxes."""

from __future__ import annotations

from pathlib import Path

import duckdb

from flis.release import store
from flis.release.exports.outbox import write_outbox
from flis.release.manifest import Manifest
from flis.release.subscriptions import listing
from flis.settings import Settings


def outbox_root(home: Path) -> Path:
    return home / "outbox"


def export_release(
    conn: duckdb.DuckDBPyConnection, *, settings: Settings, manifest: Manifest
) -> list[Path]:
    """Write ``manifest``'s release for every subscription; return the files written."""
    subscriptions = listing(conn)
    if not subscriptions:
        return []
    return write_outbox(
        release_dir=store.release_dir(settings.home, manifest.release_id),
        outbox_root=outbox_root(settings.home),
        release_id=manifest.release_id,
        subscriptions=subscriptions,
    )
