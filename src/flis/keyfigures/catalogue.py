"""The key-figure catalogue: ``catalogue/measures.yaml`` plus one YAML file of key figures per area.

The loader is strict: unknown fields, duplicate ids, unknown measures, filters and roles are
refused with the file and key of the bad entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from flis import yamlfile
from flis.errors import ConfigError, NotFoundError, validation_da
from flis.keyfigures.measures import Measure, Source
from flis.keyfigures.model import KeyFigure, MeasureRef

FOLDER = Path(__file__).parent / "catalogue"
MEASURES_FILE = "measures.yaml"


@dataclass(frozen=True)
class Catalogue:
    """Sources, measures and key figures, all checked against each other."""

    sources: dict[str, Source]
    measures: dict[str, Measure]
    keyfigures: dict[str, KeyFigure]

    def source_of(self, ref: MeasureRef) -> Source:
        return self.sources[self.measures[ref.measure].source]


def _read(path: Path) -> Any:
    try:
        return yamlfile.load(path.read_text("utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(
            f"not valid YAML: {exc}",
            location=str(path),
            message_da=f"ikke gyldig YAML: {exc}",
        ) from None


def _build(model: type[Any], body: Any, location: str, **extra: Any) -> Any:
    if not isinstance(body, dict):
        raise ConfigError(
            "expected a mapping",
            location=location,
            message_da="forventede en mapping (felt: værdi)",
        )
    try:
        return model(**extra, **body)
    except ValidationError as exc:
        raise ConfigError(str(exc), location=location, message_da=validation_da(exc)) from None


def _load_measures(path: Path) -> tuple[dict[str, Source], dict[str, Measure]]:
    raw = _read(path) or {}
    loc = f"{path.name}"
    sources = {
        sid: _build(Source, body, f"{loc}: sources.{sid}", id=sid)
        for sid, body in (raw.get("sources") or {}).items()
    }
    measures: dict[str, Measure] = {}
    for mid, body in (raw.get("measures") or {}).items():
        measure = _build(Measure, body, f"{loc}: measures.{mid}", id=mid)
        if measure.source not in sources:
            raise ConfigError(
                f"unknown source '{measure.source}'",
                location=f"{loc}: measures.{mid}",
                hint=f"known sources: {', '.join(sorted(sources))}",
                message_da=f"ukendt kilde '{measure.source}'",
                hint_da=f"kendte kilder: {', '.join(sorted(sources))}",
            )
        measures[mid] = measure
    return sources, measures


def _check_ref(ref: MeasureRef, cat: Catalogue, location: str, role: str) -> None:
    if ref.measure not in cat.measures:
        raise ConfigError(
            f"unknown measure '{ref.measure}'",
            location=location,
            hint=f"measures are declared in {MEASURES_FILE}",
            message_da=f"ukendt måling '{ref.measure}'",
            hint_da=f"målinger erklæres i {MEASURES_FILE}",
        )
    source = cat.source_of(ref)
    for name in ref.filters:
        if name not in source.filters:
            raise ConfigError(
                f"unknown filter '{name}' for measure '{ref.measure}'",
                location=location,
                hint=f"filters of source '{source.id}': {', '.join(sorted(source.filters))}",
                message_da=f"ukendt filter '{name}' for målingen '{ref.measure}'",
                hint_da=f"kilden '{source.id}' har filtrene: {', '.join(sorted(source.filters))}",
            )
    if role not in source.roles:
        raise ConfigError(
            f"measure '{ref.measure}' has no municipality role '{role}'",
            location=location,
            hint=f"roles of source '{source.id}': {', '.join(sorted(source.roles))}",
            message_da=f"målingen '{ref.measure}' har ingen kommunerolle '{role}'",
            hint_da=f"kilden '{source.id}' har rollerne: {', '.join(sorted(source.roles))}",
        )


def _check(kf: KeyFigure, cat: Catalogue, location: str) -> None:
    _check_ref(kf.numerator, cat, f"{location}.numerator", kf.role)
    if kf.denominator is not None:
        _check_ref(kf.denominator, cat, f"{location}.denominator", kf.role)
    if (kf.level == "count_date") != (kf.count_date is not None):
        raise ConfigError(
            "count_date is required exactly when level is count_date",
            location=location,
            message_da="count_date skal angives, netop når level er count_date",
        )


def load_catalogue(folder: Path = FOLDER) -> Catalogue:
    """Read and check every catalogue file under ``folder``."""
    sources, measures = _load_measures(folder / MEASURES_FILE)
    cat = Catalogue(sources, measures, {})
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name == MEASURES_FILE:
            continue
        entries = (_read(path) or {}).get("keyfigures") or []
        for i, body in enumerate(entries):
            key = body.get("id", f"#{i}") if isinstance(body, dict) else f"#{i}"
            location = f"{path.name}: {key}"
            if key in seen:
                raise ConfigError(
                    f"duplicate key-figure id '{key}' (first in {seen[key]})",
                    location=location,
                    message_da=f"nøgletals-id'et '{key}' findes to gange (først i {seen[key]})",
                )
            kf = _build(KeyFigure, body, location)
            _check(kf, cat, location)
            seen[key] = path.name
            cat.keyfigures[kf.id] = kf
    return cat


@cache
def catalogue() -> Catalogue:
    """The package's catalogue, loaded once."""
    return load_catalogue()


def keyfigures() -> dict[str, KeyFigure]:
    """Every key figure by id, in catalogue order."""
    return catalogue().keyfigures


def keyfigure(kf_id: str) -> KeyFigure:
    """One key figure by id.

    Raises:
        NotFoundError: no key figure has this id.
    """
    try:
        return keyfigures()[kf_id]
    except KeyError:
        raise NotFoundError(
            f"unknown key figure '{kf_id}'",
            hint="`flis keyfigures` lists the ids",
            message_da=f"ukendt nøgletal '{kf_id}'",
            hint_da="`flis keyfigures` viser id'erne",
        ) from None
