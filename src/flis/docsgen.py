"""Generated documentation: each entry renders one file under ``docs/`` from a catalogue."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flis import settings_docs
from flis.cli import docs_reference as cli_docs
from flis.ingest.rules import docs as rule_docs
from flis.keyfigures import docs as keyfigure_docs
from flis.reference import docs as reference_docs
from flis.sources import docs as source_docs
from flis.warehouse import docs as model_docs

GENERATED: dict[str, Callable[[], str]] = {
    "docs/sources.md": source_docs.render,
    "docs/codelists.md": reference_docs.render,
    "docs/settings.md": settings_docs.render,
    "docs/cli.md": cli_docs.render,
    "docs/information-model.md": model_docs.render,
    "docs/validation-rules.md": rule_docs.render,
    "docs/keyfigures.md": keyfigure_docs.render,
}


def render_all(root: Path) -> list[Path]:
    """Write every generated document under ``root``; return the paths written."""
    written = []
    for rel, render in GENERATED.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(), encoding="utf-8")
        written.append(path)
    return written


def stale(root: Path) -> list[str]:
    """Generated documents whose file differs from what the catalogue renders now."""
    out = []
    for rel, render in GENERATED.items():
        path = root / rel
        if not path.exists() or path.read_text(encoding="utf-8") != render():
            out.append(rel)
    return out
