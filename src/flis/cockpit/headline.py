"""The overview's headline key figures per area, declared as data in ``headline.yaml``."""

from __future__ import annotations

from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, ValidationError

from flis import yamlfile
from flis.errors import ConfigError, validation_da
from flis.keyfigures.catalogue import keyfigures
from flis.keyfigures.model import Area

_LOCATION = "flis/cockpit/headline.yaml"


class HeadlineArea(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    area: Area
    keyfigures: tuple[str, ...]


class Headline(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    areas: tuple[HeadlineArea, ...]

    @property
    def ids(self) -> list[str]:
        return [kf for a in self.areas for kf in a.keyfigures]


def parse_headline(text: str) -> Headline:
    """The headline list from YAML; unknown or repeated key-figure ids are refused by name."""
    try:
        found = Headline.model_validate(yamlfile.load(text))
    except ValidationError as exc:
        raise ConfigError(str(exc), location=_LOCATION, message_da=validation_da(exc)) from exc
    catalogue = keyfigures()
    for area in found.areas:
        for kf in area.keyfigures:
            if kf not in catalogue:
                raise ConfigError(
                    f"unknown key figure '{kf}' under area {area.area}",
                    location=_LOCATION,
                    hint="use an id from `flis keyfigures list`",
                    message_da=f"ukendt nøgletal '{kf}' under området {area.area}",
                    hint_da="brug et id fra `flis keyfigures list`",
                )
            if catalogue[kf].area != area.area:
                raise ConfigError(
                    f"'{kf}' belongs to area {catalogue[kf].area}, not {area.area}",
                    location=_LOCATION,
                    message_da=f"'{kf}' hører til området {catalogue[kf].area}, ikke {area.area}",
                )
    if len(set(found.ids)) != len(found.ids):
        raise ConfigError(
            "a key figure is listed twice",
            location=_LOCATION,
            message_da="et nøgletal står to gange på listen",
        )
    return found


@cache
def headline() -> Headline:
    return parse_headline(resources.files("flis.cockpit").joinpath("headline.yaml").read_text())
