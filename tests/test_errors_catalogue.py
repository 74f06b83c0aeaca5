"""Every stable error kind has a Danish and English title in flis/problems.yaml, and no entry is
left over; the catalogue refuses malformed entries by kind."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

import pytest

import flis
from flis.errors import ConfigError, FlisError
from flis.problem_kinds import FALLBACK, catalogue, parse_kinds, problem_kind, title


def _subclasses(cls: type[FlisError]) -> Iterator[type[FlisError]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _error_kinds() -> dict[str, str]:
    """Every kind some FlisError class in the package declares → one class naming it."""
    for module in pkgutil.walk_packages(flis.__path__, "flis."):
        importlib.import_module(module.name)
    classes = [FlisError, *_subclasses(FlisError)]
    return {c.kind: f"{c.__module__}.{c.__qualname__}" for c in classes}


def test_every_error_kind_has_a_catalogue_entry() -> None:
    missing = {k: where for k, where in _error_kinds().items() if k not in catalogue()}
    assert missing == {}, "add these kinds to src/flis/problems.yaml"


def test_every_catalogue_entry_is_used_by_an_error_class_or_marked_api() -> None:
    used = set(_error_kinds())
    unused = sorted(k for k, entry in catalogue().items() if k not in used and not entry.api)
    assert unused == []
    api_only = sorted(k for k, entry in catalogue().items() if entry.api)
    assert api_only == ["http-error", "internal-error", "invalid-request", "method-not-allowed"]


def test_api_only_kinds_are_not_also_error_classes() -> None:
    used = set(_error_kinds())
    assert [k for k, entry in catalogue().items() if entry.api and k in used] == []


def test_titles_are_distinct_per_language_and_not_blank() -> None:
    for kind, entry in catalogue().items():
        for lang in ("da", "en"):
            assert entry.title.get(lang).strip() and entry.what_to_do.get(lang).strip(), kind
    # Danish really is Danish: the English title differs wherever a word needs translating.
    assert title("unknown-period", "da") == "Ukendt periode"
    assert title("unknown-period", "en") == "Unknown period"


def test_a_kind_the_catalogue_does_not_name_gets_the_generic_http_title() -> None:
    assert problem_kind("http-429") == catalogue()[FALLBACK]
    assert title("http-429", "da") == "HTTP-fejl"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("- a list\n", "expected a mapping"),
        ("x:\n  title: {da: A}\n  what_to_do: {da: B, en: C}\n", "kind 'x'"),
        ("x:\n  title: {da: A, en: B}\n  what_to_do: {da: B, en: C}\n  colour: red\n", "kind 'x'"),
        ("x:\n  title: {da: A, en: B}\n  what_to_do: {da: B, en: C}\n", "'http-error' is missing"),
    ],
    ids=["not-a-mapping", "missing-english", "unknown-field", "no-fallback"],
)
def test_a_malformed_catalogue_is_refused_naming_the_file_and_kind(
    text: str, fragment: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_kinds(text)
    assert caught.value.location == "flis/problems.yaml" and fragment in caught.value.message


def test_an_error_falls_back_to_english_where_no_danish_text_was_given() -> None:
    plain = FlisError("disk full", hint="free some space")
    assert (plain.message_in("da"), plain.hint_in("da")) == ("disk full", "free some space")
    both = FlisError("disk full", hint="free space", message_da="disken er fuld", hint_da="ryd op")
    assert (both.message_in("da"), both.hint_in("da")) == ("disken er fuld", "ryd op")
    assert (both.message_in("en"), both.hint_in("en")) == ("disk full", "free space")
    assert str(both) == "disk full (free space)"  # logs stay English


def test_a_config_error_puts_its_location_before_both_languages() -> None:
    error = ConfigError("bad value", location="x.yaml", message_da="forkert værdi")
    assert (error.message, error.message_da) == ("x.yaml: bad value", "x.yaml: forkert værdi")
