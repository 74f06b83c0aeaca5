"""The package's catalogues read the same with libyaml's C parser as with PyYAML's own."""

from __future__ import annotations

from pathlib import Path

import yaml

import flis
from flis import yamlfile


def test_every_package_yaml_file_reads_as_safe_load_reads_it() -> None:
    files = sorted(Path(flis.__file__).parent.rglob("*.yaml"))
    assert len(files) > 20
    for path in files:
        text = path.read_text("utf-8")
        assert yamlfile.load(text) == yaml.safe_load(text), path


def test_the_c_parser_is_used_when_pyyaml_has_it() -> None:
    assert yamlfile._Loader is getattr(yaml, "CSafeLoader", yaml.SafeLoader)
