"""The cockpit's data: headline key figures and the da/en message catalogue, complete and used."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from flis.cockpit.headline import headline, parse_headline
from flis.cockpit.i18n import catalogue, parse_messages
from flis.errors import ConfigError

PACKAGE = resources.files("flis.cockpit")


def _files(folder: str, suffix: str) -> list[str]:
    out = []
    for entry in PACKAGE.joinpath(folder).iterdir():
        if entry.is_dir():
            out += [e.read_text("utf-8") for e in entry.iterdir() if e.name.endswith(suffix)]
        elif entry.name.endswith(suffix):
            out.append(entry.read_text("utf-8"))
    return out


def test_headline_figures_cover_every_area_and_exist() -> None:
    assert [a.area for a in headline().areas] == ["economy", "citizens", "staff", "school"]
    assert all(a.keyfigures for a in headline().areas)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("areas: [{area: school, keyfigures: [skole.findes_ikke]}]", "unknown key figure"),
        ("areas: [{area: economy, keyfigures: [skole.elevfravaer]}]", "belongs to area school"),
        ("areas: [{area: school, keyfigures: [skole.elevfravaer, skole.elevfravaer]}]", "twice"),
        ("areas: [{area: school, figures: []}]", "headline.yaml"),
    ],
    ids=["unknown", "wrong-area", "duplicate", "bad-key"],
)
def test_bad_headline_lists_are_refused_by_name(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_headline(text)


def test_every_message_has_both_languages() -> None:
    assert set(catalogue()["da"]) == set(catalogue()["en"])
    with pytest.raises(ConfigError, match="'hello' needs exactly da and en"):
        parse_messages("hello: {da: hej}")


def test_every_message_key_used_by_templates_and_scripts_exists() -> None:
    used = set()
    for text in _files("templates", ".html"):
        used |= set(re.findall(r"\bt\.([a-z_]+)", text))
    for text in _files("static", ".js"):
        used |= set(re.findall(r'\bt\("([a-z_]+)"', text))
    for area in ("economy", "citizens", "staff", "school"):
        used.add(f"area_{area}")
    missing = used - set(catalogue()["da"])
    assert not missing
    assert len(used) > 60


def test_scripts_and_styles_load_nothing_from_outside() -> None:
    for text in _files("static", ".js") + _files("static", ".css") + _files("templates", ".html"):
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", text)
        assert "@import" not in text and "fonts.googleapis" not in text
