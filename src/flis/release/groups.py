"""The similar-municipality groups a release is built on: refused when stale, recorded when used.

Only the similar groups depend on a build with parameters (reference month, k); the nation,
region and DST groups come from the reference data, and user groups are not published.
"""

from __future__ import annotations

import duckdb

from flis.keyfigures.similarity_record import membership, staleness, stored_build
from flis.release.errors import StaleGroups
from flis.release.manifest import SimilarGroups


def require_fresh_groups(conn: duckdb.DuckDBPyConnection) -> None:
    """Raise StaleGroups when the stored similar groups do not fit the warehouse now."""
    found = staleness(conn)
    if found is not None:
        raise StaleGroups(found)


def recorded_groups(conn: duckdb.DuckDBPyConnection) -> SimilarGroups | None:
    """The manifest's record of the stored similar groups; None when none are built."""
    build = stored_build(conn)
    if build is None:
        return None
    groups, sha = membership(conn)
    return SimilarGroups(
        method_version=build.method_version,
        month=build.month,
        k=build.k,
        groups=groups,
        members_sha256=sha,
    )
