"""Errors of the release stage."""

from __future__ import annotations

from flis.errors import FlisError, NotFoundError, UsageError
from flis.keyfigures.similarity_record import Staleness


class ReleaseError(FlisError):
    """A release cannot be built or read."""

    kind = "release-error"


class UnknownRelease(NotFoundError):
    kind = "unknown-release"

    def __init__(self, release_id: str) -> None:
        super().__init__(
            f"no release '{release_id}'",
            hint="`flis releases` lists the published releases",
            message_da=f"ingen udgivelse '{release_id}'",
            hint_da="`flis releases` viser udgivelserne",
        )
        self.release_id = release_id


class PeriodClosed(UsageError):
    kind = "period-closed"

    def __init__(self, period: str) -> None:
        super().__init__(
            f"period {period} is closed: its values are final and it gets no new release",
            hint="build a release of a later period",
            message_da=f"perioden {period} er lukket: dens værdier er endelige, og den får ingen "
            "ny udgivelse",
            hint_da="byg en udgivelse af en senere periode",
        )
        self.period = period


class NothingToRelease(UsageError):
    kind = "nothing-to-release"

    def __init__(self, period: str | None) -> None:
        where = f"for {period}" if period else "at all"
        where_da = f"for {period}" if period else "overhovedet"
        super().__init__(
            f"the warehouse holds no deliveries {where}",
            hint="ingest deliveries (flis ingest) and build key figures (flis build) first",
            message_da=f"lageret har ingen leveringer {where_da}",
            hint_da="indlæs leveringer (flis ingest) og beregn nøgletal (flis build) først",
        )
        self.period = period


class StaleGroups(ReleaseError):
    """The similar-municipality groups do not fit the warehouse: a release would publish stale
    group values, so it is refused until ``flis groups build`` has run."""

    kind = "stale-groups"
    http_status = 409

    def __init__(self, staleness: Staleness) -> None:
        super().__init__(
            f"{staleness.detail}; a release would publish group values of stale groups",
            hint=f"run `{staleness.command}`, then `flis release` again",
            message_da=f"{staleness.detail_da}; en udgivelse ville offentliggøre gruppeværdier "
            "for forældede grupper",
            hint_da=f"kør `{staleness.command}` og derefter `flis release` igen",
        )
        self.reason = staleness.reason
        self.command = staleness.command
