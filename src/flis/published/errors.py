"""Errors of reading published data."""

from __future__ import annotations

from flis.errors import NotFoundError


class NoRelease(NotFoundError):
    kind = "no-release"

    def __init__(self) -> None:
        super().__init__(
            "no release has been published yet",
            hint="run `flis release` to publish the warehouse's key figures",
            message_da="der er ikke udgivet noget endnu",
            hint_da="kør `flis release` for at udgive lagerets nøgletal",
        )


class UnknownArea(NotFoundError):
    kind = "unknown-area"

    def __init__(self, ids: list[str]) -> None:
        super().__init__(
            f"the release has no values for {', '.join(ids)}",
            hint="use municipality codes or group ids from /api/v1/groups",
            message_da=f"udgivelsen har ingen værdier for {', '.join(ids)}",
            hint_da="brug kommunekoder eller gruppe-id'er fra /api/v1/groups",
        )


class UnknownDataset(NotFoundError):
    kind = "unknown-dataset"

    def __init__(self, name: str, release_id: str) -> None:
        super().__init__(
            f"release {release_id} has no dataset '{name}'",
            hint="/api/v1/releases/{id} lists the release's datasets",
            message_da=f"udgivelse {release_id} har intet datasæt '{name}'",
            hint_da="/api/v1/releases/{id} viser udgivelsens datasæt",
        )
